"""Paragraph numbers that link to their anchors, and stable heading ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .core.anchors import checksum, label_of
from .core.model import paragraph_label
from .nodeutil import reader_data, reader_ref, resolve_label
from .state import reader_state

logger = logging.getLogger(__name__)

_AUTO_ID = re.compile(r"^id\d+$")


class reader_pnum(nodes.Inline, nodes.TextElement):
    """The visible paragraph number, drawn outside the paragraph's text."""


class reader_alias(nodes.Inline, nodes.Element):
    """A retired anchor id, kept as a target at the block that took it over."""


def register_labels(env, anchor_id: str, alias_ids: list[str], text: str) -> None:
    """``<slug>-p12`` labels (in objects.inv, so other projects can cite a paragraph
    through intersphinx), titled with the paragraph's opening words."""
    slug = reader_state(env).slug_of(env.docname)
    if slug is None:
        return
    flat = "".join(text.split())
    title = f"{label_of(anchor_id)}. {flat[:20]}{'…' if len(flat) > 20 else ''}"
    std = env.domains.standard_domain
    std.note_hyperlink_target(paragraph_label(slug, anchor_id), env.docname, anchor_id, title)
    for alias in alias_ids:
        std.note_hyperlink_target(paragraph_label(slug, alias), env.docname, alias, title)


class PurgingStandardDomain(StandardDomain):
    """Sphinx's standard domain, whose purge of a page does not grow with the
    collection.

    Sphinx purges every page it is about to read, and its purge looks at every
    label of the collection: the reader registers one per paragraph, so a clean
    build of 2,000 sources looked at some 34,000 labels 2,000 times over, twice.
    A page this environment has never read holds nothing here: its purge is
    skipped.  Anything else (a page read before, an unknown call) is purged in
    full, by Sphinx's own code.
    """

    def __init__(self, env) -> None:
        super().__init__(env)
        self._unread: str | None = None  # the page about to be purged, if never read
        # Sphinx's merge of a parallel reader's data expects the glossary terms'
        # table, which only its purge (or a glossary) creates.
        self.data.setdefault("terms", {})

    def note_unread(self, docname: str) -> None:
        self._unread = docname

    def clear_doc(self, docname: str) -> None:
        unread, self._unread = self._unread, None
        if docname != unread:
            super().clear_doc(docname)


def note_unread_page(app: Sphinx, env, docname: str) -> None:
    """env-purge-doc, which Sphinx emits just before it purges a page: whether
    the environment has read the page before is known only here (the purge
    forgets it first)."""
    std = env.domains.standard_domain
    if docname not in env.all_docs and isinstance(std, PurgingStandardDomain):
        std.note_unread(docname)


def citation_for(self, label: str) -> str:
    template = self.builder.env.metadata.get(self.builder.current_docname, {}).get("reader-cite", "")
    return reader_state(self.builder).in_variant(template).replace("{number}", label)


def visit_pnum_html(self, node: reader_pnum) -> None:
    target = self.attval(node["refid"])
    label = self.encode(node["label"])
    cite = self.attval(citation_for(self, node["label"]))
    self.body.append(
        f'<a class="reader-pnum" href="#{target}" title="第{label}段（本段链接）">{label}</a>'
        f'<button type="button" class="reader-cite" data-cite="{cite}" data-anchor="{target}" '
        f'aria-label="复制第{label}段的引文" title="复制引文"></button>'
    )
    raise nodes.SkipNode


def visit_alias_html(self, node: reader_alias) -> None:
    alias = self.attval(node["ids"][0])
    if node["reason"] == "removed":
        # The old paragraph is gone: say so where its link now lands.
        self.body.append(
            f'<span class="reader-alias reader-removed" id="{alias}">'
            f"原第{self.encode(label_of(node['ids'][0]))}段已删除（{self.encode(node['excerpt'])}）</span>"
        )
    else:
        self.body.append(f'<span class="reader-alias" id="{alias}"></span>')
    raise nodes.SkipNode


def visit_alias_latex(self, node: reader_alias) -> None:
    # A retired id stays a named destination, at the block that took it over.
    self.body.append(self.hypertarget(node["ids"][0], anchor=False))
    raise nodes.SkipNode


def visit_alias_text(self, node: reader_alias) -> None:
    raise nodes.SkipNode


def visit_pnum_latex(self, node: reader_pnum) -> None:
    """The number in the margin beside the paragraph, and the anchor as a PDF
    named destination (hyperref destlabel: ``source/<slug>:p12``)."""
    label = self.encode(node["label"])
    anchors = r"\phantomsection" + self.hypertarget(node["refid"], anchor=False)
    indent = r"\hspace*{2em}" if node.get("indent") else ""
    self.body.append(r"\par\noindent" + anchors + r"\llap{{\scriptsize\sffamily " + label + r"}\quad}" + indent)
    raise nodes.SkipNode


def visit_pnum_text(self, node: reader_pnum) -> None:
    self.add_text(f"[{node['label']}] ")
    raise nodes.SkipNode


