"""Snapshots of the HTML the reader owns (pytest-regressions), on a tiny project of
its own (tests/roots/test-snapshot: two paragraphs with a glossary term, a margin
note, a correction, and a parallel passage in a second source), in both
variants, so that a change in another source never changes a snapshot.

A deliberate change of the markup: look at the diff the failing test prints, then
accept it with ``pytest tests/test_snapshots.py --force-regen`` and commit the
files under tests/test_snapshots/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .util import build_html

ROOT = Path(__file__).resolve().parent.parent

# name -> (page, CSS selector of the fragments the reader writes on it)
FRAGMENTS = {
    "reading-blocks": ("source/one.html", ".reader-block"),
    "glossary-entry": ("source/glossary.html", "dl.reader-glossary"),
    "parallel-cluster": ("source/parallels.html", ".reader-cluster"),
    "meta-card": ("source/one.html", ".reader-meta"),
    "editorial-record": ("source/one.html", ".reader-record"),
}


# A line break before each block-level tag, so that a diff shows the element that
# changed (text and inline markup stay byte for byte as the build wrote them).
BLOCK_TAG = re.compile(r"(?<!\n)(<(?:aside|details|div|dd|dl|dt|li|ol|p|section|summary|ul)[\s>])")


VARIANTS = {"hans": {}, "hant": {"reader_variant": "hant", "language": "zh_TW"}}


@pytest.fixture(scope="module")
def snapshot_sites(tmp_path_factory):
    """tests/roots/test-snapshot built on first use per variant (HTML, basic theme)."""
    built: dict[str, Path] = {}

    def build(variant: str) -> Path:
        if variant not in built:
            srcdir = tmp_path_factory.mktemp(f"snapshot-{variant}") / "snapshot"
            shutil.copytree(ROOT / "tests" / "roots" / "test-snapshot", srcdir)
            # The reader's own interface table (its Taiwan vocabulary: 本段連結, not 鏈接).
            (srcdir / "variant").mkdir()
            shutil.copy2(ROOT / "variant" / "interface.toml", srcdir / "variant" / "interface.toml")
            app = build_html(srcdir, **VARIANTS[variant])
            assert app.warning.getvalue() == ""
            built[variant] = Path(app.outdir)
        return built[variant]

    return build


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_fragment_snapshot(snapshot_sites, file_regression, name, variant):
    page, selector = FRAGMENTS[name]
    soup = BeautifulSoup((snapshot_sites(variant) / page).read_text(encoding="utf-8"), "html.parser")
    fragments = soup.select(selector)
    assert fragments, f"{page}: nothing matches {selector}"
    text = "\n\n".join(BLOCK_TAG.sub(r"\n\1", str(f)).lstrip("\n") for f in fragments) + "\n"
    file_regression.check(text, basename=f"{variant}-{name}", extension=".html")


def test_the_snapshot_project_has_what_the_snapshots_promise(snapshot_sites):
    """The tiny project really holds each feature (else its snapshot shows nothing)."""
    soup = BeautifulSoup((snapshot_sites("hans") / "source" / "one.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#p1 .reader-term-xinzhi-shengchanli").get_text() == "新质生产力"
    assert soup.select_one("#p2-margin .reader-margin-note").get_text(strip=True).endswith("蜂拥跟风上马。")
    assert soup.select_one("#p2 .reader-corr")["data-original"] == "分类类指导"
    parallel = soup.select_one("#p1-margin .reader-margin-parallel")
    assert parallel.select_one(".reader-diff-meta a")["href"] == "two.html#p1"
    assert [s.get_text() for s in parallel.select(".reader-diff-merged .reader-only[title]")] == [
        "具有高科技、高效能、高质量特征"
    ]
