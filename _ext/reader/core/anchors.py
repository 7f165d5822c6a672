"""Permanent anchors: assign ids to blocks against a committed lock (pure Python).

Once published, ``p12`` must point at the same text forever.  The lock records,
per source, every live anchor (id, checksum of its normalised text, the text)
and every retired id with the anchor it now leads to (an alias).

The invariant, for every rebuild after any set of edits (typo fixes,
corrections, inserts, deletes, splits, merges, moves, re-segmentation):

1. **No published id disappears**: every id of the old lock is a live anchor or
   an alias of the new one, and every alias leads to a live anchor.
2. **A live id lands on its own text**: the block that carries a published id
   holds part of the text that id carried before (edited or not, split or
   merged); when a block absorbed several published blocks, it carries the first
   of them and the others become ``merged`` aliases of it.
3. **A ``removed`` alias means the text is really gone**: no block holds
   :data:`RELATED_RUN` characters of it in runs (or most of a short text).
4. **A new block never takes a published id, and no id is ever reused**: a block
   whose text is new gets a fresh id after the block before it (``p12a``).

Matching is global, not position-first: identical texts are paired first, then
every remaining old anchor is scored against every remaining block that shares
some text with it (aligned with rapidfuzz: which share of the old text the block
holds in runs, and which share of the block comes from it), and pairs are taken
best first; reading order only breaks ties.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

MIN_RUN = 10  # a shared run of text is at least this long (shorter for short texts)
SHORT_EDITABLE = 8  # below: related only by a run of four fifths of it; from here: also with one change
RELATED_RUN = 2 * MIN_RUN  # characters of an old text a block must hold to be related to it
CLAIM_SHARE = 0.3  # the share of an old text a block must hold to carry its id (unless it is a part of it)
EDITED = 0.8  # two texts this alike as a whole (rapidfuzz's Indel ratio) are one text edited
FULL_SHARE = 0.9  # shares above this count as "all of it" (edits do not reorder ties)
GRAM = 4  # n-gram size for finding candidate pairs
ID_RE = re.compile(r"^([ps])(\d+)([a-z]*)$")
ALIAS_REASONS = ("merged", "removed")


class AnchorError(Exception):
    """A locked anchor would disappear without an alias."""


class LockError(Exception):
    """A lock file that is not a valid lock (``where`` names the entry)."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


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
    m = ID_RE.match(anchor_id)
    return (m.group(2) + m.group(3)) if m else anchor_id


@dataclass
class Anchor:
    id: str
    text: str
    kind: str = "paragraph"
    # Earlier wordings of this anchor, oldest first: {"date", "checksum", "text"},
    # ``date`` being the day a build found the text changed (issue 19).  Not sealed:
    # the seal binds ids to their current text only.
    history: list = field(default_factory=list)

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

    def seal(self) -> str:
        """A checksum binding every id to its text's checksum and every alias to its
        target: a lock edited by hand (ids swapped, an entry dropped) no longer
        matches its seal."""
        rows = [[a.id, a.checksum] for a in self.anchors] + [[a.id, a.to, a.reason] for a in self.aliases]
        blob = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def to_json(self) -> dict:
        return {
            "anchors": [
                {"id": a.id, "kind": a.kind, "checksum": a.checksum, "excerpt": excerpt(a.text), "text": a.text}
                | ({"history": a.history} if a.history else {})
                for a in self.anchors
            ],
            "aliases": [{"id": a.id, "to": a.to, "reason": a.reason, "excerpt": a.excerpt} for a in self.aliases],
            "seal": self.seal(),
        }

    @classmethod
    def from_json(cls, data: dict, prefix: str = "p", where: str = "") -> Lock:
        """Read and validate one table of a lock; a violation is a :class:`LockError`."""
        return validate_table(data, prefix, where)


# ------------------------------------------------------------------ the lock as input

