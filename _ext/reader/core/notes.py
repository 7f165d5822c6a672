"""The wording of a margin note (pure Python): how the annotated phrase is named.

An annotation's text often begins with its phrase already (“新瓶装旧酒”比喻…), and a
phrase may carry its own quotation marks (“牛鼻子”) or contain quoted words
(政府“有形之手”和市场“无形之手”).  The note names the phrase once, in one pair of
quotation marks, with quotations inside it as single quotes, and not at all when
the text already begins with it.
"""

from __future__ import annotations

OPEN, CLOSE = "“", "”"
INNER = str.maketrans({"“": "‘", "”": "’"})

# A text longer than this (characters) is folded to one line in the HTML margin.
FOLD_CHARS = 40


def bare(phrase: str) -> str:
    """The phrase without one pair of enclosing quotation marks."""
    phrase = phrase.strip()
    if len(phrase) >= 2 and phrase[0] == OPEN and phrase[-1] == CLOSE and OPEN not in phrase[1:-1]:
        return phrase[1:-1]
    return phrase


def quoted(phrase: str) -> str:
    """The phrase in quotation marks, quotations inside it as single quotes."""
    return OPEN + bare(phrase).translate(INNER) + CLOSE


def lemma(phrase: str, text: str) -> str:
    """What to print before the text to name the phrase ("" when the text names it
    first): “phrase” followed by nothing; the caller separates it."""
    if not phrase:
        return ""
    core = bare(phrase)
    start = text.lstrip()
    if start.startswith(core) or start.startswith(OPEN + core) or start.startswith(quoted(phrase)):
        return ""
    return quoted(phrase)
