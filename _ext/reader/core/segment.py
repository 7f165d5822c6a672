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

import functools
import heapq
import re
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from .errors import SeedError
from .model import Block, Correction, Document, Furniture
from .sidecar import Sidecar, load_sidecar
from .text import (
    CLOSING_PUNCT,
    CLOSING_QUOTES,
    CONTINUING_PUNCT,
    OPENING_PUNCT,
    clean_line,
    decode,
    respace,
    significant,
    split_lines,
    width,
)

INDENT = 2.0  # em: first-line indent of a Chinese paragraph
FULL_TOLERANCE = 1.5  # em: a line this much short of the column is still full
# A line ending with a full stop one em short of the column is a last line:
# punctuation is set solid, only hanging commas make lines wider.
CLOSING_TOLERANCE = 0.75
UNWRAPPED = 60.0  # em: lines wider than any printed column were not hard-wrapped
MIN_COLUMN = 8.0  # em: narrower "columns" come from stray short lines, not prose
MAX_HEADING = 50.0  # em: longest text taken as a heading without an override

PAGE_NUMBER_RES = [
    re.compile(r"^[-–—]\s*\d{1,4}\s*[-–—]$"),
    re.compile(r"^\d{1,4}$"),
    re.compile(r"^第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(?i:page)\s*\d{1,4}$"),
]
NUMBERED_HEADING_RE = re.compile(r"^[一二三四五六七八九十]{1,3}(?:[、．.]\s*[^。！？；]{1,30})?$")
LABEL_RE = re.compile(r"^【[^【】]{1,30}】$")
SOURCE_RE = re.compile(r"^(?:来源|来自|出处)[：:]\s*\S.{0,30}$")
DATELINE_RE = re.compile(r"^[（(]\s*\d{4}\s*年")
EXCERPT_RE = re.compile(r"^[（(]\s*(?:摘自|选自|原载|转自|转载自)")
NOTE_RE = re.compile(r"^※")
HANGING_PUNCT = set("，。、；：？！,.")
# Headings carry no sentence punctuation inside; a line that does is prose.
SENTENCE_INSIDE = re.compile(r"[，。；？！,;]")
# A space between two Chinese characters separates the parts of a headline;
# prose has none.
HEADLINE_SPACE = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
BYLINE_RE = re.compile(r"^(?:文|作者|撰文|记者|本刊记者)\s*[◆◇●•·|｜:：/]\s*\S")


@dataclass
class Line:
    no: int  # 1-based raw line number
    text: str  # cleaned, stripped
    page_start: bool = False  # first line of a new page (after a page break)
    trailing_space: bool = False
    w: float = 0.0
    forced: str | None = None  # kind forced by an override range
    forced_id: int = 0  # which override range (consecutive ranges stay apart)
    reason: str = ""
    page: int = 0  # page index, counted at detected page breaks

    def __post_init__(self):
        self.w = width(self.text)

    @property
    def end(self) -> str:
        """How the line ends: 'closing', 'continuing' or 'open'."""
        return end_class(self.text)


def end_class(text: str) -> str:
    text = text.rstrip()
    if not text:
        return "open"
    last = text[-1]
    if last in CLOSING_QUOTES:
        # ”。 is closing; 。” is closing too; 他说“……” inside a sentence is not
        inner = text.rstrip("".join(CLOSING_QUOTES))
        return "closing" if inner and inner[-1] in CLOSING_PUNCT else "open"
    if last in CLOSING_PUNCT:
        return "closing"
    if last in CONTINUING_PUNCT or last in OPENING_PUNCT:
        return "continuing"
    return "open"


def pattern_kind(text: str) -> str | None:
    """Kinds recognised from the text of a line alone."""
    if LABEL_RE.match(text):
        return "label"
    if NUMBERED_HEADING_RE.match(text):
        return "heading"
    if SOURCE_RE.match(text):
        return "source"
    if EXCERPT_RE.match(text):
        return "excerpt_source"
    if DATELINE_RE.match(text):
        return "dateline"
    if NOTE_RE.match(text):
        return "note"
    return None