_ANCHOR_KEYS = {"id": str, "kind": str, "checksum": str, "excerpt": str, "text": str, "history": list}
_HISTORY_KEYS = {"date": str, "checksum": str, "text": str}
_HISTORY_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ALIAS_KEYS = {"id": str, "to": str, "reason": str, "excerpt": str}


def _check_entry(entry, keys: dict, required: tuple[str, ...], where: str) -> None:
    if not isinstance(entry, dict):
        raise LockError(where, f"must be an object, not {type(entry).__name__}")
    for key in entry:
        if key not in keys:
            raise LockError(where, f"unknown key {key!r} (allowed: {', '.join(keys)})")
    for key in required:
        if key not in entry:
            raise LockError(where, f"missing key {key!r}")
    for key, value in entry.items():
        if not isinstance(value, keys[key]):
            raise LockError(where, f"{key!r} must be a {keys[key].__name__}, not {type(value).__name__}")


def validate_table(data, prefix: str, where: str = "") -> Lock:
    """A lock table as committed: every id well-formed (``p12``, ``p12a``) and unique,
    every checksum recomputed from its text, every alias leading to a live anchor,
    and the seal matching (no hand edits)."""
    if not isinstance(data, dict):
        raise LockError(where, f"must be an object, not {type(data).__name__}")
    for key in data:
        if key not in ("anchors", "aliases", "seal"):
            raise LockError(where, f"unknown key {key!r} (allowed: anchors, aliases, seal)")
    rows = data.get("anchors", [])
    alias_rows = data.get("aliases", [])
    if not isinstance(rows, list) or not isinstance(alias_rows, list):
        raise LockError(where, "'anchors' and 'aliases' must be lists")
    id_re = re.compile(rf"^{prefix}\d+[a-z]*$")
    seen: dict[str, str] = {}
    anchors, aliases = [], []
    for i, row in enumerate(rows):
        here = f"{where}.anchors[{i}]".lstrip(".")
        _check_entry(row, _ANCHOR_KEYS, ("id", "text", "checksum"), here)
        _check_id(row["id"], id_re, seen, here)
        if row["checksum"] != checksum(row["text"]):
            raise LockError(
                here, f"checksum of {row['id']} does not match its text (the text or the checksum was edited by hand)"
            )
        history = _check_history(row.get("history", []), here)
        anchors.append(Anchor(row["id"], row["text"], row.get("kind", "paragraph"), history))
    for i, row in enumerate(alias_rows):
        here = f"{where}.aliases[{i}]".lstrip(".")
        _check_entry(row, _ALIAS_KEYS, ("id", "to", "reason"), here)
        _check_id(row["id"], id_re, seen, here)
        if row["reason"] not in ALIAS_REASONS:
            raise LockError(here, f"reason must be one of {', '.join(ALIAS_REASONS)}, not {row['reason']!r}")
        aliases.append(Alias(row["id"], row["to"], row["reason"], row.get("excerpt", "")))
    live = {a.id for a in anchors}
    for i, alias in enumerate(aliases):
        if alias.to not in live:
            what = "another alias" if alias.to in seen else "nothing"
            raise LockError(
                f"{where}.aliases[{i}]".lstrip("."), f"alias {alias.id} leads to {alias.to!r}, which is {what}"
            )
    lock = Lock(anchors, aliases)
    if "seal" in data and data["seal"] != lock.seal():
        raise LockError(
            where or "lock",
            "the seal does not match the entries: the lock was edited by hand (ids or aliases changed)",
        )
    return lock


def _check_history(rows: list, where: str) -> list[dict]:
    """An anchor's earlier wordings: dated (YYYY-MM-DD, in order), each checksum
    recomputed from its text."""
    previous = ""
    for i, row in enumerate(rows):
        here = f"{where}.history[{i}]"
        _check_entry(row, _HISTORY_KEYS, ("date", "checksum", "text"), here)
        if not _HISTORY_DATE.match(row["date"]) or row["date"] < previous:
            raise LockError(here, f"date {row['date']!r} is not a YYYY-MM-DD date on or after the one before")
        if row["checksum"] != checksum(row["text"]):
            raise LockError(here, "checksum does not match its text (edited by hand)")
        previous = row["date"]
    return [dict(row) for row in rows]