class StableHeadingIds(SphinxTransform):
    """Give headings of reader pages their explicit ids (``s3``) and drop docutils'
    ``id1``, ``id2``…: for Chinese titles those shift whenever content moves."""

    default_priority = 880

    def apply(self, **kwargs) -> None:
        slug = reader_state(self.env).slug_of(self.env.docname)
        if slug is None:
            return
        own = re.compile(rf"^{re.escape(slug)}-(s\d+[a-z]*)$")
        retired = re.compile(rf"^{re.escape(slug)}-alias-(s\d+[a-z]*)$")
        # Ids docutils derives from a heading's text (a seed line "(p1)=" gives "p1")
        # would hijack anchors: only ids of explicit targets are kept.
        explicit = {self.document.nameids.get(n) for n, is_explicit in self.document.nametypes.items() if is_explicit}
        for section in self.document.findall(nodes.section):
            ids = section["ids"]
            short = [m.group(1) for i in ids if (m := own.match(i))]
            short += [m.group(1) for i in ids if (m := retired.match(i))]
            keep = [i for i in ids if i in explicit and not _AUTO_ID.match(i) and not retired.match(i)]
            section["ids"] = short + [i for i in keep if i not in short]


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    """``anchors.json`` at the site root: every source, every anchor with its number,
    checksum, aliases and text, so a citing author can check a paragraph later."""
    state = reader_state(app)
    coll = state.collection
    if exception or coll is None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    convert = state.in_variant
    sources = []
    for doc in coll.docs:
        url = app.builder.get_target_uri(state.page(doc.slug))
        aliases: dict[str, list[str]] = {}
        for target, entries in doc.aliases.items():
            aliases[target] = [a.id for a in entries]
        if doc.draft:
            # Provisional numbers are not for citing: the manifest lists none.
            sources.append({"slug": doc.slug, "status": "draft", "title": convert(doc.title), "anchors": []})
            continue
        anchors = [
            {
                "id": a["id"],
                "number": label_of(a["id"]),
                "kind": a["kind"],
                "checksum": checksum(convert(a["text"])),
                "aliases": aliases.get(a["id"], []),
                "url": f"{base}{url}#{a['id']}",
                "text": convert(a["text"]),
                # earlier wordings, dated, so a citing author can see what changed since (issue 19)
                "history": [
                    {"date": h["date"], "checksum": checksum(convert(h["text"])), "text": convert(h["text"])}
                    for h in a.get("history", [])
                ],
            }
            for a in doc.lock["paragraphs"]["anchors"]
        ]
        sources.append(
            {
                "slug": doc.slug,
                "status": "published",
                "title": convert(doc.title),
                "author": convert(doc.meta.get("author", "")),
                "date": doc.meta.get("date", ""),
                "url": f"{base}{url}",
                "anchors": anchors,
                "retired": doc.lock["paragraphs"]["aliases"],
            }
        )
    manifest = {
        "format": "reader-anchors/1",
        "variant": app.config.reader_variant,
        "checksum": "sha256 of the paragraph text in Unicode NFC with all whitespace removed",
        "sources": sources,
    }
    path = Path(app.outdir) / "anchors.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class ResolveReaderRefs(SphinxPostTransform):
    """Resolve the reader's links for every builder: ``reader_ref`` nodes become
    references; data nodes (``links()``) get ``resolved`` = {label: (docname, id)}.
    A missing target is a warning at the link, and the text stays unlinked."""

    default_priority = 5  # before Sphinx's own references resolver (10)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(reader_ref)):
            where = resolve_label(self.env, node["target"])
            if where is None:
                self._missing(node, node["target"])
                node.replace_self(node.children)
                continue
            node.replace_self(make_refnode(self.app.builder, self.env.docname, where[0], where[1], node.children))
        for node in self.document.findall(reader_data):
            resolved = {}
            for label in node.links():
                where = resolve_label(self.env, label)
                if where is None:
                    self._missing(node, label)
                else:
                    resolved[label] = where
            node["resolved"] = resolved

    def _missing(self, node: nodes.Node, target: str) -> None:
        logger.warning("link to a missing paragraph or entry: %s", target, location=node, type="reader", subtype="ref")


def setup(app: Sphinx) -> None:
    app.add_domain(PurgingStandardDomain, override=True)
    app.connect("env-purge-doc", note_unread_page)
    app.add_post_transform(ResolveReaderRefs)
    app.add_node(reader_ref)
    app.connect("build-finished", write_manifest)
    app.add_js_file("reader.js", loading_method="defer")
    app.add_node(
        reader_alias,
        html=(visit_alias_html, None),
        latex=(visit_alias_latex, None),
        text=(visit_alias_text, None),
    )
    app.add_node(
        reader_pnum,
        html=(visit_pnum_html, None),
        latex=(visit_pnum_latex, None),
        text=(visit_pnum_text, None),
    )
    app.add_transform(StableHeadingIds)
