"""Page furniture: page numbers, running headers and footers."""

from __future__ import annotations

import re

from .frontmatter import print_furniture
from .lines import SENTENCE_INSIDE, Line, is_page_number, pattern_kind
from .text import CLOSING_QUOTES


def header_key(text: str) -> str:
    """Running headers differ only in spacing and page numbers."""
    return re.sub(r"\d+", "#", "".join(text.split()))


NEAR_BOUNDARY = "running header/footer (repeated at page boundaries)"


def find_furniture(lines: list[Line], keep: set[int] = frozenset()) -> list[int]:
    """Mark page numbers and running headers/footers (``forced = 'furniture'``).

    ``keep``: lines the sidecar says are text.  Returns the lines removed on
    thin evidence (a line seen only twice, next to page boundaries), for the
    review report."""
    boundaries = set()
    for i, line in enumerate(lines):
        if line.forced or i in keep:
            continue
        printed = print_furniture(line.text)
        if printed:
            line.forced, line.reason = "furniture", printed
            boundaries.add(i)
            continue
        if is_page_number(line.text) and not pattern_kind(line.text):
            line.forced, line.reason = "furniture", "page number"
            boundaries.add(i)
        if line.page_start:
            boundaries.add(i)
    # A line repeated on several pages, each time next to a page boundary.
    boundaries.add(-1)  # a running header also tops the first page
    # Within two lines of a boundary (a set: asking every boundary per line was
    # quadratic in a seed's pages).
    near_boundary = {b + d for b in boundaries for d in range(-2, 3)}
    near: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.forced or i in keep or len(line.text) < 2 or line.end == "closing" or line.text[-1] in CLOSING_QUOTES:
            continue
        if SENTENCE_INSIDE.search(line.text):
            continue
        if i in near_boundary:
            near.setdefault(header_key(line.text), []).append(i)
    for idxs in near.values():
        if len(idxs) >= 2 and not pattern_kind(lines[idxs[0]].text):
            for i in idxs:
                lines[i].forced, lines[i].reason = "furniture", NEAR_BOUNDARY
    # Or repeated three times or more, wherever extraction put it, and not prose.
    anywhere: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if (
            (not line.forced or line.reason.startswith("running header"))
            and i not in keep
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
    # Seen twice only: a running header of a two-page text, or a heading that
    # happens to be repeated near page breaks.
    thin = [idxs for idxs in near.values() if len(idxs) == 2]
    return [i for idxs in thin for i in idxs if lines[i].reason == NEAR_BOUNDARY]


PAGE_FURNITURE = ("page number", "running header", "print-to-PDF")


def renumber_pages(lines: list[Line]) -> None:
    """A page boundary is wherever page furniture sits between lines of text
    (a running header without a page number still ends a page)."""
    page, in_furniture, seen_text = 0, False, False
    for line in lines:
        page_furniture = line.forced == "furniture" and line.reason.startswith(PAGE_FURNITURE)
        if page_furniture:
            in_furniture = True
        elif line.forced != "furniture":
            if (line.page_start or in_furniture) and seen_text:
                page += 1
            in_furniture, seen_text = False, True
        line.page = page
