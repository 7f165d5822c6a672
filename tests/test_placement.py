"""Which PDF margin notes become endnotes (reader.core.placement), on small cases and
generated pages: nothing moves when every note is in place; otherwise at most one
note per page and round, either the note out of place or the taller note above it
that pushed it down."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.placement import MAX_LINES, Placed, endnotes_tex, out_of_place, read_positions, to_endnotes

LINE = 17 * 65536
PT = 65536


def test_read_positions_and_the_listing():
    text = (
        "line - - 17.0pt\n"
        "para source/a:p2 3 5000000\nnote source/a:p2 3 5000000\nend source/a:p2 3 1600000\n"
        "para source/a:p3 3 4000000\nnote source/a:p3 3 1500000\nend source/a:p3 3 1000000\n"
    )
    placed, line = read_positions(text)
    assert line == LINE and [p.key for p in placed] == ["source/a:p2", "source/a:p3"]
    assert not out_of_place(placed[0], line) and out_of_place(placed[1], line)
    # p3 was pushed down by p2's taller note: p2 goes.
    assert to_endnotes(placed, line) == {"source/a:p2"}
    assert "readerend@source/a:p2\\endcsname" in endnotes_tex({"source/a:p2"})


def test_a_note_on_another_page_moves_itself():
    placed = [Placed("k", "4", 100 * PT, "5", 700 * PT, 650 * PT)]
    assert to_endnotes(placed, LINE) == {"k"}


@st.composite
def page_of_notes(draw):
    """Notes stacked down one page as marginfix does: each starts at its paragraph
    or below the previous note's end."""
    n = draw(st.integers(1, 8))
    y, bottom, placed = 800 * PT, 800 * PT, []
    for k in range(n):
        y -= draw(st.integers(1, 15)) * LINE  # the next paragraph starts lower
        top = min(y, bottom - PT)
        height = draw(st.integers(1, 12)) * LINE
        placed.append(Placed(f"p{k}", "1", y, "1", top, top - height))
        bottom = top - height
    return placed


@given(page_of_notes())
def test_moves_only_when_needed_and_at_most_one_per_page(placed):
    moved = to_endnotes(placed, LINE)
    if all(not out_of_place(p, LINE) for p in placed):
        assert moved == set()
    else:
        assert len(moved) == 1
        (key,) = moved
        first_bad = next(p for p in placed if out_of_place(p, LINE))
        chosen = next(p for p in placed if p.key == key)
        # The culprit is above the first note out of place, or that note itself.
        assert placed.index(chosen) <= placed.index(first_bad)
        assert chosen is first_bad or chosen.height() > first_bad.height()
    assert MAX_LINES < 2  # a margin below the promised two lines
