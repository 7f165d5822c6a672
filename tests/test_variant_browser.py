"""Every page of both variants as Chromium renders it: no simplified-only
character in the traditional site (text, title, aria-label, placeholder, alt,
the document title), no English interface words in either; the search summary
is written; the side-by-side review page shows its three states."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reader.interface import simplified_only

from .tools.shoot import launch_chromium, start_server

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
# Words in Latin letters that are names, not interface words.
# (citation formats and file types are names too: BibTeX, RIS, CSL-JSON, APA, GB/T 7714)
NAMES = {"OpenCC", "PDF", "CSV", "JavaScript", "Ctrl", "BibTeX", "RIS", "CSL", "JSON", "APA", "Chicago", "EPUB"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")

# What a reader sees: text nodes (not in scripts, code, the other variant's
# name, the glossary's English and pinyin), the interface attributes, the title.
# A text of the sources (inside a paragraph p12) may hold English (a graphic's
# caption): it is checked for simplified characters, not for English words.
COLLECT = """(other) => {
  const skip = "script, style, noscript, code, pre, kbd, samp, [lang|='" + other + "'], [lang|='en'], "
    + ".reader-english, .reader-preview-english, .reader-pinyin, .reader-preview-pinyin";
  const inSource = (el) => {
    for (; el; el = el.parentElement) if (/^p\\d+[a-z]?$/.test(el.id || "")) return true;
    return false;
  };
  const out = [["title", document.title, false]];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest(skip)) continue;
    out.push(["text", node.textContent.trim(), inSource(node.parentElement)]);
  }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (el.closest(skip)) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      const value = el.getAttribute(name);
      if (value) out.push([name, value, false]);
    }
  }
  return out;
}"""


serve = start_server  # (server, base URL); the test shuts it down


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


def pages_of(out: Path) -> list[str]:
    return sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.relative_to(out).parts[0] == "_static"
    )


def english_words(value: str) -> list[str]:
    flat = re.sub(r"\S+\.(?:cn|com|org|html|toml|csv|json|txt)\S*|https?://\S+|s2\w+", " ", value)
    return [w for w in ENGLISH_WORD.findall(flat) if w not in NAMES]


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_every_page_is_chinese(variant, site, site_hant, browser):
    app = site_hant if variant == "hant" else site
    out = Path(app.outdir)
    odd = simplified_only()
    httpd, base = serve(out)
    page = browser.new_page()
    problems = []
    try:
        names = pages_of(out)
        assert len(names) >= 10
        for name in names:
            page.goto(base + name, wait_until="load")
            # The link to the other variant names it in its own script.
            other = "zh-Hans" if variant == "hant" else "zh-Hant"
            for where, value, source_text in page.evaluate(COLLECT, other):
                words = [] if source_text else english_words(value)
                if words:
                    problems.append(f"{name} {where}: English {words} in {value[:60]!r}")
                if variant == "hant":
                    chars = sorted({ch for ch in value if ch in odd})
                    if chars and name != "variant-review.html":
                        problems.append(f"{name} {where}: simplified {chars} in {value[:60]!r}")
    finally:
        page.close()
        httpd.shutdown()
    assert not problems, "\n".join(problems[:40])


def test_review_list_shows_simplified_only_in_its_simplified_cells(site_hant, browser):
    """The review list quotes simplified characters on purpose: only in cells marked
    lang="zh-Hans" (which the check above leaves out), never elsewhere."""
    out = Path(site_hant.outdir)
    httpd, base = serve(out)
    page = browser.new_page()
    try:
        page.goto(base + "variant-review.html", wait_until="load")
        odd = simplified_only()
        values = [v for _w, v, _s in page.evaluate(COLLECT, "zh-Hans")]
    finally:
        page.close()
        httpd.shutdown()
    assert not [v for v in values if any(ch in odd for ch in v)]


@pytest.mark.parametrize("variant, query", [("hans", "新质生产力"), ("hant", "新質生產力")])
def test_search_summary_is_written(variant, query, site, site_hant, browser):
    """zh_TW's catalogue left "Search finished…" empty: the summary line was blank.
    (The search page is the reader's own since issue 17: its count line is the summary.)"""
    out = Path((site_hant if variant == "hant" else site).outdir)
    httpd, base = serve(out)
    page = browser.new_page()
    try:
        page.goto(f"{base}search.html?q={query}", wait_until="load")
        summary = page.locator(".reader-search-count")
        summary.wait_for(state="visible", timeout=20000)
        text = summary.inner_text()
    finally:
        page.close()
        httpd.shutdown()
    assert re.search(r"\d", text) and ("段（按相關度排列）" if variant == "hant" else "段（按相关度排列）") in text, (
        text
    )


def test_side_by_side_page_shows_three_states(make_app, tmp_path, browser):
    src = tmp_path / "variant"
    shutil.copytree(ROOT / "tests" / "roots" / "test-variant", src)
    app = make_app(
        "html",
        srcdir=src,
        freshenv=True,
        confoverrides={
            "reader_variant": "hant",
            "language": "zh_TW",
            "reader_house_style": str(ROOT / "variant" / "house-style.toml"),
            "reader_interface_file": str(ROOT / "variant" / "interface.toml"),
        },
    )
    app.build()
    httpd, base = serve(Path(app.outdir))
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    try:
        page.goto(base + "variant-review/one.html", wait_until="load")
        badges = {}
        for state in ("machine", "reviewed", "changed"):
            badge = page.locator(f"span.reader-state-{state}").first
            box = badge.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0, state
            badges[state] = badge.inner_text()
        marks = page.locator("mark.reader-suspect")
        assert marks.count() == 2
        color = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "variant-review-states.png"), full_page=True)
    finally:
        page.close()
        httpd.shutdown()
    assert badges == {"machine": "機器轉換", "reviewed": "已審閱", "changed": "審閱後原文已改"}
    assert color == "rgb(255, 213, 79)"


def test_favicon_glyph_in_each_variant(site, site_hant):
    assert ">读</text>" in (Path(site.outdir) / "_static" / "favicon.svg").read_text(encoding="utf-8")
    assert ">讀</text>" in (Path(site_hant.outdir) / "_static" / "favicon.svg").read_text(encoding="utf-8")
