"""Lines of a seed: reading them, how each ends, and kinds recognised from one line alone."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .frontmatter import meta_kind
from .text import CLOSING_PUNCT, CLOSING_QUOTES, CONTINUING_PUNCT, OPENING_PUNCT, clean_line, split_lines, width

INDENT = 2.0  # em: first-line indent of a Chinese paragraph
FULL_TOLERANCE = 1.5  # em: a line this much short of the column is still full
# A line ending with a full stop one em short of the column is a last line:
# punctuation is set solid, only hanging commas make lines wider.
CLOSING_TOLERANCE = 0.75
UNWRAPPED = 60.0  # em: lines wider than any printed column were not hard-wrapped
MIN_COLUMN = 8.0  # em: narrower "columns" come from stray short lines, not prose
MAX_HEADING = 50.0  # em: longest text taken as a heading without an override

PAGE_NUMBER_FORMS = [
    r"[-–—]\s*\d{1,4}\s*[-–—]",
    r"\d{1,4}",
    r"第\s*\d{1,4}\s*页",
    r"\d{1,4}\s*/\s*\d{1,4}",
    r"(?i:page)\s*\d{1,4}",
]
# One pattern for all forms: every line of every seed is asked (issue 18).
PAGE_NUMBER_RE = re.compile("^(?:" + "|".join(PAGE_NUMBER_FORMS) + ")$")
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
    w: float = 0.0
    forced: str | None = None  # kind forced by an override range
    forced_id: int = 0  # which override range (consecutive ranges stay apart)
    reason: str = ""  # why the line is furniture, or the override's reason
    level: int = 0  # heading level an override gives the line (0: the segmenter decides)
    page: int = 0  # page index, counted at detected page breaks
    split_tail: bool = False  # the text after a mid-line `break` override: it runs on

    def __post_init__(self):
        self.w = width(self.text)
        self._end_of: str | None = None  # the text ``_end`` was measured on
        self._end = "open"

    @property
    def end(self) -> str:
        """How the line ends: 'closing', 'continuing' or 'open'.  Measured once per
        text: every step asks it of every line (issue 18)."""
        if self._end_of is not self.text:
            self._end, self._end_of = end_class(self.text), self.text
        return self._end


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


@functools.lru_cache(maxsize=4096)  # a line is asked about by every step that meets it (issue 18)
def pattern_kind(text: str) -> str | None:
    """Kinds recognised from the text of a line alone."""
    meta = meta_kind(text)
    if meta:
        return meta[0]
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


def is_page_number(text: str) -> bool:
    return PAGE_NUMBER_RE.match(text) is not None


def read_lines(text: str) -> list[Line]:
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
        lines.append(Line(no, stripped, page_start=starts_page, page=page))
        if lines and (is_page_number(stripped)):
            page_break = True
        else:
            page_break = False
        blank_before = False
    return lines
