"""The collection-wide pages stay readable at thousands of sources (issue 18):
the glossary lists an entry's paragraphs in a bounded number of sources and
links to a search for the rest; the parallels page quotes a bounded number of
a cluster's paragraphs, names a bounded number more and counts the rest.

The real project is built with the caps lowered, so its five sources already
exceed them; what a reader can reach is checked on the built pages."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.core import render
from reader.core.pipeline import load_collection
from reader.core.variant import Converter
from tests.conftest import copy_project
from tests.util import build_html

CAPS = {"MAX_CONCORDANCE_SOURCES": 2, "MAX_CLUSTER_QUOTED": 1, "MAX_CLUSTER_NAMED": 1, "MAX_CLUSTERS_PER_PAGE": 2}


@pytest.fixture(scope="module", params=["hans", "hant"])
def capped(request, tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("capped") / "reader")
    patch = pytest.MonkeyPatch()
    for name, value in CAPS.items():
        patch.setattr(render, name, value)
    try:
        overrides = {"reader_variant": "hant", "language": "zh_TW"} if request.param == "hant" else {}
        app = build_html(project, project / "_build", **overrides)
        coll = load_collection(project)  # (what the pages were made from, uncapped)
    finally:
        patch.undo()
    assert not app.warning.getvalue(), app.warning.getvalue()  # (orphans, links between the pages)
    return request.param, Path(app.outdir), coll


def cluster_pages(out: Path) -> list[BeautifulSoup]:
    """The parallels pages in order, by following each page's "next" link."""
    pages, path = [], out / "source" / "parallels.html"
    while path is not None:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        pages.append(soup)
        article = soup.select_one("article") or soup
        nexts = [a for a in article.select("a.reference") if a.get_text() in ("下一页", "下一頁")]
        path = (path.parent / nexts[0]["href"].split("#")[0]) if nexts else None
        assert len(pages) < 100
    return pages


def test_glossary_lists_a_bounded_number_of_sources_and_searches_for_the_rest(capped):
    variant, out, coll = capped
    soup = BeautifulSoup((out / "source" / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    capped_entries = 0
    for entry in coll.glossary:
        sources = {slug for slug, *_ in coll.concordance[entry.id]}
        dt = soup.select_one(f"dt#term-{entry.id}")
        concordance = dt.find_next_sibling("dd").select_one(".reader-concordance")
        listed = {a["href"].split(".html")[0] for a in concordance.select("a.reference")}
        assert len(listed) == min(len(sources), CAPS["MAX_CONCORDANCE_SOURCES"]), entry.id
        assert listed <= sources
        search = concordance.select_one("a.reader-concordance-search")
        assert (search is not None) == (len(sources) > CAPS["MAX_CONCORDANCE_SOURCES"]), entry.id
        if search is not None:
            capped_entries += 1
            assert f"{len(sources)} " in concordance.get_text()  # the whole count, not the listed one
            rest = len(sources) - CAPS["MAX_CONCORDANCE_SOURCES"]
            assert f"{rest} " in concordance.get_text().split("；")[-1]
            page, query = search["href"].split("?q=")
            assert (out / "source" / page).resolve() == (out / "search.html").resolve()
            # The search is for the term as this variant's page writes it.
            term = urllib.parse.unquote(query)
            assert term == dt.get_text().removesuffix("#")
            assert (term == entry.term) == (variant == "hans" or Converter("s2tw").convert(entry.term) == entry.term)
    assert capped_entries >= 3


def test_parallels_pages_hold_a_bounded_number_of_clusters_each_once(capped):
    _variant, out, coll = capped
    pages = cluster_pages(out)
    per_page = [page.select(".reader-cluster") for page in pages]
    assert len(pages) == -(-len(coll.parallel_clusters) // CAPS["MAX_CLUSTERS_PER_PAGE"]) >= 3
    assert all(0 < len(clusters) <= CAPS["MAX_CLUSTERS_PER_PAGE"] for clusters in per_page)
    numbers = [c["id"] for clusters in per_page for c in clusters]
    assert numbers == [f"cluster-{k}" for k in range(1, len(coll.parallel_clusters) + 1)]
    # each is the sidebar's 平行文本 page, and each later page links back to the one before it
    for page in pages:
        current = page.select_one(".bd-sidenav a.current")
        assert current is not None and current.get_text() == "平行文本", current  # (the same in both scripts)
        assert current["href"] == "#" if page is pages[0] else current["href"].endswith("parallels.html")
    for before, page in zip(pages, pages[1:], strict=False):
        back = [a for a in page.select("article a.reference") if a.get_text() in ("上一页", "上一頁")]
        assert len(back) == 2  # above and below the clusters
        assert before.select_one(".reader-cluster")["id"] in {c["id"] for c in per_page[pages.index(before)]}


def test_parallels_page_quotes_a_bounded_number_of_a_clusters_paragraphs(capped):
    _variant, out, coll = capped
    clusters = [c for page in cluster_pages(out) for c in page.select(".reader-cluster")]
    assert len(clusters) == len(coll.parallel_clusters)
    big = 0
    for cluster, members in zip(clusters, coll.parallel_clusters, strict=True):
        title = cluster.select_one(".reader-cluster-title").get_text()
        assert f"{len(members)} " in title  # the whole cluster counted
        quoted = cluster.select(".reader-cluster-text")
        assert len(quoted) == min(len(members), CAPS["MAX_CLUSTER_QUOTED"])
        more = cluster.select_one(".reader-cluster-more")
        named = more.select("a.reference") if more else []
        assert len(named) == min(max(0, len(members) - CAPS["MAX_CLUSTER_QUOTED"]), CAPS["MAX_CLUSTER_NAMED"])
        links = [a["href"] for a in cluster.select("a.reference")]
        assert [h.rsplit("#", 1)[1] for h in links] == [m["ref"].rsplit("-", 1)[1] for m in members[: len(links)]]
        if len(members) > CAPS["MAX_CLUSTER_QUOTED"] + CAPS["MAX_CLUSTER_NAMED"]:
            big += 1
            assert f"{len(members)} " in more.get_text()
    assert big >= 1
