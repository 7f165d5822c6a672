"""The structured document an ingested seed becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Block kinds, in the vocabulary of the sidecar and the generated pages.
BLOCK_KINDS = (
    "title",  # the document title (may be printed over several lines)
    "byline",  # author line under the title
    "heading",  # section heading, article title inside a compilation
    "label",  # bracketed section label 【…】
    "list",  # a table of contents: consecutive bracketed items
    "source",  # 来源：… line under an article title
    "dateline",  # dated source line of an excerpt （2024年3月5日在…的讲话）
    "excerpt_source",  # （摘自…）
    "note",  # end note ※…
    "paragraph",
    "figure",  # diagram text, kept verbatim line by line
    "colophon",  # closing matter of a booklet
)

# A paragraph of another source as editors write it (an xref's target, a glossary
# entry's defined_in): "<slug>#p12".
PARAGRAPH_REF = re.compile(r"^[a-z0-9-]+#p\d+[a-z]*$")


def paragraph_ref(slug: str, anchor: str) -> str:
    """``<slug>#p12``: a paragraph as editors name it (see ``PARAGRAPH_REF``)."""
    return f"{slug}#{anchor}"


def split_paragraph_ref(ref: str) -> tuple[str, str]:
    """``<slug>#p12`` → (slug, anchor id)."""
    slug, _, anchor = ref.partition("#")
    return slug, anchor


def paragraph_label(slug: str, anchor: str) -> str:
    """``<slug>-p12``: the Sphinx label of a paragraph (in objects.inv, for links)."""
    return f"{slug}-{anchor}"


# Blocks a scholar cites: they carry p<N> ids and visible numbers.
CITABLE_KINDS = frozenset({"paragraph", "note", "figure", "list", "colophon"})
# Blocks that become sections in the page.
HEADING_KINDS = frozenset({"heading", "label"})
# The kinds a ``reader-block`` directive holds: every block but the title and
# headings (the page's H1 and its sections).
READING_BLOCK_KINDS = frozenset(BLOCK_KINDS) - HEADING_KINDS - {"title"}


@dataclass
class Correction:
    """An editorial correction of the text, recorded in the sidecar."""

    find: str  # text as ingested (after normalisation)
    replace: str  # text as the reader sees it
    note: str
    start: int = 0  # offset of ``replace`` in the corrected block text


@dataclass
class Block:
    kind: str
    text: str  # corrected text, what the reader sees (lines joined by "\n" for figure/list/colophon)
    first_line: int  # 1-based raw line range
    last_line: int
    level: int = 0  # heading level below the page title (1 = top section)
    corrections: list[Correction] = field(default_factory=list)
    id: str = ""  # p<N> for citable blocks, s<N> for headings
    number: str = ""  # visible paragraph number ("12")
    # The raw lines the block was made of: (line number, cleaned line text).
    sources: list[tuple[int, str]] = field(default_factory=list, repr=False)

    @property
    def citable(self) -> bool:
        return self.kind in CITABLE_KINDS

    def uncorrected_text(self) -> str:
        """The text as ingested, before the sidecar's corrections."""
        text = self.text
        for corr in sorted(self.corrections, key=lambda c: c.start, reverse=True):
            text = text[: corr.start] + corr.find + text[corr.start + len(corr.replace) :]
        return text


@dataclass
class Furniture:
    """A raw line removed from the reading text, and why."""

    line: int
    text: str
    reason: str


def date_key(date: str) -> str:
    """A sidecar date (YYYY, YYYY-MM or YYYY-MM-DD) as a sort key: a date known
    only to the month (or year) sorts after the exact dates of that month (year);
    no date sorts last."""
    parts = (date or "9999").split("-")
    return "-".join(parts + ["99"] * (3 - len(parts)))


def strip_author(title: str, author: str) -> str:
    """``韩文秀：深刻领会…`` → ``深刻领会…`` when 韩文秀 is the author (the citation names them)."""
    for sep in ("：", ":"):
        head, found, rest = title.partition(sep)
        if found and author and "".join(head.split()) == "".join(author.split()) and rest.strip():
            return rest.strip()
    return title


def reading_order(docs: list) -> list:
    """Sources as the landing page lists them: by the date of the text (``date_key``),
    then the sidecar's ``order``, then slug."""
    return sorted(docs, key=lambda d: (date_key(d.meta.get("date", "")), d.meta.get("order", 10**6), d.slug))


@dataclass
class Document:
    seed_name: str  # file name of the raw seed, e.g. 000_c858e1b4996ba25d.txt
    meta: dict
    blocks: list[Block]
    furniture: list[Furniture]
    # Retired anchor ids leading to a live block: target id -> [Alias]
    aliases: dict = field(default_factory=dict)
    lock: dict = field(default_factory=dict)  # the anchor lock to commit
    draft: bool = False  # a draft's numbers are provisional and not locked
    annotation_specs: list = field(default_factory=list)  # from the sidecar, checked by the pipeline
    sidecar_path: str = ""
    # anchor id -> its margin: the editors' notes (core.records.Annotation) and
    # the parallel passages (core.records.ParallelMargin), ready to render
    annotations: dict = field(default_factory=dict)
    parallels: dict = field(default_factory=dict)
    review: list = field(default_factory=list)  # uncertain decisions (core.review.Decision)
    derived: list = field(default_factory=list)  # meta keys taken from the printed front matter

    @property
    def slug(self) -> str:
        return self.meta["slug"]

    @property
    def title(self) -> str:
        """The sidecar's title, else the printed one without a leading ``author：``."""
        if self.meta.get("title"):
            return self.meta["title"]
        for block in self.blocks:
            if block.kind == "title":
                return strip_author(block.text, self.meta.get("author", ""))
        return self.slug

    @property
    def short_title(self) -> str:
        """A short name for margins and running heads."""
        if self.meta.get("short_title"):
            return self.meta["short_title"]
        title = self.title
        return title if len(title) <= 12 else title[:11] + "…"

    def citable_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.citable]
