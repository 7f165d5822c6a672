"""Typed records and the start-up state (issue 21a): a line split by a mid-line
``break`` keeps what it knew; the reader's state and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.lines import read_lines
from reader.core.overrides import Locator, apply_overrides
from reader.core.sidecar import parse_sidecar

SOURCE = {"slug": "x", "kind": "article"}


def _split(text: str, overrides: list[dict]):
    sidecar = parse_sidecar(Path("x.toml"), {"source": SOURCE, "override": overrides})
    lines = read_lines(text)
    apply_overrides(sidecar, Locator(sidecar.path, "x.txt", lines), lines)
    return lines


def test_split_line_keeps_page_and_override_fields():
    # The heading is on the second page; a break splits it after 第一部分.
    text = "第一页的正文，内容完整。\n\f\n第一部分　发展新质生产力\n正文。\n"
    lines = _split(
        text,
        [
            {"action": "heading", "at": "第一部分　发展新质生产力", "level": 2},
            {"action": "break", "at": "第一部分"},
        ],
    )
    whole = read_lines(text)[1]
    head, tail = lines[1], lines[2]
    assert (head.text, tail.text) == ("第一部分", "发展新质生产力")
    for part in (head, tail):
        assert (part.no, part.page, part.forced, part.level) == (whole.no, 1, "heading", 2)
        assert part.forced_id == 1
    assert head.page_start and not tail.page_start  # only the head starts the page
    assert tail.split_tail and not head.split_tail


@settings(max_examples=60, deadline=None)
@given(
    before=st.integers(min_value=0, max_value=3),
    words=st.text(alphabet="发展新质生产力高水平科技自立自强", min_size=4, max_size=20),
    cut=st.integers(min_value=1, max_value=19),
    kind=st.sampled_from(["heading", "figure", "colophon"]),
)
def test_split_line_keeps_fields_property(before, words, cut, kind):
    """Wherever a line is split, both parts keep its number, page and the kind,
    range and level the overrides gave it; together they hold its text."""
    cut = min(cut, len(words) - 1)
    prefix = "".join(f"第{k}页的正文，内容完整。\n\f\n" for k in range(before))
    marker = "【" + words + "】"
    text = prefix + marker + "\n"
    overrides = [{"action": kind, "from": marker, "to": marker}]
    if kind == "heading":
        overrides[0]["level"] = 1
    # A break right after the first cut+1 characters of the marker (unique: 【 occurs once).
    overrides.append({"action": "break", "at": marker[: cut + 1]})
    whole = read_lines(text)[-1]
    lines = _split(text, overrides)
    head, tail = lines[-2], lines[-1]
    assert head.text + tail.text == marker
    for part in (head, tail):
        assert part.no == whole.no and part.page == before
        assert part.forced == kind and part.forced_id == 1
        assert part.level == (1 if kind == "heading" else 0)


# ---------------------------------------------------------------- occurrences


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="发展新质", max_size=30), needle=st.text(alphabet="发展新质", min_size=1, max_size=3))
def test_find_all_is_every_overlapping_start(text, needle):
    from reader.core.occurrence import find_all

    assert find_all(text, needle) == [i for i in range(len(text)) if text.startswith(needle, i)]


@pytest.mark.parametrize(
    ("hits", "nth", "want"),
    [([4], None, 4), ([1, 5, 9], 2, 5), ([], None, "missing"), ([1, 5], None, "ambiguous"), ([1, 5], 3, "too few")],
)
def test_nth_occurrence(hits, nth, want):
    from reader.core.occurrence import nth_occurrence

    def fail(problem: str) -> ValueError:
        return ValueError(problem)

    if isinstance(want, int):
        assert nth_occurrence(hits, nth, fail) == want
    else:
        with pytest.raises(ValueError, match=want):
            nth_occurrence(hits, nth, fail)


# ---------------------------------------------------------------- margin records

_places = st.builds(
    dict,
    ref=st.from_regex(r"[a-z]{1,5}-p[0-9]{1,2}", fullmatch=True),
    title=st.text(max_size=4),
    date=st.text(max_size=4),
    number=st.from_regex(r"[0-9]{1,2}", fullmatch=True),
)


@settings(max_examples=50, deadline=None)
@given(
    notes=st.lists(st.builds(dict, kind=st.sampled_from(["note", "source"]), text=st.text(max_size=5)), max_size=3),
    shown=st.lists(
        _places.map(
            lambda p: {
                **p,
                "slug": "s",
                "anchor": "p1",
                "shared": 0.5,
                "ops": [["=", "文"]],
                "copies": [],
                "more_copies": 0,
            }
        ),
        max_size=3,
    ),
    more=st.integers(min_value=0, max_value=40),
    listed=st.lists(_places.map(lambda p: {**p, "shared": 0.3}), max_size=3),
)
def test_margin_file_round_trip(notes, shown, more, listed):
    """What the pipeline writes to the margins file is what the directive reads:
    the notes in order, and "N more" as its own field (never one of the notes)."""
    import json

    from reader.core.records import MarginEntries, ParallelMargin

    parallels = ParallelMargin(shown=shown, more=more, more_places=listed if more else [])
    written = json.loads(json.dumps([*notes, *parallels.margin_items()], ensure_ascii=False))
    read = MarginEntries.from_json(written)
    assert read.notes == [*notes, *({"kind": "parallel", **item} for item in shown)]
    assert (read.more, read.more_places) == ((more, listed) if more else (0, []))
    assert bool(read) == bool(notes or shown or more)
