"""The translators' commands (``make po``, ``make review-ok``)::

    python -m reader.translate po                     # locale/zh_TW/LC_MESSAGES/<slug>.po
    python -m reader.translate review-ok SOURCE P...  # mark paragraphs reviewed

``po`` writes one gettext catalogue per source from the current traditional
text (overrides, house style, the catalogues' own translations); an existing
catalogue's translations are kept (fuzzy, with the old msgid, when the
simplified paragraph changed).  Edit the msgstr in Poedit or Weblate and clear
the fuzzy flag: the next build takes the paragraph as the translator wrote it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.errors import SeedError
from .core.variant import Converter, load_overrides, load_style, with_translations
from .core.variant_po import export, load_status, mark_reviewed, translated_phrases

OVERRIDES = "variant/overrides.toml"
STYLE = "variant/house-style.toml"
STATUS = "variant/review-status.toml"
CATALOGUES = "locale/zh_TW/LC_MESSAGES"


def project_converter(root: Path, catalogues: Path) -> Converter:
    """The converter of the traditional build (same inputs, same precedence)."""
    table = load_overrides(root / OVERRIDES)
    style = load_style(root / STYLE)
    paths = sorted(catalogues.glob("*.po")) if catalogues.is_dir() else []
    return with_translations(
        lambda paragraphs: Converter("s2tw", table, by_words=True, style=style, quotes="tw", paragraphs=paragraphs),
        [phrase for path in paths for phrase in translated_phrases(path)],
    )


def main(argv: list[str] | None = None) -> int:
    from .core.pipeline import load_collection

    parser = argparse.ArgumentParser(prog="reader.translate")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("po", help=f"write {CATALOGUES}/<slug>.po")
    ok = sub.add_parser("review-ok", help=f"record paragraphs as reviewed in {STATUS}")
    ok.add_argument("source", help="the source's slug")
    ok.add_argument("paragraphs", nargs="+", help="paragraph numbers or anchors (12, p12, s3)")
    ok.add_argument("--note", default="")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        coll = load_collection(root)
        if args.command == "po":
            catalogues = root / CATALOGUES
            converter = project_converter(root, catalogues)
            for path in export(coll.docs, converter, load_status(root / STATUS), catalogues):
                print(f"wrote {path.relative_to(root)}")
        else:
            anchors = [a for p in args.paragraphs for a in p.replace(",", " ").split()]
            done = mark_reviewed(root / STATUS, coll.docs, args.source, anchors, args.note)
            print(f"{args.source}: reviewed {', '.join(done)} (recorded in {STATUS})")
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
