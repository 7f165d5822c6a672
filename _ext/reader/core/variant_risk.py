"""Conversion risks: where OpenCC decided an ambiguous character by a dictionary
phrase that a word segmentation of the simplified text does not see.

OpenCC (s2tw, s2t, s2hk) cuts the text by forward maximum matching over its
phrase tables (``STPhrases``), then converts each cut on its own.  Its errors in
the seeds were all of one kind: a phrase matched across a word boundary
(传统|制造 read as 统制, 转换|发挥 as 换发 → 換髮, 新|征程 as 新征 → 新徵).  jieba
knows the words.  An occurrence is *suspect* when

- the phrase that decided it crosses a jieba word boundary (an edge of the
  match cuts through a word on one side and it reaches into another word), or
  lies inside a compound word that contains a competing word (飞机制造 holds
  制造 against OpenCC's 机制), and
- converting the words separately (or the competing word) would give this
  character another form: a boundary-crossing match that changes nothing is
  harmless.

The word-by-word conversion is also offered as an automatic fix
(``word_by_word``); README reports what it fixes and breaks on the seeds.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from .variant import dump_table


@functools.lru_cache(maxsize=1)
def phrase_table() -> tuple[frozenset[str], int]:
    """The phrases OpenCC's segmentation matches (s2tw/s2t/s2hk share them)."""
    keys = set(dump_table("STPhrases.ocd2"))
    keys |= set(dump_table("STPhrases_GeneratedFromRegionalPhrases.ocd2"))
    return frozenset(keys), max(map(len, keys))


def opencc_cuts(text: str) -> list[tuple[int, int]]:
    """OpenCC's own segmentation (forward maximum matching over its phrases)."""
    phrases, longest = phrase_table()
    cuts, i = [], 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            if text[i : i + size] in phrases:
                cuts.append((i, i + size))
                i += size
                break
        else:
            cuts.append((i, i + 1))
            i += 1
    return cuts


@functools.lru_cache(maxsize=1)
def tokenizer():
    """A jieba tokenizer of its own, with jieba's dictionary only (the search
    index's has the glossary terms added): the risks depend on nothing else."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@functools.lru_cache(maxsize=8192)
def words(text: str) -> tuple[tuple[int, int], ...]:
    """jieba's words as spans of ``text``; whitespace (a hard-wrapped figure line)
    is ignored so that 制\\n造 is still one word.  Remembered (bounded): the risk
    detector asks for the same text several times (whole, then word by word), and
    the review list and the review pages read the same paragraphs."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    flat = "".join(text[i] for i in keep)
    spans, pos = [], 0
    for word in tokenizer().cut(flat, HMM=True):
        start, end = keep[pos], keep[pos + len(word) - 1] + 1
        spans.append((start, end))
        pos += len(word)
    return tuple(spans)


def word_by_word(text: str, convert) -> str:
    """``text`` converted one jieba word at a time (whitespace kept in place)."""
    out, pos = [], 0
    for start, end in words(text):
        if start > pos:
            out.append(text[pos:start])
        piece = text[start:end]
        out.append(_convert_keeping_space(piece, convert))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _convert_keeping_space(piece: str, convert) -> str:
    flat = "".join(piece.split())
    if flat == piece:
        return convert(piece)
    converted = iter(convert(flat))
    return "".join(ch if ch.isspace() else next(converted) for ch in piece)


@dataclass(frozen=True)
class Risk:
    index: int  # position of the ambiguous character in the text
    match: str  # the OpenCC phrase that decided it
    word: str  # the word jieba (or a competing word) sees there
    suggestion: str  # the character that word would give
    span: tuple[int, int] = (0, 0)  # the match and the word together: the snippet of an override

    def override(self, text: str, converted: str) -> tuple[str, str]:
        """(simplified, traditional) of a ready override for this occurrence."""
        start, end = self.span
        form = list(converted[start:end])
        form[self.index - start] = self.suggestion
        return "".join(text[start:end].split()), "".join("".join(form).split())


def risks(text: str, convert, ambiguous: dict[str, list[str]]) -> list[Risk]:
    """The suspect occurrences of ambiguous characters in ``text`` (see the module)."""
    if not any(ch in ambiguous for ch in text):
        return []
    converted = convert(text)
    if len(converted) != len(text):
        return []
    spans = words(text)
    word_at = {}
    for span in spans:
        for j in range(*span):
            word_at[j] = span
    by_word = None
    found = []
    for a, b in opencc_cuts(text):
        if b - a < 2 or not any(text[i] in ambiguous for i in range(a, b)):
            continue
        first, last = word_at.get(a), word_at.get(b - 1)
        if first is None or last is None:
            continue
        inside = first == last
        aligned = first[0] == a and last[1] == b
        for i in range(a, b):
            if text[i] not in ambiguous:
                continue
            if not inside and not aligned:
                if by_word is None:
                    by_word = word_by_word(text, convert)
                if by_word[i] != converted[i]:
                    w = word_at[i]
                    span = (min(a, w[0]), max(b, w[1]))
                    found.append(Risk(i, text[a:b], text[slice(*w)], by_word[i], span))
            elif inside and first != (a, b):
                risk = _competing_word(text, first, (a, b), i, converted, convert)
                if risk:
                    found.append(risk)
    return found


def _competing_word(text, word, match, i, converted, convert) -> Risk | None:
    """A dictionary word inside the compound ``word`` that overlaps the OpenCC
    match only in part and reads the character differently (飞机制造: 制造 vs 机制)."""
    freq = tokenizer().FREQ
    s, e = word
    a, b = match
    for start in range(s, i + 1):
        for end in range(i + 1, e + 1):
            if end - start < 2 or (start, end) == word or not freq.get(text[start:end]):
                continue
            if a <= start and end <= b or start <= a and b <= end:
                continue  # nested, not competing
            form = convert(text[start:end])
            if len(form) == end - start and form[i - start] != converted[i]:
                return Risk(i, text[a:b], text[start:end], form[i - start], (min(a, start), max(b, end)))
    return None


@dataclass
class Evaluation:
    occurrences: int  # ambiguous characters in the texts
    errors: int  # where plain OpenCC differs from the reference
    flagged: int
    caught: int  # errors flagged
    missed: list[str]  # the errors not flagged, in context
    fixed_by_words: int  # errors the word-by-word conversion gets right
    broken_by_words: int  # correct characters it gets wrong


def evaluate(texts, plain, reference, ambiguous) -> Evaluation:
    """The detector (and the word-by-word fix) against a reference conversion
    (the translators' overrides), on texts converted by plain OpenCC."""
    ev = Evaluation(0, 0, 0, 0, [], 0, 0)
    for text in texts:
        converted, wanted = plain(text), reference(text)
        flagged = {r.index for r in risks(text, plain, ambiguous)}
        by_word = word_by_word(text, plain)
        ev.occurrences += sum(ch in ambiguous for ch in text)
        ev.flagged += len(flagged)
        for i in range(len(text)):
            if converted[i] != wanted[i]:
                ev.errors += 1
                if i in flagged:
                    ev.caught += 1
                else:
                    ev.missed.append(text[max(0, i - 4) : i + 5])
                ev.fixed_by_words += by_word[i] == wanted[i]
            elif by_word[i] != wanted[i]:
                ev.broken_by_words += 1
    return ev
