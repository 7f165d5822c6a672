"""Errors that name the file and the place, so an editor can fix the input."""

from __future__ import annotations

from pathlib import Path


class SeedError(Exception):
    """Bad input: a seed or a sidecar that cannot be ingested as it is.

    ``where`` is a human-readable place inside the file ("line 12",
    "byte 4031", "key source.kind", "override #2").
    """

    def __init__(self, path: str | Path, where: str | None, message: str):
        self.path = str(path)
        self.where = where
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f"{self.path}: {self.where}" if self.where else self.path
        return f"{place}: {self.message}"


def line_of(path: Path, needle: str) -> int:
    """The first line of ``path`` holding ``needle`` (1 when none does, or the file
    cannot be read): where a warning about a file's entry points.  A location
    without a line is read by Sphinx as a document name, not a file."""
    try:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
