"""Command line for editors: ``python -m reader.cli {generate,check,show SEED,pinyin}``.

``show`` prints how a seed was segmented (kind, raw lines, id, text) so an
editor can see where an override or a correction is needed.  ``pinyin`` writes
pypinyin's reading into the glossary entries that have none, for an editor to
check (the build reads it from there instead of loading pypinyin every time).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.errors import SeedError
from .core.pipeline import generate, out_of_date
from .core.safewrite import write_atomic
from .core.segment import ingest


def fill_pinyin(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Insert ``pinyin = "…"`` after the ``term`` line of every entry without one
    (a text edit: the file's comments and layout stay as they are)."""
    import json
    import tomllib

    from .core.glossary import generate_pinyin

    entries = text.split("\n[[term]]\n")
    added = []
    for i, entry in enumerate(entries[1:], 1):
        data = tomllib.loads(entry)
        if data.get("pinyin") or "term" not in data:
            continue
        pinyin = generate_pinyin(data["term"])
        lines = entry.split("\n")
        at = next(k for k, line in enumerate(lines) if line.startswith("term"))
        lines.insert(at + 1, f"pinyin = {json.dumps(pinyin, ensure_ascii=False)}")
        entries[i] = "\n".join(lines)
        added.append((data["term"], pinyin))
    return "\n[[term]]\n".join(entries), added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reader")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", help="regenerate source/*.md from seeds/")
    sub.add_parser("check", help="list generated pages that are out of date")
    show = sub.add_parser("show", help="print the blocks of one seed")
    show.add_argument("seed", type=Path)
    sub.add_parser("pinyin", help="write pinyin into glossary entries that have none")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        if args.command == "generate":
            _coll, changed = generate(root)
            for path in changed:
                print(f"regenerated {path.relative_to(root)}")
        elif args.command == "check":
            stale = out_of_date(root)
            for path in stale:
                print(f"out of date: {path.relative_to(root)}")
            return 1 if stale else 0
        elif args.command == "pinyin":
            path = root / "glossary" / "terms.toml"
            text, added = fill_pinyin(path.read_text(encoding="utf-8"))
            if added:
                write_atomic(path, text)  # keeps the file's mode; never half-written
            for term, pinyin in added:
                print(f"{term}: {pinyin}")
        else:
            doc = ingest(args.seed)
            for block in doc.blocks:
                text = block.text.replace("\n", " / ")
                print(f"{block.kind:<14} {block.first_line:>4}-{block.last_line:<4} {block.id:<5} {text}")
            for f in doc.furniture:
                print(f"{'(furniture)':<14} {f.line:>4}       {f.text}  [{f.reason}]")
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
