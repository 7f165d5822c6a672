"""Search in a real browser (issue 17), on both sites: ranking, forgiving input,
one result list, filters, search as you type, the query marked where a result
lands, and the bytes a query downloads. Screenshots: search-*.png.

Waits go through locators and URLs, not page-side functions, which a
Content-Security-Policy without eval would block."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import expect

from .test_browser import SHOTS, VIEWPORTS, browser, server  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
VARIANTS = ["html", "html-hant"]
NOTHING = ("没有匹配", "沒有匹配", "没有找到", "沒有找到", "没有完全", "沒有完全")


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    yield page
    assert page.problems == []
    context.close()


def search(page, server, variant, query, extra=""):  # noqa: F811
    page.goto(server + f"{variant}/search.html?q={quote(query)}{extra}")
    page.locator(".reader-search[data-state=done]").wait_for()
    # The suggestion, when there is one, comes after the list.
    page.wait_for_load_state("networkidle")
    return page.locator(".reader-search li a.reader-search-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def anchors(links):
    return [link.split("/")[-1].replace(".html", "").split("?")[0] + "#" + link.split("#")[1] for link in links]


RANKED = [
    ("新质生产力", "neizai-yaoqiu#p6", 2),
    ("全要素生产率", "neizai-yaoqiu#p6", 3),
    ("先立后破", "yindi-zhiyi#p7", 3),
    ("劳动者 劳动资料 劳动对象", "neihan-tezheng#p2", 3),
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_ranking_puts_the_defining_paragraph_first(server, page, variant):  # noqa: F811
    for query, anchor, top in RANKED:
        found = anchors(search(page, server, variant, query))
        assert anchor in found[:top], (query, found[:5])
        text = page.locator("#search-results").inner_text()
        assert not any(n in text for n in NOTHING), (query, text[:200])
        # One list: Sphinx's page-level results are gone.
        assert page.locator("#search-results .search-summary, ul.search").count() == 0
        count = page.locator(".reader-search-count").inner_text()
        assert "段" in count
    page.screenshot(path=str(SHOTS / f"search-{variant}-ranked.png"))


FORGIVING = [
    ("html", "新質生產力", "neizai-yaoqiu#p6"),  # traditional input on the simplified site
    ("html", "xinzhi shengchanli", "neizai-yaoqiu#p6"),
    ("html", "xinzhishengchanli", "neizai-yaoqiu#p6"),
    ("html", "xīnzhì shēngchǎnlì", "neizai-yaoqiu#p6"),
    ("html", "xzscl", "neizai-yaoqiu#p6"),  # a glossary term's initials
    ("html-hant", "科技创新", None),  # simplified input on the traditional site
    ("html-hant", "科技創新", None),
    ("html-hant", "xinzhi shengchanli", "neizai-yaoqiu#p6"),
    ("html-hant", "xzscl", "neizai-yaoqiu#p6"),
]


@pytest.mark.parametrize("variant, query, anchor", FORGIVING, ids=[f"{v}-{q}" for v, q, _ in FORGIVING])
def test_forgiving_input(server, page, variant, query, anchor):  # noqa: F811
    found = anchors(search(page, server, variant, query))
    assert found, query
    if anchor:
        assert anchor in found[:2], found[:5]
    assert page.locator(".reader-search li mark").count() > 0


@pytest.mark.parametrize("variant", VARIANTS)
def test_near_miss_suggests(server, page, variant):  # noqa: F811
    assert search(page, server, variant, "新质生产率") == []
    page.locator(".reader-search-suggest a").wait_for()
    want = "新质生产力" if variant == "html" else "新質生產力"
    assert page.locator(".reader-search-suggest a").inner_text() == want
    page.screenshot(path=str(SHOTS / f"search-{variant}-suggest.png"))
    page.locator(".reader-search-suggest a").click()
    page.locator(".reader-search li").first.wait_for()
    assert "q=" + quote(want) in page.url


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_result_lands_on_its_paragraph_with_the_query_marked(server, page, variant):  # noqa: F811
    query = "全要素生产率"
    links = search(page, server, variant, query)
    assert len(links) >= 3
    base = page.url
    for link in links[:4]:
        page.goto(base)
        page.locator(".reader-search[data-state=done]").wait_for()
        page.locator(f'.reader-search a.reader-search-link[href="{link}"]').click()
        anchor = link.split("#")[1]
        page.wait_for_url(f"**#{anchor}")
        page.locator(f"#{anchor} mark.reader-hit").first.wait_for()
        marked = page.locator(f"#{anchor} mark.reader-hit-current").evaluate_all(
            "els => els.map(e => e.textContent).join('')"
        )
        assert marked in (query, "全要素生產率"), marked
        # The paragraph (its current hit) is on screen.
        box = page.locator(f"#{anchor} mark.reader-hit-current").first.bounding_box()
        assert box and 0 <= box["y"] < VIEWPORTS["desktop"]["height"]
    # Step to the next hit.
    bar = page.locator(".reader-hit-bar")
    before = bar.locator(".reader-hit-count").inner_text()
    bar.locator(".reader-hit-next").click()
    assert bar.locator(".reader-hit-count").inner_text() != before
    current = page.locator("mark.reader-hit-current").first
    box = current.bounding_box()
    assert box and 0 <= box["y"] < VIEWPORTS["desktop"]["height"]
    page.screenshot(path=str(SHOTS / f"search-{variant}-landed.png"))


@pytest.mark.parametrize("variant", VARIANTS)
def test_filters_by_source_kind_and_date(server, page, variant):  # noqa: F811
    everything = search(page, server, variant, "发展")
    assert {link.split("#")[0].split("?")[0].split("/")[-1] for link in everything} >= {
        "neizai-yaoqiu.html",
        "yindi-zhiyi.html",
    }
    by_kind = search(page, server, variant, "发展", "&kind=speech")
    assert by_kind and all("neizai-yaoqiu.html" in link for link in by_kind)
    by_source = search(page, server, variant, "发展", "&src=beijing-ziliao")
    assert by_source and all("beijing-ziliao.html" in link for link in by_source)
    by_date = search(page, server, variant, "发展", "&from=2025")
    assert by_date and all("yindi-zhiyi.html" in link for link in by_date)
    # The controls change the list too, and the URL keeps them.
    search(page, server, variant, "发展")
    page.select_option(".reader-search-filters select[name=kind]", "speech")
    page.wait_for_url("**kind=speech**")
    expect(page.locator(".reader-search-link").first).to_be_visible()
    expect(page.locator(".reader-search-link:not([href*='neizai-yaoqiu'])")).to_have_count(0)


@pytest.mark.parametrize("variant", VARIANTS)
def test_search_as_you_type_and_see_them_all(server, page, variant):  # noqa: F811
    page.goto(server + f"{variant}/search.html")
    page.locator(".reader-search-filters").wait_for()
    page.locator("form.reader-search-form input").press_sequentially("先立后破", delay=30)
    page.locator(".reader-search li").first.wait_for()
    assert "yindi-zhiyi.html" in page.locator(".reader-search li a").first.get_attribute("href")
    assert "q=" in page.url
    # All the hits, twenty at a time.
    search(page, server, variant, "发展")
    count = int("".join(c for c in page.locator(".reader-search-count").inner_text() if c.isdigit()))
    assert count > 20
    while page.locator(".reader-search-more:visible").count():
        shown = page.locator(".reader-search li").count()
        page.locator(".reader-search-more").click()
        page.locator(".reader-search li").nth(shown).wait_for()
    final = int("".join(c for c in page.locator(".reader-search-count").inner_text() if c.isdigit()))
    assert page.locator(".reader-search li").count() == final
    assert "约" not in page.locator(".reader-search-count").inner_text()


def test_a_query_downloads_a_part_of_the_index(server, page, site):  # noqa: F811
    """The bytes a query loads (the index files), against the whole index; the
    browser's hash of a token names the same shard as Python's."""
    from reader.core.searchindex import fnv1a

    search(page, server, "html", "新质生产力")
    loaded = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/_search/'))"
        ".map(e => [e.name, e.encodedBodySize])"
    )
    total = sum(p.stat().st_size for p in (Path(site.outdir) / "_search").rglob("*.js"))
    used = sum(size for _, size in loaded)
    assert 0 < used < min(300_000, total * 0.6), (used, total)
    shards = {unquote(name).rsplit("/", 1)[-1] for name, _ in loaded if "/_search/t/" in name}
    meta = (Path(site.outdir) / "_search" / "meta.js").read_text(encoding="utf-8")
    n = json.loads(meta[meta.index(",") + 1 : meta.rindex(")")])["shards"]
    assert {f"{fnv1a(tok) % n}.js" for tok in ("新质", "质生", "生产", "产力")} == shards


def test_phone_width_lands_with_the_bar_on_screen(server, browser):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS["phone"], has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + "html-hant/search.html?q=" + quote("先立后破"))
    page.locator(".reader-search[data-state=done]").wait_for()
    page.locator(".reader-search-link").first.click()
    page.locator("#p7 mark.reader-hit-current").first.wait_for()
    assert (
        page.locator("#p7 mark.reader-hit-current").evaluate_all("els => els.map(e => e.textContent).join('')")
        == "先立後破"
    )
    bar = page.locator(".reader-hit-bar").bounding_box()
    assert bar and bar["x"] >= 0 and bar["x"] + bar["width"] <= VIEWPORTS["phone"]["width"]
    page.screenshot(path=str(SHOTS / "search-html-hant-landed-phone.png"))
    context.close()
