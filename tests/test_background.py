"""Work beside the build (reader/core/background.py): forked or not, the same
result; an error or a crash in the process reaches the build; a cancelled job
leaves nothing running."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.background import Background, BackgroundError, can_fork, in_shares, usable_cores


def write(path: Path, text: str):
    return lambda: path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("forked", [True, False])
def test_the_work_is_done_when_waited_for(tmp_path, forked):
    job = Background(write(tmp_path / "out.txt", "索引"), forked=forked)
    assert job.forked == forked
    job.wait()
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "索引"


def test_the_machine_forks_for_the_build():
    """CI's and the developers' machines have two cores: the index is built beside the pages."""
    assert can_fork() and Background(lambda: None).forked


@pytest.mark.parametrize("forked", [True, False])
def test_an_error_in_the_work_is_raised_where_it_is_waited_for(forked):
    def fail():
        raise ValueError("第3段：坏数据")

    job = Background(fail, forked=forked)
    with pytest.raises(BackgroundError, match="ValueError: 第3段：坏数据"):
        job.wait()


def test_a_process_killed_before_it_could_say_is_an_error():
    job = Background(lambda: os._exit(9), forked=True)
    with pytest.raises(BackgroundError, match="exit code 9"):
        job.wait()


def test_a_cancelled_job_stops(tmp_path):
    job = Background(lambda: (time.sleep(30), write(tmp_path / "late.txt", "x")()), forked=True)
    process = job._process
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 5 and not process.is_alive()
    assert not (tmp_path / "late.txt").exists()


def test_the_build_lock_is_released_while_a_process_forked_under_it_lives(tmp_path):
    """The index's process is forked during the generation, under the checkout's
    build lock, and outlives it: the next build must not wait for it."""
    import fcntl

    from reader.core.safewrite import LOCK_NAME, build_lock

    with build_lock(tmp_path):
        job = Background(lambda: time.sleep(30), forked=True)
    fd = os.open(tmp_path / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if still held
    finally:
        os.close(fd)
        job.cancel()


def test_one_usable_core_means_no_fork():
    """A build pinned to one core (taskset, a container's CPU set) does the work
    itself: a forked process would only compete with it."""
    import subprocess
    import sys

    code = "from reader.core.background import can_fork, usable_cores; print(usable_cores(), can_fork())"
    ext = str(Path(__file__).resolve().parent.parent / "_ext")
    out = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": ext},
    ).stdout.split()
    assert out == ["1", "False"]


@pytest.mark.parametrize("forked", [True, False])
def test_a_failing_index_fails_the_build_and_keeps_the_last_index(tmp_path, monkeypatch, forked):
    """Through a real build: the index's error is a reader warning with its
    traceback (so -W fails the build), the index written before stays whole, and
    nothing half-written is left in the output."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    import reader.core.background as background
    from reader.core.searchindex import SearchIndex

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "roots" / "test-minimal", root)

    def build():
        warning = StringIO()
        app = SphinxTestApp("html", srcdir=root, status=StringIO(), warning=warning, freshenv=True)
        try:
            app.build()
        finally:
            app.cleanup()
        return Path(app.outdir), warning.getvalue()

    out, warnings = build()
    assert warnings == ""
    before = {p.relative_to(out): p.read_bytes() for p in (out / "_search").rglob("*.js")}
    assert before

    def broken(self):  # fails half-way through writing the files
        yield "meta.js", "half"
        raise RuntimeError("索引坏了")

    monkeypatch.setattr(SearchIndex, "iter_files", broken)
    monkeypatch.setattr(background, "can_fork", lambda: forked)
    out, warnings = build()
    assert "the search index could not be written" in warnings and "RuntimeError: 索引坏了" in warnings
    assert "[reader.search]" in warnings
    assert {p.relative_to(out): p.read_bytes() for p in (out / "_search").rglob("*.js")} == before
    assert not (out / "_search.tmp").exists()


def test_the_index_starts_where_a_core_is_free(tmp_path, monkeypatch):
    """A serial clean build starts the index once the generation is over (its own
    workers use both cores until then); an incremental build, and a build under
    -j 2, as soon as the sources and the glossary are collected (an incremental
    build reads few pages and would wait for the whole index at its end)."""
    import shutil
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    from reader import search
    from reader.state import reader_state

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "roots" / "test-minimal", root)
    started = []
    start_index = search.start_index

    def recording(app, coll):
        # The collection is in the state once the generation is over.
        started.append("after the generation" if reader_state(app).collection is not None else "when collected")
        start_index(app, coll)

    monkeypatch.setattr(search, "start_index", recording)

    def build(fresh: bool, parallel: int = 1) -> list[str]:
        started.clear()
        app = SphinxTestApp(
            "html", srcdir=root, status=StringIO(), warning=StringIO(), freshenv=fresh, parallel=parallel
        )
        try:
            app.build()
        finally:
            app.cleanup()
        assert (Path(app.outdir) / "_search").is_dir()
        return list(started)

    assert build(fresh=True) == ["after the generation"]
    assert build(fresh=False) == ["when collected"]
    assert build(fresh=True, parallel=2) == ["when collected"]


def _tagged(shared, share: list[int]) -> list[tuple[int, str, int]]:
    """A share's items with what every share reads, and the process that did each."""
    return [(item, shared["tag"], os.getpid()) for item in share]


@settings(max_examples=25, deadline=None)
@given(items=st.lists(st.integers(), max_size=40))
def test_shares_with_shared_data_are_the_serial_result(items):
    """``in_shares(shared=...)``: the results in the items' order, the same done
    beside or here; the shared data reaches the workers unpickled (a lock
    cannot be pickled), and the first share is done in this process."""
    shared = {"tag": "共享", "lock": threading.Lock()}
    beside = in_shares(_tagged, items, True, shared=shared)
    here = in_shares(_tagged, items, False, shared=shared)
    assert [r[:2] for r in beside] == [r[:2] for r in here] == [(item, "共享") for item in items]
    assert {r[2] for r in here} <= {os.getpid()}
    if len(items) >= usable_cores():
        shares = [beside[k :: usable_cores()] for k in range(usable_cores())]
        assert {r[2] for r in shares[0]} == {os.getpid()}  # the first share, here
        assert all({r[2] for r in share} - {os.getpid()} for share in shares[1:])  # the others in workers
