"""Parallel passages: text reuse between paragraphs, found by shingling (pure Python).

Paragraphs are compared on their characters without punctuation or spaces, so
reuse survives re-punctuation and small edits.  Identical wordings are grouped
first; candidates come from an inverted index of winnowed shingle fingerprints of
the wordings (near-linear in the corpus: a fingerprint shared by very many
different wordings, a stock phrase, is not used to propose pairs); each candidate
pair of wordings is then measured exactly: how much of each is covered by
shingles the other one has, and must share one unbroken run of ``MIN_RUN``
characters (two fingerprints can also come from two short stock phrases).
Differences are a character diff of the original texts (difflib) with a
semantic cleanup (``fold_coincidences``, on diff-match-patch's primitives), so that they read as changed words, not scattered
characters that happen to coincide.
"""

from __future__ import annotations

import heapq
import itertools
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

SHINGLE = 6  # characters
WINDOW = 4  # winnowing window: one fingerprint per WINDOW shingles at least
# A shared run of WINDOW + SHINGLE - 1 = 9 characters always leaves a fingerprint in
# common; one fingerprint alone is one stock phrase (发展新质生产力), so two are needed.
MIN_SHARED_FINGERPRINTS = 2
# The unbroken run two paragraphs must share (normalised characters): stock phrases
# such as 因地制宜发展新质生产力 (11) or 加快实现高水平科技自立自强 (13) are shorter; a
# quotation or paraphrase shares a clause (see the README for the measured precision).
MIN_RUN = 16
MAX_POSTINGS = 64  # a fingerprint in more different wordings than this is a stock phrase
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


def run_grams(norm: str) -> set[str]:
    """Every run of MIN_RUN characters of a wording: two wordings share an unbroken
    run of MIN_RUN characters exactly when these sets meet (a set test in C where
    the longest run, chained from shared shingles in Python, was three fifths of
    measuring the candidate pairs: issue 18)."""
    return {norm[i : i + MIN_RUN] for i in range(len(norm) - MIN_RUN + 1)}


def shingle_bits(hashes: list[int]) -> dict[int, int]:
    """Each shingle's positions in a paragraph as the set bits of one integer."""
    bits: dict[int, int] = {}
    for i, h in enumerate(hashes):
        bits[h] = bits.get(h, 0) | (1 << i)
    return bits


def shared_coverage(bits: dict[int, int], common) -> int:
    """How many characters of a paragraph lie in the shingles it shares with the
    other one (``bits``: its ``shingle_bits``; only shared shingles are visited):
    the shared shingles' starts as bits, each widened to its SHINGLE characters."""
    starts = 0
    for h in common:
        starts |= bits[h]
    covered = starts
    for shift in range(1, SHINGLE):
        covered |= starts << shift
    return covered.bit_count()


def passes(shared_a: int, shared_b: int, size_a: int, size_b: int, min_chars: int, threshold: float) -> bool:
    """Whether two paragraphs share enough, before their shared run is asked."""
    return max(shared_a, shared_b) >= min_chars and max(shared_a / size_a, shared_b / size_b) >= threshold


