"""Line breaks inside Chinese running text.

A Markdown paragraph written over several lines keeps its newlines in the
document; browsers render each as a space (CSS Text's rule that drops them
between East Asian characters is not implemented by Chromium), so "。\\n每篇"
reads "。 每篇". A line break (with the spaces around it) is removed when the
character on either side is CJK (ideographs, kana, hangul, CJK and full-width
punctuation); between two Latin words it stays a break, i.e. a space.
"""

from __future__ import annotations

import re

# Wide characters: CJK punctuation and symbols (not U+3000, the ideographic
# space, which is a space), kana, ideographs (basic, ext. A, compatibility),
# hangul, full-width forms, and the supplementary ideograph planes.
CJK_CLASS = (
    "\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f"
)
# Quotes, dashes and the ellipsis (“” — …) are shared with Latin text and decide
# nothing: a break next to them joins only when the other side is CJK.
WIDE = f"[{CJK_CLASS}]"

# One break: a newline with the spaces and tabs (and further newlines) around it.
_BREAK = re.compile(rf"(?<={WIDE})[ \t]*\n[ \t\n]*|[ \t]*\n[ \t\n]*(?={WIDE})")


def is_wide(char: str) -> bool:
    return bool(re.fullmatch(WIDE, char))


def join_cjk_lines(text: str) -> str:
    """Remove the line breaks that touch a CJK character; keep the others."""
    if "\n" not in text:
        return text
    return _BREAK.sub("", text)


def join_cjk_lines_in_context(text: str, before: str = "", after: str = "") -> str:
    """``join_cjk_lines`` for one text run of a paragraph split by inline markup:
    ``before``/``after`` are the neighbouring characters of the runs around it."""
    if "\n" not in text:
        return text
    left = before if before and not before.isspace() else ""
    right = after if after and not after.isspace() else ""
    joined = join_cjk_lines(left + text + right)
    return joined[len(left) : len(joined) - len(right)]
