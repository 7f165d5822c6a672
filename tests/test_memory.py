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


def test_the_collector_is_quiet_during_a_build_and_restored_after(tmp_path):
    """The collection and the environment are frozen out of the cyclic collector's
    sight while pages are read and written (a full collection walked them 24
    times at 500 sources: 4.8 s), and the process gets its collector back after
    the build, failed or not: nothing stays frozen, the thresholds are its own."""
    import gc

    from sphinx.testing.util import SphinxTestApp

    from reader.memory import YOUNG_THRESHOLD

    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    before = gc.get_threshold()
    gc.set_threshold(700, 11, 12)  # the process's own, distinguishable from Python's default
    seen = []
    try:
        for failing in (False, True):
            app = SphinxTestApp(
                "html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO(), freshenv=True
            )
            try:
                app.connect("doctree-read", lambda app, doctree: seen.append(("read", gc.get_freeze_count())))
                app.connect(
                    "html-page-context",
                    lambda app, *args: seen.append(("write", gc.get_freeze_count(), gc.get_threshold())),
                )
                if failing:

                    def fail(app, *args):
                        raise RuntimeError("a writer fails")

                    app.connect("html-page-context", fail)
                    try:
                        app.build()
                    except Exception:  # noqa: BLE001 - the failure is the point
                        pass
                else:
                    app.build()
            finally:
                app.cleanup()
            assert gc.get_freeze_count() == 0
            assert gc.get_threshold() == (700, 11, 12)
    finally:
        gc.set_threshold(*before)
    reads = [s for s in seen if s[0] == "read"]
    writes = [s for s in seen if s[0] == "write"]
    assert reads and all(count > 0 for _, count in reads)  # the collection, frozen before reading
    assert writes and all(count > 0 and threshold == (YOUNG_THRESHOLD, 11, 12) for _, count, threshold in writes)
