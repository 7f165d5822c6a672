"""Command line for editors: ``python -m reader.cli {generate,check,show SEED,pinyin,publish SLUG,schemas}``.

``show`` prints how a seed was segmented (kind, raw lines, id, text) so an
editor can see where an override or a correction is needed.  ``pinyin`` writes
pypinyin's reading into the glossary entries that have none, for an editor to
check (the build reads it from there instead of loading pypinyin every time).
``schemas`` writes the JSON Schema of each TOML file people edit into
``schemas/`` (for editors: taplo, Even Better TOML).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.errors import SeedError
from .core.pipeline import generate, load_collection, out_of_date, publish
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


def print_review(root: Path, seeds: list[Path], show_all: bool) -> int:
    """One line per uncertain decision (seed:line: decided — why — override); the
    count of unreviewed ones last.  Exit status 0: the report informs, the build warns."""
    from .core.review import report_lines

    seeds = seeds or sorted((root / "seeds").glob("*.txt"))
    open_count = total = 0
    for seed in seeds:
        doc = ingest(seed)
        try:
            rel = seed.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = str(seed)
        shown = [d for d in doc.review if show_all or not d.reviewed]
        for line in report_lines(rel, shown):
            print(line)
        total += len(doc.review)
        open_count += sum(1 for d in doc.review if not d.reviewed)
    sys.stdout.flush()
    print(
        f"{open_count} uncertain decision(s) to review, {total - open_count} reviewed, in {len(seeds)} seed(s). "
        "Decide each with the override shown (in [[override]]) or accept it with "
        '[[reviewed]] at = "<the snippet>" in the seed\'s sidecar.',
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reader")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", help="regenerate source/*.md from seeds/")
    sub.add_parser("check", help="list generated pages that are out of date")
    review = sub.add_parser("review", help="the review report: every uncertain segmentation decision (make check)")
    review.add_argument("seeds", type=Path, nargs="*", help="seed files (default: seeds/*.txt)")
    review.add_argument("--all", action="store_true", help="also list the decisions already reviewed")
    show = sub.add_parser("show", help="print the blocks of one seed")
    show.add_argument("seed", type=Path)
    sub.add_parser("pinyin", help="write pinyin into glossary entries that have none")
    pub = sub.add_parser("publish", help="publish a draft source: lock its paragraph numbers")
    pub.add_argument("slug")
    sub.add_parser("schemas", help="write schemas/*.schema.json, the JSON Schema of each TOML file (for editors)")
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
        elif args.command == "review":
            return print_review(root, args.seeds, args.all)
        elif args.command == "pinyin":
            path = root / "glossary" / "terms.toml"
            text, added = fill_pinyin(path.read_text(encoding="utf-8"))
            if added:
                write_atomic(path, text)  # keeps the file's mode; never half-written
            for term, pinyin in added:
                print(f"{term}: {pinyin}")
        elif args.command == "schemas":
            from .core.tomlschema import schema_texts

            for name, text in schema_texts().items():
                path = root / "schemas" / name
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    write_atomic(path, text)
                    print(f"wrote {path.relative_to(root)}")
        elif args.command == "publish":
            lock = publish(root, args.slug)
            print(f"published {args.slug}: commit {lock.relative_to(root)} with the seed, sidecar and pages")
        else:
            # The ids the build will really use: the lock applied (provisional for a draft).
            coll = load_collection(root, glossary="")
            seed = args.seed.resolve()
            doc = next((d for d in coll.docs if coll.seed_paths[d.slug].resolve() == seed), None)
            if doc is None:
                print(f"error: {args.seed} is not a seed of this project ({root / 'seeds'})", file=sys.stderr)
                return 2
            print(f"{doc.slug}: {'draft (provisional numbers)' if doc.draft else 'published'}")
            for block in doc.blocks:
                text = block.text.replace("\n", " / ")
                print(f"{block.kind:<14} {block.first_line:>4}-{block.last_line:<4} {block.id:<5} {text}")
            for f in doc.furniture:
                print(f"{'(furniture)':<14} {f.line:>4}       {f.text}  [{f.reason}]")
            for d in doc.review:
                state = "reviewed" if d.reviewed else "to review"
                print(f"{'(uncertain)':<14} {d.line:>4}       {d.decided} [{state}] override: {d.override}")
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
