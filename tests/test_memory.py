"""Peak memory independent of the collection (issue 18): while pages are written,
Sphinx holds no other page's doctree in memory (reader/memory.py)."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _build_recording_what_is_held(srcdir: Path) -> tuple[list, object]:
    from sphinx.testing.util import SphinxTestApp

    held = []
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO(), freshenv=True
    )
    try:

        def record(app, pagename, templatename, context, doctree):
            env = app.env
            held.append((pagename, sorted(env._write_doc_doctree_cache), sorted(env._pickled_doctree_cache)))

        app.connect("html-page-context", record)
        app.connect(
            "doctree-read", lambda app, doctree: held.append(("read", sorted(app.env._write_doc_doctree_cache), []))
        )
        app.build()
    finally:
        app.cleanup()
    return held, app


@pytest.mark.parametrize("budget", [0, 1, 10**9])
def test_the_read_doctrees_kept_for_the_writer_fit_the_budget(tmp_path, monkeypatch, budget):
    """Sphinx keeps every page read in a serial build for its writer; the reader
    leaves it only the pages whose pickles fit ``KEPT_DOCTREE_BYTES``, the first
    read (Sphinx writes in the order it reads), so peak memory does not grow with
    the collection; each is forgotten once written, and no page's bytes are held."""
    from reader import memory

    monkeypatch.setattr(memory, "KEPT_DOCTREE_BYTES", budget)
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    held, app = _build_recording_what_is_held(srcdir)
    doctrees = Path(app.doctreedir)

    def pickled(names):
        return sum((doctrees / f"{name}.doctree").stat().st_size for name in names)

    written = [h for h in held if h[0] in app.env.found_docs]
    reads = [h for h in held if h[0] == "read"]
    assert len(written) >= 2 and len(reads) >= 2  # the landing page and a source page at least
    for _read, kept, _ in reads:
        assert pickled(kept) <= budget
    for pagename, kept, pickled_bytes in written:
        assert pickled(kept) <= budget and pagename not in kept, pagename
        assert pagename not in pickled_bytes
    if budget >= pickled(app.env.found_docs):  # all kept: the writer loads none from disk
        assert written[0][1] == sorted(set(app.env.found_docs) - {written[0][0]})
    if budget == 0:
        assert all(not kept for _name, kept, _ in held)


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
