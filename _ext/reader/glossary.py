"""Glossary: the generated term list (Sphinx's own glossary machinery, stable ids),
automatic term links in the reading text, and previews in the browser."""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .core.glossary import Matcher, link_positions
from .core.render import GLOSSARY_PAGE
from .margin import reader_margin
from .nodeutil import ancestors, doc_ref, html_href, interface_converter, label_ref, latex_link, reader_ref
from .pages import reader_block, reader_correction

logger = logging.getLogger(__name__)
LINK_POLICIES = ("first", "all", "none")


class ReaderTerm(SphinxDirective):
    """One glossary entry: ```{reader-term} <id>``` with its data as options and the
    definition as raw content."""

    required_arguments = 1
    has_content = True
    option_spec = {
        "term": directives.unchanged_required,
        "pinyin": directives.unchanged,
        "english": directives.unchanged,
        "variants": directives.unchanged,
        "total": directives.unchanged,
        "concordance": directives.unchanged,
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
            facts += nodes.inline(self.options["pinyin"], self.options["pinyin"], classes=["reader-pinyin"])
        if self.options.get("english"):
            facts += nodes.Text(" ")
            facts += nodes.inline(self.options["english"], self.options["english"], classes=["reader-english"])
        variants = json.loads(self.options.get("variants", "[]"))
        if variants:
            facts += nodes.Text(" 又作：" + "、".join(variants))
        definition += facts
        text = "\n".join(self.content)
        definition += nodes.paragraph(text, text, classes=["reader-definition"])
        if self.options.get("defined_in"):
            slug, anchor = self.options["defined_in"].split("#")
            para = nodes.paragraph(classes=["reader-defined-in"])
            para += nodes.Text("原文出处：")
            para += label_ref(f"{slug}-{anchor}", self.options.get("defined_in_label", self.options["defined_in"]))
            definition += para
        definition += self._concordance()
        item = nodes.definition_list_item("", term, definition)
        dl = nodes.definition_list("", item, classes=["glossary", "reader-glossary"])
        glossary = addnodes.glossary("", dl)
        glossary["sorted"] = False
        return [glossary]

    def _concordance(self) -> reader_concordance:
        uses = json.loads(self.options.get("concordance", "[]"))
        return reader_concordance(uses=uses, total=self.options.get("total", "0"))


class reader_concordance(nodes.General, nodes.Element):
    """Where an entry occurs: ``uses`` = [{slug, title, anchors: [[id, number, count]]}].
    A data node (one per entry, not one node per link): at hundreds of sources the
    concordance holds most of the glossary page's links.  Not in the search index:
    its words are the sources' own."""

    def links(self) -> list[str]:
        return [f"{use['slug']}-{anchor}" for use in self["uses"] for anchor, _n, _c in use["anchors"]]

    def convert_data(self, convert) -> None:
        self["uses"] = [{**use, "title": convert(use["title"])} for use in self["uses"]]

    def parts(self, convert):
        """The text, with (label, number text) for each link."""
        uses = self["uses"]
        yield convert(f"见于 {len(uses)} 篇、共 {self['total']} 处：" if uses else "未见于正文。"), None
        for k, use in enumerate(uses):
            yield ("；" if k else "") + f"《{use['title']}》", None
            for j, (anchor, number, count) in enumerate(use["anchors"]):
                if j:
                    yield "、", None
                yield f"{number}" + (f"×{count}" if count > 1 else ""), f"{use['slug']}-{anchor}"


def visit_concordance_html(self, node: reader_concordance) -> None:
    resolved = node.get("resolved", {})
    out = ['<p class="reader-concordance">']
    for text, label in node.parts(interface_converter(self)):
        if label in resolved:
            href = self.attval(html_href(self, *resolved[label]))
            out.append(
                f'<a class="reference internal" href="{href}">'
                f'<span class="std std-ref reader-concordance-ref">{self.encode(text)}</span></a>'
            )
        else:
            out.append(self.encode(text))
    out.append("</p>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_concordance_latex(self, node: reader_concordance) -> None:
    resolved = node.get("resolved", {})
    out = ["\n\\sphinxAtStartPar\n"]
    for text, label in node.parts(interface_converter(self)):
        body = self.encode(text)
        out.append(latex_link(self, *resolved[label], body) if label in resolved else body)
    out.append("\n\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_concordance_text(self, node: reader_concordance) -> None:
    self.add_text("".join(text for text, _label in node.parts(interface_converter(self))))
    raise nodes.SkipNode


class GlossaryLinks(SphinxTransform):
    """Link glossary terms in the reading text: leftmost-longest, first per paragraph
    (``reader_glossary_link``), never in headings, titles, links or literals."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        matcher: Matcher | None = getattr(self.app, "reader_matcher", None)
        pages = self.config.reader_pages_dir.strip("/") + "/"
        if matcher is None or not self.env.docname.startswith(pages):
            return
        policy = self.config.reader_glossary_link
        self.glossary_doc = pages + GLOSSARY_PAGE.removesuffix(".md")
        for block in self.document.findall(reader_block):
            for body in block.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.line))):
                if not any(isinstance(a, reader_margin) for a in ancestors(body)):
                    self._link(body, matcher, policy)

    def _link(self, body: nodes.Element, matcher: Matcher, policy: str) -> None:
        linked: set[str] = set()
        for text_node in list(body.findall(nodes.Text)):
            parent = text_node.parent
            if isinstance(parent, (nodes.reference, nodes.literal, reader_ref)):
                continue
            if isinstance(parent, reader_correction) or parent is not body and not isinstance(parent, nodes.line):
                continue
            text = str(text_node)
            matches = [m for m in matcher.find_all(text) if policy == "all" or m[2] not in linked]
            matches = link_positions(matches, policy)
            if not matches:
                continue
            new: list[nodes.Node] = []
            pos = 0
            for start, end, entry_id in matches:
                linked.add(entry_id)
                if start > pos:
                    new.append(nodes.Text(text[pos:start]))
                inner = nodes.inline(
                    text[start:end], text[start:end], classes=["reader-term", f"reader-term-{entry_id}"]
                )
                new.append(doc_ref(self.glossary_doc, f"term-{entry_id}", inner))
                pos = end
            if pos < len(text):
                new.append(nodes.Text(text[pos:]))
            parent.replace(text_node, new)


def prepare(app: Sphinx) -> None:
    """After the pages are generated: the matcher for the links, warnings for the data."""
    coll = getattr(app, "reader_collection", None)
    if app.config.reader_glossary_link not in LINK_POLICIES:
        logger.warning(
            "reader_glossary_link must be one of %s, not %r",
            ", ".join(LINK_POLICIES),
            app.config.reader_glossary_link,
            type="reader",
            subtype="config",
        )
    if not coll or not coll.glossary:
        app.reader_matcher = None
        return
    app.reader_matcher = Matcher(coll.glossary)
    app.reader_terms = {e.id: e.term for e in coll.glossary}
    for location, message in coll.warnings:
        logger.warning(message, location=location, type="reader", subtype="glossary")


def write_preview_data(app: Sphinx, exception: Exception | None) -> None:
    """The data behind the term previews, as a script (works from file:// too)."""
    coll = getattr(app, "reader_collection", None)
    if exception or app.builder.format != "html":
        return
    data = {
        e.id: {"term": e.term, "pinyin": e.pinyin, "english": e.english, "definition": e.definition}
        for e in (coll.glossary if coll else [])
    }
    convert = getattr(app, "reader_convert", None)  # the traditional variant converts the data too
    if convert:
        data = {k: {f: (convert(v) if f != "pinyin" else v) for f, v in d.items()} for k, d in data.items()}
    static = Path(app.outdir) / "_static"
    static.mkdir(exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    (static / "reader-glossary.js").write_text(f"window.READER_GLOSSARY = {payload};\n", encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_config_value("reader_glossary_file", "glossary/terms.toml", "env", types=[str])
    app.add_config_value("reader_glossary_link", "first", "env", types=[str])
    app.add_directive("reader-term", ReaderTerm)
    app.add_node(
        reader_concordance,
        html=(visit_concordance_html, None),
        latex=(visit_concordance_latex, None),
        text=(visit_concordance_text, None),
    )
    app.add_transform(GlossaryLinks)
    app.connect("builder-inited", prepare, priority=600)
    app.connect("build-finished", write_preview_data)
    app.add_js_file("reader-glossary.js", loading_method="defer")
