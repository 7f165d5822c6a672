"""The reader in a real browser (Debian's Chromium driven by Playwright), at a
desktop and a phone width: anchors, citation, glossary previews, margin notes,
the variant switch, search, print, accessibility, no console errors.

Screenshots of every page at both widths go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .tools.shoot import launch_chromium, serving
from .waiting import until

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
TERMS = {t["id"]: t for t in tomllib.loads((ROOT / "glossary" / "terms.toml").read_text(encoding="utf-8"))["term"]}
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(site, site_hant, tmp_path_factory):
    """Both variants side by side, as they are published: /html/ and /html-hant/."""
    root = tmp_path_factory.mktemp("published")
    (root / "html").symlink_to(Path(site.outdir))
    (root / "html-hant").symlink_to(Path(site_hant.outdir))
    with serving(root) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser):
    touch = request.param == "phone"
    context = browser.new_context(viewport=VIEWPORTS[request.param], has_touch=touch, is_mobile=touch)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.width_name = request.param
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    yield page
    context.close()


def pages_of(site) -> list[str]:
    out = Path(site.outdir)
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.name.startswith("_"))


def test_every_page_loads_cleanly_and_is_photographed(site, server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for variant in ("html", "html-hant"):
        for name in pages_of(site) + (["variant-review.html"] if variant == "html-hant" else []):
            if name.startswith("_static") or name.startswith("_sources"):
                continue
            page.goto(server + f"{variant}/{name}")
            page.wait_for_load_state("networkidle")
            shot = SHOTS / f"{variant}-{name.replace('/', '_')[:-5]}-{page.width_name}.png"
            page.screenshot(path=str(shot), full_page=name.startswith("source/") and variant == "html")
    assert page.problems == []


def test_anchor_scrolls_and_highlights(server, page):
    page.goto(server + "html/source/neizai-yaoqiu.html#p12")
    target = page.locator("#p12")
    # Scrolled to the paragraph, and highlighted (once any transition has run).
    until(
        page,
        "(() => { const r = document.getElementById('p12').getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; })()",
    )
    until(
        page,
        "!['rgba(0, 0, 0, 0)', 'transparent'].includes(getComputedStyle(document.getElementById('p12'))"
        ".backgroundColor)",
    )
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    assert page.evaluate("document.querySelector(':target').id") == "p12"


def test_paragraph_number_link_and_copy_citation(server, page):
    page.goto(server + "html/source/neizai-yaoqiu.html")
    page.locator("a.reader-pnum[href='#p6']").click()
    assert page.url.endswith("#p6")
    page.locator("button.reader-cite[data-anchor='p6']").click()
    expect(page.locator(".reader-status")).to_contain_text("已复制引文")  # copied, and announced
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "习近平：《发展新质生产力是推动高质量发展的内在要求和重要着力点》（2024年1月31日），《求是》2024年第11期，"
        f"第6段。{server}html/source/neizai-yaoqiu.html#p6"
    )
    assert "已复制引文" in page.locator(".reader-status").inner_text()


def test_glossary_preview_on_hover_focus_and_tap(server, page):
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    link = page.locator("#p6 a:has(.reader-term)").first
    preview = page.locator(".reader-preview")
    if page.width_name == "desktop":
        link.hover()
        preview.wait_for(state="visible")
        assert preview.locator(".reader-preview-term").inner_text() == "新质生产力"
        assert preview.locator(".reader-preview-pinyin").inner_text() == "xīn zhì shēng chǎn lì"
        page.mouse.move(5, 5)
        preview.wait_for(state="detached")
        link.focus()
        preview.wait_for(state="visible")
        page.keyboard.press("Escape")
        preview.wait_for(state="detached")
    else:
        url = page.url
        link.tap()
        preview.wait_for(state="visible")
        assert page.url == url  # the first tap previews, it does not navigate
        assert (
            preview.locator(".reader-preview-definition").inner_text() == TERMS["xin-zhi-sheng-chan-li"]["definition"]
        )
        page.touchscreen.tap(6, 420)  # elsewhere
        preview.wait_for(state="detached")


def test_margin_notes_beside_the_paragraph_or_behind_a_control(server, page):
    page.goto(server + "html/source/yindi-zhiyi.html#p7")
    page.locator(".reader-block:has(#p7) > .reader-margin-toggle").wait_for(state="attached")  # reader.js ran
    aside = page.locator("#p7-margin")
    paragraph = page.locator("#p7")
    if page.width_name == "desktop":
        assert aside.is_visible()
        a, p = aside.bounding_box(), paragraph.bounding_box()
        assert a["x"] >= p["x"] + p["width"]  # in the right margin
    else:
        button = page.locator("#p7-margin ~ .reader-margin-toggle, .reader-block:has(#p7) > .reader-margin-toggle")
        assert not aside.is_visible()
        assert button.get_attribute("aria-expanded") == "false"
        button.focus()
        page.keyboard.press("Enter")  # the keyboard opens it
        assert aside.is_visible() and button.get_attribute("aria-expanded") == "true"
        button.click()
        assert not aside.is_visible()


def test_long_margin_notes_stay_clickable_beside_later_paragraphs(server, browser):
    """On a wide window a paragraph's notes stay in its own grid row (issue 22), never
    beside the next paragraph; a real click opens the comparison of a parallel."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    last = page.locator("#p6-margin .reader-margin-parallel details").last
    last.locator("summary").scroll_into_view_if_needed()
    next_paragraph = page.locator("#p7").bounding_box()
    assert last.bounding_box()["y"] < next_paragraph["y"]  # beside its own paragraph
    last.locator("summary").click(timeout=5000)
    assert last.get_attribute("open") is not None
    context.close()


