"""The nothing-lost check: every significant raw character is accounted for."""

from __future__ import annotations

from pathlib import Path

from .errors import SeedError
from .model import Document
from .text import significant, split_lines


def check_nothing_lost(path: Path, raw_text: str, doc: Document) -> None:
    """Every significant raw character is in exactly one place: a block or the furniture record."""
    # Within a block: joining, re-spacing and corrections keep every character.
    for block in doc.blocks:
        made_of = significant("".join(text for _no, text in block.sources))
        if significant(block.uncorrected_text()) != made_of:
            raise SeedError(
                path,
                f"lines {block.first_line}-{block.last_line}",
                "nothing-lost check failed: the block's text differs from the raw lines it was made of",
            )
    # Across the seed: blocks' lines and furniture cover the raw text once, in order.
    pieces = [(f.line, -1, f.text) for f in doc.furniture]
    seq = 0
    for block in doc.blocks:
        for no, text in block.sources:
            pieces.append((no, seq, text))
            seq += 1
    pieces.sort(key=lambda p: (p[0], p[1]))
    out = significant("".join(p[2] for p in pieces))
    raw = significant(raw_text)
    if out == raw:
        return
    k = next((i for i, (a, b) in enumerate(zip(out, raw, strict=False)) if a != b), min(len(out), len(raw)))
    # Map the raw position back to a line for the message.
    seen, line_no = 0, 1
    for no, line in enumerate(split_lines(raw_text), 1):
        line_no = no
        seen += len(significant(line))
        if seen > k:
            break
    got = out[k : k + 10] or "<end>"
    want = raw[k : k + 10] or "<end>"
    raise SeedError(
        path,
        f"line {line_no}",
        f"nothing-lost check failed: the raw seed has {want!r} where the output has {got!r} "
        f"({len(raw)} significant characters in the seed, {len(out)} accounted for)",
    )
