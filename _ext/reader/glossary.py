"""Glossary: the generated term list (Sphinx's own glossary machinery, stable ids),
automatic term links in the reading text, and previews in the browser."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .core.glossary import Matcher, link_positions
from .core.model import paragraph_label, split_paragraph_ref
from .core.render import GLOSSARY_PAGE
from .nodeutil import html_href, interface_converter, label_ref, passthrough, reader_data
from .state import reader_state

logger = logging.getLogger(__name__)


class ReaderTerm(SphinxDirective):
    """One glossary entry: ```{reader-term} <id>``` with its data as options, and its
    definition and concordance as JSON content."""

    required_arguments = 1
    has_content = True
    option_spec = {
        "term": directives.unchanged_required,
        "pinyin": directives.unchanged,
        "english": directives.unchanged,
        "variants": directives.unchanged,
        "total": directives.unchanged,
        "sources": directives.unchanged,
        "defined_in": directives.unchanged,
        "defined_in_label": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        entry_id = self.arguments[0]
        source, lineno = self.get_source_info()
        term_text = self.options["term"]
        term = make_glossary_term(
            self.env,
            [nodes.Text(term_text)],
            None,
            source,
            lineno,
            node_id=f"term-{entry_id}",  # stable: docutils would give Chinese terms term-0, term-1…
            document=self.state.document,
        )
        self.state.document.note_explicit_target(term)
        definition = nodes.definition()
        facts = nodes.paragraph(classes=["reader-term-facts"])
        if self.options.get("pinyin"):
            facts += nodes.inline(
                self.options["pinyin"], self.options["pinyin"], classes=["reader-pinyin", "language-zh-Latn-pinyin"]
            )
        if self.options.get("english"):
            facts += nodes.Text(" ")
            facts += nodes.inline(
                self.options["english"], self.options["english"], classes=["reader-english", "language-en"]
            )
        variants = json.loads(self.options.get("variants", "[]"))
        if variants:
            facts += nodes.Text(" 又作：" + "、".join(variants))
        definition += facts
        try:
            data = json.loads("\n".join(self.content))
        except ValueError as exc:
            raise self.error(f"reader-term: bad entry data: {exc}") from None
        text = data["definition"]
        definition += nodes.paragraph(text, text, classes=["reader-definition"])
        if self.options.get("defined_in"):
            slug, anchor = split_paragraph_ref(self.options["defined_in"])
            para = nodes.paragraph(classes=["reader-defined-in"])
            para += nodes.Text("原文出处：")
            para += label_ref(
                paragraph_label(slug, anchor), self.options.get("defined_in_label", self.options["defined_in"])
            )
            definition += para
        uses = data["concordance"]
        definition += reader_concordance(
            uses=uses,
            total=self.options.get("total", "0"),
            sources=int(self.options.get("sources", len(uses))),
            term=self.options["term"],
        )
        item = nodes.definition_list_item("", term, definition)
        dl = nodes.definition_list("", item, classes=["glossary", "reader-glossary"])
        glossary = addnodes.glossary("", dl)
        glossary["sorted"] = False
        return [glossary]


class reader_concordance(reader_data):
    """Where an entry occurs: ``uses`` = [{slug, title, anchors: [[id, number, count]]}].
    A data node (one per entry, not one node per link): at hundreds of sources the
    concordance holds most of the glossary page's links.  Not in the search index:
    its words are the sources' own."""

    def links(self) -> list[str]:
        return [paragraph_label(use["slug"], anchor) for use in self["uses"] for anchor, _n, _c in use["anchors"]]

    def convert_data(self, convert) -> None:
        self["uses"] = [{**use, "title": convert(use["title"])} for use in self["uses"]]
        if "term" in self:
            self["term"] = convert(self["term"])  # the search is in the site's variant

    def unlisted(self) -> int:
        """Sources the entry occurs in that the page does not list (a large collection)."""
        return self.get("sources", len(self["uses"])) - len(self["uses"])

    def parts(self, convert):
        """The text, with (label, number text) for each link."""
        uses = self["uses"]
        sources = self.get("sources", len(uses))
        yield convert(f"见于 {sources} 篇、共 {self['total']} 处：" if uses else "未见于正文。"), None
        for k, use in enumerate(uses):
            yield ("；" if k else "") + f"《{use['title']}》", None
            for j, (anchor, number, count) in enumerate(use["anchors"]):
                if j:
                    yield "、", None
                yield f"{number}" + (f"×{count}" if count > 1 else ""), paragraph_label(use["slug"], anchor)
        if self.unlisted():
            yield convert(f"；另有 {self.unlisted()} 篇未列出"), None


