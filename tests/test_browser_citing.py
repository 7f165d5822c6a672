"""The citation panels in a real browser (issue 19), at desktop and phone widths:
what a citing scholar sees and copies."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from .test_browser import browser, page, server  # noqa: F401 (fixtures shared with the other browser tests)

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"


def test_paragraph_panel_offers_every_format_with_its_url(server, page):  # noqa: F811
    page.goto(server + "html/source/neizai-yaoqiu.html#p6")
    button = page.locator("button.reader-cite[data-anchor='p6']")
    button.click()
    panel = page.locator(".reader-cite-popover")
    panel.wait_for()
    assert panel.get_attribute("aria-label") == "第6段的引文格式"
    texts = dict(
        zip(
            panel.locator("dt").all_inner_texts(),
            panel.locator(".reader-cite-text").all_inner_texts(),
            strict=True,
        )
    )
    url = server + "html/source/neizai-yaoqiu.html#p6"
    assert texts["GB/T 7714-2015"] == "习近平. 发展新质生产力是推动高质量发展的内在要求和重要着力点[J]. 求是, 2024(11)."
    assert texts["GB/T 7714-2015 电子资源"].endswith(f"]. {url}.")
    assert texts["Chicago（注释）"].endswith("求是, no. 11 (June 2024): para. 6.")
    assert texts["APA"].startswith("习近平. (2024).")
    # The whole panel is on the screen, at both widths.
    box, width = panel.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"citing-paragraph-{page.width_name}.png"))
    # Each format copies on its own.
    panel.locator("button.reader-cite-copy").nth(1).click()
    # (a locator, not wait_for_function: the site's CSP forbids the eval it polls with)
    expect(panel.locator("button.reader-cite-copy").nth(1)).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == texts["GB/T 7714-2015 电子资源"]
    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    assert page.locator(".reader-cite-popover").count() == 0
    assert page.evaluate("document.activeElement.dataset.anchor") == "p6"
    assert not page.problems, page.problems


def test_source_panel_and_history_free_pages(server, page):  # noqa: F811
    page.goto(server + "html-hant/source/neihan-tezheng.html")
    summary = page.locator(".reader-cite-source summary")
    assert summary.inner_text() == "引用本篇"
    summary.click()
    online = page.locator(".reader-cite-source .reader-cite-text[data-format='gbt7714-online']")
    assert online.inner_text().endswith(f"]. {server}html-hant/source/neihan-tezheng.html.")
    assert page.locator(".reader-cite-source .reader-cite-text[data-format='gbt7714']").inner_text() == (
        "習近平經濟思想研究中心. 新質生產力的內涵特徵和發展重點[N]. 人民日報, 2024-03-01."
    )
    links = page.locator(".reader-cite-source a.reader-cite-download")
    assert links.all_inner_texts() == ["BibTeX", "RIS", "CSL-JSON"]
    for i in range(3):
        href = links.nth(i).get_attribute("href")
        response = page.request.get(server + "html-hant/source/" + href)
        assert response.ok and "新質生產力的內涵特徵和發展重點" in response.text()
    # The seeds are unedited since publication: no paragraph shows a history.
    assert page.locator("details.reader-history").count() == 0
    page.screenshot(path=str(SHOTS / f"citing-source-{page.width_name}.png"))
    assert not page.problems, page.problems