def test_variant_switch_lands_on_the_same_paragraph(server, page):
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    page.locator("a.reader-variant-link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/html-hant/source/neizai-yaoqiu.html#p6")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-TW"
    assert "什麼是新質生產力" in page.locator("#p6").inner_text()
    page.locator("a.reader-variant-link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/html/source/neizai-yaoqiu.html#p6")


# (variant, query, paragraphs among the results, the words marked in the first snippet:
# the query as the site writes it, so a simplified query is marked in traditional text)
SEARCHES = [
    ("html", "全要素生产率", ["neizai-yaoqiu.html#p6", "yindi-zhiyi.html#p3"], "全要素生产率"),
    ("html", "因地制宜发展", ["yindi-zhiyi.html#p9", "beijing-ziliao.html#p5"], "因地制宜发展"),
    ("html", "工业母机", ["yindi-zhiyi.html#p11"], "工业母机"),
    ("html-hant", "全要素生產率", ["neizai-yaoqiu.html#p6"], "全要素生產率"),
    ("html-hant", "新型舉國體制", ["neizai-yaoqiu.html#p8"], "新型舉國體制"),
    (
        "html-hant",
        "因地制宜发展",
        ["yindi-zhiyi.html#p9"],
        "因地制宜發展",
    ),  # a simplified query in the traditional site
]


@pytest.mark.parametrize("variant, query, expected, marked", SEARCHES, ids=[s[1] for s in SEARCHES])
def test_search(server, browser, variant, query, expected, marked):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(server + f"{variant}/search.html?q={quote(query)}")
    page.locator(".reader-search li").first.wait_for()
    links = page.locator(".reader-search li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    # A result links to its paragraph with the words to mark: page?hl=…#pN.
    targets = [link.split("?")[0] + "#" + link.split("#")[-1] for link in links]
    for anchor in expected:
        assert any(target.endswith(anchor) for target in targets), (anchor, targets)
    # The first result's snippet marks the query, whole (the words the site writes).
    first = page.locator(".reader-search li").first.locator("mark")
    assert "".join(first.all_inner_texts()).startswith(marked), first.all_inner_texts()
    # One list: Sphinx's page-level search (which hung on 9.0.4's stemmer) is not on the page.
    assert page.locator("#search-results p.search-summary").count() == 0
    assert problems == []
    context.close()


def test_print_stylesheet(server, page):
    page.goto(server + "html/source/yindi-zhiyi.html")
    page.emulate_media(media="print")
    assert not page.locator(".bd-sidebar-primary").is_visible()
    assert page.locator("a.reader-pnum").first.is_visible()
    assert page.locator("#p7-margin").is_visible()
    assert not page.locator("button.reader-cite").first.is_visible()


def test_accessibility(server, page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    langs = {"html": "zh-Hans-CN", "html-hant": "zh-Hant-TW"}
    for name in ("html/source/neizai-yaoqiu.html", "html-hant/source/yindi-zhiyi.html", "html/source/glossary.html"):
        page.goto(server + name)
        results = axe.run(page)
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (name, serious)
        assert page.evaluate("document.documentElement.lang") == langs[name.split("/")[0]]
