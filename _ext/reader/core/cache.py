"""A build cache for the expensive pure steps (ingestion, parallel measurements,
diffs, glossary counts), so an incremental build redoes only what changed.

Keys are content hashes; the cache is tied to the version of this package's
code, so changing the code empties it.  It lives in Sphinx's doctree directory
and is never needed for correctness: a missing or unreadable cache is rebuilt.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .safewrite import write_atomic


def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_key(*parts: bytes | str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


class BuildCache:
    def __init__(self, path: Path | None):
        self.path = path
        self.version = code_version()
        self.data: dict[str, dict] = {}
        self.used: dict[str, set] = {}
        if path and path.exists():
            try:
                with path.open("rb") as fh:
                    stored = pickle.load(fh)
                if stored.get("version") == self.version:
                    self.data = stored["data"]
            except Exception:  # noqa: BLE001 - a broken cache is rebuilt, never fatal
                self.data = {}

    def get(self, space: str, key):
        value = self.data.get(space, {}).get(key)
        if value is not None:
            self.used.setdefault(space, set()).add(key)
        return value

    def holds(self, space: str, key) -> bool:
        """Whether ``get`` would find it (without counting it as used)."""
        return self.data.get(space, {}).get(key) is not None

    def put(self, space: str, key, value) -> None:
        self.data.setdefault(space, {})[key] = value
        self.used.setdefault(space, set()).add(key)

    def save(self) -> None:
        """Keep only what this build used (nothing stale accumulates)."""
        if not self.path:
            return
        data = {
            space: {k: v for k, v in entries.items() if k in self.used.get(space, ())}
            for space, entries in self.data.items()
        }
        write_atomic(self.path, pickle.dumps({"version": self.version, "data": data}, protocol=pickle.HIGHEST_PROTOCOL))


class _NoCache(BuildCache):
    """Remembers nothing: one object shared by every caller without a cache, so
    nothing put in it may outlive the call (it used to keep every value)."""

    def put(self, space: str, key, value) -> None:
        pass


NO_CACHE = _NoCache(None)
