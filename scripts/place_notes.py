"""One round of margin-note placement for the PDF (see reader.core.placement).

Usage: place_notes.py <latex dir>. Reads <dir>/reader.notepos (written by xelatex),
adds the notes out of place to <dir>/reader-endnotes.tex. Exit status 0: the file
changed (run xelatex again), 1: every note is in place, 2: gave up (no progress).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))

from reader.core.placement import endnotes_tex, read_positions, to_endnotes  # noqa: E402


def main(latex_dir: str) -> int:
    root = Path(latex_dir)
    placed, line = read_positions((root / "reader.notepos").read_text(encoding="utf-8"))
    listing = root / "reader-endnotes.tex"
    before = set()
    if listing.exists():
        lines = listing.read_text(encoding="utf-8").splitlines()
        before = {row.split("readerend@")[1].split("\\endcsname")[0] for row in lines if row}
    moved = to_endnotes(placed, line) - before
    if not moved:
        print(f"notes: {len(placed)} paragraphs' notes beside them, {len(before)} as endnotes")
        return 1
    listing.write_text(endnotes_tex(before | moved), encoding="utf-8")
    print(f"notes: moving {len(moved)} to the endnotes: {' '.join(sorted(moved))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
