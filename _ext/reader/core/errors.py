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
