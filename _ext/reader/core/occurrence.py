"""Finding the text an editor quotes: every occurrence of a snippet, and the one
meant (the only one, or the ``nth``).  One rule for overrides, corrections and
annotated phrases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def find_all(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    hits, start = [], 0
    while (pos := text.find(needle, start)) >= 0:
        hits.append(pos)
        start = pos + 1
    return hits


def nth_occurrence(hits: Sequence[T], nth: int | None, fail: Callable[[str], Exception]) -> T:
    """The occurrence meant: the only one, or the ``nth`` (1-based) when the editor
    says which.  Otherwise ``fail(problem)`` is raised, problem being "missing"
    (no occurrence), "ambiguous" (several, and no ``nth``) or "too few" (fewer
    than ``nth``); the caller words the error for its file and place."""
    if not hits:
        raise fail("missing")
    if nth is None and len(hits) > 1:
        raise fail("ambiguous")
    if nth is not None and nth > len(hits):
        raise fail("too few")
    return hits[(nth or 1) - 1]
