"""The Content-Security-Policy (reader/trust.py): on every page, put on as Sphinx
renders it (issue 18: not read and written again at build-finished), and on the
pages Sphinx only copies; what it blocks is a warning naming the page."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.trust import POLICY_MARK

ROOTS = Path(__file__).parent / "roots"


def test_every_page_carries_the_policy_and_what_it_blocks_is_named(make_app, tmp_path, monkeypatch):
    from reader import trust

    rewritten = []
    write_atomic = trust.write_atomic
    monkeypatch.setattr(
        trust, "write_atomic", lambda path, text, **kw: rewritten.append(path.name) or write_atomic(path, text, **kw)
    )
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", srcdir)
    (srcdir / "raw.md").write_text(
        '---\norphan: true\n---\n# 原始标记\n\n<button onclick="steal()">按钮</button>\n\n<script>steal();</script>\n',
        encoding="utf-8",
    )
    (srcdir / "extra").mkdir()
    (srcdir / "extra" / "copied.html").write_text(
        "<html><head><title>x</title></head><body><script>copied();</script></body></html>\n", encoding="utf-8"
    )
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhtml_extra_path = ["extra"]\n')
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    out = Path(app.outdir)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert POLICY_MARK in page.read_text(encoding="utf-8")[:8192], page
    warnings = app.warning.getvalue()
    # Each at its line of the page as written, once (a rendered page is not checked again).
    for name, what in (
        ("raw.html", "inline event handler <button onclick=…> is blocked"),
        ("raw.html", "inline script not allowed by the Content-Security-Policy: 'steal();'"),
        ("copied.html", "inline script not allowed by the Content-Security-Policy: 'copied();'"),
    ):
        lines = (out / name).read_text(encoding="utf-8").splitlines()
        needle = "onclick=" if "handler" in what else what.rsplit("'", 2)[1]
        line = next(k for k, text in enumerate(lines, 1) if needle in text)
        assert f"{out / name}:{line}: WARNING: {what}" in warnings, warnings
    assert warnings.count("[reader.csp]") == 3
    assert rewritten == ["copied.html"]  # the rendered pages were written with their policy, once
