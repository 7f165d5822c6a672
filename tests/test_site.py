"""The real reader, built: zero warnings, committed pages up to date, every
paragraph on its page with its anchor, nothing of any seed lost."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.core.pipeline import load_collection, out_of_date
from reader.core.text import decode, significant

ROOT = Path(__file__).resolve().parent.parent
SLUGS = [doc.slug for doc in load_collection(ROOT).docs]


def soup_of(site, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(site.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def test_committed_pages_are_up_to_date():
    stale = out_of_date(ROOT)
    assert not stale, f"regenerate with `make pages` and commit: {[str(p.relative_to(ROOT)) for p in stale]}"


def test_build_has_no_warnings(site):
    assert site.warning.getvalue() == ""


@pytest.fixture(scope="module")
def collection(project_copy):
    return load_collection(project_copy)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_citable_block_has_its_anchor_and_only_its_text(site, collection, slug):
    doc = next(d for d in collection.docs if d.slug == slug)
    soup = soup_of(site, f"source/{slug}.html")
    ids = [el["id"] for el in soup.find_all(id=re.compile(r"^p\d+$"))]
    assert ids == [f"p{n}" for n in range(1, len(doc.citable_blocks()) + 1)]
    for block in doc.citable_blocks():
        element = soup.find(id=block.id)
        # The element with the id holds exactly the block's text: no number, no label.
        assert "".join(element.get_text().split()) == "".join(block.text.split())
        number = element.find_previous_sibling("a", class_="reader-pnum")
        assert number["href"] == f"#{block.id}" and number.get_text() == block.number


@pytest.mark.parametrize("slug", SLUGS)
def test_headings_have_stable_explicit_ids(site, collection, slug):
    doc = next(d for d in collection.docs if d.slug == slug)
    soup = soup_of(site, f"source/{slug}.html")
    sections = soup.select("article section section")
    expected = [b.id for b in doc.blocks if b.kind in ("heading", "label")]
    assert [s["id"] for s in sections] == expected
    assert not soup.find(id=re.compile(r"^id\d+$"))


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_of_the_seed_is_lost_in_the_page(site, collection, slug):
    """Every significant raw character is on the page: in the reading text, in the
    editorial record (furniture), or as a correction's original."""
    seed = collection.seed_paths[slug]
    raw = Counter(significant(decode(seed.read_bytes(), str(seed))))
    soup = soup_of(site, f"source/{slug}.html")
    article = soup.select_one("article")
    shown = Counter()
    for margin in article.select("aside.reader-margin"):
        margin.decompose()  # margin notes are editorial, not seed text
    for block in article.select("div.reader-block"):
        shown += Counter(significant(block.get_text()))
    for heading in article.select("h1, h2, h3"):
        shown += Counter(significant(heading.get_text().replace("#", "")))
    removed = Counter()
    for row in article.select("table.reader-furniture-table tbody tr"):
        removed += Counter(significant(row.find_all("td")[1].get_text()))
    for corr in article.select("span.reader-corr"):
        removed += Counter(significant(corr["data-original"]))
        shown -= Counter(significant(corr.get_text()))
    # Paragraph numbers and notes about retired anchors are not seed text.
    for number in article.select("a.reader-pnum, span.reader-alias"):
        shown -= Counter(significant(number.get_text()))
    assert shown + removed == raw


def test_source_pages_show_metadata(site, collection):
    for doc in collection.docs:
        soup = soup_of(site, f"source/{doc.slug}.html")
        card = soup.select_one(".reader-meta")
        text = card.get_text()
        assert f"段落:{len(doc.citable_blocks())}" in "".join(text.split())
        if doc.meta.get("author"):
            assert doc.meta["author"] in text


def test_landing_page_lists_every_source_as_a_card(site, collection):
    soup = soup_of(site, "index.html")
    cards = soup.select(".reader-source-card")
    assert len(cards) == len(collection.docs)
    links = sorted(a["href"] for a in soup.select("a.sd-stretched-link"))
    assert links == sorted(f"source/{d.slug}.html#{d.slug}" for d in collection.docs)
    assert soup.find("html")["lang"] == "zh-Hans-CN"  # the simplified site (the traditional: test_variant.py)


def test_the_search_index_is_the_collections_written_beside_the_build(site, collection):
    """The reader's index, written by a process of its own while Sphinx builds the
    pages, is the index of the collection (as computed here); Sphinx's own, which
    no page loads, is not written, but its search page is, and pages still name
    it as the site's search.  The pinyin vocabulary holds words jieba segments
    from the paragraphs, not only the glossary's terms."""
    from reader.core.searchindex import collection_index
    from reader.search import dictionary_words

    out = Path(site.outdir)
    assert not (out / "searchindex.js").exists()
    assert (out / "search.html").exists() and not (out / "_search.tmp").exists()
    assert soup_of(site, "index.html").find("link", rel="search")["href"] == "search.html"
    # Nor does any page load the theme's search-as-you-type scripts, which fetched it.
    loading = [
        p.name for p in out.rglob("*.html") if re.search(r"searchindex\.js|searchtools\.js", p.read_text("utf-8"))
    ]
    assert loading == []
    index = collection_index(
        collection, url=lambda slug: f"source/{slug}.html", dictionary=dictionary_words(collection, None)
    )
    written = {
        p.relative_to(out / "_search").as_posix(): p.read_text(encoding="utf-8")
        for p in (out / "_search").rglob("*.js")
    }
    assert written == index.files()
    vocabulary = {w for table in index.pinyin.values() for words in table.values() for w in words}
    terms = {f for entry in collection.glossary for f in entry.forms}
    assert len(vocabulary - terms) > 100