def visit_concordance_html(self, node: reader_concordance) -> None:
    convert = interface_converter(self)
    out = ['<p class="reader-concordance">']
    for text, label in node.parts(convert):
        out.append(
            node.html_ref(self, label, text, "std std-ref reader-concordance-ref") if label else self.encode(text)
        )
    if node.unlisted():  # every occurrence is one search away
        search = self.builder.get_relative_uri(self.builder.current_docname, "search")
        query = urllib.parse.quote(node["term"])
        out.append(f'（<a class="reader-concordance-search" href="{self.attval(search)}?q={query}">')
        out.append(f"{self.encode(convert('搜索全部'))}</a>）")
    out.append("。</p>\n" if node.unlisted() else "</p>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_concordance_latex(self, node: reader_concordance) -> None:
    out = ["\n\\sphinxAtStartPar\n"]
    for text, label in node.parts(interface_converter(self)):
        out.append(node.latex_ref(self, label, text) if label else self.encode(text))
    out.append("\n\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_concordance_text(self, node: reader_concordance) -> None:
    self.add_text("".join(text for text, _label in node.parts(interface_converter(self))))
    raise nodes.SkipNode


class reader_run(nodes.Inline, nodes.TextElement):
    """A run of reading text with its glossary links as data: ``links`` =
    [[start, end, entry id]] into the run's text, ``docname`` the glossary page.
    One node per run, not three per link: a paragraph links five terms or so,
    and every transform of every build walks every node."""


@dataclass
class TermLinker:
    """Links glossary terms in the reading text: leftmost-longest, first per paragraph
    (``reader_glossary_link``).  Called by the block directive on the plain runs of
    a paragraph's text (never in corrections, marks, headings or titles), so the
    links are made while the tree is built rather than by a pass over every page."""

    matcher: Matcher
    policy: str
    glossary_doc: str

    def link(self, text: str, linked: set[str]) -> list[nodes.Node]:
        matches = [m for m in self.matcher.find_all(text) if self.policy == "all" or m[2] not in linked]
        links = [[start, end, entry_id] for start, end, entry_id in link_positions(matches, self.policy)]
        if not links:
            return [nodes.Text(text)]
        linked.update(entry_id for *_span, entry_id in links)
        return [reader_run(text, text, links=links, length=len(text), docname=self.glossary_doc)]


def _pieces(node: reader_run):
    """(text, entry id or None) in order; links are dropped if a conversion changed
    the run's length (OpenCC's conversions keep it)."""
    text = node.astext()
    links = node["links"] if len(text) == node["length"] else []
    pos = 0
    for start, end, entry_id in links:
        if start > pos:
            yield text[pos:start], None
        yield text[start:end], entry_id
        pos = end
    if pos < len(text):
        yield text[pos:], None


def visit_run_html(self, node: reader_run) -> None:
    out = []
    for text, entry_id in _pieces(node):
        if entry_id is None:
            out.append(self.encode(text))
        else:
            href = self.attval(html_href(self, node["docname"], f"term-{entry_id}"))
            out.append(
                f'<a class="reference internal" href="{href}"><span class="reader-term reader-term-{entry_id}">'
                f"{self.encode(text)}</span></a>"
            )
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_run_latex(self, node: reader_run) -> None:
    out = []
    for text, entry_id in _pieces(node):
        if entry_id is None:
            out.append(self.encode(text))
        else:
            out.append(
                self.hyperlink(f"{node['docname']}:term-{entry_id}")
                + rf"\sphinxcrossref{{\DUrole{{reader-term}}{{\DUrole{{reader-term-{entry_id}}}{{"
                + self.encode(text)
                + "}}}}}"
            )
    self.body.append("".join(out))
    raise nodes.SkipNode


def prepare(app: Sphinx) -> None:
    """builder-inited, after the pages are generated: the matcher for the links,
    warnings for the data."""
    state = reader_state(app)
    coll = state.collection
    state.linker = None
    if not coll or not coll.glossary:
        return
    state.linker = TermLinker(
        Matcher(coll.glossary), app.config.reader_glossary_link, state.page(GLOSSARY_PAGE.removesuffix(".md"))
    )
    for location, message in coll.warnings:
        logger.warning(message, location=location, type="reader", subtype="glossary")


def write_preview_data(app: Sphinx, exception: Exception | None) -> None:
    """The data behind the term previews, as a script (works from file:// too)."""
    state = reader_state(app)
    coll = state.collection
    if exception or app.builder.format != "html":
        return
    data = {
        e.id: {"term": e.term, "pinyin": e.pinyin, "english": e.english, "definition": e.definition}
        for e in (coll.glossary if coll else [])
    }
    convert = state.convert  # the traditional variant converts the data too
    if convert:
        data = {k: {f: (convert(v) if f != "pinyin" else v) for f, v in d.items()} for k, d in data.items()}
    static = Path(app.outdir) / "_static"
    static.mkdir(exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    (static / "reader-glossary.js").write_text(f"window.READER_GLOSSARY = {payload};\n", encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_directive("reader-term", ReaderTerm)
    app.add_node(
        reader_concordance,
        html=(visit_concordance_html, None),
        latex=(visit_concordance_latex, None),
        text=(visit_concordance_text, None),
    )
    app.add_node(
        reader_run,
        html=(visit_run_html, None),
        latex=(visit_run_latex, None),
        text=(passthrough, passthrough),
    )
    app.connect("build-finished", write_preview_data)
    app.add_js_file("reader-glossary.js", loading_method="defer")