# ---------------------------------------------------------------- snippets


class Locator:
    """Find sidecar snippets in the seed, ignoring whitespace."""

    def __init__(self, path: Path, seed_name: str, lines: list[Line]):
        self.path = path  # the sidecar, where the snippet is written
        self.seed_name = seed_name
        self.lines = lines

    @functools.cached_property
    def _index(self) -> tuple[str, list[tuple[int, int]]]:
        # Built on first use only: a (line, char) pair per character is the biggest
        # structure of a large seed, and most sidecars locate no snippet.
        chars, where = [], []
        for li, line in enumerate(self.lines):
            for ci, ch in enumerate(line.text):
                if not ch.isspace():
                    chars.append(ch)
                    where.append((li, ci))
        return "".join(chars), where

    @property
    def stream(self) -> str:
        return self._index[0]

    @property
    def where(self) -> list[tuple[int, int]]:
        return self._index[1]

    def find(self, snippet: str, nth: int | None, place: str) -> tuple[int, int, int, int]:
        """(first line index, char index, last line index, char index after the end)."""
        needle = "".join(snippet.split())
        hits, start = [], 0
        while (pos := self.stream.find(needle, start)) >= 0:
            hits.append(pos)
            start = pos + 1
        if not hits:
            raise SeedError(self.path, place, f"snippet {snippet!r} not found in {self.seed_name}")
        if nth is None and len(hits) > 1:
            where = ", ".join(str(self.lines[self.where[h][0]].no) for h in hits)
            raise SeedError(
                self.path,
                place,
                f"snippet {snippet!r} occurs {len(hits)} times (lines {where}); "
                "quote more context or add nth = <1-based occurrence>",
            )
        if nth is not None and nth > len(hits):
            raise SeedError(self.path, place, f"snippet {snippet!r} occurs only {len(hits)} times, nth = {nth}")
        pos = hits[(nth or 1) - 1]
        first_line, first_char = self.where[pos]
        last_line, last_char = self.where[pos + len(needle) - 1]
        return first_line, first_char, last_line, last_char + 1


# ---------------------------------------------------------------- furniture


def is_page_number(text: str) -> bool:
    return any(r.match(text) for r in PAGE_NUMBER_RES)


def header_key(text: str) -> str:
    """Running headers differ only in spacing and page numbers."""
    return re.sub(r"\d+", "#", "".join(text.split()))


def find_furniture(lines: list[Line]) -> None:
    """Mark page numbers and running headers/footers (``forced = 'furniture'``)."""
    boundaries = set()
    for i, line in enumerate(lines):
        if line.forced:
            continue
        if is_page_number(line.text) and not pattern_kind(line.text):
            line.forced, line.reason = "furniture", "page number"
            boundaries.add(i)
        if line.page_start:
            boundaries.add(i)
    # A line repeated on several pages, each time next to a page boundary.
    boundaries.add(-1)  # a running header also tops the first page
    near: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.forced or len(line.text) < 2 or line.end == "closing" or line.text[-1] in CLOSING_QUOTES:
            continue
        if SENTENCE_INSIDE.search(line.text):
            continue
        if any(abs(i - b) <= 2 for b in boundaries):
            near.setdefault(header_key(line.text), []).append(i)
    for idxs in near.values():
        if len(idxs) >= 2 and not pattern_kind(lines[idxs[0]].text):
            for i in idxs:
                lines[i].forced, lines[i].reason = "furniture", "running header/footer (repeated at page boundaries)"
    # Or repeated three times or more, wherever extraction put it, and not prose.
    anywhere: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if (
            (not line.forced or line.reason.startswith("running header"))
            and len(line.text) >= 4
            and line.end != "closing"
            and line.text[-1] not in CLOSING_QUOTES
            and not SENTENCE_INSIDE.search(line.text)
        ):
            anywhere.setdefault(header_key(line.text), []).append(i)
    for idxs in anywhere.values():
        if len(idxs) >= 3 and not pattern_kind(lines[idxs[0]].text):
            for i in idxs:
                lines[i].forced, lines[i].reason = "furniture", "running header/footer (repeated on every page)"


