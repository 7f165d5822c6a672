"""Navigation for a large collection (issue 18), on a synthetic collection of
LANDING_PAGE_SIZE + 6 sources (bench/synth.py, short texts) and on the real
reader: the sidebar lists sections (bounded, whatever the size), section pages
list every source, the landing page holds one page of cards and its filters and
paging work in a browser, previous/next follow the reading order.

Screenshots go to tests/artifacts/screenshots/navigation-*.png."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.core.model import reading_order
from reader.core.navigation import LANDING_PAGE_SIZE, SIDEBAR_SOURCES_MAX, sections
from reader.core.pipeline import load_collection

from .test_browser import browser, page  # noqa: F401 (fixtures shared with the other browser tests)
from .tools.shoot import serving
from .util import build_html

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
SOURCES = LANDING_PAGE_SIZE + 6


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    """A synthetic collection past the landing page's first page, built once."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import make_corpus

    project = make_corpus(tmp_path_factory.mktemp("large") / "corpus", SOURCES, chars=400)
    app = build_html(project, project / "_build")
    assert "navigation" not in app.warning.getvalue()
    app.reader_docs = reading_order(load_collection(project).docs)
    return app


def soup(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")


def test_sidebar_lists_sections_and_the_page_itself_not_every_source(large_site):
    docs = large_site.reader_docs
    found = sections(docs)
    labels = {s.label for s in found}
    for doc in docs[:: max(1, len(docs) // 7)]:
        nav = soup(large_site, f"source/{doc.slug}.html").select_one("nav.bd-docs-nav")
        links = nav.select("a")
        # home + sections + parallels + glossary + the page itself: bounded by the sections
        assert len(links) <= len(found) + 4
        texts = [a.get_text(strip=True) for a in links]
        assert labels <= set(texts)
        sources = [a for a in links if "/source/" in ("/" + a["href"]) or a["href"] == "#"]
        assert [a.get_text(strip=True) for a in sources if a["href"] == "#"] == [doc.title]
        own_kind = nav.select_one("li.toctree-l1.current > a").get_text(strip=True)
        assert own_kind == next(s.label for s in found if s.group == "kind" and doc.slug in s.slugs)


def test_section_pages_list_every_source_once_in_reading_order(large_site):
    docs = large_site.reader_docs
    by_title = [d.title for d in docs]
    for group in ("kind", "year"):
        listed = []
        for s in sections(docs):
            if s.group != group:
                continue
            listing = soup(large_site, f"{s.page}.html")
            titles = [a.get_text(strip=True) for a in listing.select(".reader-section-list a")]
            assert titles == [t for t in by_title if t in set(titles)]
            assert listing.select_one("nav.bd-docs-nav") is not None  # the site's sidebar, too
            listed += titles
        assert sorted(listed) == sorted(by_title)


def test_landing_page_holds_one_page_of_cards_and_the_json_every_source(large_site):
    index = soup(large_site, "index.html")
    assert len(index.select(".reader-source-card")) == LANDING_PAGE_SIZE
    assert index.select_one("form.reader-collection-browser")["data-src"] == "collection.json"
    data = json.loads((Path(large_site.outdir) / "collection.json").read_text(encoding="utf-8"))
    assert [s["slug"] for s in data["sources"]] == [d.slug for d in large_site.reader_docs]
    for source in data["sources"]:
        assert (Path(large_site.outdir) / source["url"]).is_file()
    # the no-JavaScript way to every source: the section pages
    hrefs = {a["href"] for a in index.select(".reader-collection-sections a")}
    assert hrefs == {f"{s.page}.html" for s in sections(large_site.reader_docs)}


def test_previous_and_next_follow_the_reading_order(large_site):
    docs = large_site.reader_docs
    for i in (1, len(docs) // 2, len(docs) - 2):
        reading = soup(large_site, f"source/{docs[i].slug}.html")
        assert reading.select_one("a.left-prev")["href"] == f"{docs[i - 1].slug}.html"
        assert reading.select_one("a.right-next")["href"] == f"{docs[i + 1].slug}.html"


def test_the_real_reader_keeps_its_list_of_sources_in_the_sidebar(site):
    docs = reading_order(load_collection(Path(site.srcdir)).docs)
    assert len(docs) <= SIDEBAR_SOURCES_MAX
    nav = soup(site, f"source/{docs[0].slug}.html").select_one("nav.bd-docs-nav")
    titles = [a.get_text(strip=True) for a in nav.select("a")]
    assert titles[1 : 1 + len(docs)] == [d.title for d in docs]
    assert nav.select_one("li.current > a")["href"] == "#"


@pytest.fixture(scope="module")
def large_server(large_site):
    with serving(large_site.outdir) as base:
        yield base


def shoot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"navigation-{name}-{tab.width_name}.png"))


def test_filters_and_paging_in_the_browser(large_site, large_server, page):  # noqa: F811 (the shared fixture)
    docs = large_site.reader_docs
    page.goto(large_server + "index.html")
    page.locator("form.reader-collection-browser[data-ready]").wait_for(state="attached")
    cards = page.locator(".reader-collection .reader-source-card")
    assert cards.count() == LANDING_PAGE_SIZE
    more = page.locator("button.reader-collection-more")
    assert more.is_visible()
    more.click()
    page.wait_for_function(f"document.querySelectorAll('.reader-source-card').length === {SOURCES}")
    assert more.is_hidden()
    titles = [t.strip() for t in page.locator(".reader-source-card .sd-card-title").all_inner_texts()]
    assert titles == [d.title for d in docs]
    shoot(page, "landing")

    kind = docs[-1].meta["kind"]
    expected = [d for d in docs if d.meta["kind"] == kind]
    page.locator('select[name="kind"]').select_option(kind)
    page.wait_for_function(f"document.querySelectorAll('.reader-source-card').length === {len(expected)}")
    hrefs = page.locator(".reader-source-card a.sd-stretched-link").evaluate_all("as => as.map(a => a.href)")
    assert [h.rsplit("/", 1)[1] for h in hrefs] == [f"{d.slug}.html#{d.slug}" for d in expected]

    author = docs[0].meta["author"]
    both = [d for d in expected if d.meta.get("author") == author]
    page.locator('select[name="author"]').select_option(author)
    page.wait_for_function(f"document.querySelectorAll('.reader-source-card').length === {len(both)}")
    count = page.locator(".reader-collection-count").inner_text()
    assert (str(len(both)) in count) if both else ("没有" in count)

    # a card leads to its page, whose "next" link leads on in the reading order
    page.locator('select[name="author"]').select_option("")
    page.locator('select[name="kind"]').select_option("")
    page.wait_for_function(f"document.querySelectorAll('.reader-source-card').length === {LANDING_PAGE_SIZE}")
    page.locator(".reader-source-card").nth(3).click()
    page.wait_for_url(f"**/source/{docs[3].slug}.html*")
    page.locator("a.right-next").click()
    page.wait_for_url(f"**/source/{docs[4].slug}.html")


def test_sidebar_shows_the_sections_in_the_browser(large_site, large_server, page):  # noqa: F811 (the shared fixture)
    doc = large_site.reader_docs[7]
    page.goto(large_server + f"source/{doc.slug}.html")
    nav = page.locator("nav.bd-docs-nav").first
    text = nav.text_content()
    assert "按类型" in text and "按年份" in text and doc.title in text
    if page.width_name == "phone":
        return  # the theme's drawer holds the same sidebar
    nav.get_by_text("按年份").wait_for(state="visible")
    shoot(page, "sidebar")
    year = next(s for s in sections(large_site.reader_docs) if s.group == "year" and doc.slug in s.slugs)
    nav.get_by_role("link", name=year.label, exact=True).click()
    page.wait_for_url(f"**/{year.page}.html")
    assert page.locator(".reader-section-list li").count() == len(year.slugs)