def _check_id(anchor_id: str, id_re: re.Pattern, seen: dict[str, str], where: str) -> None:
    if not id_re.match(anchor_id):
        raise LockError(where, f"id {anchor_id!r} is not of the form {id_re.pattern}")
    if anchor_id in seen:
        raise LockError(where, f"id {anchor_id} occurs twice (also at {seen[anchor_id]})")
    seen[anchor_id] = where


# ------------------------------------------------------------------ matching


def shares(old: str, new: str) -> tuple[float, float]:
    """(share of ``old`` held by ``new``, share of ``new`` that comes from ``old``).

    Two texts alike as a whole (:data:`EDITED`) are one text edited.  Otherwise
    only runs count: a character is shared when it lies in a run of at least
    :data:`MIN_RUN` characters (less in a short text) that occurs in the
    other text, wherever (so moved sentences count, and two paragraphs on the same
    subject do not look related through scattered common characters, as they do
    to an alignment).  (0, 0) when what they share is too little to be the same
    words: less than :data:`RELATED_RUN` characters of the old text (three
    quarters of one shorter than 27 characters; for one shorter than 20, a run of
    four fifths of it, or all but one character), unless the block is wholly a
    part of it (a split)."""
    if not old or not new:
        return 0.0, 0.0
    if old == new:
        return 1.0, 1.0
    if len(old) < SHORT_EDITABLE:
        # A few characters are that text only where they occur whole.
        return (1.0, len(old) / len(new)) if old in new else (0.0, 0.0)
    edited = fuzz.ratio(old, new) / 100
    # (a short text: one character changed, or up to a fifth of them; a ratio would
    # allow more, and two short paragraphs a few characters apart are not one text)
    if len(old) < RELATED_RUN:
        alike = Levenshtein.distance(old, new) <= max(1, 0.2 * len(old))
    else:
        alike = edited >= EDITED
    if alike:
        # The same text edited (typos, corrections): alike as a whole, wherever the edits fall.
        return max(edited, _covered(old, new, _run_length(old)) / len(old)), edited
    shared_old = _covered(old, new, _run_length(old))
    shared_new = _covered(new, old, _run_length(new))
    # A part of the old text (a split): all of the block, and a fair share of the old text.
    part = shared_new >= FULL_SHARE * len(new) and shared_new >= min(RELATED_RUN, len(old) / 3)
    if len(old) < RELATED_RUN:
        # A short text (a date or a stock phrase is not a paragraph): related when four
        # fifths of it occur as one run, or, from SHORT_EDITABLE characters on, when it
        # occurs inside a longer block with at most one character changed.
        run = SequenceMatcher(None, old, new, autojunk=False).find_longest_match(0, len(old), 0, len(new)).size
        one_change = SHORT_EDITABLE <= len(old) and len(new) > len(old) and _occurs_with_one_change(old, new)
        related = run >= 0.8 * len(old) or one_change
        shared_old = max(shared_old, run, len(old) - 1 if one_change else 0)
    else:
        related = shared_old >= min(RELATED_RUN, 0.75 * len(old))
        if not related and len(new) > len(old):
            # Inside a longer block with its own edits (typos that break the runs):
            # some window of the block is the old text edited.
            window = fuzz.partial_ratio(old, new) / 100
            if window >= EDITED:
                related, shared_old = True, max(shared_old, window * len(old))
    if not related and not part:
        return 0.0, 0.0
    return shared_old / len(old), shared_new / len(new)


