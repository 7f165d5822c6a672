"""Margin notes stay beside their paragraph (issue 22), measured in Chromium on
every source page at 1280 and 1600 px, before and after opening a comparison:
each note group's top against its paragraph's top, in lines of the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .tools.shoot import launch_chromium, serving

SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"

# For every note group: (paragraph id, note top - paragraph top in px, line height in px,
# the next paragraph's top or null, the group's left edge, the paragraph's right edge).
MEASURE = """() => Array.from(document.querySelectorAll('aside.reader-margin')).map(aside => {
  const id = aside.id.replace(/-margin$/, '');
  const para = document.getElementById(id);
  const a = aside.getBoundingClientRect(), p = para.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(para).lineHeight);
  return [id, a.top - p.top, line, a.left, p.right, aside.offsetParent !== null];
})"""


@pytest.fixture(scope="module")
def margin_server(site):
    with serving(site.outdir) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    with launch_chromium() as browser:
        yield browser


def source_pages(site) -> list[str]:
    out = Path(site.outdir) / "source"
    pages = []
    for path in sorted(out.glob("*.html")):
        if 'class="reader-margin"' in path.read_text(encoding="utf-8"):
            pages.append(f"source/{path.name}")
    return pages


def offsets(page) -> list[tuple[str, float]]:
    """(paragraph, distance of its notes' top from its top, in lines)."""
    rows = page.evaluate(MEASURE)
    assert rows, "no margin notes on the page"
    for pid, _dy, _line, left, right, visible in rows:
        assert visible, f"{pid}: notes hidden on a wide window"
        assert left >= right, f"{pid}: notes overlap their paragraph ({left} < {right})"
    return [(pid, abs(dy) / line) for pid, dy, line, *_rest in rows]


def check(found: list[tuple[str, float]], where: str) -> float:
    within = sum(1 for _pid, lines in found if lines <= 1.0) / len(found)
    worst = max(found, key=lambda f: f[1])
    assert within >= 0.95, f"{where}: only {within:.0%} of note groups within one line"
    assert worst[1] <= 3.0, f"{where}: notes of {worst[0]} are {worst[1]:.1f} lines from it"
    return within


@pytest.mark.parametrize("width", [1280, 1600])
def test_notes_start_level_with_their_paragraph(site, margin_server, chromium, width):
    pages = source_pages(site)
    assert len(pages) >= 5
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for name in pages:
            page.goto(margin_server + name)
            page.wait_for_load_state("networkidle")
            check(offsets(page), f"{name} at {width}px")
            # Open the first comparison: the later notes stay beside their paragraphs.
            summary = page.locator("details.reader-diff > summary").first
            if summary.count():
                summary.click(position={"x": 4, "y": 4})
                page.wait_for_function("document.querySelector('details.reader-diff').open")
                check(offsets(page), f"{name} at {width}px, one comparison open")
                page.keyboard.press("Escape")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(margin_server + "source/neizai-yaoqiu.html#p12")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"margins-neizai-yaoqiu-p12-{width}.png"))
        # The highlighted paragraph has its own notes beside it, headed by its number.
        aside = page.locator("#p12-margin")
        assert aside.locator(".reader-margin-num").inner_text() == "¶12"
        dy = aside.bounding_box()["y"] - page.locator("#p12").bounding_box()["y"]
        assert abs(dy) < 20
    finally:
        context.close()


def test_long_notes_fold_to_one_line_and_open(site, margin_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(margin_server + "source/neizai-yaoqiu.html")
        page.wait_for_load_state("networkidle")
        folded = page.locator(".reader-margin-note details.reader-fold").first
        summary = folded.locator("summary")
        closed = summary.bounding_box()["height"]
        assert closed < 30  # one line
        summary.click()
        page.wait_for_function("(el) => el.open", arg=folded.element_handle())
        assert summary.bounding_box()["height"] > 2 * closed
    finally:
        context.close()


def test_phone_shows_text_on_the_first_screen(site, margin_server, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for name in source_pages(site):
            page.goto(margin_server + name)
            page.wait_for_load_state("networkidle")
            top = page.evaluate("document.querySelector('.reader-block').getBoundingClientRect().top")
            assert top < 844 * 0.6, f"{name}: the first paragraph starts low on the first screen ({top}px)"
            assert page.locator("aside.reader-margin").first.is_hidden()
    finally:
        context.close()


def test_note_text_names_its_phrase_once_with_one_pair_of_quotes(site):
    """Issue 22: “新瓶装旧酒”“新瓶装旧酒”比喻…, ““牛鼻子””, and the label running into
    the text, in every margin of the built site."""
    from bs4 import BeautifulSoup

    twice = re.compile(r"“([^”]+)”[：:]?“\1”")
    checked = 0
    for path in sorted((Path(site.outdir) / "source").glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for item in soup.select(".reader-margin-item:not(.reader-margin-parallel)"):
            text = item.get_text()
            assert "““" not in text and "””" not in text, text
            assert not twice.search(text), text
            kind = item.select_one(".reader-margin-kind")
            assert kind.next_sibling.startswith(" "), text  # the label is a word of its own
            checked += 1
    assert checked > 20
