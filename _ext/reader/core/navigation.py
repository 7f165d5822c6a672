"""Navigation for a collection of any size (issue 18): pure Python, no Sphinx.

The promise, stated as invariants (``tests/test_navigation.py``):

* **bounded per page**: what every page carries for navigation (the sidebar)
  has at most ``SIDEBAR_SOURCES_MAX`` source entries plus one entry per section
  (kinds and years), whatever the size of the collection; the landing page
  carries at most ``LANDING_PAGE_SIZE`` cards.  Nothing a page writes grows
  with the collection, so a build is linear in it;
* **complete**: every source is in exactly one kind section and one year
  section, each section lists its sources in reading order, and the landing
  page's list (``collection.json``, shown ``LANDING_PAGE_SIZE`` at a time and
  filtered by kind, year and author in the browser) holds every source in
  reading order.

A small collection (up to ``SIDEBAR_SOURCES_MAX`` sources) keeps the list of
its sources in the sidebar, as a reader can scan it; a larger one shows the
sections there, with the page's own source under its kind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .model import Document, reading_order
from .sidecar import SOURCE_KINDS

SIDEBAR_SOURCES_MAX = 12
LANDING_PAGE_SIZE = 50
SECTIONS_DIR = "sections"  # the section pages: sections/kind-speech.html, sections/year-2024.html
UNDATED = "undated"


@dataclass
class Section:
    key: str  # "kind-speech", "year-2024", "year-undated": the page name under SECTIONS_DIR
    group: str  # "kind" or "year"
    label: str  # 讲话, 2024年, 未注明年份
    slugs: list[str] = field(default_factory=list)  # in reading order

    @property
    def page(self) -> str:
        return f"{SECTIONS_DIR}/{self.key}"


def year_of(doc: Document) -> str:
    date = doc.meta.get("date", "")
    return date[:4] if date else UNDATED


def sections(docs: list[Document]) -> list[Section]:
    """The kind sections (in the sidecar schema's order), then the year sections
    (oldest first, undated last); only sections that have sources."""
    ordered = reading_order(docs)
    kinds = {kind: Section(f"kind-{kind}", "kind", label) for kind, label in SOURCE_KINDS.items()}
    years: dict[str, Section] = {}
    for doc in ordered:
        kinds[doc.meta["kind"]].slugs.append(doc.slug)
        year = year_of(doc)
        if year not in years:
            label = "未注明年份" if year == UNDATED else f"{int(year)}年"
            years[year] = Section(f"year-{year}", "year", label)
        years[year].slugs.append(doc.slug)
    dated = sorted((y for y in years if y != UNDATED), key=int)
    return [s for s in kinds.values() if s.slugs] + [years[y] for y in dated + ([UNDATED] if UNDATED in years else [])]


def card_footer(doc: Document) -> str:
    """The line under a card: author · date · kind · N 段 (as the landing page prints it)."""
    from .render import format_date

    parts = [doc.meta.get("author", ""), format_date(doc.meta["date"]) if doc.meta.get("date") else ""]
    parts.append(SOURCE_KINDS[doc.meta["kind"]])
    return " · ".join(p for p in parts if p) + f" · {len(doc.citable_blocks())} 段"


def source_records(docs: list[Document], convert=None) -> list[dict]:
    """Every source in reading order, as the landing page's browser needs it
    (``collection.json``); text in the site's variant (``convert``)."""
    conv = convert or (lambda text: text)
    return [
        {
            "slug": doc.slug,
            "title": conv(doc.title),
            "summary": conv(doc.meta.get("summary", "")),
            "author": conv(doc.meta.get("author", "")),
            "year": year_of(doc),
            "kind": doc.meta["kind"],
            "footer": conv(card_footer(doc)),
        }
        for doc in reading_order(docs)
    ]


def collection_json(docs: list[Document], page_url, convert=None) -> str:
    """``collection.json``: the sources (with their page URL from ``page_url(slug)``)
    and the filter choices (kinds and years as labelled sections, authors by
    number of sources)."""
    conv = convert or (lambda text: text)
    records = source_records(docs, convert)
    for record in records:
        record["url"] = page_url(record["slug"])
    authors: dict[str, int] = {}
    for record in records:
        if record["author"]:
            authors[record["author"]] = authors.get(record["author"], 0) + 1
    found = sections(docs)
    data = {
        "page_size": LANDING_PAGE_SIZE,
        "kinds": [[s.key.removeprefix("kind-"), conv(s.label), len(s.slugs)] for s in found if s.group == "kind"],
        "years": [[s.key.removeprefix("year-"), conv(s.label), len(s.slugs)] for s in found if s.group == "year"],
        "authors": [[a, n] for a, n in sorted(authors.items(), key=lambda item: (-item[1], item[0]))],
        "sources": records,
    }
    # "</" escaped: the text is data, never markup, wherever the JSON ends up.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


@dataclass
class Sidebar:
    """What every page's sidebar shows: the sources (a small collection) or the
    sections; the same for every page but the marks of the current one."""

    mode: str  # "sources" or "sections"
    sources: list[tuple[str, str]]  # (slug, title) in reading order, mode "sources"
    sections: list[Section]
    kind_of: dict[str, str]  # slug -> kind section key, to show a page's own source under it
    year_of: dict[str, str]  # slug -> year section key

    def digest(self) -> str:
        """Changes exactly when the sidebar changes for some page (then every page is rewritten)."""
        shape = [self.mode, self.sources, [(s.key, s.label) for s in self.sections]]
        return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:16]

    def entries(self) -> int:
        """The most entries a page's sidebar can have (the bound of the invariant)."""
        return len(self.sources) + len(self.sections) + 1


def sidebar(docs: list[Document], limit: int = SIDEBAR_SOURCES_MAX) -> Sidebar:
    ordered = reading_order(docs)
    found = sections(docs)
    kind_of = {slug: s.key for s in found if s.group == "kind" for slug in s.slugs}
    year_of_ = {slug: s.key for s in found if s.group == "year" for slug in s.slugs}
    if len(ordered) <= limit:
        return Sidebar("sources", [(d.slug, d.title) for d in ordered], found, kind_of, year_of_)
    return Sidebar("sections", [], found, kind_of, year_of_)
