"""Permanent anchors: assign ids to blocks against a committed lock (pure Python).

Once published, ``p12`` must point at the same text forever.  The lock records,
per source, every live anchor (id, checksum of its normalised text, the text)
and every retired id with the anchor it now leads to (an alias).  Matching a new
ingestion against the lock:

* unchanged blocks keep their ids (aligned by checksum, in order);
* an edited block (a typo fixed, a few characters changed) keeps its id;
* a block split in two keeps its id on the first part; the second part gets the
  next free letter suffix (``p12a``);
* a new block inserted after ``p12`` gets ``p12a`` (nothing is renumbered and no
  retired id is ever reused);
* two blocks merged keep the first id; the second id becomes an alias;
* a deleted block's id becomes an alias of the nearest surviving block, which
  shows a "removed" note.

An id of the old lock that would vanish without an alias is an error.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

EDIT_SIMILARITY = 0.6  # an edited block still shares most of its text
PART_SIMILARITY = 0.85  # a split or merge: the parts make up the whole
_ID_RE = re.compile(r"^([a-z]+)(\d+)([a-z]*)$")


class AnchorError(Exception):
    """A locked anchor would disappear without an alias."""


def normalise(text: str) -> str:
    """What the checksum covers: NFC text without whitespace."""
    return "".join(unicodedata.normalize("NFC", text).split())


def checksum(text: str) -> str:
    return "sha256:" + hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def excerpt(text: str, length: int = 24) -> str:
    flat = normalise(text)
    return flat if len(flat) <= length else flat[:length] + "…"


def label_of(anchor_id: str) -> str:
    """The number a reader sees and quotes: p12 → 12, p12a → 12a."""
    m = _ID_RE.match(anchor_id)
    return (m.group(2) + m.group(3)) if m else anchor_id


@dataclass
class Anchor:
    id: str
    text: str
    kind: str = "paragraph"

    @property
    def checksum(self) -> str:
        return checksum(self.text)


@dataclass
class Alias:
    id: str  # the retired id
    to: str  # the live anchor it now leads to
    reason: str  # "merged" or "removed"
    excerpt: str = ""  # what the retired anchor used to say


@dataclass
class Lock:
    """The anchors of one source and one id prefix (``p`` blocks, ``s`` headings)."""

    anchors: list[Anchor] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)

    def ids(self) -> set[str]:
        return {a.id for a in self.anchors} | {a.id for a in self.aliases}

    def to_json(self) -> dict:
        return {
            "anchors": [
                {"id": a.id, "kind": a.kind, "checksum": a.checksum, "excerpt": excerpt(a.text), "text": a.text}
                for a in self.anchors
            ],
            "aliases": [{"id": a.id, "to": a.to, "reason": a.reason, "excerpt": a.excerpt} for a in self.aliases],
        }

    @classmethod
    def from_json(cls, data: dict) -> Lock:
        return cls(
            anchors=[Anchor(a["id"], a["text"], a.get("kind", "paragraph")) for a in data.get("anchors", [])],
            aliases=[Alias(a["id"], a["to"], a["reason"], a.get("excerpt", "")) for a in data.get("aliases", [])],
        )


def similarity(a: str, b: str) -> float:
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def assign(old: Lock | None, texts: list[tuple[str, str]], prefix: str = "p") -> Lock:
    """Ids for the new blocks ``texts`` = [(kind, text)], in reading order."""
    if old is None or not old.anchors:
        taken = old.ids() if old else set()
        anchors, n = [], 0
        for kind, text in texts:
            n += 1
            while f"{prefix}{n}" in taken:
                n += 1
            anchors.append(Anchor(f"{prefix}{n}", text, kind))
        return Lock(anchors, list(old.aliases) if old else [])

    olds = old.anchors
    new_ids: list[str | None] = [None] * len(texts)
    aliases: list[Alias] = list(old.aliases)
    taken = old.ids()

    # 1. Unchanged blocks, aligned in order by checksum.
    matcher = SequenceMatcher(None, [a.checksum for a in olds], [checksum(t) for _k, t in texts], autojunk=False)
    gaps: list[tuple[int, int, int, int]] = []
    oi = ni = 0
    for block in matcher.get_matching_blocks():
        if block.a > oi or block.b > ni:
            gaps.append((oi, block.a, ni, block.b))
        for k in range(block.size):
            new_ids[block.b + k] = olds[block.a + k].id
        oi, ni = block.a + block.size, block.b + block.size

    # 2. Inside each gap: splits, merges, edits; the rest is inserted or removed.
    removed: list[int] = []  # indices of old anchors with no block left
    for o0, o1, n0, n1 in gaps:
        _match_gap(olds, o0, o1, texts, n0, n1, new_ids, aliases, removed)

    # 3. New blocks: the next free suffix after the preceding id.
    for i, anchor_id in enumerate(new_ids):
        if anchor_id is None:
            previous = next((new_ids[k] for k in range(i - 1, -1, -1) if new_ids[k]), None)
            new_ids[i] = _next_free(previous, prefix, taken)
        taken.add(new_ids[i])

    # 4. Removed blocks become aliases of the nearest surviving block (the one
    #    before it, or after it when it was the first).
    live = set(new_ids)
    for o in sorted(removed):
        anchor = olds[o]
        if not live:
            raise AnchorError(f"anchor {anchor.id} would disappear: the source has no block left to point to")
        before = [olds[k].id for k in range(o - 1, -1, -1) if olds[k].id in live]
        after = [olds[k].id for k in range(o + 1, len(olds)) if olds[k].id in live]
        target = (before or after or [new_ids[0]])[0]
        aliases.append(Alias(anchor.id, target, "removed", excerpt(anchor.text)))

    lock = Lock([Anchor(new_ids[i], text, kind) for i, (kind, text) in enumerate(texts)], aliases)
    _retarget(lock)
    missing = old.ids() - lock.ids()
    if missing:
        raise AnchorError(f"anchors {', '.join(sorted(missing))} would disappear without an alias")
    return lock


def _match_gap(olds, o0, o1, texts, n0, n1, new_ids, aliases, removed) -> None:
    old_ids = list(range(o0, o1))
    new_pos = list(range(n0, n1))
    used_old: set[int] = set()
    used_new: set[int] = set()
    # Splits: one old block is the concatenation of consecutive new blocks.
    for o in old_ids:
        for span in (2, 3):
            for s in range(n0, n1 - span + 1):
                parts = range(s, s + span)
                if any(p in used_new for p in parts):
                    continue
                if similarity(olds[o].text, "".join(texts[p][1] for p in parts)) >= PART_SIMILARITY:
                    new_ids[s] = olds[o].id  # the first part keeps the id; the others get suffixes
                    used_new.update(parts)
                    used_old.add(o)
                    break
            if o in used_old:
                break
    # Merges: consecutive old blocks make up one new block.
    for n in new_pos:
        if n in used_new:
            continue
        for span in (2, 3):
            for s in range(o0, o1 - span + 1):
                parts = range(s, s + span)
                if any(p in used_old for p in parts):
                    continue
                if similarity("".join(olds[p].text for p in parts), texts[n][1]) >= PART_SIMILARITY:
                    new_ids[n] = olds[s].id
                    for p in parts[1:]:
                        aliases.append(Alias(olds[p].id, olds[s].id, "merged", excerpt(olds[p].text)))
                    used_old.update(parts)
                    used_new.add(n)
                    break
            if n in used_new:
                break
    # Edits: the best remaining one-to-one pairs, kept in reading order.
    pairs = sorted(
        (
            (similarity(olds[o].text, texts[n][1]), o, n)
            for o in old_ids
            if o not in used_old
            for n in new_pos
            if n not in used_new
        ),
        reverse=True,
    )
    matched: list[tuple[int, int]] = []
    for score, o, n in pairs:
        if score < EDIT_SIMILARITY or o in used_old or n in used_new:
            continue
        if any((o < mo) != (n < mn) for mo, mn in matched):
            continue  # would cross an earlier match: reading order wins
        matched.append((o, n))
        new_ids[n] = olds[o].id
        used_old.add(o)
        used_new.add(n)
    # What is left of the old blocks was removed.
    removed.extend(o for o in old_ids if o not in used_old)


def _next_free(previous: str | None, prefix: str, taken: set[str]) -> str:
    if previous is None:
        base = f"{prefix}0"
    else:
        m = _ID_RE.match(previous)
        base = f"{m.group(1)}{m.group(2)}"
    for suffix in _suffixes():
        candidate = base + suffix
        if candidate not in taken:
            return candidate
    raise AnchorError(f"no free id after {previous}")


def _suffixes():
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for a in letters:
        for b in letters:
            yield a + b


def _retarget(lock: Lock) -> None:
    """Aliases always lead to a live anchor, even after several rounds of edits."""
    live = {a.id for a in lock.anchors}
    by_id = {a.id: a for a in lock.aliases}
    for alias in lock.aliases:
        seen = set()
        while alias.to not in live and alias.to in by_id and alias.to not in seen:
            seen.add(alias.to)
            alias.to = by_id[alias.to].to
        if alias.to not in live:
            # Its target was removed since: lead to the first live anchor.
            alias.to = lock.anchors[0].id
