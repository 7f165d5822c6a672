"""Citing the way scholars do (issue 19): the citation panel of each source page,
``citation_*`` meta tags and schema.org JSON-LD for reference managers, and the
per-source ``.bib``, ``.ris`` and ``.csl.json`` beside each page.  The logic and
the formats are in :mod:`reader.core.cite`; this is the thin HTML glue."""

from __future__ import annotations

import datetime as _dt
import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .core import cite
from .state import reader_state

logger = logging.getLogger(__name__)

DOWNLOADS = (("bib", "BibTeX"), ("ris", "RIS"), ("csl.json", "CSL-JSON"))


class reader_cite_panel(nodes.General, nodes.Element):
    """The source's citations and downloads, under its metadata card (HTML only)."""


def _doc_for(app: Sphinx, pagename: str):
    state = reader_state(app)
    coll, slug = state.collection, state.slug_of(pagename)
    if coll is None or slug is None:
        return None
    return coll.doc(slug)


def accessed_date(app: Sphinx) -> str:
    """The access date of the [EB/OL] citations: ``reader_cite_accessed``, or the
    day of the build (UTC)."""
    return app.config.reader_cite_accessed or _dt.datetime.now(_dt.UTC).date().isoformat()


def page_url(app: Sphinx, pagename: str) -> str:
    """The page's absolute URL when ``html_baseurl`` is set, else its file name
    (the browser makes it absolute)."""
    uri = app.builder.get_target_uri(pagename)
    base = app.config.html_baseurl
    return base.rstrip("/") + "/" + uri if base else uri.rsplit("/", 1)[-1]


def citation_data(app: Sphinx, pagename: str) -> dict | None:
    """Everything cited about one source page, converted to the site's variant."""
    doc = _doc_for(app, pagename)
    if doc is None or doc.draft or app.builder.name.startswith("epub"):
        return None  # (an EPUB is not a web page: no meta tags, panel scripts or downloads)
    state = reader_state(app)
    cache = state.citations
    if pagename in cache:
        return cache[pagename]
    convert = state.in_variant
    url = page_url(app, pagename)
    site = app.config.html_title or app.config.project
    try:
        formats = cite.citations(doc, url, site, accessed_date(app))
    except Exception as exc:  # a CSL processor failure must name the source, not crash the build
        logger.warning("citation of %s failed: %s", doc.slug, exc, type="reader", subtype="cite")
        return None
    item = cite.csl_item(doc, url if app.config.html_baseurl else "")
    data = {
        "slug": doc.slug,
        "page": url,
        "labels": {k: convert(v) for k, v in cite.FORMAT_LABELS.items()},
        "source": {k: convert(v) for k, v in formats["source"].items()},
        "paragraph": {k: convert(v) for k, v in formats["paragraph"].items()},
        "item": _convert_item(item, convert),
    }
    cache[pagename] = data
    return data


def _convert_item(item: dict, convert) -> dict:
    if isinstance(item, dict):
        return {k: _convert_item(v, convert) for k, v in item.items()}
    if isinstance(item, list):
        return [_convert_item(v, convert) for v in item]
    if isinstance(item, str) and not item.startswith("http"):
        return convert(item)
    return item


def _script_json(data) -> str:
    """JSON safe inside <script>: no "</" can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def add_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Highwire ``citation_*`` tags, schema.org JSON-LD, links to the .bib/.ris, and
    the citation templates the panel and the ❝ buttons use."""
    data = citation_data(app, pagename)
    if data is None:
        return
    item, url = data["item"], data["page"]
    absolute = url if app.config.html_baseurl else ""
    tags = [
        f'<meta name="{name}" content="{html.escape(value, quote=True)}" />'
        for name, value in cite.highwire(item, absolute)
    ]
    tags.append(f'<script type="application/ld+json">{_script_json(cite.json_ld(item, absolute))}</script>')
    for ext, label in DOWNLOADS:
        kind = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems"}.get(
            ext, "application/json"
        )
        tags.append(f'<link rel="alternate" type="{kind}" title="{label}" href="{data["slug"]}.{ext}" />')
    panel = {k: data[k] for k in ("page", "labels", "source", "paragraph")}
    tags.append(f'<script type="application/json" id="reader-citations">{_script_json(panel)}</script>')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)


class AddCitePanel(SphinxPostTransform):
    """The citation panel right after the metadata card of a source page."""

    formats = ("html",)
    default_priority = 800

    def run(self, **kwargs) -> None:
        if citation_data(self.app, self.env.docname) is None:
            return
        for node in self.document.findall(nodes.Element):
            if "reader-meta" in node.get("classes", []):
                node.parent.insert(node.parent.index(node) + 1, reader_cite_panel(docname=self.env.docname))
                return


def english(key: str) -> str:
    """Chicago and APA are English-language styles (month names, "no."): say so to
    screen readers and the variant's checks."""
    return ' lang="en"' if key.startswith(("chicago", "apa")) else ""


