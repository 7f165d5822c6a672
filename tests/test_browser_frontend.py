"""The front end's contracts in a real browser: a glossary preview is a popover
(a non-modal dialog the keyboard can enter and leave), the margin's one
breakpoint (read by the script from the stylesheet) on both sides of 1200 px,
and the interface strings of the stylesheet from the one table, per variant."""

from __future__ import annotations

import pytest

from .test_browser import browser, server  # noqa: F401 (fixtures shared with the other browser tests)
from .waiting import until

ACTIVE_IN_PREVIEW = "!!document.activeElement.closest('.reader-preview')"


@pytest.fixture
def desktop(browser):  # noqa: F811 (the browser fixture)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert problems == []


@pytest.mark.parametrize(
    "variant, label", [("html", "词条预览：新质生产力"), ("html-hant", "詞條預覽：新質生產力")], ids=["hans", "hant"]
)
def test_preview_is_a_popover_the_keyboard_enters_and_leaves(server, desktop, variant, label):  # noqa: F811
    page = desktop
    page.goto(server + f"{variant}/source/neizai-yaoqiu.html#p6")
    link = page.locator("#p6 a:has(.reader-term)").first
    preview = page.locator(".reader-preview")
    link.focus()
    preview.wait_for(state="visible")
    # A dialog with a name (it holds a link: not a tooltip), not modal; the term says it opened it.
    assert preview.get_attribute("role") == "dialog"
    assert preview.get_attribute("aria-label") == label
    assert preview.get_attribute("aria-modal") is None
    assert link.get_attribute("aria-expanded") == "true"
    assert link.get_attribute("aria-controls") == preview.get_attribute("id")
    # Tab goes into the preview, to its link to the entry; Shift+Tab back to the term.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "reader-preview-more"
    assert page.evaluate("document.activeElement.href") == link.evaluate("a => a.href")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement") == link.evaluate("a => a")
    assert preview.is_visible()
    # Tab out of the preview: it closes, and the focus goes on to what follows the term.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_IN_PREVIEW) is False
    follows = link.evaluate(
        "a => !!(a.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert follows
    # This term's preview closed (the next stop, when it is a term, opens its own).
    assert link.get_attribute("aria-expanded") == "false"
    assert link.get_attribute("aria-controls") is None
    opened = page.locator(".reader-preview-term").all_inner_texts()
    assert opened in ([], [page.evaluate("document.activeElement.innerText")]), opened
    # Escape from inside the preview closes it and puts the focus back on the term.
    link.focus()
    preview.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_IN_PREVIEW)
    page.keyboard.press("Escape")
    preview.wait_for(state="detached")
    assert page.evaluate("document.activeElement") == link.evaluate("a => a")
    assert link.get_attribute("aria-expanded") == "false"


LAYOUT = "getComputedStyle(document.documentElement).getPropertyValue('--reader-margin-layout').trim()"


def test_one_breakpoint_on_both_sides_of_1200px(server, browser):  # noqa: F811
    """Notes beside the text from 1200 px, behind a button below; the script follows
    the stylesheet, also when the window is resized across the breakpoint."""
    context = browser.new_context(viewport={"width": 1201, "height": 900})
    page = context.new_page()
    page.goto(server + "html/source/yindi-zhiyi.html#p7")
    aside = page.locator("#p7-margin")
    button = page.locator(".reader-block:has(#p7) > .reader-margin-toggle")
    button.wait_for(state="attached")  # reader.js ran

    def wide():
        assert page.evaluate(LAYOUT) == "wide"
        until(page, "!document.getElementById('p7-margin').hidden")
        assert aside.is_visible() and not button.is_visible()
        a, p = aside.bounding_box(), page.locator("#p7").bounding_box()
        assert a["x"] >= p["x"] + p["width"]  # in the right margin

    def narrow():
        assert page.evaluate(LAYOUT) == "narrow"
        until(page, "document.getElementById('p7-margin').hidden")
        assert button.is_visible() and not aside.is_visible()
        assert button.get_attribute("aria-expanded") == "false"

    wide()
    page.set_viewport_size({"width": 1199, "height": 900})
    narrow()
    page.set_viewport_size({"width": 1201, "height": 900})
    wide()
    # Loaded narrow from the start.
    page.set_viewport_size({"width": 1199, "height": 900})
    page.reload()
    button.wait_for(state="attached")
    narrow()
    context.close()


@pytest.mark.parametrize(
    "variant, figure, quotes",
    [
        ("html", "图表文字（据原图逐行录入）", ("原作“", "”")),
        ("html-hant", "圖表文字（據原圖逐行錄入）", ("原作「", "」")),
    ],
    ids=["hans", "hant"],
)
def test_stylesheet_strings_come_from_the_table(server, desktop, variant, figure, quotes):  # noqa: F811
    page = desktop
    page.goto(server + f"{variant}/source/neihan-tezheng.html")
    content = "(sel, pseudo) => getComputedStyle(document.querySelector(sel), pseudo).content"
    assert page.evaluate(f"({content})('.reader-figure > .line-block', '::before')") == f'"{figure}"'
    assert page.evaluate(f"({content})('.reader-cite', '::after')") == '"引用"'
    assert page.evaluate(f"({content})('.reader-corr', '::after')") == '"\u2060校"'
    root = "getComputedStyle(document.documentElement).getPropertyValue"
    assert page.evaluate(f"[{root}('--reader-css-original-open'), {root}('--reader-css-original-close')]") == [
        f'"{quotes[0]}"',
        f'"{quotes[1]}"',
    ]
