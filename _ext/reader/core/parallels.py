"""Parallel passages: text reuse between paragraphs, found by shingling (pure Python).

Paragraphs are compared on their characters without punctuation or spaces, so
reuse survives re-punctuation and small edits.  Candidates come from an inverted
index of winnowed shingle fingerprints (near-linear in the corpus: a fingerprint
shared by very many paragraphs, a stock phrase, is not used to propose pairs);
each candidate pair is then measured exactly: how much of each paragraph is
covered by shingles the other one has.  Differences are marked at character
level with difflib on the original texts.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from difflib import SequenceMatcher

SHINGLE = 6  # characters
WINDOW = 4  # winnowing window: one fingerprint per WINDOW shingles at least
MAX_POSTINGS = 64  # a fingerprint in more paragraphs than this is a stock phrase
_STRIP = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u206f·◆※!-/:-@\[-`{-~]"
)


@dataclass(frozen=True)
class Passage:
    key: tuple[str, str]  # (source slug, anchor id)
    text: str


@dataclass
class Parallel:
    this: tuple[str, str]
    other: tuple[str, str]
    shared_this: float  # fraction of this paragraph found in the other
    shared_other: float
    shared_chars: int


def normalise(text: str) -> str:
    return _STRIP.sub("", text)


def shingles(norm: str) -> list[int]:
    return [zlib.crc32(norm[i : i + SHINGLE].encode("utf-8")) for i in range(len(norm) - SHINGLE + 1)]


def winnow(hashes: list[int]) -> set[int]:
    """The minimum of every window (Schleimer et al.): any shared run of
    WINDOW + SHINGLE - 1 characters shares a fingerprint."""
    if len(hashes) <= WINDOW:
        return set(hashes)
    out = set()
    for i in range(len(hashes) - WINDOW + 1):
        out.add(min(hashes[i : i + WINDOW]))
    return out


def positions(hashes: list[int]) -> dict[int, list[int]]:
    where: dict[int, list[int]] = {}
    for i, h in enumerate(hashes):
        where.setdefault(h, []).append(i)
    return where


def shared_coverage(where: dict[int, list[int]], common: set[int]) -> int:
    """How many characters of a paragraph lie in the shingles it shares with the
    other one (``where``: its shingles' positions; only shared ones are visited)."""
    starts = sorted(p for h in common for p in where[h])
    covered, reach = 0, -1
    for i in starts:
        start = max(i, reach + 1)
        end = i + SHINGLE - 1
        if end >= start:
            covered += end - start + 1
            reach = end
    return covered


def find_parallels(passages: list[Passage], threshold: float = 0.2, min_chars: int = 16, cache=None) -> list[Parallel]:
    """Pairs of paragraphs sharing at least ``threshold`` of either one and
    ``min_chars`` characters; each pair reported once per direction.  With a
    cache, pairs measured in an earlier build are not measured again."""
    from .cache import NO_CACHE, content_key

    cache = cache or NO_CACHE
    norms = [normalise(p.text) for p in passages]
    keys = [content_key(n) for n in norms] if cache.path else None
    hashes: dict[int, list[int]] = {}  # computed only where needed

    def shingled(i: int) -> list[int]:
        if i not in hashes:
            hashes[i] = shingles(norms[i])
        return hashes[i]

    sets: dict[int, set[int]] = {}
    wheres: dict[int, dict[int, list[int]]] = {}

    def shingle_set(i: int) -> set[int]:
        if i not in sets:
            sets[i] = set(shingled(i))
        return sets[i]

    def where(i: int) -> dict[int, list[int]]:
        if i not in wheres:
            wheres[i] = positions(shingled(i))
        return wheres[i]

    index: dict[int, list[int]] = {}
    for i in range(len(norms)):
        fingerprints = cache.get("fp", keys[i]) if keys else None
        if fingerprints is None:
            fingerprints = winnow(shingled(i))
            if keys:
                cache.put("fp", keys[i], fingerprints)
        for fp in fingerprints:
            index.setdefault(fp, []).append(i)
    candidates: set[tuple[int, int]] = set()
    for postings in index.values():
        if len(postings) < 2 or len(postings) > MAX_POSTINGS:
            continue
        for a in range(len(postings)):
            for b in range(a + 1, len(postings)):
                candidates.add((postings[a], postings[b]))
    found = []
    seen: dict[tuple[str, str], tuple[int, int]] = {}
    for i, j in sorted(candidates):
        if not norms[i] or not norms[j]:
            continue
        measured = cache.get("pairs", (keys[i], keys[j])) if keys else None
        if measured is None:
            # Copies of the same wording are measured once.
            measured = seen.get((norms[i], norms[j]))
        if measured is None:
            common = shingle_set(i) & shingle_set(j)
            measured = (shared_coverage(where(i), common), shared_coverage(where(j), common))
            seen[(norms[i], norms[j])] = measured
            if keys:
                cache.put("pairs", (keys[i], keys[j]), measured)
        ci, cj = measured
        si, sj = ci / len(norms[i]), cj / len(norms[j])
        if max(ci, cj) >= min_chars and max(si, sj) >= threshold:
            found.append(Parallel(passages[i].key, passages[j].key, si, sj, max(ci, cj)))
            found.append(Parallel(passages[j].key, passages[i].key, sj, si, max(ci, cj)))
    return found


def diff_ops(a: str, b: str) -> list[list[str]]:
    """Character-level differences turning a into b: [["=", text], ["-", text], ["+", text]]."""
    ops: list[list[str]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(["=", a[i1:i2]])
        else:
            if i2 > i1:
                ops.append(["-", a[i1:i2]])
            if j2 > j1:
                ops.append(["+", b[j1:j2]])
    return ops


def clusters(parallels: list[Parallel]) -> list[set[tuple[str, str]]]:
    """Groups of paragraphs connected by reuse (connected components)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in parallels:
        a, b = find(p.this), find(p.other)
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, str], set] = {}
    for key in parent:
        groups.setdefault(find(key), set()).add(key)
    return [g for g in groups.values() if len(g) > 1]
