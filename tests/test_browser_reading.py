"""Reading comfort in a real browser (issue 20), at 1280 and 390 px: previews and
Escape, tab order on a phone, focus, the 校 tooltip, marks, headings, bylines,
lang of glosses, the citation control, reader settings, the variant switch, one
search box, the landing page order, and no space between CJK characters.

Screenshots of what each test looks at go to tests/artifacts/screenshots/reading-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from reader.core.linebreaks import CJK_CLASS

from .test_browser import browser, server  # noqa: F401 (fixtures shared with the other browser tests)
from .util import READING_ORDER
from .waiting import never_appears, until

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# A character class usable in a JavaScript regular expression (u flag).
JS_CJK = "".join(f"\\u{{{ord(c):x}}}" if ord(c) > 0x7E else c for c in CJK_CLASS)


@pytest.fixture(params=sorted(WIDTHS))
def page(request, browser):  # noqa: F811 (the browser fixture)
    touch = request.param == "phone"
    context = browser.new_context(viewport=WIDTHS[request.param], has_touch=touch, is_mobile=touch)
    page = context.new_page()
    page.width_name = request.param
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    yield page
    assert page.problems == []
    context.close()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reading-{name}-{page.width_name}.png"))


def test_one_escape_closes_a_hovered_preview(server, page):  # noqa: F811
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    link = page.locator("#p6 a:has(.reader-term)").first
    preview = page.locator(".reader-preview")
    # When the pointer arrived and when the preview appeared, by the page's clock.
    page.evaluate(
        """() => {
          document.addEventListener('pointerover', e => { window.__arrived ??= e.timeStamp; }, true);
          new MutationObserver(() => {
            if (document.querySelector('.reader-preview')) window.__opened ??= performance.now();
          }).observe(document.body, { childList: true });
        }"""
    )
    link.hover()
    preview.wait_for(state="visible", timeout=2000)
    # A short delay: passing the mouse over a term opens nothing.
    assert page.evaluate("window.__opened - window.__arrived") >= 300
    shoot(page, "preview")
    page.keyboard.press("Escape")
    preview.wait_for(state="detached")
    never_appears(page, ".reader-preview")  # one Escape: nothing reopened it
    # From the keyboard: focus opens at once, one Escape closes, and it stays closed.
    link.focus()
    preview.wait_for(state="visible", timeout=300)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # back on the link
    preview.wait_for(state="visible")
    page.keyboard.press("Escape")
    preview.wait_for(state="detached")
    never_appears(page, ".reader-preview")


def test_no_langless_latin_text_in_glosses(server, page):  # noqa: F811
    page.goto(server + "html/source/glossary.html")
    bad = page.evaluate(
        """() => {
          const out = [];
          for (const el of document.querySelectorAll('.reader-term-facts')) {
            const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let t = walk.nextNode(); t; t = walk.nextNode()) {
              if (!/[A-Za-z\\u00c0-\\u024f]/.test(t.data)) continue;
              const lang = t.parentElement.closest('[lang]').getAttribute('lang');
              if (/^zh(-Han[st])?(-|$)/i.test(lang) && !/^zh-Latn/i.test(lang)) out.push(t.data);
            }
          }
          return out;
        }"""
    )
    assert bad == []
    assert page.locator(".reader-english[lang='en']").count() > 10
    assert page.locator(".reader-pinyin[lang='zh-Latn-pinyin']").count() > 10
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    page.locator("#p6 a:has(.reader-term)").first.focus()
    page.locator(".reader-preview").wait_for()
    assert page.locator(".reader-preview-english").get_attribute("lang") == "en"
    assert page.locator(".reader-preview-pinyin").get_attribute("lang") == "zh-Latn-pinyin"


def test_tab_reaches_the_notes_right_after_their_control(server, page):  # noqa: F811
    page.goto(server + "html/source/yindi-zhiyi.html#p7")
    page.locator("button.reader-cite[data-anchor='p7']").focus()
    page.keyboard.press("Tab")
    if page.width_name == "phone":
        focused = page.evaluate("document.activeElement.className")
        assert focused == "reader-margin-toggle"  # the 注 button comes before the notes it opens
        page.keyboard.press("Enter")
        assert page.locator("#p7-margin").is_visible()
        page.keyboard.press("Tab")
    # The next stop is inside the notes, not the next paragraph's number.
    assert page.evaluate("!!document.activeElement.closest('#p7-margin')")
    shoot(page, "tab-to-notes")


def test_sidebar_button_shows_keyboard_focus(server, page):  # noqa: F811
    page.goto(server + "html/source/neizai-yaoqiu.html")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.sidebar-toggle.primary-toggle')"):
            break
    else:
        pytest.fail("the sidebar button is not reachable with Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; })()"
    )
    assert (style[0] != "none" and style[1] >= 2) or style[2] != "none", style
    shoot(page, "sidebar-focus")


def test_correction_tooltip_inside_the_window(server, page):  # noqa: F811
    page.goto(server + "html/source/yindi-zhiyi.html")
    width = page.viewport_size["width"]
    for i in range(page.locator(".reader-corr").count()):
        corr = page.locator(".reader-corr").nth(i)
        corr.scroll_into_view_if_needed()
        if page.width_name == "phone":
            corr.tap()
        else:
            corr.hover()
        tip = page.locator(".reader-corr-tip")
        tip.wait_for()
        box = tip.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, box
        assert corr.get_attribute("data-original") in tip.inner_text()
        if i == 0:
            shoot(page, "correction")
        page.keyboard.press("Escape")
        page.mouse.move(1, 1)


# The mark 校 (generated after the corrected text) stays on the line of the text's
# last character, at every width from a small phone to a desktop.
MARK_ON_LAST_LINE = """() => [...document.querySelectorAll('.reader-corr')].map(corr => {
  const walk = document.createTreeWalker(corr, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let t = walk.nextNode(); t; t = walk.nextNode()) if (t.data.trim()) last = t;
  const range = document.createRange();
  range.setStart(last, last.data.length - 1);
  range.setEnd(last, last.data.length);
  const rects = corr.getClientRects();
  return Math.abs(range.getBoundingClientRect().top - rects[rects.length - 1].top) < 4;
})"""


def test_correction_mark_never_wraps_away_from_its_text(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for name in ("yindi-zhiyi", "neihan-tezheng"):
        page.goto(server + f"html/source/{name}.html")
        for width in range(320, 1400, 23):
            page.set_viewport_size({"width": width, "height": 900})
            assert all(page.evaluate(MARK_ON_LAST_LINE)), (name, width)
    context.close()


def test_marks_open_no_gaps_inside_words(server, page):  # noqa: F811
    page.goto(server + "html/source/neihan-tezheng.html")
    paddings = page.evaluate(
        "[...document.querySelectorAll('mark')].map(m => getComputedStyle(m).paddingLeft + getComputedStyle(m).paddingRight)"
    )
    assert paddings and set(paddings) == {"0px0px"}
    page.goto(server + "html/search.html?q=" + quote("新质生产力"))
    page.locator(".reader-search mark").first.wait_for()
    padding = page.locator(".reader-search mark").first.evaluate(
        "m => getComputedStyle(m).paddingLeft + getComputedStyle(m).paddingRight"
    )
    assert padding == "0px0px"


def test_numeral_headings_read_as_headings(server, page):  # noqa: F811
    page.goto(server + "html/source/yindi-zhiyi.html#s2")
    headings = page.locator("h2.reader-numeral-heading")
    assert headings.count() >= 10
    first = headings.first
    bar = first.evaluate("h => { const s = getComputedStyle(h, '::before'); return [s.content, s.backgroundColor]; }")
    assert bar[0] == '""' and bar[1] not in ("rgba(0, 0, 0, 0)", "transparent")
    # Every heading that is only a numeral has the class.
    texts = page.evaluate(
        "[...document.querySelectorAll('.bd-article h2')].filter(h => !h.classList.contains('reader-numeral-heading'))"
        ".map(h => h.textContent.replace(/[#¶]/g, '').trim())"
    )
    assert not any(re.fullmatch("[一二三四五六七八九十]+", t) for t in texts), texts
    shoot(page, "numeral-heading")


def test_byline_has_no_glossary_link(server, page):  # noqa: F811
    page.goto(server + "html/source/neihan-tezheng.html")
    byline = page.locator(".reader-byline")
    assert "习近平经济思想研究中心" in byline.inner_text()
    assert byline.locator("a").count() == 0
    assert page.locator(".reader-source a:has(.reader-term), .reader-dateline a:has(.reader-term)").count() == 0


NO_BREAK_SPACE = f"""() => {{
  const cjk = "[{JS_CJK}]";
  const newline = new RegExp(cjk + "[ \\\\t]*\\\\n\\\\s*" + cjk + "|" + cjk + "\\\\s*\\\\n[ \\\\t]*" + cjk, "u");
  const space = new RegExp(cjk + "\\\\s+" + cjk, "u");
  const bad = [];
  for (const p of document.querySelectorAll('.bd-article p')) {{
    if (newline.test(p.textContent)) bad.push(p.textContent.slice(0, 40));
  }}
  // What the reader sees: reading text and the landing page's intro and cards.
  for (const p of document.querySelectorAll('.reader-block > p, .bd-article > section > p, .sd-card p')) {{
    const m = p.innerText.match(space);
    if (m) bad.push(m[0]);
  }}
  return bad;
}}"""


@pytest.mark.parametrize("variant", ["html", "html-hant"])
def test_no_space_between_cjk_characters(server, page, site, variant):  # noqa: F811
    pages = ["index.html"] + sorted(
        p.relative_to(site.outdir).as_posix() for p in (Path(site.outdir) / "source").glob("*.html")
    )
    for name in pages:
        page.goto(server + f"{variant}/{name}")
        assert page.evaluate(NO_BREAK_SPACE) == [], name
    page.goto(server + f"{variant}/index.html")
    shoot(page, f"landing-{variant}")


def test_citation_control_is_visible_and_labelled(server, page):  # noqa: F811
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    button = page.locator("button.reader-cite[data-anchor='p6']")
    assert button.evaluate("b => getComputedStyle(b).opacity") == "1"
    assert button.get_attribute("aria-label") == "复制第6段的引文"
    box = button.bounding_box()
    assert box["width"] >= 20 and box["height"] >= 20 and box["x"] >= 0
    label = "b => getComputedStyle(b, '::after').display + ' ' + getComputedStyle(b, '::after').content"
    if page.width_name == "desktop":
        assert button.evaluate(label).startswith("none")
        button.hover()
        assert button.evaluate(label) == 'block "引用"'  # shown (a flex item: blockified)
        shoot(page, "cite-hover")
        page.mouse.move(1, 1)
    else:
        # No hover on a touch screen: the icon is shown at full strength.
        assert button.evaluate("b => getComputedStyle(b).color") == page.evaluate(
            "getComputedStyle(document.body).color"
        )
        shoot(page, "cite-touch")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus: the label shows too
    assert button.evaluate(label) == 'block "引用"'  # shown (a flex item: blockified)


def press_in_place(page, locator):
    """A click or tap where the element is on screen. Playwright's own click first
    scrolls the element "into view", which for the sticky header scrolls the page."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if page.width_name == "phone":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def _settings(page, in_place=False):
    if in_place:
        press_in_place(page, page.locator(".reader-settings-button"))
    else:
        page.locator(".reader-settings-button").click()
    panel = page.locator("#reader-settings-panel")
    panel.wait_for(state="visible")
    return panel