# ---------------------------------------------------------------- columns


class _RunningMedian:
    """statistics.median of a growing list in O(log n) per value (two heaps)."""

    def __init__(self) -> None:
        self.low: list[float] = []  # the smaller half, negated (a max-heap)
        self.high: list[float] = []  # the larger half

    def add(self, value: float) -> None:
        if self.low and value > -self.low[0]:
            heapq.heappush(self.high, value)
        else:
            heapq.heappush(self.low, -value)
        if len(self.low) > len(self.high) + 1:
            heapq.heappush(self.high, -heapq.heappop(self.low))
        elif len(self.high) > len(self.low):
            heapq.heappush(self.low, -heapq.heappop(self.high))

    def median(self) -> float:
        if len(self.low) > len(self.high):
            return -self.low[0]
        return (-self.low[0] + self.high[0]) / 2


class Columns:
    """Local column width, estimated from lines that certainly continue.

    A line ending with a comma (or mid-word) is never the end of a paragraph,
    so it is printed full width: those lines measure the column.  Runs of such
    lines with a similar width make one column; a page or column change starts
    a new run.
    """

    def __init__(self, lines: list[Line], skip_first: int = 0):
        def plain(k: int) -> bool:
            return 0 <= k < len(lines) and not lines[k].forced and not pattern_kind(lines[k].text)

        # Lines next to headings, labels and source lines are headings themselves
        # more often than prose.
        candidates = [
            i
            for i, line in enumerate(lines)
            if line.end != "closing" and plain(i) and plain(i - 1) and plain(i + 1) and i >= skip_first
        ]
        # Lines right after a full stop are probably indented first lines: they
        # measure the column only when nothing else does.
        mid = [i for i in candidates if lines[i - 1].end != "closing"]
        refs = mid if len(mid) >= 2 else candidates
        mid_set = set(mid)
        self.run_of: dict[int, int] = {}
        self.run_width: list[float] = []
        members: list[list[float]] = []
        mids: list[int] = []  # how many members of each run are mid-paragraph lines
        running = _RunningMedian()  # of the current run (sorting it per line was quadratic)
        for i in refs:
            w = lines[i].w
            if members:
                current = running.median()
                if abs(w - current) <= max(3.0, 0.2 * current):
                    members[-1].append(w)
                    running.add(w)
                    mids[-1] += i in mid_set
                    self.run_of[i] = len(members) - 1
                    continue
            members.append([w])
            running = _RunningMedian()
            running.add(w)
            mids.append(int(i in mid_set))
            self.run_of[i] = len(members) - 1
        # A lone line is no column: it is a heading or a stray line between
        # paragraphs, so it does not measure anything.
        keep = [len(m) > 1 for m in members]
        if not any(keep):
            keep = [True] * len(members)
        renumber, self.run_width = {}, []
        for r, m in enumerate(members):
            if keep[r]:
                renumber[r] = len(self.run_width)
                # Many full lines: the median ignores hanging commas and indents.
                # Few lines (a short text): the widest one is the column.
                self.run_width.append(median(m) if mids[r] >= 3 else max(m))
        refs = [i for i in refs if keep[self.run_of[i]]]
        self.run_of = {i: renumber[self.run_of[i]] for i in refs}
        self.refs = refs
        self.lines = lines
        # A page without reference lines (a page of datelines and notes, say)
        # is at most as wide as its widest line.
        self.page_max: dict[int, float] = {}
        self.page_refs: dict[int, list[int]] = {}
        for i in refs:
            self.page_refs.setdefault(lines[i].page, []).append(i)
        pages_with_refs = set(self.page_refs)
        for line in lines:
            if line.page not in pages_with_refs and not line.forced:
                self.page_max[line.page] = max(self.page_max.get(line.page, 0.0), line.w)
        self.body = median([lines[i].w for i in refs]) if refs else None

    def width_at(self, i: int) -> float | None:
        col = self._run_width_at(i)
        narrow = self.page_max.get(self.lines[i].page)
        if col is not None and narrow is not None and narrow < col - 1:
            return narrow
        return col

    def _run_width_at(self, i: int) -> float | None:
        """Column width for line i: the run of the nearer reference line,
        unless line i is too wide for that column (then the other run)."""
        import bisect

        page = self.lines[i].page
        same_page = self.page_refs.get(page)
        if same_page:
            # The nearest reference line on the same page measures this page's column.
            k = bisect.bisect_left(same_page, i)
            near = [r for r in same_page[max(0, k - 1) : k + 1]]
            j = min(near, key=lambda r: (abs(r - i), r > i))
            return self.run_width[self.run_of[j]]
        k = bisect.bisect_right(self.refs, i) - 1
        before = self.run_width[self.run_of[self.refs[k]]] if k >= 0 else None
        after = self.run_width[self.run_of[self.refs[k + 1]]] if k + 1 < len(self.refs) else None
        if before is None or after is None or before == after:
            return before if before is not None else after
        # Between two columns: the nearer reference line decides, unless the
        # line is too wide for that column.
        w = self.lines[i].w
        nearer_after = self.refs[k + 1] - i < i - self.refs[k]
        first, second = (after, before) if nearer_after else (before, after)
        return first if w <= first + 2.5 else second

    def unwrapped(self, col: float | None) -> bool:
        # Columns narrower than a few characters are not measured from prose.
        return col is None or col > UNWRAPPED or col < MIN_COLUMN


