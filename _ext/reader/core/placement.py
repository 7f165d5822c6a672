"""Which margin notes of the PDF become endnotes (pure Python).

A margin note belongs beside its paragraph: on the same page and no more than
two lines below (or above) the paragraph's first line.  LaTeX stacks notes
(``marginfix``), so a long note pushes the next ones down, and a note near the foot
of a page moves to the next page.  The build measures where each note landed
(``\\readerlogpos`` writes ``<kind> <key> <page> <y in sp>`` lines at shipout, kind =
para, note or end, and one ``line - - <baselineskip>`` line) and moves notes to
their text's endnotes until every remaining note is in place: per round, for each
note out of place, the note that pushed it (the one above it on the page reaching
below its paragraph) if that one is taller, otherwise the note itself; one
note per page and round, since moving one may put the others in place.
"""

from __future__ import annotations

from dataclasses import dataclass

# The promise is two lines (tests/test_pdf_margins.py measures the printed page);
# TeX's positions and the printed glyphs' differ by a fraction of a line.
MAX_LINES = 1.8


@dataclass
class Placed:
    key: str
    page: str
    para_y: int  # sp, PDF coordinates (upwards)
    note_page: str | None
    note_y: int | None
    end_y: int | None

    def height(self) -> int:
        return (self.note_y or 0) - (self.end_y or 0)


def read_positions(text: str) -> tuple[list[Placed], int]:
    """The notes in reading order and the baselineskip (sp)."""
    line = 17 * 65536
    order: list[str] = []
    found: dict[str, dict] = {}
    for raw in text.splitlines():
        parts = raw.split()
        if len(parts) != 4:
            continue
        kind, key, page, value = parts
        if kind == "line":
            line = int(round(float(value.removesuffix("pt")) * 65536))
            continue
        if key not in found:
            found[key] = {}
            order.append(key)
        found[key][kind] = (page, int(value))
    placed = []
    for key in order:
        entry = found[key]
        if "para" not in entry:
            continue
        note = entry.get("note")
        placed.append(
            Placed(
                key,
                entry["para"][0],
                entry["para"][1],
                note[0] if note else None,
                note[1] if note else None,
                entry.get("end", (None, None))[1],
            )
        )
    return placed, line


def out_of_place(p: Placed, line: int) -> bool:
    return p.note_page != p.page or p.note_y is None or abs(p.note_y - p.para_y) > MAX_LINES * line


def to_endnotes(placed: list[Placed], line: int) -> set[str]:
    """The keys to move this round (empty when every note is in place)."""
    moved: set[str] = set()
    pages_done: set[str | None] = set()
    for i, p in enumerate(placed):
        # One move per page and round: moving the first culprit may put the rest in place.
        if p.note_page in pages_done or not out_of_place(p, line):
            continue
        pages_done.add(p.note_page)
        pusher = None
        for q in reversed(placed[:i]):
            if q.note_page == p.note_page and q.end_y is not None and q.end_y < p.para_y:
                pusher = q
                break
            if q.note_page != p.note_page:
                break
        if pusher is not None and pusher.height() > p.height() and pusher.key not in moved:
            moved.add(pusher.key)
        else:
            moved.add(p.key)
    return moved


def endnotes_tex(keys: set[str]) -> str:
    return "".join(f"\\expandafter\\def\\csname readerend@{k}\\endcsname{{}}\n" for k in sorted(keys))
