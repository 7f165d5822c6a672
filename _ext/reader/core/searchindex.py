"""The reader's paragraph search index: pure Python, no Sphinx.

Promises (tested in tests/test_search_index.py, with Hypothesis):

- **Folding**: index and query go through the same per-character fold
  (traditional → simplified for every character of the collection, full-width
  ASCII → ASCII, lower case). It maps one character to one character, so a
  position in the folded text is a position in the displayed one, and a query in
  either script (or a mix) finds the same paragraphs.
- **Recall**: every paragraph whose folded text contains each word of a query
  (words split by spaces and Chinese list punctuation) is a hit. Tokens are CJK
  unigrams and bigrams and Latin/digit words; a paragraph matches a word when it
  holds all the word's tokens, so the hits are a superset of the exact matches
  that the browser confirms when it shows them.
- **Ranking**: BM25 over paragraphs (k1 = 1.2, b = 0.75), the term-frequency
  part precomputed per posting (one decimal); a word found in the paragraph's
  heading or source title counts half again; the defining paragraph of a
  glossary term queried by any of its forms counts three times.
- **Scale**: postings are split into shards by a hash of the token (FNV-1a, the
  same in Python and JavaScript) and paragraph texts into chunks of consecutive
  paragraphs, so a query loads the metadata, one shard per token and the chunks
  of the results it shows, never the whole collection.
- **Pinyin**: every indexed word (jieba's words and the glossary terms) is
  reachable by its toneless pinyin without spaces (``xinzhishengchanli``),
  stored in shards by first syllable; glossary terms also by their initials
  (``xzscl``).

Files are JavaScript calls (``READER_SEARCH.add("t/12", {...})``) so that the
search works from ``file://`` as well as over HTTP."""

from __future__ import annotations

import functools
import json
import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass, field

K1, B = 1.2, 0.75
HEADING_BOOST = 1.5
DEFINITION_BOOST = 3.0
SHARD_BYTES = 12_000  # target size of a postings shard
CHUNK_BYTES = 2_500  # target size of a chunk of paragraph texts
# Postings are strings: per paragraph its gap from the previous one (base 32,
# most significant digit first, a digit with more to follow is shifted by 32)
# and one character for the weight (0-31) plus 32 when the token is also in
# the heading or title: about 2 bytes a posting.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def encode_gap(gap: int) -> str:
    """A gap between paragraph ids in base 32, most significant digit first."""
    if gap < 32:  # one digit: most postings
        return ALPHABET[gap]
    digits = []
    while gap:
        digits.append(gap & 31)
        gap >>= 5
    return "".join(ALPHABET[32 + d] for d in reversed(digits[1:])) + ALPHABET[digits[0]]


