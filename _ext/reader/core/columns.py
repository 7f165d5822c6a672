"""Column width and indentation, measured per page from lines that certainly continue."""

from __future__ import annotations

import bisect
import heapq
import re
from statistics import median

from .lines import INDENT, MIN_COLUMN, SENTENCE_INSIDE, UNWRAPPED, Line, pattern_kind

PUNCTUATED = re.compile(r"[，、；：。？！,;:“”‘’《》（）]")
WIDER = 2.5  # em: a line this much wider than its column belongs to another


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
        # Plain lines (no forced kind, no kind of their own), asked of each line's
        # neighbours too: measured once per line.
        plain = [not line.forced and not pattern_kind(line.text) for line in lines]
        last = len(lines) - 1
        # Lines next to headings, labels and source lines are headings themselves
        # more often than prose.
        candidates = [
            i
            for i, line in enumerate(lines)
            if 0 < i < last  # (the first and last lines have no neighbour on one side)
            and i >= skip_first
            and line.end != "closing"
            and line.w >= MIN_COLUMN  # a stray short line measures nothing
            # nor does a line without any punctuation (a caption, a link list):
            # lines of prose carry a comma or a stop somewhere
            and (line.end == "continuing" or PUNCTUATED.search(line.text))
            and plain[i]
            and plain[i - 1]
            and plain[i + 1]
        ]
        # Lines right after a full stop are probably indented first lines: they
        # measure the column only when nothing else does.
        mid = [i for i in candidates if lines[i - 1].end != "closing"]
        # (Enough of them, or a few stray lines after one another would be the column.)
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
        # Nor do a few short lines (captions, a list of links appended to a
        # page): a column narrower than MIN_COLUMN is no prose column, and must
        # not re-measure the page's text.
        keep = [len(m) > 2 for m in members]  # two lines of a width may be strays
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
            # Only text measures it: a short unpunctuated line (a caption, a
            # link list) says nothing about the column.
            prose = line.end != "open" or SENTENCE_INSIDE.search(line.text)
            if line.page not in pages_with_refs and not line.forced and prose:
                self.page_max[line.page] = max(self.page_max.get(line.page, 0.0), line.w)

    def width_at(self, i: int) -> float | None:
        col = self._run_width_at(i)
        narrow = self.page_max.get(self.lines[i].page)
        # (A page of a few short lines measures nothing: its stray lines are no column.)
        # (Narrower by more than an indent: a first line alone does not make a page narrow.)
        if col is not None and narrow is not None and MIN_COLUMN <= narrow < col - INDENT - 1.5:
            col = narrow
        w = self.lines[i].w
        if col is not None and self.run_width and w > col + WIDER:
            # A line far wider than its column belongs to another one: the
            # narrowest measured column it fits.
            fits = [rw for rw in self.run_width if rw >= w - WIDER]
            col = min(fits) if fits else col
        return col

    def _run_width_at(self, i: int) -> float | None:
        """Column width for line i: the run of the nearer reference line,
        unless line i is too wide for that column (then the other run)."""
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