# ---------------------------------------------------------------- breaks


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


def decide_breaks(lines: list[Line], cols: Columns, forced_breaks: set[int], forced_joins: set[int]) -> list[bool]:
    """breaks[i] is True when a block ends after lines[i]."""
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
        if kind_here in ("dateline", "excerpt_source") or (paren_open and start is False):
            # A dated source line runs until its closing parenthesis.
            group_text = line.text
            paren_open = not group_text.rstrip().endswith(("）", ")"))
            brk = not paren_open
        if line.forced or nxt.forced:
            brk = line.forced != nxt.forced or line.forced_id != nxt.forced_id or line.forced == "furniture"
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
    if here in ("heading", "label", "source"):
        return True
    if there in ("heading", "label", "source"):
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
    # Open ending (no punctuation): only a short standalone line ends here.
    if not start or SENTENCE_INSIDE.search(line.text):
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
            and nxt.w <= line.w
            and not SENTENCE_INSIDE.search(nxt.text)
            and not is_indented_start(lines, cols, i + 1)
        )
        return not wrapped_headline
    return False


# ---------------------------------------------------------------- ingest


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
    lines = _read_lines(text)
    if not lines:
        raise SeedError(seed_path, None, "the seed contains no text")
    locator = Locator(sidecar.path, seed_path.name, lines)
    forced_breaks, forced_joins, forced_paragraphs = _apply_overrides(sidecar, locator, lines)
    find_furniture(lines)
    furniture = [Furniture(line.no, line.text, line.reason) for line in lines if line.forced == "furniture"]
    flow = [line for line in lines if line.forced != "furniture"]
    index_of = {id(line): k for k, line in enumerate(flow)}
    fb = {index_of[id(lines[i])] for i in forced_breaks if id(lines[i]) in index_of}
    fj = {index_of[id(lines[i])] for i in forced_joins if id(lines[i]) in index_of}
    # The title zone (up to four lines) must not measure the body's column.
    _mark_header(flow, sidecar, Columns(flow, skip_first=4))
    cols = Columns(flow)
    breaks = decide_breaks(flow, cols, fb, fj)
    groups, current = [], []
    for line, brk in zip(flow, breaks, strict=True):
        current.append(line)
        if brk:
            groups.append(Group(current, forced_id=current[0].forced_id))
            current = []
    forced_para_lines = {index_of.get(id(lines[i])) for i in forced_paragraphs}
    blocks = _classify(groups, flow, forced_para_lines, index_of)
    _apply_corrections(seed_path, sidecar, blocks)
    _number(blocks)
    doc = Document(
        seed_name=seed_path.name,
        meta=dict(sidecar.meta),
        blocks=blocks,
        furniture=furniture,
        annotation_specs=list(sidecar.annotations),
        sidecar_path=str(sidecar.path),
    )
    check_nothing_lost(seed_path, text, doc)
    return doc


