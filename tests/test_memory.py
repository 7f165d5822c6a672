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


def _build_with_the_collector_off(srcdir: Path, handlers: dict[str, tuple]) -> object:
    """An HTML build of ``srcdir`` with the cyclic collector off (what is not freed
    when dropped stays), ``handlers`` connected (event: (handler, priority))."""
    import gc

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO(), freshenv=True
    )
    for event, (handler, priority) in handlers.items():
        app.connect(event, handler, priority=priority)
    enabled = gc.isenabled()
    gc.disable()
    try:
        app.build()
    finally:
        if enabled:
            gc.enable()
        app.cleanup()
    return app


def _text_alive(refs: list) -> bool:
    """Whether any paragraph, block or text of a page (weak references) is still alive."""
    from docutils import nodes

    from reader.pages import reader_block

    return any(isinstance(ref(), (nodes.paragraph, nodes.Text, reader_block)) for ref in refs)


def test_a_doctree_dropped_for_the_budget_is_freed_at_once(tmp_path, monkeypatch):
    """A page dropped after reading (beyond the budget: here every page) is freed
    when dropped, not left as cycles (its nodes point at their parents) for the
    collector to walk: with the collector off, none of its text survives the
    next page's start.  The pages are still written whole from their pickles."""
    import weakref

    from reader import memory

    monkeypatch.setattr(memory, "KEPT_DOCTREE_BYTES", 0)
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    read: list[tuple[str, list]] = []
    alive_later: list[str] = []

    def remember(app, doctree):
        read.append((app.env.docname, [weakref.ref(node) for node in doctree.findall()]))

    def check_previous(app, docname, source):
        # (The document and a node or two stay referenced by the parser until the next page.)
        if read and _text_alive(read[-1][1]):
            alive_later.append(read[-1][0])

    app = _build_with_the_collector_off(
        srcdir,
        # the check after the reader dropped the page before
        {"doctree-read": (remember, 999), "source-read": (check_previous, 999)},
    )
    assert len(read) >= 2 and alive_later == []
    page = (Path(app.outdir) / "source" / "one.html").read_text(encoding="utf-8")
    assert "这是一个简单的段落，内容完整。" in page


def test_a_page_written_in_a_serial_build_is_freed_when_the_next_starts(tmp_path):
    """In a serial HTML build a page's doctree is freed once the next page is
    resolved (it is written by then), not left as cycles for the collector: with
    the collector off, none of its text survives the page after next (the HTML
    writer holds a node or two of the last page it wrote); every page is written whole."""
    import weakref

    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    resolved: list[tuple[str, list]] = []
    alive_later: list[str] = []

    def remember(app, doctree, docname):
        if len(resolved) >= 2 and _text_alive(resolved[-2][1]):
            alive_later.append(resolved[-2][0])
        resolved.append((docname, [weakref.ref(node) for node in doctree.findall()]))

    app = _build_with_the_collector_off(srcdir, {"doctree-resolved": (remember, 999)})  # after the reader's handler
    assert len(resolved) >= 4 and alive_later == []
    page = (Path(app.outdir) / "source" / "one.html").read_text(encoding="utf-8")
    assert "这是一个简单的段落，内容完整。" in page and "这是第二个段落，也很简单。" in page
