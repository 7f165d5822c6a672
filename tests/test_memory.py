"""Peak memory independent of the collection (issue 18): while pages are written,
Sphinx holds no other page's doctree in memory (reader/memory.py)."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_writer_holds_one_doctree_at_a_time(tmp_path):
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    held = []
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO(), freshenv=True
    )
    try:

        def record(app, pagename, templatename, context, doctree):
            env = app.env
            held.append((pagename, len(env._write_doc_doctree_cache), sorted(env._pickled_doctree_cache)))

        app.connect("html-page-context", record)
        # while reading: the pages read before are not held either
        app.connect(
            "doctree-read", lambda app, doctree: held.append(("read", len(app.env._write_doc_doctree_cache), []))
        )
        app.build()
    finally:
        app.cleanup()
    written = [h for h in held if h[0] in app.env.found_docs]
    assert len(written) >= 2  # the landing page and a source page at least
    reads = [h for h in held if h[0] == "read"]
    assert len(reads) >= 2 and all(h[1] == 0 for h in reads)
    for pagename, read_cache, pickled in written:
        assert read_cache == 0, pagename
        assert pagename not in pickled
