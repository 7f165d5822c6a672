"""Fuzzing the trust boundary: strings drawn from a grammar of MyST, Markdown,
HTML, Jinja and TeX syntax in every field a contributor writes (title line,
heading, paragraph, sidecar metadata, correction note, annotation) render as
literal text: the build has no warning, the page shows every string, no element
comes from the text, and ids stay unique."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from io import StringIO
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
TOKENS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<b>粗</b>",
    "<!--",
    "-->",
    "{{ secret }}",
    "{% if x %}",
    "{#",
    "$x^2$",
    "$$",
    "\\emph{y}",
    "\\\\",
    "%",
    "~",
    "^",
    "&",
    "&amp;",
    "&lt;b&gt;",
    "`",
    "``",
    "```",
    ":::",
    "(p1)=",
    "(s1)=",
    "{ref}`x`",
    "{download}`/etc/passwd`",
    "[链接](javascript:alert(3))",
    "[^1]",
    "*",
    "**",
    "_",
    "#",
    "|",
    "'",
    '"',
    "{#p2 .cls}",
    ".. raw:: html",
    ":id: p9",
    "---",
    "中文",
    "标题",
]
# What the reader itself puts into a page body: anything else came from the text.
FOREIGN = ["script", "img", "iframe", "b", "i", "em", "strong", "math", "object", "embed", "a[href^=javascript]"]
hostile = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(" ".join)


def squash(text: str) -> str:
    return "".join(text.split())


def build(fields: dict[str, str]) -> tuple[str, str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOTS / "test-minimal", src)
        (src / "seeds" / "one.txt").write_text(
            f"标题{fields['title']}\n\n作者乙\n\n一、{fields['heading']}\n\n这是段落{fields['paragraph']}完。\n",
            encoding="utf-8",
        )
        toml = '[source]\nslug = "one"\nkind = "article"\n'
        for key in ("author", "origin", "occasion", "date_note", "summary", "short_title"):
            toml += f"{key} = {json.dumps(fields[key], ensure_ascii=False)}\n"
        toml += 'date = "2024-01-31"\n'
        toml += f'\n[[correction]]\nfind = "这是段落"\nreplace = "这是一个段落"\nnote = {json.dumps(fields["note"])}\n'
        toml += f'\n[[annotation]]\nat = "p1"\nkind = "note"\ntext = {json.dumps(fields["annotation"])}\n'
        (src / "seeds" / "one.toml").write_text(toml, encoding="utf-8")
        warning = StringIO()
        app = SphinxTestApp(
            "html",
            srcdir=src,
            status=StringIO(),
            warning=warning,
            freshenv=True,
        )
        try:
            app.build()
        finally:
            app.cleanup()
        page = (Path(app.outdir) / "source" / "one.html").read_text(encoding="utf-8")
        index = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        return warning.getvalue(), page, index


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    st.fixed_dictionaries(
        {
            key: hostile
            for key in (
                "title",
                "heading",
                "paragraph",
                "author",
                "origin",
                "occasion",
                "date_note",
                "summary",
                "short_title",
                "note",
                "annotation",
            )
        }
    )
)
def test_every_field_renders_literally(fields):
    warnings, page, index = build(fields)
    assert warnings == ""
    soup = BeautifulSoup(page, "html.parser")
    body = soup.select_one("div.body") or soup.body
    text = squash(body.get_text())
    for key in ("title", "heading", "paragraph", "author", "origin", "occasion", "date_note", "annotation"):
        assert squash(fields[key]) in text, key
    corr = soup.select_one("span.reader-corr")
    assert fields["note"] in corr["title"]
    assert squash(fields["summary"]) in squash(BeautifulSoup(index, "html.parser").get_text())
    assert squash(fields["title"]) in squash(soup.title.get_text())
    for selector in FOREIGN:
        assert not body.select(selector), selector
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert "这是一个段落" in soup.find(id="p1").get_text()  # the paragraph, corrected, holds the anchor
