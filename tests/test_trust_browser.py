"""Hostile titles and metadata with the REAL theme, in Chromium: nothing from a seed
or sidecar runs or becomes an element (the book theme's print header printed the
title raw), ids stay unique, and the Content-Security-Policy blocks what is not
the site's own while the site's own scripts run without a violation."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .tools.shoot import launch_chromium, serving

ROOTS = Path(__file__).parent / "roots"
TITLE = "标题<img src=x onerror=alert(77)>{{ 7*7 }}"
BUILDS = {
    "hans": {},
    "hant": {"reader_variant": "hant", "language": "zh_TW"},
    "hans-no-csp": {"reader_csp": False},  # the escaping alone holds
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("xss")
    src = root / "src"
    shutil.copytree(ROOTS / "test-xss", src)
    for name, overrides in BUILDS.items():
        warning = StringIO()
        app = SphinxTestApp(
            "html",
            srcdir=src,
            builddir=root / name,
            status=StringIO(),
            warning=warning,
            freshenv=True,
            confoverrides=overrides,
        )
        try:
            app.build()
        finally:
            app.cleanup()
        assert "WARNING" not in warning.getvalue() and "ERROR" not in warning.getvalue(), warning.getvalue()
    with serving(root) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_hostile_title_is_text_everywhere_the_theme_prints_it(sites, browser, build):
    page = browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    for name in ("source/one.html", "index.html", "search.html"):
        page.goto(f"{sites}{build}/html/{name}")
        page.wait_for_load_state("networkidle")
        assert page.locator("img[src=x]").count() == 0, name
        assert (
            page.locator("script:not([src])").evaluate_all("els => els.filter(e => /alert/.test(e.textContent)).length")
            == 0
        )
        ids = page.locator("[id]").evaluate_all("els => els.map(e => e.id)")
        assert [i for i, n in Counter(ids).items() if n > 1] == [], name
    page.goto(f"{sites}{build}/html/source/one.html")
    page.emulate_media(media="print")
    header = page.locator("#jb-print-docs-body h1")
    literal = TITLE if not build.startswith("hant") else header.inner_text()
    assert header.inner_text() == literal and "<img src=x onerror=alert(77)>" in header.inner_text()
    # A seed line "(p1)=" above a heading: #p1 is still the first paragraph.
    assert page.locator("#p1").inner_text().startswith(("这是第一个段落", "這是第一個段落"))
    assert dialogs == []
    assert errors == [], errors  # the site's own scripts run without a CSP violation
    page.close()


def test_policy_blocks_an_inline_script_that_is_not_the_sites_own(sites, browser):
    page = browser.new_page()
    page.goto(f"{sites}hans/html/source/one.html")
    page.wait_for_load_state("networkidle")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text) as message:
        ran = page.evaluate(
            """() => { window.injected = false; const s = document.createElement('script');
            s.textContent = 'window.injected = true'; document.body.appendChild(s); return window.injected; }"""
        )
    assert ran is False
    assert "inline script" in message.value.text
    page.close()