class ParallelIndex:
    """Reuse between paragraphs, kept per *wording* (a normalised text): copies of
    one wording are parallels of each other, and two wordings are measured once.
    A paragraph quoted by hundreds of sources makes pairs by the ten thousand;
    keeping them per wording keeps the work linear in the paragraphs (the pairs are
    only counted, and the strongest few taken per paragraph)."""

    def __init__(self, passages: list[Passage], norms: list[str], min_chars: int):
        self.passages = passages
        self.norms: list[str] = []  # wording -> its normalised text
        self.members: list[list[int]] = []  # wording -> passages, in key order
        self.wording_of: list[int] = []  # passage -> wording
        self.related: list[list[tuple[int, float, float, int]]] = []  # (other, shared this, shared other, chars)
        by_norm: dict[str, int] = {}
        for i, norm in enumerate(norms):
            w = by_norm.setdefault(norm, len(self.norms))
            if w == len(self.norms):
                self.norms.append(norm)
                self.members.append([])
                self.related.append([])
            self.members[w].append(i)
            self.wording_of.append(w)
        for members in self.members:
            members.sort(key=lambda i: passages[i].key)
        # Copies are parallels when the wording itself is long enough to count.
        self.copies = [len(n) >= max(min_chars, SHINGLE) for n in self.norms]
        self._rank_cache: dict[int, list] = {}
        self._count_cache: dict[int, int] = {}

    def _ranked(self, w: int) -> list[tuple[int, float, float, int]]:
        """The wordings related to w (w itself first if its copies count), most
        shared characters first: (chars, shared this, shared other, wording)."""
        ranked = self._rank_cache.get(w)
        if ranked is None:
            ranked = [(chars, st, so, v) for v, st, so, chars in self.related[w]]
            if self.copies[w]:
                ranked.append((len(self.norms[w]), 1.0, 1.0, w))
            ranked.sort(key=lambda r: (-r[0], -r[1] - r[2]))  # ties: the closer wording first
            self._rank_cache[w] = ranked
        return ranked

    def count(self, i: int) -> int:
        """How many paragraphs passage i is parallel to."""
        w = self.wording_of[i]
        if w not in self._count_cache:
            self._count_cache[w] = sum(len(self.members[v]) for *_s, v in self._ranked(w))
        return self._count_cache[w] - (1 if self.copies[w] else 0)

    def strongest(self, i: int, k: int) -> list[Parallel]:
        """The k strongest parallels of passage i: most shared characters, then key.
        Only the wordings with the most shared characters are opened, lazily."""
        key_of = self.passages

        def stream(shared_this: float, shared_other: float, v: int):
            for j in self.members[v]:  # in key order
                if j != i:
                    yield key_of[j].key, shared_this, shared_other

        out: list[Parallel] = []
        for chars, group in itertools.groupby(self._ranked(self.wording_of[i]), key=lambda r: r[0]):
            if len(out) >= k:
                break
            merged = heapq.merge(*(stream(st, so, v) for _c, st, so, v in group))
            for key, st, so in itertools.islice(merged, k - len(out)):
                out.append(Parallel(key_of[i].key, key, st, so, chars))
        return out

    def strongest_wordings(self, i: int, k: int) -> list[list[Parallel]]:
        """The k strongest other *wordings* of passage i, each as the list of its
        paragraphs (identical wordings are one entry, not k entries with one diff).
        Uncapped: the build asks ``strongest_wordings_capped``; the tests hold the
        two equal up to the cap."""
        key_of = self.passages
        out: list[list[Parallel]] = []
        for chars, st, so, v in self._ranked(self.wording_of[i]):
            if len(out) >= k:
                break
            copies = [Parallel(key_of[i].key, key_of[j].key, st, so, chars) for j in self.members[v] if j != i]
            if copies:
                out.append(copies)
        return out

    def strongest_wordings_capped(self, i: int, k: int, limit: int) -> list[tuple[list[Parallel], int]]:
        """``strongest_wordings`` with each wording's paragraphs capped at ``limit``,
        with their total count: a wording quoted verbatim by every source costs
        ``limit``, not the size of the collection (issue 18)."""
        key_of = self.passages
        own = self.wording_of[i]
        out: list[tuple[list[Parallel], int]] = []
        for chars, st, so, v in self._ranked(own):
            if len(out) >= k:
                break
            total = len(self.members[v]) - (1 if v == own else 0)
            if total <= 0:
                continue
            copies = []
            for j in self.members[v]:
                if j != i:
                    copies.append(Parallel(key_of[i].key, key_of[j].key, st, so, chars))
                    if len(copies) >= limit:
                        break
            out.append((copies, total))
        return out

    def others_after(self, i: int, skip: int, limit: int) -> list[Parallel]:
        """Up to ``limit`` parallels of passage i in rank order after those of its
        ``skip`` strongest wordings (the ones ``strongest_wordings`` gives)."""
        key_of = self.passages
        own = self.wording_of[i]
        out: list[Parallel] = []
        for chars, st, so, v in self._ranked(own):
            if len(self.members[v]) - (1 if v == own else 0) <= 0:
                continue
            if skip > 0:
                skip -= 1
                continue
            for j in self.members[v]:
                if j != i:
                    if len(out) >= limit:
                        return out
                    out.append(Parallel(key_of[i].key, key_of[j].key, st, so, chars))
        return out

    def others(self, i: int, limit: int) -> list[Parallel]:
        """Up to ``limit`` parallels of passage i in rank order: the plain form the
        tests hold ``others_after`` (what the build asks) to."""
        key_of = self.passages
        out: list[Parallel] = []
        for chars, st, so, v in self._ranked(self.wording_of[i]):
            for j in self.members[v]:
                if j != i:
                    if len(out) >= limit:
                        return out
                    out.append(Parallel(key_of[i].key, key_of[j].key, st, so, chars))
        return out

    def all(self) -> list[Parallel]:
        """Every parallel, both directions (quadratic in the copies: for tests and small sets)."""
        return [p for i in range(len(self.passages)) for p in self.strongest(i, len(self.passages))]

    def pairs(self) -> int:
        return sum(self.count(i) for i in range(len(self.passages))) // 2

    def clusters(self, strength: float) -> list[list[tuple[str, str]]]:
        """Groups of paragraphs connected by strong reuse (each shares at least
        ``strength`` of itself with the other), each in key order."""
        parent = list(range(len(self.norms)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for w, related in enumerate(self.related):
            for v, shared_this, shared_other, _chars in related:
                if min(shared_this, shared_other) >= strength:
                    parent[find(w)] = find(v)
        groups: dict[int, list[tuple[str, str]]] = {}
        for w, members in enumerate(self.members):
            if self.copies[w] or any(min(st, so) >= strength for _v, st, so, _c in self.related[w]):
                groups.setdefault(find(w), []).extend(self.passages[i].key for i in members)
        return [sorted(g) for g in groups.values() if len(g) > 1]


def index_parallels(
    passages: list[Passage], threshold: float = 0.2, min_chars: int = 16, cache=None, measure_beside: int | None = None
) -> ParallelIndex:
    """Reuse between paragraphs sharing at least ``threshold`` of either one and
    ``min_chars`` characters.  With a cache, wordings measured in an earlier build
    are not measured again.  From ``measure_beside`` pairs to measure (default
    ``MEASURE_BESIDE_MIN``) they are measured in worker processes, one per core."""
    from .cache import NO_CACHE, content_key

    cache = cache or NO_CACHE
    index = ParallelIndex(passages, [normalise(p.text) for p in passages], min_chars)
    norms = index.norms
    keys = [content_key(n) for n in norms] if cache.path else None
    postings: dict[int, list[int]] = {}
    for w in range(len(norms)):
        if not norms[w]:
            continue
        fingerprints = cache.get("fp", keys[w]) if keys else None
        if fingerprints is None:
            fingerprints = winnow(shingles(norms[w]))
            if keys:
                cache.put("fp", keys[w], fingerprints)
        for fp in fingerprints:
            postings.setdefault(fp, []).append(w)
    candidates: Counter[tuple[int, int]] = Counter()
    for wordings in postings.values():
        # A fingerprint in very many different wordings is a stock phrase.
        if 1 < len(wordings) <= MAX_POSTINGS:
            candidates.update(itertools.combinations(wordings, 2))
    pairs = [pair for pair, shared in sorted(candidates.items()) if shared >= MIN_SHARED_FINGERPRINTS]
    known = {pair: cache.get("pairs-run", (keys[pair[0]], keys[pair[1]])) for pair in pairs} if keys else {}
    # Measured before, but without the run that thresholds lower than then now ask for.
    todo = [
        pair
        for pair in pairs
        if (m := known.get(pair)) is None
        or (m[2] is None and passes(m[0], m[1], len(norms[pair[0]]), len(norms[pair[1]]), min_chars, threshold))
    ]
    beside = len(todo) >= (MEASURE_BESIDE_MIN if measure_beside is None else measure_beside)
    fresh = measure_pairs(todo, norms, min_chars, threshold, beside)
    for (a, b), measured in zip(todo, fresh, strict=True):
        known[(a, b)] = measured
        if keys:
            cache.put("pairs-run", (keys[a], keys[b]), measured)
    for a, b in pairs:
        ca, cb, shares_run = known[(a, b)]
        sa, sb = ca / len(norms[a]), cb / len(norms[b])
        if shares_run and max(ca, cb) >= min_chars and max(sa, sb) >= threshold:
            index.related[a].append((b, sa, sb, max(ca, cb)))
            index.related[b].append((a, sb, sa, max(ca, cb)))
    return index


# Pairs of wordings to measure from which worker processes pay (a pool costs a
# few hundredths of a second; a pair about 50 microseconds).
MEASURE_BESIDE_MIN = 4000


def measure_pairs(
    pairs: list[tuple[int, int]], norms: list[str], min_chars: int, threshold: float, beside: bool
) -> list[tuple[int, int, bool | None]]:
    """The measures of ``pairs`` of wordings, in their order: the coverage of
    each, and whether they share an unbroken run of MIN_RUN characters when the
    coverage passes (``None`` otherwise: half the candidates of a collection
    fail on coverage).  ``beside``: in worker processes, one share of the pairs
    per usable core, each with the wordings it needs (here when the process
    cannot fork or has one core)."""
    from .background import in_shares

    def job(share: list[tuple[int, int]]) -> tuple:
        return ({w: norms[w] for pair in share for w in pair}, share, min_chars, threshold)

    return in_shares(_measure_share, pairs, beside, job)


def _measure_share(job: tuple[dict[int, str], list[tuple[int, int]], int, float]) -> list[tuple[int, int, bool | None]]:
    """In a worker (or not): ``measure_pairs`` for one share of the pairs."""
    norms, pairs, min_chars, threshold = job
    bits = {w: shingle_bits(shingles(norm)) for w, norm in norms.items()}
    grams: dict[int, set[str]] = {}
    out = []
    for a, b in pairs:
        common = bits[a].keys() & bits[b].keys()
        ca, cb = shared_coverage(bits[a], common), shared_coverage(bits[b], common)
        shares_run = None
        if passes(ca, cb, len(norms[a]), len(norms[b]), min_chars, threshold):
            for w in (a, b):
                if w not in grams:
                    grams[w] = run_grams(norms[w])
            shares_run = not grams[a].isdisjoint(grams[b])
        out.append((ca, cb, shares_run))
    return out


def find_parallels(passages: list[Passage], threshold: float = 0.2, min_chars: int = 16, cache=None) -> list[Parallel]:
    """Every parallel, both directions (see ``index_parallels`` for large sets)."""
    return index_parallels(passages, threshold, min_chars, cache).all()


# difflib's matcher costs up to len(a) * len(b): a 1.7-million-character block
# (a whole extraction on one line) took minutes.  Real paragraph pairs stay far
# below this bound (745 × 745 characters at most in the seeds).
MAX_DIFF_CELLS = 25_000_000


def coarse_diff(a: str, b: str) -> list[list[str]]:
    """Linear: the common beginning and end, and the middle as replaced."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    ops = [["=", a[:start]], ["-", a[start : len(a) - end]], ["+", b[start : len(b) - end]], ["=", a[len(a) - end :]]]
    return [op for op in ops if op[1]]


_DMP = diff_match_patch()
_OPS = {0: "=", -1: "-", 1: "+"}
# An unchanged stretch shorter than this between two larger changes is a
# coincidence (展新 inside a rewritten clause): it is folded into the change.
# Longer ones are shared wording and stay, however long the changes around them
# (diff-match-patch's own semantic cleanup would fold a 40-character quotation
# inside a 400-character rewrite too).
COINCIDENCE = 5


def fold_coincidences(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Semantic cleanup, bounded: fold short equalities into the changes around them."""

    def edit_size(k: int, step: int) -> int:
        sizes = {-1: 0, 1: 0}
        while 0 <= k < len(diffs) and diffs[k][0] != 0:
            sizes[diffs[k][0]] += len(diffs[k][1])
            k += step
        return max(sizes.values())

    changed = True
    while changed:
        changed = False
        for k in range(1, len(diffs) - 1):
            op, text = diffs[k]
            if op == 0 and len(text) < COINCIDENCE and len(text) < min(edit_size(k - 1, -1), edit_size(k + 1, 1)):
                diffs[k : k + 1] = [(-1, text), (1, text)]
                _DMP.diff_cleanupMerge(diffs)
                changed = True
                break
    _DMP.diff_cleanupSemanticLossless(diffs)  # align the changes with word-like boundaries
    return diffs


def diff_ops(a: str, b: str) -> list[list[str]]:
    """The differences turning a into b: [["=", text], ["-", text], ["+", text]],
    where "-" is only in a and "+" only in b.  A character diff (difflib: bounded
    time and always the same result, where diff-match-patch's own diff needs a
    time limit on long unrelated stretches) with a semantic cleanup: a
    coincidence of a character or two inside a rewritten stretch (展新 across a
    hundred changed characters) is folded into the change.  Within one
    change the omission comes before the addition."""
    if a == b:  # verbatim quotation, the common case
        return [["=", a]] if a else []
    if len(a) * len(b) > MAX_DIFF_CELLS:
        return coarse_diff(a, b)
    diffs: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            diffs.append((0, a[i1:i2]))
        else:
            if i2 > i1:
                diffs.append((-1, a[i1:i2]))
            if j2 > j1:
                diffs.append((1, b[j1:j2]))
    diffs = fold_coincidences(diffs)
    ops: list[list[str]] = []
    pending = {"-": "", "+": ""}
    for op, text in diffs:
        tag = _OPS[op]
        if tag == "=":
            ops.extend([t, pending[t]] for t in "-+" if pending[t])
            pending = {"-": "", "+": ""}
            ops.append(["=", text])
        else:
            pending[tag] += text
    ops.extend([t, pending[t]] for t in "-+" if pending[t])
    return ops


# Pairs of wordings to compare from which the comparisons are made in worker
# processes, one per core (fewer are not worth the fork: a comparison takes
# about a millisecond).
DIFF_BESIDE_MIN = 200


def diff_pairs(pairs: list[tuple[str, str]], beside: bool | None = None) -> list[list[list[str]]]:
    """``diff_ops`` of each pair, in their order; from ``DIFF_BESIDE_MIN`` pairs
    (or when ``beside`` says so) in worker processes, one interleaved share per
    usable core (here when the process cannot fork or has one core)."""
    from .background import in_shares

    return in_shares(_diff_share, pairs, len(pairs) >= DIFF_BESIDE_MIN if beside is None else beside)


def _diff_share(pairs: list[tuple[str, str]]) -> list[list[list[str]]]:
    return [diff_ops(a, b) for a, b in pairs]


ELIDED = "…"  # the op of a stretch both wordings share, left out of a margin's comparison
CONTEXT = 16  # characters of shared text kept on each side of a difference
_CLAUSE_END = re.compile(r"[，。；：！？、]")


def _lead_in(text: str) -> str:
    """The last CONTEXT characters of shared text before a difference, from the
    start of a clause when one starts in their first half."""
    tail = text[-CONTEXT:]
    ends = [m.end() for m in _CLAUSE_END.finditer(tail[: CONTEXT // 2])]
    return tail[ends[-1] :] if ends else tail


def _lead_out(text: str) -> str:
    """The first CONTEXT characters of shared text after a difference, to the end
    of a clause when one ends in their second half."""
    head = text[:CONTEXT]
    m = _CLAUSE_END.search(head, CONTEXT // 2)
    return head[: m.end()] if m else head


def elide_ops(ops: list[list[str]]) -> list[list[str]]:
    """A comparison short enough for a margin: each difference whole, with a
    clause or so of the shared text around it; the rest of the shared text is one
    ``[ELIDED, ""]`` op (the reader has this paragraph beside the note and a link
    to the other).  A verbatim copy has no differences to show: ``[]``.  The size
    is then that of the differences, not of the paragraph twice (issue 18: the
    full comparisons were most of a reading page)."""
    if all(op[0] == "=" for op in ops):
        return []
    out: list[list[str]] = []
    last = len(ops) - 1
    for k, (op, text, *rest) in enumerate(ops):
        if op != "=":
            out.append([op, text, *rest])
            continue
        before = _lead_out(text) if k > 0 else ""  # after the previous difference
        after = _lead_in(text) if k < last else ""  # before the next one
        if len(text) - len(before) - len(after) < CONTEXT:  # too little to leave out
            out.append(["=", text])
            continue
        if before:
            out.append(["=", before])
        out.append([ELIDED, ""])
        if after:
            out.append(["=", after])
    return out
