"""Paragraphs rebuilt from hard-wrapped lines: where does a block end?"""

from __future__ import annotations

from dataclasses import dataclass

from .columns import Columns
from .frontmatter import meta_kind
from .lines import (
    CLOSING_TOLERANCE,
    FULL_TOLERANCE,
    HANGING_PUNCT,
    HEADLINE_SPACE,
    INDENT,
    MAX_HEADING,
    SENTENCE_INSIDE,
    Line,
    pattern_kind,
)
from .review import Decision

HEADLINE_REST = 0.5  # the second line of a wrapped headline is at least half the first


@dataclass
class Group:
    lines: list[Line]
    kind: str = ""
    forced_id: int = 0
    level: int = 0

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def last(self) -> int:
        return self.lines[-1].no


def is_indented_start(lines: list[Line], cols: Columns, j: int) -> bool:
    """Line j looks like the first line of an indented paragraph."""
    if j >= len(lines) - 1:
        return False
    line = lines[j]
    if line.forced or pattern_kind(line.text):
        return False
    col = cols.width_at(j)
    if cols.unwrapped(col):
        return False
    # Punctuation at the end of a line may hang outside the measure.
    w = line.w - (1.0 if line.text[-1] in HANGING_PUNCT else 0.0)
    if not col - INDENT - FULL_TOLERANCE <= w <= col - INDENT + 0.75:
        return False
    if line.end != "closing":
        return True
    # A first line that ends with a full stop at the margin: it starts a
    # paragraph only if the paragraph goes on with a full-width line.
    nxt = lines[j + 1]
    return (
        not nxt.forced
        and not pattern_kind(nxt.text)
        and nxt.end != "closing"
        and nxt.w >= cols.width_at(j + 1) - CLOSING_TOLERANCE
    )


def decide_breaks(
    lines: list[Line],
    cols: Columns,
    forced_breaks: set[int],
    forced_joins: set[int],
    decisions: list[Decision] | None = None,
) -> list[bool]:
    """breaks[i] is True when a block ends after lines[i]; the uncertain
    joins go to ``decisions`` (the review report)."""
    n = len(lines)
    breaks = [False] * n
    if n:
        breaks[-1] = True
    start = True  # lines[i] starts a block
    paren_open = False
    for i in range(n - 1):
        line, nxt = lines[i], lines[i + 1]
        brk = _decide(lines, cols, i, start, paren_open)
        kind_here = pattern_kind(line.text) if start else None
        dated_source = kind_here in ("dateline", "excerpt_source") and line.text[:1] in "（("
        if dated_source or (paren_open and start is False):
            # A dated source line runs until its closing parenthesis.
            group_text = line.text
            paren_open = not group_text.rstrip().endswith(("）", ")"))
            brk = not paren_open
        if line.forced or nxt.forced:
            brk = line.forced != nxt.forced or line.forced_id != nxt.forced_id or line.forced == "furniture"
        elif (
            decisions is not None
            and not brk
            and not paren_open
            and line.end == "closing"
            and i not in forced_joins
            and not cols.unwrapped(cols.width_at(i))
        ):
            decisions.append(
                Decision(
                    line.no,
                    "与下一行接排（同一段）",
                    "句子恰在行末结束，而下一行没有缩进",
                    "break",
                    snippet="end",
                )
            )
        if i in forced_breaks:
            brk = True
        if i in forced_joins:
            brk = False
        breaks[i] = brk
        start = brk
        if brk:
            paren_open = False
    return breaks


def _decide(lines: list[Line], cols: Columns, i: int, start: bool, paren_open: bool) -> bool:
    line, nxt = lines[i], lines[i + 1]
    here, there = pattern_kind(line.text) if start else None, pattern_kind(nxt.text)
    # Headings, labels and front or back matter stand on their own lines.
    if here in ("heading", "label", "source") or (here and meta_kind(line.text)):
        return True
    if there in ("heading", "label", "source") or (there and meta_kind(nxt.text)):
        return True
    if there in ("dateline", "excerpt_source", "note") and line.end != "continuing":
        return True
    end = line.end
    col = cols.width_at(i)
    if end == "continuing":
        return False
    if line.text[-1:].isascii() and line.text[-1:].isalnum() and nxt.text[:1].isascii() and nxt.text[:1].isalnum():
        return False  # a Latin word or number wrapped to the next line
    if end == "closing":
        if cols.unwrapped(col):
            return True
        expected = col - (INDENT if start else 0)
        if line.w < expected - CLOSING_TOLERANCE:
            return True  # a short last line
        # Full width: a sentence ending at the margin ends the paragraph only
        # when the next line is visibly indented, or is a short line that no
        # paragraph could continue with (a heading).
        if is_indented_start(lines, cols, i + 1) or HEADLINE_SPACE.search(nxt.text):
            return True
        next_col = cols.width_at(i + 1)
        return (
            nxt.end in ("open", "continuing")
            and not cols.unwrapped(next_col)
            and nxt.w < next_col - INDENT - FULL_TOLERANCE
            and not SENTENCE_INSIDE.search(nxt.text[:-1])
        )
    if line.split_tail and end == "open":
        return False  # the rest of a line split by an override goes on on the next line
    # Open ending (no punctuation): only a short standalone line ends here,
    # or a short line over an indented paragraph (a caption, a headline's
    # second line): no line inside a paragraph is short.
    if not start:
        return (
            not cols.unwrapped(col) and line.w < col - INDENT - FULL_TOLERANCE and is_indented_start(lines, cols, i + 1)
        )
    if SENTENCE_INSIDE.search(line.text):
        return False
    if cols.unwrapped(col):
        if line.w >= MAX_HEADING:
            return False
        return not (nxt.end == "open" and nxt.w <= line.w and not pattern_kind(nxt.text) and not nxt.forced)
    if is_indented_start(lines, cols, i + 1):
        return True  # a heading over an indented paragraph
    if line.w < col - INDENT - FULL_TOLERANCE:
        # Too short to be the first line of a wrapped paragraph: a heading,
        # possibly wrapped over two lines (the second one no longer).
        wrapped_headline = (
            nxt.end == "open"
            and HEADLINE_REST * line.w <= nxt.w <= line.w  # much shorter: a caption, not the rest
            and not SENTENCE_INSIDE.search(nxt.text)
            and not is_indented_start(lines, cols, i + 1)
        )
        return not wrapped_headline
    return False
