"""A build killed (SIGKILL) at any write leaves a checkout whose next build
succeeds with identical output; temporary files never reach Sphinx; files keep
their modes; two builds of one checkout wait for each other."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader.core.pipeline import generate
from reader.core.safewrite import LOCK_NAME, build_lock, default_mode, write_atomic

ROOTS = Path(__file__).parent / "roots"
EXT = Path(__file__).parent.parent / "_ext"
GENERATED = ("source", "anchors")

# Runs generate() and kills itself at the k-th file-system event (k = 0: never);
# prints the number of events when it survives.
KILLER = r"""
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from reader.core.pipeline import generate
kill_at, count = int(sys.argv[3]), [0]

def tick():
    count[0] += 1
    if count[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

def after(real):
    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        tick()  # e.g. the temporary file exists, still empty
        return result
    return wrapped

def before(real):
    def wrapped(*args, **kwargs):
        tick()  # e.g. data written but not yet on disk, or not yet renamed
        return real(*args, **kwargs)
    return wrapped

os.open = after(os.open)
os.fsync = before(os.fsync)
real_replace = os.replace
os.replace = after(before(real_replace))
os.unlink = before(os.unlink)
root = Path(sys.argv[2])
generate(root, cache_path=root / "_build" / "doctrees" / "reader-cache.pickle")
print(count[0])
"""


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    files = {}
    for top in GENERATED:
        for path in sorted((root / top).rglob("*")):
            if path.is_file():
                files[path.relative_to(root).as_posix()] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
    return files


def kill_run(root: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLER, str(EXT), str(root), str(kill_at)], capture_output=True, text=True, check=False
    )


def sphinx_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(root), str(root / "_build")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(EXT)},
        check=False,
    )


@pytest.fixture(scope="module")
def before_edit(tmp_path_factory) -> Path:
    """A checkout built once, then edited so the next build rewrites its pages, its
    margins, its lock and the collection (one page made group-readable only)."""
    root = tmp_path_factory.mktemp("crash") / "before"
    shutil.copytree(ROOTS / "test-minimal", root)
    generate(root)
    (root / "source" / "one.md").chmod(0o640)
    seed = root / "seeds" / "one.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\n这是新加的第三个段落，内容完整。\n", encoding="utf-8")
    sidecar = root / "seeds" / "one.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + 'summary = "新的摘要。"\n', encoding="utf-8")
    return root


def test_sigkill_at_every_write_leaves_a_checkout_that_builds(before_edit, tmp_path):
    expected_root = tmp_path / "expected"
    shutil.copytree(before_edit, expected_root)
    survivor = kill_run(expected_root, 0)
    assert survivor.returncode == 0, survivor.stderr
    events = int(survivor.stdout)
    expected = snapshot(expected_root)
    assert expected["source/one.md"][1] == 0o640  # the mode of the file replaced
    assert expected["source/_collection.md"][1] == default_mode()  # not mkstemp's 0600
    assert events >= 10
    debris_seen = 0
    for kill_at in range(1, events + 1):
        root = tmp_path / f"kill-{kill_at}"
        shutil.copytree(before_edit, root)
        result = kill_run(root, kill_at)
        assert result.returncode == -signal.SIGKILL, (kill_at, result.stderr)
        debris = [p for top in GENERATED for p in (root / top).rglob(".reader-tmp-*")]
        debris_seen += bool(debris)
        # Every page on disk is whole: the old text or the new one, never a part.
        for name, (data, _mode) in snapshot(root).items():
            if ".reader-tmp-" not in name and name.endswith(".md"):
                old = (before_edit / name).read_bytes() if (before_edit / name).exists() else None
                assert data in (old, expected[name][0]), (kill_at, name)
        if debris and debris_seen <= 2:  # a whole Sphinx build over the debris (costly: a few)
            built = sphinx_build(root)
            assert built.returncode == 0, (kill_at, built.stderr)
        else:
            generate(root, cache_path=root / "_build" / "doctrees" / "reader-cache.pickle")
        assert snapshot(root) == expected, kill_at
        shutil.rmtree(root)
    assert debris_seen  # some kills did leave temporary files behind


def test_debris_of_earlier_versions_is_removed(before_edit, tmp_path):
    """An empty source/.tmp-*.md (a build killed by an earlier version) failed every
    later build until deleted by hand."""
    root = tmp_path / "old-debris"
    shutil.copytree(before_edit, root)
    (root / "source" / ".tmp-k3j4h5.md").write_bytes(b"")
    (root / "anchors").mkdir(exist_ok=True)  # (a draft has no lock yet)
    (root / "anchors" / ".tmp-abcd.json").write_bytes(b"{")
    built = sphinx_build(root)
    assert built.returncode == 0, built.stderr
    assert not list((root / "source").glob(".tmp-*")) and not list((root / "anchors").glob(".tmp-*"))


def test_write_atomic_removes_its_temporary_file_on_error(tmp_path, monkeypatch):
    target = tmp_path / "page.md"
    target.write_text("old", encoding="utf-8")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]


def test_two_builds_of_one_checkout_wait_for_each_other(tmp_path):
    order: list[str] = []
    waited = threading.Event()
    # flock locks belong to open files: a second open in another thread contends like another process.
    with build_lock(tmp_path):
        order.append("first holds")

        def second():
            with build_lock(tmp_path, on_wait=waited.set):
                order.append("second holds")

        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(10)  # the second build saw the lock and waits
        assert order == ["first holds"]
        order.append("first releases")
    thread.join(10)
    assert order == ["first holds", "first releases", "second holds"]
    assert (tmp_path / LOCK_NAME).exists()