def _read_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    page = 0
    page_break = False
    blank_before = True
    for no, raw in enumerate(split_lines(text), 1):
        if raw == "\f":
            page_break = True
            continue
        cleaned = clean_line(raw)
        stripped = cleaned.strip()
        if not stripped:
            blank_before = True
            continue
        # Extraction starts a new page with a leading space and no blank line.
        starts_page = page_break or (cleaned.startswith(" ") and not blank_before and bool(lines))
        if starts_page or (is_page_number(stripped) and lines):
            page += 1
        lines.append(Line(no, stripped, page_start=starts_page, trailing_space=cleaned.endswith(" "), page=page))
        if lines and (is_page_number(stripped)):
            page_break = True
        else:
            page_break = False
        blank_before = False
    return lines


def _apply_overrides(sidecar: Sidecar, locator: Locator, lines: list[Line]):
    forced_breaks: set[int] = set()
    forced_joins: set[int] = set()
    forced_paragraphs: set[int] = set()
    split_at: list[tuple[int, int, int]] = []  # (line index, char index, override index)
    for n, ov in enumerate(sidecar.overrides, 1):
        place = ov.where
        if ov.action in ("title", "figure", "colophon", "heading") and ov.start:
            a = locator.find(ov.start, ov.nth, place + " `from`")
            b = locator.find(ov.end, ov.nth, place + " `to`")
            if b[2] < a[0]:
                raise SeedError(sidecar.path, place, "`to` comes before `from` in the seed")
            for li in range(a[0], b[2] + 1):
                if lines[li].forced:
                    raise SeedError(sidecar.path, place, f"line {lines[li].no} is already claimed by another override")
                lines[li].forced, lines[li].forced_id = ov.action, n
                lines[li].reason = ov.reason
                if ov.level:
                    lines[li].reason = f"level={ov.level}"
        elif ov.action == "heading":
            a = locator.find(ov.at, ov.nth, place)
            for li in range(a[0], a[2] + 1):
                lines[li].forced, lines[li].forced_id = "heading", n
                if ov.level:
                    lines[li].reason = f"level={ov.level}"
        elif ov.action == "furniture":
            a = locator.find(ov.at, ov.nth, place)
            for li in range(a[0], a[2] + 1):
                lines[li].forced, lines[li].reason = "furniture", ov.reason
        elif ov.action == "paragraph":
            a = locator.find(ov.at, ov.nth, place)
            forced_paragraphs.add(a[0])
        elif ov.action in ("break", "join"):
            a = locator.find(ov.at, ov.nth, place)
            line = lines[a[2]]
            at_end = a[3] >= len(line.text.rstrip())
            if ov.action == "join":
                if not at_end:
                    raise SeedError(sidecar.path, place, "a join snippet must end at the end of a line")
                if a[2] + 1 >= len(lines):
                    raise SeedError(sidecar.path, place, "a join snippet cannot be on the last line")
                forced_joins.add(a[2])
            elif at_end:
                forced_breaks.add(a[2])
            else:
                split_at.append((a[2], a[3], n))
    # Mid-line breaks split the line in two; later indices shift, so go backwards.
    for li, ci, _n in sorted(split_at, reverse=True):
        line = lines[li]
        head, tail = line.text[:ci].rstrip(), line.text[ci:].strip()
        lines[li] = Line(line.no, head, page_start=line.page_start)
        lines.insert(li + 1, Line(line.no, tail, trailing_space=line.trailing_space))
        forced_breaks = {k + 1 if k > li else k for k in forced_breaks}
        forced_joins = {k + 1 if k > li else k for k in forced_joins}
        forced_paragraphs = {k + 1 if k > li else k for k in forced_paragraphs}
        forced_breaks.add(li)
    return forced_breaks, forced_joins, forced_paragraphs


