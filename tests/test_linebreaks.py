"""A line break inside Chinese running text is no space (issue 20): the pure
rule on listed and generated cases, and a Sphinx project written over lines."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from reader.core.linebreaks import CJK_CLASS, join_cjk_lines, join_cjk_lines_in_context
from reader.core.model import date_key

CJK = re.compile(f"[{CJK_CLASS}]")
BREAK_TOUCHING_CJK = re.compile(f"[{CJK_CLASS}][ \\t]*\\n|\\n[ \\t]*[{CJK_CLASS}]")

CASES = [
    ("本读本收录五篇文献。\n每篇文献", "本读本收录五篇文献。每篇文献"),
    ("按印本恢复段落，\n所有编辑", "按印本恢复段落，所有编辑"),
    ("原始 PDF\n提取", "原始 PDF提取"),  # the project's rule: no space next to CJK
    ("English words\nstay apart.", "English words\nstay apart."),
    ("中文  \n  中文", "中文中文"),
    ("“新瓶装旧酒”\n的说法", "“新瓶装旧酒”的说法"),
    ("end.”\n“Next", "end.”\n“Next"),  # quotes decide nothing by themselves
    ("没有换行", "没有换行"),
    ("𠀀\n字", "𠀀字"),  # supplementary-plane ideographs are CJK too
]


@pytest.mark.parametrize("text, expected", CASES)
def test_listed_cases(text, expected):
    assert join_cjk_lines(text) == expected


TEXT = st.text(
    alphabet=st.sampled_from(list("中文字。，、“”ab Z.\n\t") + ["\u3000", "𠀀"]),
    max_size=40,
)


@given(TEXT)
def test_no_break_touches_cjk_and_nothing_else_changes(text):
    out = join_cjk_lines(text)
    assert not BREAK_TOUCHING_CJK.search(out)
    # Only whitespace around line breaks is removed: every other character stays, in order.
    assert [c for c in out if not c.isspace()] == [c for c in text if not c.isspace()]
    # A break between two non-CJK characters stays a break.
    for m in re.finditer(r"(?<=[abZ.])[ \t]*\n[ \t]*(?=[abZ.])", text):
        assert m.group(0) in out
    assert join_cjk_lines(out) == out  # idempotent


@given(TEXT, TEXT, TEXT)
def test_runs_split_by_markup_join_like_the_whole(left, middle, right):
    """A paragraph split into text runs (by links, emphasis) joins like the text
    as one string, provided its neighbours' edge characters are not whitespace."""
    before = left[-1:] if left[-1:] and not left[-1:].isspace() else ""
    after = right[:1] if right[:1] and not right[:1].isspace() else ""
    joined = join_cjk_lines_in_context(middle, before, after)
    assert joined == join_cjk_lines(before + middle + after)[len(before) : len(joined) + len(before)]


@pytest.mark.parametrize(
    "date, later",
    [
        ("2024-01-31", "2024-02"),
        ("2024-02", "2024-03-01"),
        ("2024-03-01", "2024-03"),
        ("2024-03", "2025"),
        ("2025", ""),
    ],
)
def test_landing_page_date_order(date, later):
    """Cards are ordered by date; a date known only to the month sorts after that
    month's exact dates; no date sorts last."""
    assert date_key(date) < date_key(later)


@pytest.mark.sphinx("html", testroot="reading", freshenv=True)
def test_markdown_paragraphs_over_several_lines(app):
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    paragraphs = [p.get_text() for p in soup.select("div.body p")]
    assert "本读本收录五篇文献。每篇文献都据原始 PDF 提取，所有编辑处理均有记录。" in paragraphs
    assert "English words\nstay apart." in paragraphs
    assert "加粗的词紧接着正文，又接 English\nwords 与中文。" in paragraphs
    for text in paragraphs:
        assert not BREAK_TOUCHING_CJK.search(text), text
    assert "代码里的换行\n原样保留" in soup.select_one("pre").get_text()
    numeral = soup.select("h2.reader-numeral-heading")
    assert [h.get_text().rstrip("¶#") for h in numeral] == ["二"]
    titled = [h for h in soup.select("h2") if h.get_text().startswith("二 概述")]
    assert len(titled) == 1 and "reader-numeral-heading" not in (titled[0].get("class") or [])
