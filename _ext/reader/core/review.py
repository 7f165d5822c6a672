"""The review report: every decision the segmenter is unsure of, and how to flip it.

Each uncertain decision names the raw line, what was decided, why it is
uncertain, and a sidecar override (one line, TOML key = value pairs) that
decides it the other way.  An editor who agrees with the decision records it
in the sidecar instead::

    [[reviewed]]
    at = "高质量特征。"     # a snippet of the line the decision is about
    note = "与原书核对：段落接续"

``make check`` prints the report; the build puts it on an editors' page and
warns about a published source with unreviewed decisions.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass

from .errors import SeedError

SNIPPET_MIN = 6  # characters: a shorter snippet is rarely unique


@dataclass
class Decision:
    line: int  # raw line number the decision is about
    decided: str  # what the segmenter did
    why: str  # why that is uncertain
    action: str  # the override that decides the other way
    key: str = "at"
    snippet: str = ""
    nth: int | None = None
    reviewed: str = ""  # the note of the [[reviewed]] entry that accepted it

    @property
    def override(self) -> str:
        nth = f", nth = {self.nth}" if self.nth else ""
        return f'action = "{self.action}", {self.key} = {json.dumps(self.snippet, ensure_ascii=False)}{nth}'

    def to_json(self) -> dict:
        return {
            "line": self.line,
            "decided": self.decided,
            "why": self.why,
            "override": self.override,
            "reviewed": self.reviewed,
        }


class Snippets:
    """Unique snippets for the start or the end of a raw line (whitespace ignored)."""

    def __init__(self, lines):
        chars, self.start, self.end = [], {}, {}
        for line in lines:
            flat = "".join(line.text.split())
            self.start.setdefault(line.no, len(chars))
            chars.extend(flat)
            self.end[line.no] = len(chars)
        self.stream = "".join(chars)
        self._positions: dict[str, list[int]] = {}

    def _count(self, needle: str, before: int) -> tuple[int, int]:
        """(occurrences of ``needle``, how many start before ``before``)."""
        positions = self._positions.get(needle)
        if positions is None:  # each distinct needle is searched once: repeated lines stay linear
            positions = []
            pos = self.stream.find(needle)
            while pos >= 0:
                positions.append(pos)
                pos = self.stream.find(needle, pos + 1)
            self._positions[needle] = positions
        return len(positions), bisect_left(positions, before)

    def at_end(self, no: int) -> tuple[str, int | None]:
        start, end = self.start[no], self.end[no]
        k = min(SNIPPET_MIN, end - start)
        while True:
            needle = self.stream[end - k : end]
            total, before = self._count(needle, end - k)
            if total == 1 or k >= end - start:
                return needle, (before + 1 if total > 1 else None)
            k += 1

    def at_start(self, no: int, exact: int = 0) -> tuple[str, int | None]:
        """A unique snippet from the start of the line (``exact`` characters, when given)."""
        start, end = self.start[no], self.end[no]
        if exact:
            needle = self.stream[start : start + exact]
            total, before = self._count(needle, start)
            return needle, (before + 1 if total > 1 else None)
        k = min(SNIPPET_MIN * 2, end - start)
        while True:
            needle = self.stream[start : start + k]
            total, before = self._count(needle, start)
            if total == 1 or k >= end - start:
                return needle, (before + 1 if total > 1 else None)
            k += 1


def mark_reviewed(decisions: list[Decision], sidecar, locator) -> None:
    """Attach each [[reviewed]] entry to the decision on its line; a stale entry is an error."""
    for spec in sidecar.reviewed:
        li = locator.find(spec.at, spec.nth, spec.where)[0]
        no = locator.line_nos[li]
        hits = [d for d in decisions if d.line == no]
        if not hits:
            raise SeedError(
                sidecar.path,
                spec.where,
                f"line {no} has no uncertain decision to review (the segmentation changed?): remove the entry",
            )
        for d in hits:
            d.reviewed = spec.note or "reviewed"


def report_lines(seed_rel: str, decisions: list[Decision]) -> list[str]:
    """One line per decision: ``seed:line: decided — why — override: …``."""
    out = []
    for d in decisions:
        state = f" [reviewed: {d.reviewed}]" if d.reviewed else ""
        out.append(f"{seed_rel}:{d.line}: {d.decided} — {d.why} — override: {d.override}{state}")
    return out


REVIEW_PAGE = "editors-review.md"  # in the pages directory; an orphan: no reading page links to it


def is_published(doc) -> bool:
    """A published source (``status = "published"``); a draft's report is for its editor."""
    return doc.meta.get("status", "draft") == "published"


def render_review(docs, seed_rel: dict) -> str:
    """The editors' page: every uncertain decision of every source, reviewed or not."""
    from .render import GENERATED_MARK, md_escape

    open_count = sum(1 for d in docs for x in d.review if not x.reviewed)
    total = sum(len(d.review) for d in docs)
    out = [
        "---",
        "orphan: true",
        "---",
        "",
        f"{GENERATED_MARK} the seeds (the segmenter's uncertain decisions). Do not edit.",
        "",
        "(editors-review)=",
        "# 编辑审校：分段存疑之处",
        "",
        md_escape(
            f"共 {total} 处存疑的分段决定，其中 {open_count} 处尚未审校。每条给出原始文件行号、"
            "所作决定、存疑原因，以及改作另一决定的覆盖规则（写入旁注文件的 "
        )
        + inline_literal("[[override]]")
        + md_escape("）；同意原决定则在旁注文件中加 ")
        + inline_literal('[[reviewed]] at = "…"')
        + md_escape("。命令行：")
        + inline_literal("make check")
        + md_escape("。"),
    ]
    for doc in docs:
        if not doc.review:
            continue
        # Each source's decisions are data for ``reader-review`` (one node, not a
        # list of parsed Markdown: the page holds every decision of the
        # collection, a tenth of reading a large one; issue 18).
        items = []
        for d in doc.review:
            state = f"已审校：{d.reviewed}" if d.reviewed else "未审校"
            # The override is literal text: the traditional build must not convert it.
            items.append(
                [one_line(f"{seed_rel[doc.slug]}:{d.line} · {state} · {d.decided} · {d.why} · 覆盖："), d.override]
            )
        data = {"source": one_line(f"{seed_rel[doc.slug]}（{doc.slug}）"), "items": items}
        out += [
            "",
            f"(editors-review-{doc.slug})=",
            f"## {md_escape(doc.title)}",
            "",
            "```{reader-review}",
            json.dumps(data, ensure_ascii=False),
            "```",
        ]
    out.append("")
    return "\n".join(out)


def one_line(text: str) -> str:
    """Text as a Markdown paragraph shows it: its runs of white space one space."""
    return " ".join(text.split())


def inline_literal(text: str) -> str:
    """Markdown inline code holding ``text`` whatever backticks it contains."""
    import re

    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"
