"""Turn a raw PDF-extracted seed into a structured document.

The pipeline, in order (``ingest``):

1. decode and clean every line (``text``: rules D1, N1–N3);
2. apply the sidecar's range overrides (figure, colophon, title, heading,
   furniture) and find page furniture: page numbers, running headers and
   footers repeated next to page boundaries;
3. reconstruct paragraphs from hard-wrapped lines (``decide_breaks``): the
   signals are the line's closing punctuation, its printed width against the
   local column width (estimated from lines that certainly continue), and the
   shortened first line of an indented paragraph;
4. classify every block (title, byline, heading, label, source, dateline, …),
   join its lines without spaces and re-space it (rule N4);
5. apply the sidecar's corrections, number the citable blocks;
6. check that nothing was lost: every significant character of the raw seed
   is in a block (before correction) or in the furniture record.
"""

from __future__ import annotations

from pathlib import Path

from .breaks import Group, decide_breaks
from .classify import classify, mark_header, number
from .columns import Columns
from .errors import SeedError
from .frontmatter import derive_meta
from .furniture import find_furniture, renumber_pages
from .lines import read_lines
from .lost import check_nothing_lost
from .model import Document, Furniture
from .overrides import Locator, apply_corrections, apply_overrides
from .review import Decision, Snippets, mark_reviewed
from .sidecar import Sidecar, load_sidecar
from .text import decode

__all__ = ["check_nothing_lost", "ingest", "ingest_bytes"]


def ingest(seed_path: Path, sidecar: Sidecar | None = None) -> Document:
    seed_path = Path(seed_path)
    if sidecar is None:
        sidecar = load_sidecar(seed_path)
    try:
        data = seed_path.read_bytes()
    except OSError as exc:
        raise SeedError(seed_path, None, f"cannot read: {exc.strerror}") from None
    return ingest_bytes(seed_path, data, sidecar)


def ingest_bytes(seed_path: Path, data: bytes, sidecar: Sidecar) -> Document:
    text = decode(data, str(seed_path), sidecar.meta.get("encoding"))
    lines = read_lines(text)
    if not lines:
        raise SeedError(seed_path, None, "the seed contains no text")
    locator = Locator(sidecar.path, seed_path.name, lines)
    snippets = Snippets(lines)  # before overrides split lines
    forced_breaks, forced_joins, forced_paragraphs = apply_overrides(sidecar, locator, lines)
    thin_furniture = find_furniture(lines, keep=forced_paragraphs)
    renumber_pages(lines)
    furniture = [Furniture(line.no, line.text, line.reason) for line in lines if line.forced == "furniture"]
    flow = [line for line in lines if line.forced != "furniture"]
    index_of = {id(line): k for k, line in enumerate(flow)}
    fb = {index_of[id(lines[i])] for i in forced_breaks if id(lines[i]) in index_of}
    fj = {index_of[id(lines[i])] for i in forced_joins if id(lines[i]) in index_of}
    # The title zone (up to four lines) must not measure the body's column.
    mark_header(flow, sidecar, Columns(flow, skip_first=4))
    cols = Columns(flow)
    decisions: list[Decision] = [
        Decision(
            lines[i].no,
            "作为页眉或页脚删去",
            "此行只出现两次，每次都在分页处",
            "paragraph",
            snippet="start",
        )
        for i in thin_furniture
    ]
    breaks = decide_breaks(flow, cols, fb, fj, decisions)
    groups, current = [], []
    for line, brk in zip(flow, breaks, strict=True):
        current.append(line)
        if brk:
            groups.append(Group(current, forced_id=current[0].forced_id))
            current = []
    forced_para_lines = {index_of.get(id(lines[i])) for i in forced_paragraphs}
    blocks = classify(groups, forced_para_lines, index_of, decisions)
    apply_corrections(seed_path, sidecar, blocks)
    number(blocks)
    decisions.sort(key=lambda d: d.line)
    for d in decisions:
        if d.snippet == "end":
            d.snippet, d.nth = snippets.at_end(d.line)
        else:  # "start" or "start:<length>"
            d.snippet, d.nth = snippets.at_start(d.line, int(d.snippet.partition(":")[2] or 0))
    mark_reviewed(decisions, sidecar, locator)
    meta = dict(sidecar.meta)
    # What the front matter prints feeds the citation unless the sidecar says otherwise.
    derived = {k: v for k, v in derive_meta(blocks).items() if k not in meta}
    meta.update(derived)
    doc = Document(
        seed_name=seed_path.name,
        meta=meta,
        derived=sorted(derived),
        review=decisions,
        blocks=blocks,
        furniture=furniture,
        annotation_specs=list(sidecar.annotations),
        sidecar_path=str(sidecar.path),
    )
    check_nothing_lost(seed_path, text, doc)
    return doc