def _occurs_with_one_change(text: str, other: str) -> bool:
    """``other`` contains ``text`` with one character replaced, added or dropped."""
    n = len(text)
    for k in range(len(other) - n + 1):
        if sum(a != b for a, b in zip(text, other[k : k + n], strict=True)) <= 1:
            return True
    if any(text[:i] + text[i + 1 :] in other for i in range(n)):
        return True
    for k in range(len(other) - n):
        window = other[k : k + n + 1]
        if any(window[:j] + window[j + 1 :] == text for j in range(n + 1)):
            return True
    return False


def _run_length(text: str) -> int:
    """The shortest run that counts as shared text of ``text``: :data:`MIN_RUN`, or
    a third of a short text (so a typo in a heading does not hide it), at least 3."""
    return max(3, min(MIN_RUN, len(text) // 3))


def _covered(text: str, other: str, k: int) -> int:
    """How many characters of ``text`` lie in a run of ``k`` that ``other`` contains."""
    if len(text) < k:
        return len(text) if text in other else 0
    runs = {other[i : i + k] for i in range(len(other) - k + 1)}
    covered, reach = 0, 0  # reach: the end of the last run found
    for i in range(len(text) - k + 1):
        if text[i : i + k] in runs:
            covered += i + k - max(i, reach)
            reach = i + k
    return covered


def _grams(text: str) -> set[str]:
    if len(text) <= GRAM:
        return {text}
    return {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}


def _candidates(olds: list[str], news: list[str], old_left: list[int], new_left: list[int]):
    """Pairs (o, n) that share at least one n-gram, with their shares."""
    index: dict[str, list[int]] = defaultdict(list)
    for n in new_left:
        for gram in _grams(news[n]):
            index[gram].append(n)
    pairs = []
    for o in old_left:
        related = set()
        if len(olds[o]) < RELATED_RUN:  # a short text: one typo hides it from the index
            related.update(new_left)
        for gram in _grams(olds[o]):
            related.update(index.get(gram, ()))
        for n in sorted(related):
            s_old, s_new = shares(olds[o], news[n])
            if s_old > 0:
                # about as long as it was: the same text edited, not a part of it (a split)
                same_length = 0.9 <= len(news[n]) / len(olds[o]) <= 1 / 0.9
                pairs.append((o, n, s_old, s_new, same_length))
    return pairs


def assign(old: Lock | None, texts: list[tuple[str, str]], prefix: str = "p") -> Lock:
    """Ids for the new blocks ``texts`` = [(kind, text)], in reading order (see the
    module docstring for the invariant this keeps)."""
    if old is None or not old.anchors:
        # First publication (or nothing left to match): p1, p2, … skipping retired ids.
        taken = old.ids() if old else set()
        anchors, n = [], 0
        for kind, text in texts:
            n += 1
            while f"{prefix}{n}" in taken:
                n += 1
            anchors.append(Anchor(f"{prefix}{n}", text, kind))
        return Lock(anchors, list(old.aliases) if old else [])
    olds = old.anchors
    aliases: list[Alias] = list(old.aliases)
    taken = old.ids()
    old_texts = [normalise(a.text) for a in olds]
    new_texts = [normalise(t) for _k, t in texts]
    owner: list[int | None] = [None] * len(texts)  # new block -> old anchor whose id it carries
    claimed: dict[int, int] = {}  # old anchor -> new block

    # 1. Identical texts: first those in the same order (aligned, so of two identical
    #    paragraphs each keeps its own place), then moved ones.
    aligned = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for block in aligned.get_matching_blocks():
        for k in range(block.size):
            owner[block.b + k], claimed[block.a + k] = block.a + k, block.b + k
    by_text: dict[str, list[int]] = defaultdict(list)
    for n, text in enumerate(new_texts):
        if owner[n] is None:
            by_text[text].append(n)
    for o, text in enumerate(old_texts):
        if o not in claimed and by_text.get(text):
            n = by_text[text].pop(0)
            owner[n], claimed[o] = o, n

    # 2. Everything else, best pair first (see _preference).
    old_left = [o for o in range(len(olds)) if o not in claimed]
    # (blocks already paired still count as where a leftover text went: merged)
    pairs = _candidates(old_texts, new_texts, old_left, list(range(len(texts))))
    pairs.sort(key=_preference)
    held: dict[int, list[tuple[float, int]]] = defaultdict(list)  # old -> [(share, new block)]
    for o, n, s_old, s_new, _same_length in pairs:
        held[o].append((s_old, n))
        if o in claimed or owner[n] is not None or (s_old < CLAIM_SHARE and s_new < FULL_SHARE):
            continue
        owner[n], claimed[o] = o, n

    # 3. Ids: kept where claimed, fresh after the block before otherwise.
    new_ids: list[str] = []
    for n in range(len(texts)):
        if owner[n] is not None:
            new_ids.append(olds[owner[n]].id)
        else:
            previous = new_ids[-1] if new_ids else None
            fresh = _next_free(previous, prefix, taken)
            taken.add(fresh)
            new_ids.append(fresh)

    # 4. Old anchors left over: merged into the block holding most of their text,
    #    or removed (their text is gone) and leading to the nearest surviving one.
    live_old = {o: new_ids[n] for o, n in claimed.items()}
    for o in range(len(olds)):
        if o in claimed:
            continue
        anchor = olds[o]
        if not texts:
            raise AnchorError(f"anchor {anchor.id} would disappear: the source has no block left to point to")
        if held.get(o):
            _share, n = max(held[o], key=lambda h: (h[0], -h[1]))
            aliases.append(Alias(anchor.id, new_ids[n], "merged", excerpt(anchor.text)))
            continue
        before = [live_old[k] for k in range(o - 1, -1, -1) if k in live_old]
        after = [live_old[k] for k in range(o + 1, len(olds)) if k in live_old]
        target = (before or after or [new_ids[0]])[0]
        aliases.append(Alias(anchor.id, target, "removed", excerpt(anchor.text)))

    lock = Lock([Anchor(new_ids[i], text, kind) for i, (kind, text) in enumerate(texts)], aliases)
    _retarget(lock)
    missing = old.ids() - lock.ids()
    if missing:
        raise AnchorError(f"anchors {', '.join(sorted(missing))} would disappear without an alias")
    return lock


def _preference(pair: tuple[int, int, float, float, bool]) -> tuple:
    """The order in which (old anchor, new block) pairs are taken:

    0. a block that is the old text edited (each holds most of the other, about as
       long as it was): the most alike first, so a text keeps its id even where its
       words also occur elsewhere;
    1. a block holding (nearly) all of an old text besides other text, the block it
       was merged into: by reading order of the old anchors (the first keeps its id);
    2. a block made entirely of an old text, the parts of a split: the first part
       keeps the id, so a link lands where the paragraph began;
    3. a block holding some of an old text (boundaries moved): the larger share first.
    """
    o, n, s_old, s_new, same_length = pair
    if s_old >= EDITED and s_new >= EDITED and same_length:
        return (0, -round(min(s_old, s_new), 3), o, n)
    if s_old >= FULL_SHARE:
        return (1, o, -round(s_new, 3), n)
    if s_new >= FULL_SHARE:
        return (2, o, n)
    return (3, -round(s_old, 3), o, n)


def _next_free(previous: str | None, prefix: str, taken: set[str]) -> str:
    if previous is None:
        base = f"{prefix}0"
    else:
        m = ID_RE.match(previous)
        base = f"{m.group(1)}{m.group(2)}"
    for suffix in _suffixes():
        candidate = base + suffix
        if candidate not in taken:
            return candidate
    raise AnchorError(f"no free id after {previous}")


def _suffixes():
    """a … z, aa … zz, aaa …: as many new blocks after one anchor as there may be."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for length in itertools.count(1):
        for combo in itertools.product(letters, repeat=length):
            yield "".join(combo)


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
