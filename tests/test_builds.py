"""Parallel and incremental builds give the same site as a clean serial build,
concordance and anchors included, with nothing stale left behind."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from .conftest import copy_project

COMPARED = (".html", ".json")


def build(srcdir: Path, builddir: Path, parallel: int = 0, fresh: bool = True) -> Path:
    warning = StringIO()
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=builddir, status=StringIO(), warning=warning, freshenv=fresh, parallel=parallel
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert warning.getvalue() == ""
    return Path(app.outdir)


def outputs(outdir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.suffix in COMPARED
    } | {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in [outdir / "_static" / "reader-glossary.js", *sorted((outdir / "_search").rglob("*.js"))]
    }


def assert_same(a: Path, b: Path) -> None:
    left, right = outputs(a), outputs(b)
    assert sorted(left) == sorted(right)
    differ = [name for name in left if left[name] != right[name]]
    assert not differ, differ


def test_parallel_build_equals_serial(site, tmp_path):
    parallel = build(Path(site.srcdir), tmp_path / "parallel", parallel=2)
    assert_same(Path(site.outdir), parallel)


def test_parallel_writing_uses_a_process_per_core(monkeypatch):
    """Sphinx writes with parallel - 1 processes; the reader writes with N under
    -j N (writers.py), and leaves a serial build of few pages serial."""
    from types import SimpleNamespace

    from reader import writers

    for parallel, allowed, writers_used in [(2, True, 2), (4, True, 4), (1, False, 0), (2, False, 0)]:
        used = []
        monkeypatch.setattr(writers, "write_beside", lambda builder, docnames, n, used=used: used.append(n))
        builder = SimpleNamespace(
            name="html",
            allow_parallel=True,
            parallel_ok=allowed,
            write_documents=lambda docnames, used=used: used.append(0),
        )
        app = SimpleNamespace(parallel=parallel, builder=builder, extensions={})
        writers.install(app)
        builder.write_documents({"a", "b"})
        assert used == [writers_used]
        assert app.parallel == parallel and builder.parallel_ok == allowed


@given(st.lists(st.text(min_size=1, max_size=3), unique=True, max_size=400), st.integers(1, 8))
def test_write_chunks_cover_every_page_once_in_order(docnames, writers_count):
    from reader.writers import CHUNK_MAX, write_chunks

    chunks = write_chunks(docnames, writers_count)
    assert [d for chunk in chunks for d in chunk] == docnames
    assert all(0 < len(chunk) <= CHUNK_MAX for chunk in chunks)


def test_incremental_build_equals_clean_build(tmp_path):
    project = copy_project(tmp_path / "project")
    build(project, tmp_path / "incremental")
    # An editor adds a paragraph with glossary terms to one source.
    seed = project / "seeds" / "004_dd9cf5bbd3674268.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n\n编者补记：新质生产力与高质量发展的关系，值得进一步研究。\n",
        encoding="utf-8",
    )
    incremental = build(project, tmp_path / "incremental", fresh=False)
    clean = build(project, tmp_path / "clean")
    assert_same(clean, incremental)
    glossary = (incremental / "source" / "glossary.html").read_text(encoding="utf-8")
    assert "beijing-ziliao.html#p7a" in glossary  # the new paragraph is in the concordance


def test_serial_build_of_many_pages_writes_beside_and_equals_serial(site, tmp_path, monkeypatch):
    """A serial build of a large collection writes its pages in writing processes
    (writers.py): the same site as one written in the main process, and the
    build's -j left as it was."""
    from reader import writers

    calls = []
    write_beside = writers.write_beside

    def recording(builder, docnames, processes):
        calls.append((len(docnames), processes, builder._app.parallel))
        return write_beside(builder, docnames, processes)

    monkeypatch.setattr(writers, "write_beside", recording)
    monkeypatch.setattr(writers, "WRITE_BESIDE_MIN", 1)  # every build is "large"
    # Each page handed to a writer is freed here once written (not left to the collector).
    from reader import memory

    released, release = [], memory.release
    monkeypatch.setattr(memory, "release", lambda doctree: released.append(doctree["source"]) or release(doctree))
    beside = build(Path(site.srcdir), tmp_path / "beside")
    assert_same(Path(site.outdir), beside)
    assert len(calls) == 1, calls
    pages, processes, jobs = calls[0]
    assert pages > 5 and processes == writers.usable_cores() and jobs == 0  # (-j left as the test app's)
    assert len(set(released)) == pages - 1  # (the first page is written here, before the writers start)


def test_serial_build_writes_beside_only_when_it_pays(monkeypatch):
    """Few pages, one usable core, or an extension not declared safe for parallel
    writing: written in the main process, with no warning."""
    from types import SimpleNamespace

    from reader import writers

    safe = SimpleNamespace(parallel_write_safe=True)
    app = SimpleNamespace(extensions={"a": safe, "b": safe})
    monkeypatch.setattr(writers, "can_fork", lambda: True)
    assert writers.writes_beside(app, writers.WRITE_BESIDE_MIN)
    assert not writers.writes_beside(app, writers.WRITE_BESIDE_MIN - 1)
    for unsafe in (SimpleNamespace(parallel_write_safe=False), SimpleNamespace()):
        assert not writers.writes_beside(SimpleNamespace(extensions={"a": safe, "b": unsafe}), 10_000)
    monkeypatch.setattr(writers, "can_fork", lambda: False)  # one core, or no fork
    assert not writers.writes_beside(app, 10_000)
