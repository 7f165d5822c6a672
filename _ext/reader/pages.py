"""The reading page: blocks of seed text, corrections, the editorial record.

The generated MyST pages hold seed text only inside ``reader-block`` fences;
the directive makes text nodes of it without parsing, so the text is data.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_design.cards import CardDirective
from sphinx_design.shared import create_component

from .anchors import reader_alias, reader_pnum, register_labels
from .core.interface import reason_label
from .core.model import CITABLE_KINDS, READING_BLOCK_KINDS
from .core.records import Annotation, BlockCorrection, MarginEntries
from .core.render import LINE_OPTIONS, margin_items, parse_front_matter
from .glossary import TermLinker
from .margin import build_margin, reader_mark
from .nodeutil import passthrough, reader_data, skip_node
from .state import reader_state


class reader_block(nodes.General, nodes.Element):
    """One block of a reading page: the number (if citable) and the text element."""


class reader_correction(nodes.Inline, nodes.TextElement):
    """Corrected text; the original reading is kept in ``node['original']``."""


def visit_block_html(self, node: reader_block) -> None:
    classes = " ".join(["reader-block", f"reader-{node['kind']}"] + node.get("classes", []))
    self.body.append(f'<div class="{classes}">')


def depart_block_html(self, node: reader_block) -> None:
    self.body.append("</div>\n")


def visit_block_latex(self, node: reader_block) -> None:
    self.body.append("\n")


def depart_block_latex(self, node: reader_block) -> None:
    self.body.append("\n")


def visit_correction_html(self, node: reader_correction) -> None:
    original = self.attval(node["original"])
    note = self.attval(node["note"])
    self.body.append(
        f'<span class="reader-corr" tabindex="0" data-original="{original}" title="校正：原作“{original}”。{note}">'
    )


def depart_correction_html(self, node: reader_correction) -> None:
    self.body.append("</span>")


def visit_correction_latex(self, node: reader_correction) -> None:
    self.body.append(r"\CJKunderdot{")


def depart_correction_latex(self, node: reader_correction) -> None:
    original = self.encode(node["original"])
    note = self.encode(node["note"])
    self.body.append(r"}\footnote{校正：原作“" + original + "”。" + note + "}")


class ReaderBlock(SphinxDirective):
    """```{reader-block} <kind> [key=value ...]``` with options id, n, lines,
    margin (on the directive's line or as options), aliases, corrections (as
    options); content is raw text."""

    required_arguments = 1
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "id": directives.unchanged,
        "n": directives.unchanged,
        "lines": directives.unchanged,
        "corrections": directives.unchanged,
        "aliases": directives.unchanged,
        "margin": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        for word in self.arguments[1].split() if len(self.arguments) > 1 else ():
            key, equals, value = word.partition("=")
            if not equals or key not in LINE_OPTIONS:
                raise self.error(f"reader-block: {word!r} is not one of {', '.join(f'{k}=...' for k in LINE_OPTIONS)}")
            self.options.setdefault(key, value)
        if kind not in READING_BLOCK_KINDS:
            raise self.error(f"unknown block kind {kind!r}; allowed: {', '.join(sorted(READING_BLOCK_KINDS))}")
        text = "\n".join(self.content)
        block = reader_block(kind=kind, lines=self.options.get("lines", ""))
        self.set_source_info(block)
        block_id = self.options.get("id", "")
        aliases = json.loads(self.options.get("aliases", "[]"))
        if block_id:
            block += reader_pnum(
                refid=block_id, label=self.options.get("n", block_id.lstrip("p")), indent=kind == "paragraph"
            )
            for alias in aliases:
                # A retired id stays a real target in the page: old links land here.
                block += reader_alias(ids=[alias["id"]], reason=alias["reason"], excerpt=alias["excerpt"])
            register_labels(self.env, block_id, [a["id"] for a in aliases], text)
        corrections = json.loads(self.options.get("corrections", "[]"))
        margin = self._margin(block_id) if self.options.get("margin") else MarginEntries()
        marks = [m for m in margin.notes if m.get("phrase")]
        if margin and block_id:
            block += build_margin(margin, block_id, self.options.get("n", block_id[1:]))
        linker = self._term_linker()
        # Terms are linked once per paragraph, list item or line (``reader_glossary_link``).
        links = (lambda: functools.partial(linker.link, linked=set())) if linker else (lambda: None)
        if kind == "list":
            body = nodes.bullet_list(classes=["reader-list"])
            for item in text.split("\n"):
                body += nodes.list_item("", nodes.paragraph(item, "", *inline_text(item, [], 0, (), links())))
        elif kind in ("figure", "colophon"):
            body = nodes.line_block(classes=[f"reader-{kind}-lines"])
            offset = 0
            for line in text.split("\n"):
                body += nodes.line("", "", *inline_text(line, corrections, offset, marks, links()))
                offset += len(line) + 1
        else:
            parts = inline_text(text, corrections, 0, marks, links())
            body = nodes.paragraph("", "", *parts, classes=[f"reader-{kind}-text"])
        if block_id:
            body["ids"].append(block_id)
        block += body
        return [block]

    def _term_linker(self) -> TermLinker | None:
        """Glossary links in the reading pages only, and only in the reading text."""
        state = reader_state(self.env)
        if state.slug_of(self.env.docname) is None:
            return None
        if self.arguments[0] not in CITABLE_KINDS:  # bylines, source lines, datelines are not reading text
            return None
        return state.linker

    def _margin(self, anchor: str) -> MarginEntries:
        """This block's margin notes.  The data file beside the page is what the
        page depends on (an edit re-reads it); its data is the collection's, in
        memory since the generation wrote it, and read from there (decoding each
        page's file again was a twentieth of reading a page: issue 18)."""
        seen = self.env.temp_data.setdefault("reader_margins", {})
        name = self.options["margin"]  # (a path per block was a fiftieth of reading a page)
        if name not in seen:
            path = Path(self.env.srcdir) / reader_state(self.env).pages_dir / name
            self.env.note_dependency(str(path))
            seen[name] = self._margins_of_page(path)
        return MarginEntries.from_json(seen[name].get(anchor, []))

    def _margins_of_page(self, path: Path) -> dict[str, list[dict]]:
        state = reader_state(self.env)
        slug = state.slug_of(self.env.docname)
        doc = state.collection.doc(slug) if state.collection is not None and slug else None
        if doc is not None and path.name == f"{slug}.json":
            return {b.id: items for b in doc.citable_blocks() if (items := margin_items(doc, b.id))}
        try:  # a page the collection does not hold: its file
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def inline_text(
    text: str, corrections: list[BlockCorrection], offset: int, marks: list[Annotation] = (), link=None
) -> list[nodes.Node]:
    """Text nodes, with corrected spans and annotated phrases marked (offsets are
    into the whole block text); ``link`` turns a plain run into text and term links."""
    spans = [(c["at"] - offset, c["at"] - offset + len(c["replace"]), "corr", c) for c in corrections]
    for m in marks:
        start = m["at"] - offset
        end = start + len(m["phrase"])
        if not any(s < end and start < e for s, e, *_ in spans):  # a correction is marked already
            spans.append((start, end, "mark", m))

    def plain(run: str) -> list[nodes.Node]:
        return link(run) if link else [nodes.Text(run)]

    out, pos = [], 0
    for start, end, what, data in sorted(spans, key=lambda s: s[0]):
        if start < pos or start < 0 or end > len(text):
            continue  # not in this line of a multi-line block
        if start > pos:
            out.extend(plain(text[pos:start]))
        if what == "corr":
            node = reader_correction("", "", original=data["find"], note=data["note"])
        else:
            node = reader_mark("", "", kind=data["kind"])
        node += nodes.Text(text[start:end])
        out.append(node)
        pos = end
    if pos < len(text):
        out.extend(plain(text[pos:]))
    return out


class ReaderMeta(SphinxDirective):
    """```{reader-meta}``` holding the facts of a source as JSON (``render_meta``):
    the card sphinx-design's ``card`` directive makes of a field list, built from
    the data without parsing it (the values are text, never markup)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        try:
            data = json.loads("\n".join(self.content))
            rows = [(str(key), str(value)) for key, value in data["fields"]]
            kind_key, kind = map(str, data["kind"])
        except (ValueError, KeyError, TypeError) as exc:
            raise self.error(f"reader-meta: bad data: {exc}") from None
        card = create_component("card", ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", "reader-meta"])
        body = create_component("card-body", ["sd-card-body"])
        for node in (card, body):
            self.set_source_info(node)
        fields = nodes.field_list(classes=["myst"])
        badge = nodes.inline(
            kind, kind, classes=["sd-sphinx-override", "sd-badge", "sd-outline-primary", "sd-text-primary"]
        )
        for key, value in [*rows, (kind_key, badge)]:
            text = nodes.paragraph("", "", value if isinstance(value, nodes.Node) else nodes.Text(value))
            fields += nodes.field("", nodes.field_name(key, key), nodes.field_body("", text))
        body += fields
        CardDirective.add_card_child_classes(body)
        card += body
        return [card]


class ReaderRecord(SphinxDirective):
    """The editorial record of a page: what was removed as furniture, what was
    corrected, in the closed dropdown sphinx-design's ``dropdown`` directive makes
    (built here, not parsed: the summary is text)."""

    has_content = True  # the record as JSON

    def run(self) -> list[nodes.Node]:
        try:
            record = json.loads("\n".join(self.content))
        except ValueError as exc:
            raise self.error(f"reader-record: bad record data: {exc}") from None
        summary = f"编辑记录：删去版面元素 {len(record['furniture'])} 行，校正 {len(record['corrections'])} 处"
        dropdown = create_component(
            "dropdown",
            opened=False,
            type="dropdown",
            has_title=True,
            icon="history",
            chevron=None,
            container_classes=["sd-mb-3", "reader-record"],
            title_classes=[],
            body_classes=[],
        )
        self.set_source_info(dropdown)
        dropdown += nodes.rubric(summary, summary)
        dropdown += self._record(record)
        return [dropdown]

    def _record(self, record: dict) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        intro = nodes.paragraph(classes=["reader-record-intro"])  # found by the PDF's 编辑记录 appendix
        intro += nodes.Text("原始文件 ")
        intro += nodes.literal(record["seed"], record["seed"])
        intro += nodes.Text(
            "（未经改动）。下列版面元素（页码、页眉页脚等）不属于正文，已从阅读文本中删去；"
            "校正之处在正文中以下划虚线标出。"
        )
        out.append(intro)
        if record["furniture"]:
            rows = [[str(f["line"]), f["text"], reason_label(f["reason"])] for f in record["furniture"]]
            out.append(reader_table(header=["行", "删去的文字", "原因"], rows=rows, classes=["reader-furniture-table"]))
        if record["corrections"]:
            rows = [[c["id"] or c["lines"], c["find"], c["replace"], c["note"]] for c in record["corrections"]]
            out.append(
                reader_table(header=["位置", "原作", "校正为", "说明"], rows=rows, classes=["reader-corrections-table"])
            )
        return out


class ReaderReview(SphinxDirective):
    """```{reader-review}``` on the editors' page: one source's uncertain
    segmentation decisions as JSON (``core.review.render_review``): the source
    line, then per decision its text and its override (literal: never converted)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        try:
            data = json.loads("\n".join(self.content))
            source = str(data["source"])
            items = [[str(text), str(override)] for text, override in data["items"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise self.error(f"reader-review: bad data: {exc}") from None
        node = reader_review(source=source, items=items)
        self.set_source_info(node)
        return [node]


class reader_review(reader_data):
    """A source's decisions on the editors' page, rendered as the paragraph and
    the list Markdown made of them (a data node: as parsed Markdown, the page
    holding every decision of the collection was a tenth of reading it)."""

    def convert_data(self, convert) -> None:
        self["source"] = convert(self["source"])
        self["items"] = [[convert(text), override] for text, override in self["items"]]

    def parts(self) -> list[nodes.Element]:
        """The standard nodes its visitors render (not in the tree)."""
        items = nodes.bullet_list(bullet="-")
        for text, override in self["items"]:
            items += nodes.list_item("", nodes.paragraph("", "", nodes.Text(text), nodes.literal(override, override)))
        parts = [nodes.paragraph("", "", nodes.Text(self["source"])), items]
        for part in parts:
            part.parent = self.parent
            part.document = self.document
        return parts


def visit_review(self, node: reader_review) -> None:
    """Any builder: the parts through the builder's own visitors."""
    for part in node.parts():
        part.walkabout(self)
    raise nodes.SkipNode


class reader_table(reader_data):
    """A table of the editorial record: ``header`` and ``rows`` of plain strings.
    A data node: as docutils tables (row, entry, paragraph, text per cell) the
    records were a third of a large collection's nodes."""

    def convert_data(self, convert) -> None:
        self["header"] = [convert(cell) for cell in self["header"]]
        self["rows"] = [[convert(cell) for cell in row] for row in self["rows"]]


def visit_table_html(self, node: reader_table) -> None:
    enc = self.encode
    out = [f'<table class="{" ".join(node["classes"])} table">\n<thead>\n<tr class="row-odd">']
    out.append("\n".join(f'<th class="head"><p>{enc(cell)}</p></th>' for cell in node["header"]))
    out.append("\n</tr>\n</thead>\n<tbody>\n")
    for k, row in enumerate(node["rows"]):
        cells = "\n".join(f"<td><p>{enc(cell)}</p></td>" for cell in row)
        out.append(f'<tr class="row-{"even" if k % 2 == 0 else "odd"}">{cells}\n</tr>\n')
    out.append("</tbody>\n</table>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_table_latex(self, node: reader_table) -> None:
    """A plain longtable: the first column narrow, the others share the line."""
    width = 0.85 / max(1, len(node["header"]) - 1)
    column = f">{{\\raggedright\\arraybackslash}}p{{{width:.2f}\\linewidth}}"
    spec = "@{}l" + column * (len(node["header"]) - 1) + "@{}"
    out = [f"\n{{\\small\n\\begin{{longtable}}{{{spec}}}\n\\hline\n"]
    out.append(" & ".join(f"\\sphinxstyletheadfamily {self.encode(cell)}" for cell in node["header"]))
    out.append("\\\\\n\\hline\n\\endhead\n")
    for row in node["rows"]:
        out.append(" & ".join(self.encode(cell) for cell in row) + "\\\\\n")
    out.append("\\hline\n\\end{longtable}}\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_table_text(self, node: reader_table) -> None:
    self.add_text("\n".join(" | ".join(row) for row in [node["header"], *node["rows"]]))
    raise nodes.SkipNode


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """source-read: a reading page's front matter read here, into the page's
    metadata as MyST would put it (in the variant, as the variant's conversion
    of the tree made it), and left to MyST as blank lines, so that the lines
    keep their numbers.  MyST parsed each page's YAML twice (PyYAML, in Python):
    a twentieth of a clean build (issue 18).  Anything else is MyST's."""
    state = reader_state(app)
    found = parse_front_matter(source[0]) if state.slug_of(docname) is not None else None
    if found is None:
        return
    meta, end = found
    app.env.metadata[docname].update({key: state.in_variant(value) for key, value in meta.items()})
    source[0] = "\n" * source[0].count("\n", 0, end) + source[0][end:]


class reader_running_head(nodes.General, nodes.Element):
    """The PDF's running head for a source: its title, or its short title when the
    title is too long for the head (decided by LaTeX, which knows the widths)."""


def add_running_head(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: after a source page's title, for the PDF."""
    short = app.env.metadata.get(app.env.docname, {}).get("reader-short-title")
    section = next(iter(doctree.findall(nodes.section)), None)
    if short and section is not None and isinstance(section[0], nodes.title):
        section.insert(1, reader_running_head(title=section[0].astext(), short=short))


def visit_running_head_latex(self, node: reader_running_head) -> None:
    # Both come from the tree after the variant's conversion (title, front matter).
    title, short = self.encode(node["title"]), self.encode(node["short"])
    self.body.append(f"\\readerrunninghead{{{title}}}{{{short}}}\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(
        reader_block,
        html=(visit_block_html, depart_block_html),
        latex=(visit_block_latex, depart_block_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_correction,
        html=(visit_correction_html, depart_correction_html),
        latex=(visit_correction_latex, depart_correction_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_table,
        html=(visit_table_html, None),
        latex=(visit_table_latex, None),
        text=(visit_table_text, None),
    )
    app.add_node(reader_review, html=(visit_review, None), latex=(visit_review, None), text=(visit_review, None))
    app.add_node(
        reader_running_head,
        html=(skip_node, None),
        latex=(visit_running_head_latex, None),
        text=(skip_node, None),
    )
    # After Sphinx's metadata collector (500), which fills env.metadata (the short title).
    app.connect("doctree-read", add_running_head, priority=600)
    app.connect("source-read", read_front_matter)
    app.add_directive("reader-block", ReaderBlock)
    app.add_directive("reader-record", ReaderRecord)
    app.add_directive("reader-meta", ReaderMeta)
    app.add_directive("reader-review", ReaderReview)
    app.add_css_file("reader.css")
    # After the theme's own html-page-context handlers (500), which leave the mode empty.
    app.connect("html-page-context", default_mode, priority=900)


def default_mode(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The book theme leaves the colour mode empty and pydata's script logs a console
    error on every page; "auto" follows the reader's system setting."""
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def add_static(app: Sphinx) -> None:
    """builder-inited: the reader's static folder (stylesheets, scripts, icons)."""
    static = str(Path(__file__).parent / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
