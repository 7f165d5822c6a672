"""The typed records the pipeline hands to the pages: margin notes, parallels,
clusters of parallel passages, a block's corrections.

They are TypedDicts where they are written to the generated files as JSON (the
margins beside each page, the directives' options), so the files stay plain
data and the same bytes; the one record that is not a single JSON object, the
parallels beside a paragraph (the strongest wordings plus "N more"), is a
dataclass that writes the file's form (``margin_items``) and is read back by
``MarginEntries.from_json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NotRequired, TypedDict


class BlockCorrection(TypedDict):
    """A correction as the reader-block directive receives it (``corrections``)."""

    at: int  # offset of the replacement in the block's text
    find: str  # the text as ingested
    replace: str  # what the reader sees
    note: str


class Place(TypedDict):
    """Another paragraph, as a margin names it."""

    ref: str  # its label, <slug>-p12
    title: str  # the source's short title
    date: str  # the source's date, formatted ("" when unknown)
    number: str  # the paragraph's visible number


class ListedPlace(Place):
    shared: float  # the share of this paragraph found there


class ParallelItem(Place):
    """One other wording shown beside a paragraph, with the differences."""

    slug: str
    anchor: str
    shared: float  # the share of this paragraph found there
    ops: list[
        list[str]
    ]  # the differences: [op, text], op "=", "-" (only here), "+" (only there) or "…" (shared, left out); [] for a verbatim copy
    copies: list[Place]  # other paragraphs with the very same wording (up to MAX_COPIES)
    more_copies: int  # how many more of them


class Annotation(TypedDict):
    """An editor's note beside a paragraph (the sidecar's [[annotation]])."""

    kind: str  # note, correction, source, xref
    text: str
    phrase: NotRequired[str]  # the words it is about, marked in the paragraph
    at: NotRequired[int]  # where they start in the paragraph's text
    original: NotRequired[str]  # for a correction: the text as printed
    target: NotRequired[str]  # for a cross-reference: the label it links to
    target_label: NotRequired[str]


class ClusterMember(TypedDict):
    """One paragraph of a cluster of parallel passages."""

    ref: str
    title: str
    date: str  # as in the sidecar (YYYY[-MM[-DD]]), "" when unknown
    number: str
    text: str


@dataclass
class ParallelMargin:
    """The parallels beside one paragraph: the strongest other wordings, and how
    many more passages share its text (the first MAX_LISTED of them listed)."""

    shown: list[ParallelItem]
    more: int = 0
    more_places: list[ListedPlace] = field(default_factory=list)

    def margin_items(self) -> list[dict]:
        """As the margins file holds them: the shown wordings, then "N more"."""
        items: list[dict] = [{"kind": "parallel", **item} for item in self.shown]
        if self.more:
            items.append({"kind": "parallel", "more": self.more, "list": self.more_places})
        return items


@dataclass
class MarginEntries:
    """A paragraph's margin as the reader-block directive reads it from the file."""

    notes: list[dict] = field(default_factory=list)  # annotations and shown parallels, in order
    more: int = 0  # how many more parallel passages
    more_places: list[ListedPlace] = field(default_factory=list)

    @classmethod
    def from_json(cls, items: list[dict]) -> MarginEntries:
        entries = cls()
        for item in items:
            if "more" in item:  # the file's "N more" entry (ParallelMargin.margin_items)
                entries.more, entries.more_places = item["more"], item.get("list", [])
            else:
                entries.notes.append(item)
        return entries

    def __bool__(self) -> bool:
        return bool(self.notes or self.more)