def encode_postings(plist: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for pid, code in plist:
        gap, last = pid - last, pid
        out.append(encode_gap(gap))
        out.append(ALPHABET[min(31, code % 100) + (32 if code >= 100 else 0)])
    return "".join(out)


def decode_postings(text: str) -> list[tuple[int, int]]:
    out, pid, gap, i = [], 0, 0, 0
    while i < len(text):
        value = ALPHABET.index(text[i])
        i += 1
        if value >= 32:
            gap = (gap << 5) | (value - 32)
            continue
        pid += (gap << 5) | value
        gap = 0
        code = ALPHABET.index(text[i])
        i += 1
        out.append((pid, (code & 31) + (100 if code >= 32 else 0)))
    return out


FORMAT = 1

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TOKEN_RE = re.compile(f"[{HAN}]+|[a-z0-9]+")
IS_HAN = re.compile(f"[{HAN}]")
# What separates the words of a query (CJK text needs no spaces within a word).
QUERY_SPLIT = re.compile(r"[\s,，、;；。.!！?？:：\"'“”‘’《》（）()]+")


@dataclass
class Para:
    anchor: str  # the paragraph's id in its page (p6)
    number: str  # its visible number
    text: str  # as displayed in this site's variant
    heading: str = ""  # the section it sits in, as displayed


@dataclass
class Source:
    slug: str
    title: str
    url: str  # the page, relative to the site root
    kind: str
    kind_label: str
    date: str
    paras: list[Para] = field(default_factory=list)


@dataclass
class Term:
    """A glossary entry: its forms (both scripts), pinyin and defining paragraph."""

    forms: list[str]
    defined_in: tuple[str, str] | None = None  # (slug, anchor)
    shown: str = ""  # the term as this site displays it (default: the first form)


# ---------------------------------------------------------------- folding


def make_fold(simplified_chars, variants=(), aligned=()) -> dict[str, str]:
    """Traditional → simplified per character. ``variants`` are converters of a
    single simplified character (OpenCC s2t, s2tw, s2hk…); ``aligned`` are
    (simplified, displayed) text pairs of equal length. A character that occurs
    in the simplified text is never folded (乾 stays 乾 where it is written so)."""
    own = set(simplified_chars)
    fold: dict[str, str] = {}
    for simp, shown in aligned:
        if len(simp) == len(shown):
            own.update(simp)
            for s, t in zip(simp, shown, strict=True):
                if s != t and t not in fold:
                    fold[t] = s
    for char in sorted(own):
        for convert in variants:
            trad = convert(char)
            if len(trad) == 1 and trad != char and trad not in fold:
                fold[trad] = char
    return Fold({t: s for t, s in fold.items() if t not in own})


def fold_char(ch: str, fold: dict[str, str]) -> str:
    """One character as the index holds it: full-width ASCII as ASCII, a
    traditional form as its simplified one, lower case (when that is one character)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
        ch = chr(code - 0xFEE0)
    ch = fold.get(ch, ch)
    low = ch.lower()
    return low if len(low) == 1 else ch


class _FoldTable(dict):
    """``str.translate`` table of ``fold_char``, filled as characters are met."""

    def __init__(self, fold: dict[str, str]):
        super().__init__()
        self.fold = fold

    def __missing__(self, code: int) -> str:
        self[code] = folded = fold_char(chr(code), self.fold)
        return folded


class Fold(dict):
    """``make_fold``'s mapping (traditional -> simplified), with the translate table
    of its ``fold_char`` kept beside it.  Not changed once made."""

    @functools.cached_property
    def table(self) -> _FoldTable:
        return _FoldTable(self)


def fold_text(text: str, fold: dict[str, str]) -> str:
    """``fold_char`` of every character, by one ``str.translate`` (a Python loop per
    character was a fifth of the search index's build at 2,000 sources)."""
    return text.translate(fold.table if isinstance(fold, Fold) else _FoldTable(fold))


def tokens(folded: str) -> list[str]:
    """Unigrams and bigrams of CJK runs, Latin/digit words."""
    return tokens_and_length(folded)[0]


def tokens_and_length(folded: str) -> tuple[list[str], int]:
    """``tokens`` and the paragraph's length as BM25 counts it: its tokens but
    single CJK characters (a CJK run is all CJK: ``TOKEN_RE``)."""
    out = []
    characters = 0
    for run in TOKEN_RE.findall(folded):
        if IS_HAN.match(run):
            out.extend(run)
            characters += len(run)
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out, len(out) - characters


def word_tokens(folded_word: str) -> list[str]:
    """What a paragraph must hold to match a query word: its bigrams (its
    character if it has one), its Latin words."""
    out = []
    for run in TOKEN_RE.findall(folded_word):
        if IS_HAN.match(run):
            out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            out.append(run)
    return list(dict.fromkeys(out))


def query_words(query: str, fold: dict[str, str]) -> list[str]:
    return [w for w in QUERY_SPLIT.split(fold_text(query, fold)) if word_tokens(w)]


def fnv1a(token: str) -> int:
    h = 0x811C9DC5
    for ch in token:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


# ---------------------------------------------------------------- pinyin


def toneless(pinyin: str) -> str:
    """pypinyin's NORMAL style written as a reader types it: ü as v."""
    return pinyin.replace("ü", "v").replace("u:", "v").lower()


def pinyin_keys(word: str) -> tuple[str, str, str]:
    """(joined toneless pinyin, first syllable, initials) of a simplified word."""
    from pypinyin import Style, lazy_pinyin

    syllables = [toneless(s) for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore")]
    syllables = [s for s in syllables if s.isascii() and s.isalpha()]
    if not syllables:
        return "", "", ""
    return "".join(syllables), syllables[0], "".join(s[0] for s in syllables)


# ---------------------------------------------------------------- the index


def bm25_weight(tf: int, norm: float) -> int:
    """A token's weight (1-31) in a paragraph where it occurs ``tf`` times and whose
    length gives ``norm`` (``K1 * (1 - B + B * length / average length)``)."""
    return max(1, min(31, round(10 * tf * (K1 + 1) / (tf + norm))))


# Counts (frequency times two, plus one) whose weight characters are tabulated for
# every paragraph: a token occurs once, twice or three times in most paragraphs.
TABULATED_COUNT = 8


class Postings:
    """token -> [(pid, code)] as the index encodes them (``code``: the BM25 weight
    0-31, plus 100 when the token is also in the heading or title), computed
    from flat arrays of paragraph ids and counts when asked."""

    def __init__(self, raw: dict[str, tuple[array, array]], norms: array):
        self._raw, self._norms = raw, norms
        self._weight_chars: dict[int, list[str]] = {}  # count -> weight character by paragraph

    def __contains__(self, tok: str) -> bool:
        return tok in self._raw

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self):
        return iter(self._raw)

    def get(self, tok: str, default=None):
        return self[tok] if tok in self._raw else default

    def __getitem__(self, tok: str) -> list[tuple[int, int]]:
        pids, counts = self._raw[tok]
        norms, out = self._norms, []
        for pid, count in zip(pids, counts, strict=True):
            out.append((pid, bm25_weight(count >> 1, norms[pid]) + (100 if count & 1 else 0)))
        return out

    def items(self):
        for tok in self._raw:
            yield tok, self[tok]

    def encoded(self, tok: str) -> str:
        """``encode_postings(self[tok])`` without the tuples: a posting's weight
        character depends only on its paragraph and its count (``_weight_chars``);
        three fifths of writing the index at 500 sources went to the two steps."""
        pids, counts = self._raw[tok]
        out, last = [], 0
        append, chars = out.append, self._weight_chars
        for pid, count in zip(pids, counts, strict=True):
            gap, last = pid - last, pid
            append(ALPHABET[gap] if gap < 32 else encode_gap(gap))
            if count < TABULATED_COUNT:
                column = chars.get(count)
                if column is None:
                    column = chars[count] = [self._weight_char(count, norm) for norm in self._norms]
                append(column[pid])
            else:
                append(self._weight_char(count, self._norms[pid]))
        return "".join(out)

    @staticmethod
    def _weight_char(count: int, norm: float) -> str:
        """The weight character of a token counted ``count`` (its frequency times
        two, plus one if also in the heading or title) in a paragraph of ``norm``."""
        return ALPHABET[bm25_weight(count >> 1, norm) + (32 if count & 1 else 0)]


class SearchIndex:
    def __init__(self, sources: list[Source], terms: list[Term], fold: dict[str, str], words=()):
        self.sources = sources
        self.fold = fold
        self.paras: list[tuple[int, Para]] = []  # (source index, paragraph) by pid
        self.first_pid: list[int] = []
        for si, src in enumerate(sources):
            self.first_pid.append(len(self.paras))
            self.paras.extend((si, p) for p in src.paras)
        self.folded = [fold_text(p.text, fold) for _, p in self.paras]
        self.postings = self._build_postings()
        by_anchor = {(sources[si].slug, p.anchor): pid for pid, (si, p) in enumerate(self.paras)}
        # (folded forms, initials, pinyin key, defining pid or -1, form as displayed)
        self.terms = []
        for term in terms:
            forms = list(dict.fromkeys(fold_text(f, fold) for f in term.forms if f))
            key, _first, initials = pinyin_keys(forms[0]) if forms else ("", "", "")
            pid = by_anchor.get(term.defined_in, -1) if term.defined_in else -1
            self.terms.append((forms, initials, key, pid, term.shown or term.forms[0]))
        self.pinyin: dict[str, dict[str, list[str]]] = {}  # first syllable -> key -> words
        self._build_pinyin([f for t in self.terms for f in t[0]] + list(words))

    def _build_postings(self) -> Postings:
        """Each token's paragraphs with its count there, in flat arrays: the weights
        need every paragraph's length first, and tuples (or a Counter per
        paragraph kept until then) were the build's peak memory at thousands of
        sources (issue 18)."""
        lengths = array("d")
        raw: dict[str, tuple[array, array]] = {}
        contexts: dict[tuple[int, str], frozenset[str]] = {}
        for pid, text in enumerate(self.folded):
            toks, length = tokens_and_length(text)
            lengths.append(length or 1)
            si, para = self.paras[pid]
            context = contexts.get((si, para.heading))
            if context is None:
                context = frozenset(tokens(fold_text(para.heading + " " + self.sources[si].title, self.fold)))
                contexts[(si, para.heading)] = context
            for tok, tf in Counter(toks).items():
                entry = raw.get(tok)
                if entry is None:
                    entry = raw[tok] = (array("I"), array("I"))
                entry[0].append(pid)
                entry[1].append(tf * 2 + (tok in context))
        avgdl = sum(lengths) / max(1, len(lengths))
        return Postings(raw, array("d", (K1 * (1 - B + B * length / avgdl) for length in lengths)))

    def _build_pinyin(self, words) -> None:
        vocabulary = set()
        for word in words:
            word = fold_text(word, self.fold)
            if len(word) < 2 or not all(IS_HAN.match(c) for c in word):
                continue
            # Only words the index can find (jieba also segments theme text).
            if all(t in self.postings for t in word_tokens(word)):
                vocabulary.add(word)
        for word in sorted(vocabulary):
            key, first, _ = pinyin_keys(word)
            if key:
                self.pinyin.setdefault(first, {}).setdefault(key, []).append(word)

    # -------------------------------------------------------------- querying

    def _word_hits(self, word: str) -> dict[int, float]:
        """pid -> BM25 score of one query word (paragraphs holding all its tokens)."""
        n = len(self.paras)
        scores: dict[int, float] | None = None
        heads: dict[int, int] = {}
        toks = word_tokens(word)
        for tok in toks:
            plist = self.postings.get(tok, [])
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            found = {}
            for pid, code in plist:
                found[pid] = idf * (code % 100) / 10
                if code >= 100:
                    heads[pid] = heads.get(pid, 0) + 1
            if scores is None:
                scores = found
            else:
                scores = {pid: s + found[pid] for pid, s in scores.items() if pid in found}
        scores = scores or {}
        for pid in scores:
            if heads.get(pid, 0) == len(toks):
                scores[pid] *= HEADING_BOOST
        for forms, _initials, _key, defining, _shown in self.terms:
            if word in forms and defining in scores:
                scores[defining] *= DEFINITION_BOOST
        return scores

    def candidates(self, words: list[str]) -> list[int]:
        """What the index alone can tell (the browser's first step): paragraphs
        holding the tokens of every word, else of most words, in rank order."""
        total: dict[int, list[float]] = {}
        for word in words:
            for pid, score in self._word_hits(word).items():
                entry = total.setdefault(pid, [0, 0.0])
                entry[0] += 1
                entry[1] += score
        full = [pid for pid, (k, _) in total.items() if k == len(words)]
        pool = full or list(total)
        return sorted(pool, key=lambda pid: (-total[pid][0], -total[pid][1], pid))

    def search(self, query: str) -> list[int]:
        """Paragraph ids in rank order, each holding at least one query word
        exactly: those holding every word first, then those holding most."""
        words = query_words(query, self.fold)
        return [pid for pid in self.candidates(words) if any(w in self.folded[pid] for w in words)]

    def suggest(self, query: str, limit: int = 10) -> str:
        """您是不是要找: the glossary form or the text nearest to a query word
        that finds nothing (edit distance at most a quarter of its length, at
        least 1)."""
        from rapidfuzz.distance import Levenshtein

        words = query_words(query, self.fold)
        out = []
        for word in words:
            if self._word_hits(word) and any(word in self.folded[p] for p in self._word_hits(word)):
                out.append(word)
                continue
            best, best_d = word, max(1, len(word) // 4) + 1
            for forms, *_rest, shown in self.terms:
                for form in forms:
                    d = Levenshtein.distance(word, form)
                    if d < best_d:
                        best, best_d = shown, d
            if best == word:
                near = set()
                for tok in word_tokens(word):
                    near.update(pid for pid, _ in self.postings.get(tok, []))
                ranked = sorted(near, key=lambda p: -sum(t in self.folded[p] for t in word_tokens(word)))[:limit]
                for pid in ranked:
                    text = self.folded[pid]
                    for size in (len(word), len(word) - 1, len(word) + 1):
                        for i in range(0, max(0, len(text) - size) + 1):
                            piece = text[i : i + size]
                            if piece == word or not all(IS_HAN.match(c) for c in piece):
                                continue
                            d = Levenshtein.distance(word, piece)
                            if d < best_d:
                                best, best_d = self.paras[pid][1].text[i : i + size], d
            out.append(best)
        return " ".join(out) if out != words else ""

    def anchor(self, pid: int) -> str:
        si, para = self.paras[pid]
        return f"{self.sources[si].slug}#{para.anchor}"

    # -------------------------------------------------------------- the files

    def files(self) -> dict[str, str]:
        """Relative path (under the search directory) -> file text."""
        return dict(self.iter_files())

    def iter_files(self):
        """(relative path, file text), one file at a time: a writer need not hold
        the whole index's text at once."""

        def put(name: str, data) -> tuple[str, str]:
            payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            return f"{name}.js", f'READER_SEARCH.add("{name}",{payload});\n'

        encoded = {tok: self.postings.encoded(tok) for tok in self.postings}  # ~2 bytes a posting
        size = sum(len(tok) * 3 + 6 + len(flat) for tok, flat in encoded.items())
        shards = max(1, math.ceil(size / SHARD_BYTES))
        buckets: list[dict] = [{} for _ in range(shards)]
        for tok, flat in encoded.items():
            buckets[fnv1a(tok) % shards][tok] = flat
        del encoded
        for i, bucket in enumerate(buckets):
            yield put(f"t/{i}", bucket)
        del buckets
        # Paragraph texts in chunks of consecutive paragraphs, with the titles of
        # their sources (the metadata does not carry 500 titles).
        chunks, current, size = [], [], 0
        starts = []
        for pid, (si, para) in enumerate(self.paras):
            if not current:
                starts.append(pid)
            row = [para.anchor, para.number, para.text, para.heading]
            current.append((si, row))
            size += len(json.dumps(row, ensure_ascii=False).encode("utf-8"))
            if size >= CHUNK_BYTES:
                chunks.append(current)
                current, size = [], 0
        if current:
            chunks.append(current)
        for i, chunk in enumerate(chunks):
            titles = {str(si): self.sources[si].title for si, _ in chunk}
            yield put(f"p/{i}", {"titles": titles, "rows": [row for _, row in chunk]})
        yield put("s", [s.title for s in self.sources])
        for first, table in self.pinyin.items():
            yield put(f"y/{first}", table)
        fold_pairs = "".join(t + s for t, s in sorted(self.fold.items()) if len(t) == 1 and len(s) == 1)
        yield put(
            "meta",
            {
                "format": FORMAT,
                "paragraphs": len(self.paras),
                "shards": shards,
                "chunks": starts,
                "sources": [[s.slug, s.kind, s.date, self.first_pid[i]] for i, s in enumerate(self.sources)],
                "url": self._url_pattern(),
                "kinds": {s.kind: s.kind_label for s in self.sources},
                "fold": fold_pairs,
                "terms": [list(term) for term in self.terms],
                "pinyin": sorted(self.pinyin),
                "boost": {"heading": HEADING_BOOST, "definition": DEFINITION_BOOST},
            },
        )

    def _url_pattern(self) -> dict:
        """{"pattern": [prefix, suffix]} of every page's address around its
        slug, or {"list": addresses} when they follow no one pattern."""
        if self.sources:
            first = self.sources[0]
            at = first.url.rfind(first.slug)
            if at >= 0:
                prefix, suffix = first.url[:at], first.url[at + len(first.slug) :]
                if all(s.url == prefix + s.slug + suffix for s in self.sources):
                    return {"pattern": [prefix, suffix]}
        return {"list": [s.url for s in self.sources]}

    def query_files(self, query: str, shown: int = 20) -> list[str]:
        """The files the browser loads to show the first ``shown`` results of a
        query (a Chinese query; what the benchmark measures)."""
        files = ["meta.js"]
        meta_shards = max(1, int(json.loads(self._meta_cache())["shards"]))
        for word in query_words(query, self.fold):
            for tok in word_tokens(word):
                files.append(f"t/{fnv1a(tok) % meta_shards}.js")
        starts = json.loads(self._meta_cache())["chunks"]
        import bisect

        # The browser confirms candidates in rank order until it has ``shown``.
        words = query_words(query, self.fold)
        confirmed = 0
        for pid in self.candidates(words):
            files.append(f"p/{bisect.bisect_right(starts, pid) - 1}.js")
            confirmed += any(w in self.folded[pid] for w in words)
            if confirmed >= shown:
                break
        return list(dict.fromkeys(files))

    def _meta_cache(self) -> str:
        if not hasattr(self, "_files"):
            self._files = self.files()
        text = self._files["meta.js"]
        return text[text.index(",") + 1 : text.rindex(")")]


def segmented_words(texts, dictionary=()) -> set[str]:
    """The words jieba finds in ``texts`` in its search mode (a long word and the
    words within it), with the ``dictionary`` words added to its own (the
    glossary's terms, so that a term is one word): the vocabulary a pinyin query
    is resolved against.  A text quoted again is segmented once."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict..." on every build
    tokenizer = jieba.Tokenizer()
    for word in dictionary:
        tokenizer.add_word(word, freq=100000, tag="n")
    words: set[str] = set()
    for text in set(texts):
        words.update(tokenizer.cut_for_search(text))
    return words


def collection_index(coll, convert=None, url=None, words=(), converters=None, dictionary=None) -> SearchIndex:
    """The index of a ``pipeline.Collection`` as a site shows it: ``convert``
    turns simplified text into the site's variant (None: simplified),
    ``url(slug)`` gives a page's address relative to the site root, ``words``
    are extra words for pinyin, ``converters`` single-character
    simplified → traditional converters (default OpenCC s2t, s2tw, s2hk).
    With ``dictionary`` (jieba's extra words, possibly none) the words jieba
    finds in the titles, headings and paragraphs are added to ``words``."""
    from .sidecar import SOURCE_KINDS

    if converters is None:
        import opencc

        converters = [opencc.OpenCC(c).convert for c in ("s2t", "s2tw", "s2hk")]
    shown = convert or (lambda text: text)
    url = url or (lambda slug: f"source/{slug}.html")
    sources, aligned, chars = [], [], set()
    for doc in coll.docs:
        heading, paras = "", []
        for block in doc.blocks:
            if block.kind in ("heading", "label"):
                heading = shown(block.text)
            elif block.citable:
                text = shown(block.text)
                paras.append(Para(block.id, block.number, text, heading))
                aligned.append((block.text, text))
                chars.update(block.text)
        kind = doc.meta.get("kind", "")
        sources.append(
            Source(
                slug=doc.slug,
                title=shown(doc.title),
                url=url(doc.slug),
                kind=kind,
                kind_label=shown(SOURCE_KINDS.get(kind, kind)),
                date=doc.meta.get("date", ""),
                paras=paras,
            )
        )
    terms = []
    for entry in coll.glossary:
        forms = list(dict.fromkeys([*entry.forms, *(shown(f) for f in entry.forms)]))
        chars.update("".join(entry.forms))
        where = tuple(entry.defined_in.split("#", 1)) if entry.defined_in else None
        terms.append(Term(forms, where, shown=shown(entry.term)))
    if convert is None:
        # The simplified site's text in traditional script too, so that a word's
        # own reading counts (头发 → 頭髮, not 頭發).
        aligned = [(simp, converters[1](simp)) for simp, _ in aligned] if len(converters) > 1 else []
    fold = make_fold(chars, converters, aligned)
    words = [*(f for entry in coll.glossary for f in entry.forms), *words]
    if dictionary is not None:
        shown_texts = [s.title for s in sources] + [t for s in sources for p in s.paras for t in (p.text, p.heading)]
        words += sorted(segmented_words(shown_texts, dictionary))
    return SearchIndex(sources, terms, fold, words)
