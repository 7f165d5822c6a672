"""Paragraphs rebuilt from hard-wrapped lines: where does a block end?"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
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
    ambiguous: list[int] = []  # sentence ends at the margin over an unindented line
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
            not brk
            and not paren_open
            and line.end == "closing"
            and i not in forced_joins
            and i not in forced_breaks
            and not cols.unwrapped(cols.width_at(i))
        ):
            ambiguous.append(i)
        if i in forced_breaks:
            brk = True
        if i in forced_joins:
            brk = False
        breaks[i] = brk
        start = brk
        if brk:
            paren_open = False
    split = _split_unindented(lines, cols, breaks, ambiguous)
    for i in ambiguous:
        breaks[i] = i in split
        if decisions is None:
            continue
        if i in split:
            decisions.append(
                Decision(
                    lines[i].no,
                    "另起一段",
                    "句子恰在行末结束，下一行没有缩进；本文段落都不缩进，按段落长度判断为分段",
                    "join",
                    snippet="end",
                )
            )
        else:
            decisions.append(
                Decision(
                    lines[i].no,
                    "与下一行接排（同一段）",
                    "句子恰在行末结束，而下一行没有缩进",
                    "break",
                    snippet="end",
                )
            )
    return breaks


MAX_SPAN = 48  # candidate cuts one paragraph may run across
MIN_EVIDENCE = 4  # certain paragraphs needed before a layout counts as unindented
SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]*")
SENTENCE_FINAL = re.compile(r"[。！？!?][”’」』）)]*$")


def _split_unindented(lines: list[Line], cols: Columns, breaks: list[bool], ambiguous: list[int]) -> set[int]:
    """Which ambiguous joins are paragraph ends, in a layout whose paragraphs are not indented.

    A sentence ending exactly at the margin, over an unindented line, is a
    paragraph end or not with nothing on the line to tell.  Where the document
    indents its paragraphs, the unindented line says "same paragraph".  Where
    it indents none, the document's own certain paragraphs (those whose last
    line is short) tell how likely a sentence end is to end a paragraph given
    how long the paragraph is so far (``ParagraphHazard``), and each block is
    cut where that makes it most likely.
    """
    if not ambiguous:
        return set()
    samples: list[tuple[int, bool]] = []  # (paragraph length so far, ends the paragraph)
    paragraphs = indented = 0
    for first, last in _blocks(breaks):
        group = lines[first : last + 1]
        if len(group) < 2 or group[-1].end != "closing":
            continue
        if any(line.forced or pattern_kind(line.text) for line in group):
            continue
        if any(j in ambiguous for j in range(first, last)):
            continue  # not certain
        paragraphs += 1
        col = cols.width_at(first)
        if col and group[0].w < col - FULL_TOLERANCE:
            indented += 1
        text = "".join(line.text for line in group)
        ends = [m.end() for m in SENTENCE_END.finditer(text)]
        samples += [(e, e == len(text)) for e in ends]
        if not ends or ends[-1] != len(text):
            samples.append((len(text), True))
    if paragraphs < MIN_EVIDENCE or indented * 2 >= paragraphs:
        return set()
    hazard = ParagraphHazard.fit(samples)
    # Only a full stop, question or exclamation mark ends a paragraph here.
    pending = {i for i in ambiguous if _ends_sentence(lines[i].text)}
    chosen: set[int] = set()
    for first, last in _blocks(breaks):
        cands = [j for j in range(first, last) if j in pending]
        if cands:
            chosen |= _best_cuts(lines[first : last + 1], [j - first for j in cands], hazard, first)
    return chosen


def _ends_sentence(text: str) -> bool:
    return SENTENCE_FINAL.search(text) is not None


def _blocks(breaks: list[bool]):
    first = 0
    for i, brk in enumerate(breaks):
        if brk:
            yield first, i
            first = i + 1


@dataclass
class ParagraphHazard:
    """P(a sentence end ends the paragraph | the paragraph's length so far): logistic in log length."""

    a: float
    b: float
    centre: float = 0.0  # mean log length of the samples: the intercept is fitted there

    @classmethod
    def fit(cls, samples: list[tuple[int, bool]], ridge: float = 0.1) -> ParagraphHazard:
        """Penalised maximum likelihood; the small ridge keeps a cleanly separated
        sample (every paragraph the same length) from an infinite slope."""
        a = b = 0.0
        logs = [math.log(max(1, n)) for n, _y in samples]
        centre = sum(logs) / len(logs) if logs else 0.0
        xs = [(x - centre, y) for x, (_n, y) in zip(logs, samples, strict=True)]
        for _ in range(25):  # Newton's method on the penalised log-likelihood
            ga, gb = 0.0, -ridge * b  # the slope is penalised, the intercept not
            haa = hab = 0.0
            hbb = -ridge
            for x, y in xs:
                q = 1 / (1 + math.exp(-(a + b * x)))
                r = (1.0 if y else 0.0) - q
                ga += r
                gb += r * x
                w = q * (1 - q)
                haa -= w
                hab -= w * x
                hbb -= w * x * x
            det = haa * hbb - hab * hab
            if abs(det) < 1e-12:
                break
            da = (hbb * ga - hab * gb) / det
            db = (haa * gb - hab * ga) / det
            a, b = a - da, b - db
            if abs(da) + abs(db) < 1e-9:
                break
        return cls(a, b, centre)

    def log_end(self, length: int, ends: bool) -> float:
        z = self.a + self.b * (math.log(max(1, length)) - self.centre)
        # log(sigmoid(z)) and log(1 - sigmoid(z)), stable
        return -math.log1p(math.exp(-z)) if ends else -math.log1p(math.exp(z))


def _best_cuts(group: list[Line], cands: list[int], hazard: ParagraphHazard, offset: int) -> set[int]:
    """The cuts among ``cands`` (indices into ``group``) that make the block's paragraphs most likely."""
    text = "".join(line.text for line in group)
    line_end, total = [], 0
    for line in group:
        total += len(line.text)
        line_end.append(total)
    ends = sorted({m.end() for m in SENTENCE_END.finditer(text)} | {len(text)})
    cut_at = [line_end[k] for k in cands] + [len(text)]

    def score(start: int, stop: int) -> float:
        """log P(a paragraph runs from ``start`` to ``stop`` and ends there)."""
        inside = ends[bisect_right(ends, start) : bisect_left(ends, stop)]
        return sum(hazard.log_end(e - start, False) for e in inside) + hazard.log_end(stop - start, True)

    best: list[tuple[float, list[int]]] = []
    for k, stop in enumerate(cut_at):
        options = []
        # A paragraph spans at most MAX_SPAN candidate cuts: keeps a hostile
        # block of thousands of margin sentence ends linear.
        for m in range(max(-1, k - MAX_SPAN), k):
            start = 0 if m < 0 else cut_at[m]
            before, cuts = (0.0, []) if m < 0 else best[m]
            options.append((before + score(start, stop), cuts + ([k] if k < len(cands) else [])))
        best.append(max(options, key=lambda o: o[0]))
    return {cands[k] + offset for k in best[-1][1]}


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
