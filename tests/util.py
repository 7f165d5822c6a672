"""Helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

from reader.core.model import Document

# The five seeds in the order the reader promises (by the dates in their sidecars:
# 2024-01-31, 2024-02, 2024-03-01, 2024-03, 2025-06-01; a date known only to the
# month after that month's exact dates), written out by hand: the expectation of
# every test of the order, independent of the code that sorts.
READING_ORDER = ["neizai-yaoqiu", "xuexi-ziliao", "neihan-tezheng", "beijing-ziliao", "yindi-zhiyi"]


def read_expected(path: Path, joiners: dict[str, str]) -> list[tuple[str, str, str]]:
    rows = []
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        kind, lines, text = row.split("\t", 2)
        if kind in joiners:
            text = text.replace(joiners[kind], "\n")
        rows.append((kind, lines, text))
    return rows


def doc_rows(doc: Document, with_furniture: bool = True) -> list[tuple[str, str, str]]:
    rows = [(b.kind, f"{b.first_line}-{b.last_line}", b.text, b.first_line, 1) for b in doc.blocks]
    if with_furniture:
        rows += [("furniture", f"{f.line}-{f.line}", f.text, f.line, 0) for f in doc.furniture]
    rows.sort(key=lambda r: (r[3], r[4]))
    return [r[:3] for r in rows]


def build_html(srcdir: Path, builddir: Path | None = None, **confoverrides):
    """Build ``srcdir`` as HTML, serial and fresh (the way the suite's sites are
    built); the warnings are in ``app.warning.getvalue()``."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=builddir,
        status=StringIO(),
        warning=StringIO(),
        freshenv=True,
        confoverrides=confoverrides or None,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app
