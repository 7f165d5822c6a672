"""Writes that leave no debris and lose nothing, whatever kills the build.

* A file is written to a temporary file beside it (same file system, so the
  rename is atomic), flushed to disk (fsync), given the mode of the file it
  replaces, and renamed over it; the directory is fsynced after the rename.
  A reader of the file sees the old or the new text, never a part.
* Temporary names are ``.reader-tmp-<name>.<random>.partial``: unique per
  write, and never matched by Sphinx (``include_patterns`` select ``*.md``; the
  suffix ``.partial`` is no source suffix), so debris cannot break a build.
* On any exception the temporary file is removed; what a SIGKILL leaves behind
  is removed by the next build (``remove_debris``), under the build lock.
* ``build_lock``: an ``fcntl`` lock on ``<checkout>/.reader-build.lock``, so two
  builds in one checkout generate and write one after the other.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

TMP_PREFIX = ".reader-tmp-"
TMP_SUFFIX = ".partial"
LEGACY_TMP = ".tmp-"  # the temp files of earlier versions (source/.tmp-*.md, anchors/.tmp-*.json)
LOCK_NAME = ".reader-build.lock"


def default_mode() -> int:
    """The mode a new file gets (0666 less the umask), as open() would give it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a directory be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8 with LF line ends).
    ``durable=False`` skips the fsyncs (build output, which a build can redo)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = default_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TMP_PREFIX}{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def is_debris(path: Path) -> bool:
    name = path.name
    return name.startswith(TMP_PREFIX) or (name.startswith(LEGACY_TMP) and path.suffix in (".md", ".json"))


def remove_debris(directories: list[Path]) -> list[Path]:
    """Temporary files a killed build left behind (call under ``build_lock``)."""
    removed = []
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.is_file() and is_debris(path):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    return removed


@contextlib.contextmanager
def build_lock(root: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the checkout's build lock; wait (calling ``on_wait`` once) while another
    build holds it.  The kernel releases it when the process dies, even by SIGKILL."""
    fd = os.open(Path(root) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        # Unlocked explicitly: a process forked meanwhile (the search index's,
        # reader/core/background.py) shares the descriptor, and closing ours
        # alone would leave the lock held until that process ends.
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