def visit_cite_panel_html(self, node: reader_cite_panel) -> None:
    data = citation_data(self.builder.app, node["docname"])
    if data is None:
        raise nodes.SkipNode
    rows = []
    for key, text in data["source"].items():
        rows.append(
            f'<div class="reader-cite-row"><dt>{html.escape(data["labels"][key])}</dt>'
            f'<dd><span class="reader-cite-text" data-format="{key}"{english(key)}>{html.escape(text)}</span></dd></div>'
        )
    links = " ".join(
        f'<a class="reader-cite-download" href="{html.escape(data["slug"])}.{ext}" download="">{label}</a>'
        for ext, label in DOWNLOADS
    )
    convert = reader_state(self.builder).in_variant
    self.body.append(
        f'<details class="reader-cite-panel reader-cite-source"><summary>{convert("引用本篇")}</summary>'
        f'<dl>{"".join(rows)}</dl><p class="reader-cite-downloads">{convert("下载")}：{links}</p></details>'
    )
    raise nodes.SkipNode


class reader_history(nodes.General, nodes.Element):
    """本段修订记录: the dated earlier wordings of a paragraph, with the differences."""


class AddHistory(SphinxPostTransform):
    """A paragraph whose lock entry has a history shows it under the paragraph."""

    formats = ("html",)
    default_priority = 801

    def run(self, **kwargs) -> None:
        doc = _doc_for(self.app, self.env.docname)
        if doc is None or doc.draft:
            return
        history = {a["id"]: (a["history"], a["text"]) for a in doc.lock["paragraphs"]["anchors"] if a.get("history")}
        if not history:
            return
        from .anchors import reader_pnum

        for pnum in list(self.document.findall(reader_pnum)):
            if pnum["refid"] in history:
                wordings, current = history[pnum["refid"]]
                pnum.parent += reader_history(anchor=pnum["refid"], wordings=wordings, current=current)


def visit_history_html(self, node: reader_history) -> None:
    from .core.parallels import diff_ops

    convert = reader_state(self.builder).in_variant
    texts = [w["text"] for w in node["wordings"]] + [node["current"]]
    items = []
    for i, wording in enumerate(node["wordings"]):
        parts = []
        for op, text in diff_ops(convert(texts[i]), convert(texts[i + 1])):
            text = html.escape(text)
            parts.append({"=": text, "-": f"<del>{text}</del>", "+": f"<ins>{text}</ins>"}[op])
        items.append(
            f'<li><time datetime="{wording["date"]}">{wording["date"]}</time> '
            f'<span class="reader-history-diff">{"".join(parts)}</span></li>'
        )
    count = len(node["wordings"])
    self.body.append(
        f'<details class="reader-history" id="{node["anchor"]}-history"><summary>'
        f"{convert('本段修订记录')}（{count}）</summary><ol>{''.join(items)}</ol></details>"
    )
    raise nodes.SkipNode


class reader_downloads(nodes.General, nodes.Element):
    """The landing page's links to the PDFs, EPUBs and anchors.json (web site only)."""


class DownloadsDirective(SphinxDirective):
    """``{reader-downloads}``: the links of ``reader_downloads`` (label, URL relative
    to the site root)."""

    def run(self) -> list[nodes.Node]:
        return [reader_downloads(links=[list(row) for row in self.config.reader_downloads])]


def visit_downloads_html(self, node: reader_downloads) -> None:
    if self.builder.name.startswith("epub"):
        raise nodes.SkipNode  # the book does not link out to the other books
    convert = reader_state(self.builder).in_variant
    root = "../" * self.builder.current_docname.count("/")
    links = []
    for label, url, *lang in node["links"]:
        href = url if "://" in url else root + url
        # a label naming a variant stays in that variant's script (简体版, 繁體版)
        lang = lang[0] if lang else ""
        shown = label if lang else convert(label)
        attr = f' lang="{lang}" hreflang="{lang}"' if lang else ""
        links.append(f'<li><a class="reader-download" href="{html.escape(href)}"{attr}>{html.escape(shown)}</a></li>')
    self.body.append(
        f'<nav class="reader-downloads" aria-label="{convert("下载")}"><p>{convert("下载全书与锚点清单")}：</p>'
        f"<ul>{''.join(links)}</ul></nav>"
    )
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """``source/<slug>.bib``, ``.ris`` and ``.csl.json`` beside each published page."""
    state = reader_state(app)
    coll, pages = state.collection, state.pages_dir
    if exception or coll is None or app.builder.format != "html":
        return
    for doc in coll.docs:
        data = citation_data(app, state.page(doc.slug))
        if data is None:
            continue
        item = data["item"]
        out = Path(app.outdir) / pages
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{doc.slug}.bib").write_text(cite.bibtex(item), encoding="utf-8")
        (out / f"{doc.slug}.ris").write_text(cite.ris(item), encoding="utf-8")
        (out / f"{doc.slug}.csl.json").write_text(
            json.dumps([item], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def setup(app: Sphinx) -> None:
    app.add_node(reader_downloads, html=(visit_downloads_html, None), latex=(skip, None), text=(skip, None))
    app.add_directive("reader-downloads", DownloadsDirective)
    app.add_node(
        reader_cite_panel,
        html=(visit_cite_panel_html, None),
        latex=(skip, None),
        text=(skip, None),
    )
    app.add_post_transform(AddCitePanel)
    app.add_node(reader_history, html=(visit_history_html, None), latex=(skip, None), text=(skip, None))
    app.add_post_transform(AddHistory)
    app.connect("html-page-context", add_meta)
    app.connect("build-finished", write_downloads)
    app.add_js_file("reader-cite.js", loading_method="defer")