def test_settings_persist_across_a_reload(server, page):  # noqa: F811
    page.goto(server + "html/source/yindi-zhiyi.html#p7")
    text = page.locator("#p7")
    size = text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    panel = _settings(page)
    shoot(page, "settings")
    panel.locator("label.reader-settings-size-l").click()
    panel.locator("input[name='reader-notes']").uncheck()
    panel.locator("input[name='reader-terms']").uncheck()
    page.keyboard.press("Escape")
    assert not panel.is_visible()

    def check_plain():
        assert text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") == pytest.approx(size * 1.18, rel=0.02)
        assert not page.locator("#p7-margin").is_visible()
        assert page.locator(".reader-margin-toggle:visible").count() == 0
        term = page.locator("#p7 a:has(.reader-term)").first
        assert term.evaluate("a => getComputedStyle(a.firstElementChild).textDecorationLine") == "none"
        assert term.get_attribute("tabindex") == "-1"
        term.hover(force=True)
        never_appears(page, ".reader-preview")

    check_plain()
    page.reload()
    check_plain()
    shoot(page, "settings-plain")
    panel = _settings(page)
    assert panel.locator("input[value='l']").is_checked()
    assert not panel.locator("input[name='reader-notes']").is_checked()
    panel.locator("label.reader-settings-size-m").click()
    panel.locator("input[name='reader-notes']").check()
    panel.locator("input[name='reader-terms']").check()
    page.reload()
    assert text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") == pytest.approx(size)
    assert page.locator("#p7 a:has(.reader-term)").first.get_attribute("tabindex") is None


