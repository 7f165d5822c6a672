"""Lay out known blocks as a PDF extraction would: hard wraps, indents, pages.

Used by the re-wrap tests (does the segmenter generalise beyond the five seeds?)
and by the benchmark's synthetic corpora.
"""

from __future__ import annotations

import random

from reader.core.text import width as em_width

# A line may not start with these (Chinese line-breaking rule): they hang at the end.
NO_LINE_START = set("，。、；：？！”’）》〉」』…")


def wrap(text: str, first: float, rest: float) -> list[str]:
    lines, current, limit = [], "", first
    for ch in text:
        if current and em_width(current + ch) > limit and ch not in NO_LINE_START:
            lines.append(current)
            current, limit = "", rest
        current += ch
    if current:
        lines.append(current)
    return lines


def typeset(
    blocks: list[tuple[str, str]],
    widths: list[int],
    page_lines: int = 24,
    header: str | None = None,
    rng: random.Random | None = None,
) -> str:
    """Return raw text: every printed line followed by a blank line, page furniture between pages.

    ``widths`` cycles page by page (two-column layouts change the measure).
    """
    rng = rng or random.Random(0)
    printed: list[str] = []
    for kind, text in blocks:
        w = widths[0]
        if kind == "title":
            # Titles are set larger: fewer characters a line, four lines at most.
            tw = max(8, int(w * 0.7), -(-len(text) // 4))
            printed += wrap(text, tw, tw)
        elif kind == "figure":
            printed.append(("FIGURE", text))  # a diagram sits on one page
        elif kind == "list":
            printed.append(("FIGURE", text))  # a short list is not split across pages
        elif kind == "colophon":
            printed += text.split("\n")
        elif kind == "label":
            printed.append(("NEWPAGE", ""))  # a section of a booklet starts a new page
            printed.append(("LINE", text))
        elif kind in ("paragraph", "note"):
            printed.append(("PARA", text))
        else:
            printed.append(("LINE", text))
    out: list[str] = [f"{header}\n\n"] if header else []
    page, on_page, page_no = 0, 0, 1

    def new_page() -> bool:
        """Page furniture between pages; True when the next line follows without a blank."""
        nonlocal page, on_page, page_no
        page_no += 1
        page += 1
        on_page = 0
        if rng.random() < 0.3 and not header:
            # As pdftotext often does: no page number, the new page's first line
            # has a leading space and follows the last line directly.
            out[-1] = out[-1].rstrip("\n") + "\n"
            return True
        out.append("\n\n")
        if rng.random() < 0.8:
            out.append(f"- {page_no} -\n\n")
        if header:
            out.append(f"{header}\n\n")
        return False

    def emit(line: str, breakable: bool = True):
        nonlocal on_page
        if breakable and on_page >= page_lines and out:
            if new_page():
                line = " " + line
        out.append(line + "\n\n")
        on_page += 1

    for item in printed:
        if isinstance(item, str):
            emit(item)
            continue
        kind, text = item
        if kind == "NEWPAGE":
            if on_page:
                on_page = page_lines
            continue
        if kind == "FIGURE":
            for line in text.split("\n"):
                emit(line, breakable=False)
            continue
        indent = 2 if kind == "PARA" else 0
        current = ""
        for ch in text:
            limit = widths[(page + (on_page >= page_lines)) % len(widths)] - indent
            # No line break at a headline's separating space (it would be lost).
            if current and em_width(current + ch) > limit and ch not in NO_LINE_START and " " not in (ch, current[-1]):
                emit(current)
                current, indent = "", 0
            current += ch
        if current:
            emit(current)
    return "".join(out)