def _mark_header(flow: list[Line], sidecar: Sidecar, cols: Columns) -> None:
    """Title (up to three short unpunctuated lines) and byline at the top."""
    if any(line.forced == "title" for line in flow):
        return
    refs = sorted(line.w for line in flow if line.end != "closing" and not pattern_kind(line.text))
    # The widest common measure (a high percentile: columns may differ).
    body = refs[int(0.8 * (len(refs) - 1))] if refs else None
    limit = 0.85 * body if body and body <= UNWRAPPED else MAX_HEADING
    author = "".join(sidecar.meta.get("author", "").split())
    k = 0
    while k < len(flow) and flow[k].forced:
        k += 1
    title_lines = []
    while k < len(flow) and len(title_lines) < 4:
        line = flow[k]
        if line.forced or line.end == "continuing" or line.end == "closing" and not line.text.endswith(("”", "」")):
            break
        if _is_byline(line.text, author) or pattern_kind(line.text):
            break
        if title_lines and (line.w >= limit or is_indented_start(flow, cols, k)):
            break
        if not title_lines and line.w >= max(limit, MAX_HEADING):
            break
        title_lines.append(line)
        k += 1
    if not title_lines:
        return
    for line in title_lines:
        line.forced, line.forced_id = "title", -1
    if k < len(flow) and _is_byline(flow[k].text, author):
        flow[k].forced, flow[k].forced_id = "byline", -2


def _is_byline(text: str, author: str) -> bool:
    flat = "".join(text.split())
    return bool(BYLINE_RE.match(text)) or (bool(author) and flat == author)


def _classify(groups: list[Group], flow, forced_para_lines, index_of) -> list[Block]:
    out: list[Group] = []
    for g in groups:
        first = g.lines[0]
        forced = first.forced
        if any(index_of.get(id(line)) in forced_para_lines for line in g.lines):
            g.kind = "paragraph"
        elif forced:
            g.kind = forced
            if first.reason.startswith("level="):
                g.level = int(first.reason[6:])
        else:
            kind = pattern_kind(first.text)
            joined = "".join(line.text for line in g.lines)
            if kind:
                g.kind = kind
            elif (
                end_class(joined) == "open"
                and width(joined) <= MAX_HEADING
                and len(g.lines) <= 3
                and not SENTENCE_INSIDE.search(joined)
            ):
                g.kind = "heading"
            else:
                g.kind = "paragraph"
        out.append(g)
    # Consecutive bracketed labels are a table of contents, not section heads.
    merged: list[Group] = []
    for g in out:
        # Only blank lines between, on the same page: a list, not two sections.
        adjacent = merged and g.first - merged[-1].last <= 2 and g.lines[0].page == merged[-1].lines[-1].page
        if g.kind == "label" and adjacent and merged[-1].kind in ("label", "list"):
            prev = merged[-1]
            prev.kind = "list"
            prev.lines = prev.lines + g.lines
            continue
        merged.append(g)
    blocks: list[Block] = []
    in_label = False
    for g in merged:
        if g.kind == "label":
            in_label = True
        kind = g.kind
        if kind in ("figure", "list", "colophon"):
            text = "\n".join(line.text for line in g.lines)
        else:
            text = _join(g.lines)
            if kind == "byline":
                text = " ".join(text.split())  # printed as is: 文 ◆ 作者
            else:
                text = respace(text, keep_headline_spaces=kind in ("title", "heading", "label"))
        level = g.level
        if kind == "label":
            level = 1
        elif kind == "heading" and not level:
            level = 2 if in_label else 1
        blocks.append(
            Block(
                kind=kind,
                text=text,
                first_line=g.first,
                last_line=g.last,
                level=level,
                sources=[(line.no, line.text) for line in g.lines],
            )
        )
    return blocks