def test_without_javascript_the_default_view(server, browser):  # noqa: F811
    context = browser.new_context(viewport=WIDTHS["desktop"], java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "html/source/yindi-zhiyi.html#p7")
    assert page.locator(".reader-settings-button").count() == 0
    assert page.locator("#p7-margin").is_visible()
    assert (
        page.locator("#p7 a:has(.reader-term)").first.evaluate(
            "a => getComputedStyle(a.firstElementChild).textDecorationLine"
        )
        == "underline"
    )
    context.close()


def test_variant_switch_keeps_the_paragraph_at_the_top(server, page):  # noqa: F811
    page.goto(server + "html/source/yindi-zhiyi.html")
    page.locator("#p9").evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY"
        " - document.querySelector('.bd-header-article').offsetHeight - 8)"
    )
    until(page, "window.READER_TOP_ANCHOR()", "p9")
    panel = _settings(page, in_place=True)  # in the header: no need to scroll back to the top
    assert page.evaluate("window.READER_TOP_ANCHOR()") == "p9"  # opening it scrolled nothing
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("window.READER_TOP_ANCHOR()") == "p9"
    press_in_place(page, panel.locator("a.reader-settings-variant"))
    page.wait_for_url("**/html-hant/source/yindi-zhiyi.html#p9")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-TW"
    # The paragraph is at the top of the screen, below the header (and its scroll margin).
    offset = (
        "document.getElementById('p9').getBoundingClientRect().top"
        " - document.querySelector('.bd-header-article').getBoundingClientRect().bottom"
    )
    until(page, f"(({offset}) >= 0 && ({offset}) <= 100)", message="p9 is not at the top of the screen")
    shoot(page, "variant-landed")
    # Reachable from the search page too, keeping the query.
    page.goto(server + "html/search.html?q=" + quote("因地制宜"))
    page.locator(".reader-variant-switch a").click()
    page.wait_for_url("**/html-hant/search.html?q=*")
    assert "q=" + quote("因地制宜") in page.url


