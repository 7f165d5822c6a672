"""The EPUBs (issue 19): both variants pass epubcheck with no error, keep the
paragraph ids, carry margin notes as footnotes, and declare Chinese fonts."""

from __future__ import annotations

import re
import subprocess
import zipfile
from io import StringIO

import pytest
from bs4 import BeautifulSoup

EPUBCHECK = "/usr/share/java/epubcheck.jar"  # Debian package epubcheck (scripts/system-deps.sh)


def build_epub(project, name: str, overrides: dict):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(
        "epub",
        srcdir=project,
        builddir=project / name,
        status=StringIO(),
        warning=StringIO(),
        freshenv=True,
        confoverrides=overrides,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    return app.outdir / "reader.epub"


@pytest.fixture(scope="module")
def books(project_copy):
    return {
        "hans": build_epub(project_copy, "_build-epub", {}),
        "hant": build_epub(project_copy, "_build-epub-hant", {"reader_variant": "hant", "language": "zh_TW"}),
    }


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_epubcheck_finds_no_error(books, variant):
    result = subprocess.run(
        ["java", "-jar", EPUBCHECK, str(books[variant])], capture_output=True, text=True, timeout=300
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "Messages: 0 fatals / 0 errors" in report, report


@pytest.mark.parametrize(
    "variant,lang,font,author",
    [("hans", "zh-CN", "Noto Serif CJK SC", "习近平"), ("hant", "zh-TW", "Noto Serif CJK TC", "習近平")],
)
def test_book_keeps_ids_notes_fonts_and_language(books, variant, lang, font, author):
    with zipfile.ZipFile(books[variant]) as book:
        names = book.namelist()
        page = book.read("source/neizai-yaoqiu.xhtml").decode("utf-8")
        css = book.read("_static/reader-epub.css").decode("utf-8")
        opf = book.read("content.opf").decode("utf-8")
    assert f"<dc:language>{lang}</dc:language>" in opf
    assert font in css
    # none of the web site's scripts, stylesheet or editor pages
    assert not [n for n in names if n.endswith(".js") or n.endswith("reader.css") or "variant-review" in n]
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("div.reader-book")["lang"] == lang
    assert [p["id"] for p in soup.select("p[id^=p]")][:3] == ["p1", "p2", "p3"]
    assert author in soup.select_one(".reader-byline").get_text()
    # every margin note is a footnote, reached from a note reference beside its paragraph
    asides = soup.select("aside.reader-margin")
    assert asides and all(a.get("epub:type") == "footnote" for a in asides)
    refs = {a["href"] for a in soup.select("a.reader-noteref")}
    assert refs == {f"#{a['id']}" for a in asides}
    assert not soup.select("button") and "<svg" not in page
    assert not re.search(r"html-hant|\.\./html/", page)  # no link out to the other variant's web site


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_the_book_has_no_search_index(books, variant):
    """The site's search index is not built for the book (it has no search page),
    so none of it can be packed while it is being written."""
    outdir = books[variant].parent
    assert not (outdir / "_search").exists() and not (outdir / "_search.tmp").exists()
    with zipfile.ZipFile(books[variant]) as book:
        assert [n for n in book.namelist() if "_search" in n] == []