def _join(lines: list[Line]) -> str:
    # One join at the end: repeated += copied the block once per line (quadratic).
    parts = [lines[0].text]
    last = lines[0].text[-1:]
    for line in lines[1:]:
        # Lines join without spaces, except two ASCII words split by a wrap.
        if last.isascii() and last.isalnum() and line.text[:1].isascii() and line.text[:1].isalpha():
            parts.append(" ")
        parts.append(line.text)
        last = line.text[-1:] or last
    return "".join(parts)


def _apply_corrections(path: Path, sidecar: Sidecar, blocks: list[Block]) -> None:
    for spec in sidecar.corrections:
        hits = []
        for block in blocks:
            start = 0
            while (pos := block.text.find(spec.find, start)) >= 0:
                hits.append((block, pos))
                start = pos + 1
        place = f"{sidecar.path.name}: {spec.where}"
        if not hits:
            raise SeedError(sidecar.path, spec.where, f"`find` text {spec.find!r} not found in the ingested text")
        if spec.nth is None and len(hits) > 1:
            raise SeedError(
                sidecar.path, spec.where, f"`find` text {spec.find!r} occurs {len(hits)} times; add nth = <occurrence>"
            )
        if spec.nth is not None and spec.nth > len(hits):
            raise SeedError(sidecar.path, spec.where, f"`find` occurs only {len(hits)} times ({place})")
        block, pos = hits[(spec.nth or 1) - 1]
        block.text = block.text[:pos] + spec.replace + block.text[pos + len(spec.find) :]
        shift = len(spec.replace) - len(spec.find)
        for corr in block.corrections:
            if corr.start > pos:
                corr.start += shift
        block.corrections.append(Correction(spec.find, spec.replace, spec.note, start=pos))
    for block in blocks:
        block.corrections.sort(key=lambda c: c.start)


def _number(blocks: list[Block]) -> None:
    p = s = 0
    for block in blocks:
        if block.citable:
            p += 1
            block.id, block.number = f"p{p}", str(p)
        elif block.kind in ("heading", "label"):
            s += 1
            block.id = f"s{s}"


def check_nothing_lost(path: Path, raw_text: str, doc: Document) -> None:
    """Every significant raw character is in exactly one place: a block or the furniture record."""
    # Within a block: joining, re-spacing and corrections keep every character.
    for block in doc.blocks:
        made_of = significant("".join(text for _no, text in block.sources))
        if significant(block.uncorrected_text()) != made_of:
            raise SeedError(
                path,
                f"lines {block.first_line}-{block.last_line}",
                "nothing-lost check failed: the block's text differs from the raw lines it was made of",
            )
    # Across the seed: blocks' lines and furniture cover the raw text once, in order.
    pieces = [(f.line, -1, f.text) for f in doc.furniture]
    seq = 0
    for block in doc.blocks:
        for no, text in block.sources:
            pieces.append((no, seq, text))
            seq += 1
    pieces.sort(key=lambda p: (p[0], p[1]))
    out = significant("".join(p[2] for p in pieces))
    raw = significant(raw_text)
    if out == raw:
        return
    k = next((i for i, (a, b) in enumerate(zip(out, raw, strict=False)) if a != b), min(len(out), len(raw)))
    # Map the raw position back to a line for the message.
    seen, line_no = 0, 1
    for no, line in enumerate(split_lines(raw_text), 1):
        line_no = no
        seen += len(significant(line))
        if seen > k:
            break
    got = out[k : k + 10] or "<end>"
    want = raw[k : k + 10] or "<end>"
    raise SeedError(
        path,
        f"line {line_no}",
        f"nothing-lost check failed: the raw seed has {want!r} where the output has {got!r} "
        f"({len(raw)} significant characters in the seed, {len(out)} accounted for)",
    )