def test_one_search_box(server, page):  # noqa: F811
    page.goto(server + "html/source/neizai-yaoqiu.html")
    visible = page.locator(".search-button__button:visible, .search-button-field:visible, form.bd-search:visible")
    assert visible.count() == 1
    visible.first.click()
    page.locator("#pst-search-dialog input").wait_for(state="visible")  # the theme's own search dialog


def test_landing_cards_in_date_order(server, page, site):  # noqa: F811
    from reader.core.pipeline import load_collection

    page.goto(server + "html/index.html")
    assert "各篇按文献日期先后排列" in page.locator(".bd-article").inner_text()
    titles = page.locator(".reader-source-card .sd-card-title").all_inner_texts()
    docs = {d.slug: d for d in load_collection(Path(site.srcdir)).docs}
    # The order written out by hand (tests/util.py), not recomputed by the code that sorts.
    assert [t.strip() for t in titles] == [docs[slug].title for slug in READING_ORDER]


def test_reading_position_is_offered_on_return(server, page):  # noqa: F811
    page.goto(server + "html/source/neizai-yaoqiu.html")
    assert page.locator(".reader-resume").count() == 0  # nothing remembered yet
    page.locator("#p9").evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY"
        " - document.querySelector('.bd-header-article').offsetHeight - 8)"
    )
    remembered = "JSON.parse(localStorage.getItem('reader-positions') || '{}')[location.pathname]?.a"
    until(page, remembered, "p9", message="the position of p9 was never remembered")
    page.goto(server + "html/source/neizai-yaoqiu.html")
    assert page.evaluate("window.scrollY") < 2  # no jump of its own
    resume = page.locator(".reader-resume a")
    assert resume.inner_text() == "接着上次读：第9段"
    shoot(page, "resume")
    resume.click()
    page.wait_for_url("**#p9")
    assert page.locator(".reader-resume").count() == 0
    # A link to a paragraph is not second-guessed.
    page.goto(server + "html/source/neizai-yaoqiu.html#p3")
    assert page.locator(".reader-resume").count() == 0
