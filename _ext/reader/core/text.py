"""Decoding and character-level normalisation rules (documented in README).

Rules, applied to every seed in this order:

D1  Bytes are decoded as UTF-8 (with or without BOM), as UTF-16 when the file
    starts with a UTF-16 BOM, or in the encoding the sidecar declares.
    Anything else is an error naming the file and the byte offset.
N1  CRLF and lone CR become LF; a form feed (pdftotext's page separator)
    becomes a page break.
N2  Zero-width and invisible format characters (U+200B–U+200D, U+2060,
    U+FEFF inside the text, U+00AD soft hyphen) are removed.
N3  NBSP, U+3000 ideographic space, the other Unicode spaces and tabs become
    an ordinary space; a line's leading and trailing spaces are dropped.
N4  Spaces next to CJK text: a run of spaces between a CJK character or
    full-width punctuation on one side and anything but a space on the other
    is removed (``2024 年 1 月`` → ``2024年1月``, ``人才 ；`` → ``人才；``).
    Exception: in titles and headings a single space between two CJK
    characters is the headline separator and is kept.  Spaces between ASCII
    words are kept.  Figure text is never re-spaced.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from .errors import SeedError

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_SPACE_RE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

# Full-width punctuation that closes a sentence, continues one, opens or closes a quote.
CLOSING_PUNCT = set("。！？；…!?")
CONTINUING_PUNCT = set("，、,：:—-")
OPENING_PUNCT = set("“‘（《〈【「『〔(")
CLOSING_QUOTES = set("”’）》〉】」』〕)")
FULLWIDTH_PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕…—·◆※")


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Rule D1: decode raw bytes, or raise a SeedError naming the byte offset."""
    if not data.strip():
        raise SeedError(path, None, "the seed is empty")
    if data.startswith(codecs.BOM_UTF8):
        codec, body, base = "utf-8", data[3:], 3
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, body, base = "utf-16", data, 0
    else:
        codec, body, base = (encoding or "utf-8"), data, 0
        nul = body.find(b"\x00")
        if nul >= 0 and codec.replace("-", "").lower() not in ("utf16", "utf32"):
            raise SeedError(
                path,
                f"byte {nul}",
                "binary data (NUL byte); a seed must be text: UTF-8, UTF-16 with BOM, "
                "or the encoding declared in the sidecar's source.encoding",
            )
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        raise SeedError(
            path,
            f"byte {base + exc.start}",
            f"cannot decode as {codec} ({exc.reason}: {data[base + exc.start : base + exc.start + 4]!r}); "
            'declare the right encoding in the sidecar (source.encoding, e.g. "gb18030")',
        ) from None
    except LookupError:
        raise SeedError(path, None, f"unknown encoding {encoding!r} declared in the sidecar") from None
    bad = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise SeedError(
            path,
            f"line {line}",
            f"control character U+{ord(bad.group()):04X} at column {column}: binary data or a mis-decoded "
            "file; allowed: text without control characters (U+0000–U+001F except tab and line ends, "
            "U+007F–U+009F); declare source.encoding if the file is not UTF-8",
        )
    if not significant(text):
        raise SeedError(path, None, "the seed contains no text (only whitespace)")
    return text


def split_lines(text: str) -> list[str]:
    """Rule N1: normalise line ends; a form feed stays as its own marker line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    return text.split("\n")


def clean_line(line: str) -> str:
    """Rules N2 and N3 on one raw line (leading/trailing spaces kept for the segmenter)."""
    return _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", line))


_INSIGNIFICANT = re.compile(rf"[\s{INVISIBLE}]+")


def significant(text: str) -> str:
    """The characters the nothing-lost invariant counts: not whitespace, not invisible."""
    return _INSIGNIFICANT.sub("", text)


def is_cjk(ch: str) -> bool:
    # Ambiguous-width characters (“ ” ※ …) are set full width in Chinese text.
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def width(text: str) -> float:
    """Printed width in em: CJK and full-width characters 1, others 0.5, spaces 0.

    Extraction inserts a space wherever the PDF had a gap (around half-width
    digits, between headline parts), so a space counts a quarter em.
    """
    return sum(map(_char_width, text))


@functools.cache  # a few thousand distinct characters: the hot path of ingestion
def _char_width(ch: str) -> float:
    return 1.0 if is_cjk(ch) else (0.25 if ch == " " else 0.5)


MIN_CHAR_WIDTH = 0.25  # width(text) >= MIN_CHAR_WIDTH * len(text)


_CJK_CLASS = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d\u2026\u2014\u00b7\u25c6\u203b"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK_CLASS}]) +(?=\S)|(?<=\S) +(?=[{_CJK_CLASS}])")
_HEADLINE_SEP = re.compile(r"(?<=[\u2e80-\u9fff\u201c\u201d\u300a\u300b]) (?=[\u2e80-\u9fff\u201c\u201d\u300a\u300b])")


def respace(text: str, keep_headline_spaces: bool = False) -> str:
    """Rule N4: remove the spaces extraction put next to CJK text."""
    if keep_headline_spaces:
        # Protect single spaces between two CJK characters, then respace the rest.
        text = re.sub(r" {2,}", " ", text)
        text = _HEADLINE_SEP.sub("\x00", text)
        text = _SPACE_NEAR_CJK.sub("", text)
        return text.replace("\x00", " ")
    return _SPACE_NEAR_CJK.sub("", text)
