"""Front and back matter: author, dateline, source and editor lines, URLs, print headers.

A news or web article prints metadata around its text: ``作者：王晓明`` or
``本报记者 王晓明`` (byline), ``新华社北京2月1日电`` or ``2025年11月21日 08:15``
(dateline), ``来源：人民网－人民日报`` (source), ``（作者为…研究员）`` after the
text (byline), ``责任编辑：…`` and ``【纠错】`` (colophon), a bare URL (source).
Each is recognised from one whole, short line, so a sentence of the text that
happens to start the same way (``2023年9月7日，习近平…``) is never taken.

A browser printing a page to PDF adds a header (``2024/3/6 08:15 标题_人民网``)
and a footer (``http://…  1/3``) on every page: those are furniture, even on a
one-page printout.

The recognised lines feed the citation (author, date, origin) when the sidecar
does not say otherwise (``derive_meta``).
"""

from __future__ import annotations

import functools
import re

MAX_META = 40.0  # em: metadata lines are short; a longer line is text

_NAME = r"[\u4e00-\u9fff·]{2,8}"
# kind, rule name (for the review report), pattern
META_PATTERNS: list[tuple[str, str, re.Pattern]] = [
    (
        "colophon",
        "editor line",
        re.compile(r"^[（(【\[]?\s*(?:责任编辑|责编|值班编辑|编辑|审核|校对|监制)\s*[：:]\s*\S.*$"),
    ),
    ("colophon", "editor line", re.compile(r"^【纠错】")),
    (
        "dateline",
        "news dateline",
        re.compile(r"^\S{1,12}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*电(?:\s*[（(][^（）()]{1,30}[）)])?$"),
    ),
    (
        "dateline",
        "date line",
        re.compile(
            r"^\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2})"
            r"(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?"
            r"(?:\s+\S{0,20}?(?:来源|来自|出处|作者)\s*[：:]\s*\S.{0,30})?$"
        ),
    ),
    (
        "dateline",
        "publication time",
        re.compile(r"^(?:发布时间|发表时间|更新时间|发布日期|日期|时间)\s*[：:]\s*\d{4}.{0,40}$"),
    ),
    ("source", "source line", re.compile(r"^(?:来源|来自|出处|稿件来源|原文来源|原文链接)\s*[：:]\s*\S.{0,60}$")),
    (
        "byline",
        "author line",
        re.compile(r"^(?:文|作者|撰文|记者|本刊记者|本报记者|通讯员)\s*[◆◇●•·|｜:：/]\s*\S.{0,30}$"),
    ),
    (
        "byline",
        "reporter line",
        re.compile(rf"^(?:本报|本刊|新华社|人民日报)?(?:特约)?(?:记者|评论员|通讯员)\s+{_NAME}(?:\s+{_NAME}){{0,4}}$"),
    ),
    ("byline", "author line", re.compile(rf"^{_NAME}(?:\s+{_NAME}){{0,3}}\s*(?:撰文|文|著|供稿)$")),
    ("byline", "author note", re.compile(r"^[（(]\s*(?:作者|本文作者)[^（）()]{1,60}[）)]$")),
    (
        "byline",
        "author note",
        re.compile(
            r"^[（(][^（）()，。]{2,12}(?:系|为|是)[^（）()]{2,50}"
            r"(?:研究员|教授|院长|主任|所长|学者|专家|书记|博士|讲师|研究生|委员|负责人|记者|院士)[^（）()]{0,8}[）)]$"
        ),
    ),
    ("source", "URL", re.compile(r"^(?:https?://|www\.)\S+$")),
]

# A dateline printed at the start of the first paragraph's line (news style).
DATELINE_LEAD_RE = re.compile(r"^(\S{1,12}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*电(?:\s*[（(][^（）()]{1,30}[）)])?)\s*\S")


def meta_lead(text: str) -> str | None:
    """The metadata a paragraph's first line starts with (``新华社北京2月1日电``), if any."""
    m = DATELINE_LEAD_RE.match(text)
    return m.group(1) if m else None


PRINT_HEADER_RE = re.compile(r"^\d{4}/\d{1,2}/\d{1,2}\s*\d{1,2}:\d{2}\s*\S")
PRINT_FOOTER_RE = re.compile(r"^(?:https?://|www\.)\S+\s+\d{1,3}\s*/\s*\d{1,3}$")
URL_RE = re.compile(r"(?:https?://|www\.)\S+")


# Any of META_PATTERNS, in one match: most lines match none (issue 18: the
# patterns one by one were a fifth of ingesting a seed).
_ANY_META = re.compile("|".join(f"(?:{pattern.pattern})" for _kind, _rule, pattern in META_PATTERNS))


@functools.lru_cache(maxsize=4096)  # a line is asked about by every step that meets it
def meta_kind(text: str) -> tuple[str, str] | None:
    """(kind, rule) when the whole line is front or back matter."""
    from .text import MIN_CHAR_WIDTH, width

    if len(text) * MIN_CHAR_WIDTH > MAX_META or not _ANY_META.match(text) or width(text) > MAX_META:
        return None
    for kind, rule, pattern in META_PATTERNS:
        if pattern.match(text):
            return kind, rule
    return None


def print_furniture(text: str) -> str | None:
    """Why a line is a browser's print header or footer, or None."""
    if PRINT_FOOTER_RE.match(text):
        return "print-to-PDF footer (URL and page counter)"
    if PRINT_HEADER_RE.match(text):
        return "print-to-PDF header (date, time and page title)"
    return None


_AUTHOR_PREFIX = re.compile(r"^(?:文|作者|撰文|本刊记者|本报记者|记者|通讯员)\s*[◆◇●•·|｜:：/]?\s*")
_AUTHOR_SUFFIX = re.compile(r"\s*(?:撰文|文|著|供稿)$")
_DATE = re.compile(r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})")
_SOURCE_PREFIX = re.compile(r"^.*?(?:来源|来自|出处|稿件来源|原文来源)\s*[：:]\s*")


def derive_meta(blocks) -> dict:
    """Author, date and origin printed in the front matter (before the first paragraph)."""
    found: dict = {}
    for block in blocks:
        if block.kind in ("paragraph", "heading", "label", "list", "figure"):
            break
        text = block.text
        if block.kind == "byline" and "author" not in found and not text.startswith(("（", "(")):
            name = _AUTHOR_SUFFIX.sub("", _AUTHOR_PREFIX.sub("", text)).strip()
            if name:
                found["author"] = " ".join(name.split())
        if block.kind == "dateline" and "date" not in found:
            m = _DATE.search(text)
            if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
                found["date"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if block.kind in ("source", "dateline") and "origin" not in found and _SOURCE_PREFIX.match(text):
            origin = _SOURCE_PREFIX.sub("", text).strip()
            if origin and not URL_RE.fullmatch(origin):
                found["origin"] = origin
    return found
