"""The sidecar's overrides and corrections, anchored on snippets of the text."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from .errors import SeedError
from .lines import Line
from .model import Block, Correction
from .occurrence import find_all, nth_occurrence
from .sidecar import KIND_ACTIONS, Sidecar


class Locator:
    """Find sidecar snippets in the seed, ignoring whitespace."""

    def __init__(self, path: Path, seed_name: str, lines: list[Line]):
        self.path = path  # the sidecar, where the snippet is written
        self.seed_name = seed_name
        self.lines = lines
        self.line_nos = [line.no for line in lines]  # before overrides split lines

    @functools.cached_property
    def _index(self) -> tuple[str, list[tuple[int, int]]]:
        # Built on first use only: a (line, char) pair per character is the biggest
        # structure of a large seed, and most sidecars locate no snippet.
        chars, where = [], []
        for li, line in enumerate(self.lines):
            for ci, ch in enumerate(line.text):
                if not ch.isspace():
                    chars.append(ch)
                    where.append((li, ci))
        return "".join(chars), where

    @property
    def stream(self) -> str:
        return self._index[0]

    @property
    def where(self) -> list[tuple[int, int]]:
        return self._index[1]

    def find(self, snippet: str, nth: int | None, place: str) -> tuple[int, int, int, int]:
        """(first line index, char index, last line index, char index after the end)."""
        needle = "".join(snippet.split())
        hits = find_all(self.stream, needle)

        def fail(problem: str) -> SeedError:
            if problem == "missing":
                return SeedError(self.path, place, f"snippet {snippet!r} not found in {self.seed_name}")
            if problem == "ambiguous":
                where = ", ".join(str(self.lines[self.where[h][0]].no) for h in hits)
                return SeedError(
                    self.path,
                    place,
                    f"snippet {snippet!r} occurs {len(hits)} times (lines {where}); "
                    "quote more context or add nth = <1-based occurrence>",
                )
            return SeedError(self.path, place, f"snippet {snippet!r} occurs only {len(hits)} times, nth = {nth}")

        pos = nth_occurrence(hits, nth, fail)
        first_line, first_char = self.where[pos]
        last_line, last_char = self.where[pos + len(needle) - 1]
        return first_line, first_char, last_line, last_char + 1


def apply_overrides(sidecar: Sidecar, locator: Locator, lines: list[Line]):
    forced_breaks: set[int] = set()
    forced_joins: set[int] = set()
    forced_paragraphs: set[int] = set()
    split_at: list[tuple[int, int, int]] = []  # (line index, char index, override index)
    # Which override decided what about each line: two that disagree are an error
    # naming both entries (the editor must choose).
    kind_of: dict[int, object] = {}  # line index -> override that gives it a kind
    end_of: dict[int, object] = {}  # line index -> break/join override at its end
    para_of: dict[int, object] = {}  # line index -> paragraph override

    def conflict(ov, other, li: int, what: str):
        raise SeedError(
            sidecar.path,
            ov.where,
            f"conflicts with {other.where} on line {lines[li].no}: {what}; keep one of them",
        )

    def claim(ov, li: int, kind: str):
        if li in kind_of:
            conflict(ov, kind_of[li], li, f"the line cannot be both {kind_of[li].action} and {kind}")
        if li in para_of and kind != "paragraph":
            conflict(ov, para_of[li], li, f"the line cannot be both paragraph and {kind}")
        kind_of[li] = ov

    for n, ov in enumerate(sidecar.overrides, 1):
        place = ov.where
        if ov.action in ("title", "figure", "colophon", *KIND_ACTIONS) and ov.start:
            a = locator.find(ov.start, ov.nth, place + " `from`")
            b = locator.find(ov.end, ov.nth, place + " `to`")
            if b[2] < a[0]:
                raise SeedError(sidecar.path, place, "`to` comes before `from` in the seed")
            for li in range(a[0], b[2] + 1):
                claim(ov, li, ov.action)
                lines[li].forced, lines[li].forced_id = ov.action, n
                lines[li].reason, lines[li].level = ov.reason, ov.level or 0
        elif ov.action in KIND_ACTIONS:
            a = locator.find(ov.at, ov.nth, place)
            for li in range(a[0], a[2] + 1):
                claim(ov, li, ov.action)
                lines[li].forced, lines[li].forced_id = ov.action, n
                lines[li].level = ov.level or 0
        elif ov.action == "furniture":
            a = locator.find(ov.at, ov.nth, place)
            for li in range(a[0], a[2] + 1):
                claim(ov, li, "furniture")
                lines[li].forced, lines[li].reason = "furniture", ov.reason
        elif ov.action == "paragraph":
            a = locator.find(ov.at, ov.nth, place)
            if a[0] in kind_of:
                other = kind_of[a[0]]
                conflict(ov, other, a[0], f"the line cannot be both {other.action} and paragraph")
            para_of[a[0]] = ov
            forced_paragraphs.add(a[0])
        elif ov.action in ("break", "join"):
            a = locator.find(ov.at, ov.nth, place)
            line = lines[a[2]]
            at_end = a[3] >= len(line.text.rstrip())
            if at_end and a[2] in end_of and end_of[a[2]].action != ov.action:
                conflict(ov, end_of[a[2]], a[2], "the line end cannot both break and join")
            if ov.action == "join":
                if not at_end:
                    raise SeedError(sidecar.path, place, "a join snippet must end at the end of a line")
                if a[2] + 1 >= len(lines):
                    raise SeedError(sidecar.path, place, "a join snippet cannot be on the last line")
                forced_joins.add(a[2])
                end_of[a[2]] = ov
            elif at_end:
                forced_breaks.add(a[2])
                end_of[a[2]] = ov
            else:
                split_at.append((a[2], a[3], n))
    # Mid-line breaks split the line in two; later indices shift, so go backwards.
    for li, ci, _n in sorted(split_at, reverse=True):
        line = lines[li]
        head, tail = line.text[:ci].rstrip(), line.text[ci:].strip()
        # Both parts keep the line's page and what the overrides decided about it.
        lines[li] = dataclasses.replace(line, text=head)
        lines.insert(li + 1, dataclasses.replace(line, text=tail, page_start=False, split_tail=True))
        forced_breaks = {k + 1 if k > li else k for k in forced_breaks}
        forced_joins = {k + 1 if k > li else k for k in forced_joins}
        forced_paragraphs = {k + 1 if k > li else k for k in forced_paragraphs}
        forced_breaks.add(li)
    return forced_breaks, forced_joins, forced_paragraphs


def apply_corrections(path: Path, sidecar: Sidecar, blocks: list[Block]) -> None:
    spec_of: dict[int, object] = {}
    for spec in sidecar.corrections:
        hits = [(block, pos) for block in blocks for pos in find_all(block.text, spec.find)]

        def fail(problem: str, spec=spec, hits=hits) -> SeedError:
            if problem == "missing":
                what = f"`find` text {spec.find!r} not found in the ingested text"
            elif problem == "ambiguous":
                what = f"`find` text {spec.find!r} occurs {len(hits)} times; add nth = <occurrence>"
            else:
                what = f"`find` occurs only {len(hits)} times ({sidecar.path.name}: {spec.where})"
            return SeedError(sidecar.path, spec.where, what)

        block, pos = nth_occurrence(hits, spec.nth, fail)
        for corr in block.corrections:
            # Two corrections of the same characters: the second would edit the
            # first one's replacement, and the record could not show either.
            if pos < corr.start + len(corr.replace) and corr.start < pos + len(spec.find):
                raise SeedError(
                    sidecar.path,
                    spec.where,
                    f"overlaps {spec_of[id(corr)].where} (`find` {spec.find!r} and "
                    f"{spec_of[id(corr)].find!r} touch the same text in lines "
                    f"{block.first_line}-{block.last_line}); merge them into one correction",
                )
        block.text = block.text[:pos] + spec.replace + block.text[pos + len(spec.find) :]
        shift = len(spec.replace) - len(spec.find)
        for corr in block.corrections:
            if corr.start > pos:
                corr.start += shift
        corr = Correction(spec.find, spec.replace, spec.note, start=pos)
        spec_of[id(corr)] = spec
        block.corrections.append(corr)
    for block in blocks:
        block.corrections.sort(key=lambda c: c.start)
