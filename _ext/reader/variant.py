"""The traditional-Chinese variant: the whole reader converted on the document tree
(OpenCC with translator overrides), the variant switch, and the review list of
every ambiguous conversion."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from . import variant_review
from .core.errors import SeedError, line_of
from .core.interface import OTHER_VARIANT
from .core.variant import (
    Converter,
    editor_texts,
    load_overrides,
    load_style,
    unused_phrases,
    with_translations,
)
from .nodeutil import reader_data
from .pages import reader_correction
from .state import reader_state
from .variant_review import REVIEW_PAGE

logger = logging.getLogger(__name__)
LANG_TAGS = {"hans": "zh-Hans-CN", "hant": {"s2tw": "zh-Hant-TW", "s2hk": "zh-Hant-HK", "s2t": "zh-Hant"}}
# Text under these nodes is literal: never converted.
LITERAL = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block, nodes.comment)
# Inline elements whose text is interface, not the sources' or editors' words.
UI_CLASSES = {"reader-margin-kind"}


def is_traditional(config) -> bool:
    return config.reader_variant == "hant"


def setup_variant(app: Sphinx, config) -> None:
    """config-inited (after the settings are checked): build the converter, switch
    Sphinx's own strings to zh_TW."""
    if not is_traditional(config):
        return
    table, style = None, []
    try:
        table = load_overrides(Path(app.srcdir) / config.reader_variant_overrides)
        style = load_style(Path(app.srcdir) / config.reader_house_style)
    except SeedError as exc:
        logger.error("Override table: %s", exc, type="reader", subtype="variant")
    from .po import load_paragraph_overrides

    def make(paragraphs=()):
        return Converter(
            config.reader_opencc_config,
            table,
            by_words=config.reader_variant_by_words,
            style=style,
            quotes=config.reader_hant_quotes,
            paragraphs=paragraphs,
        )

    converter = with_translations(make, load_paragraph_overrides(app, config))
    # The tables decide every page's text: a change must re-read every page
    # (an "env" config value that changes makes Sphinx do so).
    config.reader_variant_digest = variant_digest(app, config)
    reader_state(config).converter = converter
    config.language = {"s2hk": "zh_HK"}.get(config.reader_opencc_config, "zh_TW")
    # Traditional glyph forms in the PDF: Noto CJK TC (HK for s2hk), and the PDF's language.
    region = "HK" if config.reader_opencc_config == "s2hk" else "TC"
    elements = dict(config.latex_elements)
    if "fontpkg" in elements:
        elements["fontpkg"] = elements["fontpkg"].replace(" CJK SC", f" CJK {region}")
    if "preamble" in elements:
        elements["preamble"] = converter.convert(elements["preamble"]).replace(
            "pdflang={zh-CN}", "pdflang={zh-Hant-" + ("HK" if region == "HK" else "TW") + "}"
        )
    config.latex_elements = elements
    config.latex_documents = [
        tuple(converter.convert(v) if isinstance(v, str) and i >= 2 else v for i, v in enumerate(doc))
        for doc in config.latex_documents
    ]
    for name in ("project", "html_title", "author", "copyright"):
        value = getattr(config, name, None)
        if isinstance(value, str):
            setattr(config, name, converter.convert(value))


def variant_inputs(app: Sphinx, config) -> list[Path]:
    """The files the traditional text depends on."""
    from .po import catalogue_dir

    srcdir = Path(app.srcdir)
    files = [srcdir / config.reader_variant_overrides, srcdir / config.reader_house_style]
    po_dir = catalogue_dir(app, config)
    if po_dir.is_dir():
        files += sorted(po_dir.glob("*.po"))
    return files


def variant_digest(app: Sphinx, config) -> str:
    digest = hashlib.sha256()
    for path in variant_inputs(app, config):
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:16]


def report_unused(app: Sphinx) -> None:
    """builder-inited (after the pages are generated): overrides that match nothing."""
    state = reader_state(app)
    coll, converter = state.collection, state.converter
    if coll is None or converter is None:
        return
    for phrase in unused_phrases(coll.docs, converter.table, editor_texts(coll)):
        logger.warning(
            "override %r → %r occurs nowhere in the sources",
            phrase.simplified,
            phrase.traditional,
            location=f"{converter.table.path}:{line_of(converter.table.path, phrase.simplified)}",
            type="reader",
            subtype="variant",
        )


class ConvertToTraditional(SphinxTransform):
    """Convert every text a reader sees; ids, URLs and literal text stay as they are.

    Text is converted per text block (a paragraph, a title, a line), not per
    text node, so OpenCC sees whole phrases even where a link or a mark cuts
    them; the conversion keeps lengths, so the result is cut back at the same
    places.
    """

    # After every transform that adds text, before DoctreeReadEvent (880), whose
    # collectors take titles and tocs from the tree.
    default_priority = 870

    def apply(self, **kwargs) -> None:
        state = reader_state(self.env)
        convert = state.convert
        if convert is None:
            return
        done = self.translated_paragraphs(state.converter)
        groups: dict[int, list[nodes.Text]] = {}
        text_groups(self.document, self.document, groups)
        for texts in groups.values():
            texts = [t for t in texts if id(t) not in done]
            if not texts:
                continue
            whole = "".join(str(t) for t in texts)
            converted = convert(whole)
            if len(converted) != len(whole):
                for t in texts:
                    t.parent.replace(t, nodes.Text(convert(str(t))))
                continue
            pos = 0
            for t in texts:
                n = len(t)
                t.parent.replace(t, nodes.Text(converted[pos : pos + n]))
                pos += n
        for node in self.document.findall(addnodes.index):
            node["entries"] = [(kind, convert(value), *rest) for kind, value, *rest in node["entries"]]
        for node in self.document.findall(reader_correction):
            node["original"] = convert(node["original"])
            node["note"] = convert(node["note"])
        for node in self.document.findall(lambda n: n.tagname == "reader_alias"):
            node["excerpt"] = convert(node["excerpt"])
        # Interface labels in the tree (the margin's 注) take the interface vocabulary.
        for node in self.document.findall(nodes.inline):
            if UI_CLASSES.intersection(node.get("classes", ())):
                for text in list(node.findall(nodes.Text)):
                    text.parent.replace(text, nodes.Text(state.interface.localise(str(text), convert)))
        # Data nodes (a parallel in the margin, a concordance, a cluster) convert their own fields.
        for node in self.document.findall(reader_data):
            node.convert_data(convert)

    def translated_paragraphs(self, converter: Converter) -> set[int]:
        """A translator's paragraph (from the .po) replaces the whole block, wherever
        links and marks cut its text; returns the text nodes it wrote."""
        forms = {
            "".join(p.simplified.split()): "".join(p.traditional.split())
            for p in converter.phrases
            if p.origin == "paragraph"
        }
        done: set[int] = set()
        if not forms:
            return done
        for element in self.document.findall(nodes.Element):
            if not element.get("ids") or isinstance(element, LITERAL):
                continue
            texts = [t for t in element.findall(nodes.Text) if not _in_literal(t, element)]
            form = forms.get("".join("".join(str(t).split()) for t in texts))
            if form is None or any(id(t) in done for t in texts):
                continue
            chars = iter(form)
            for t in texts:
                new = nodes.Text("".join(ch if ch.isspace() else next(chars) for ch in str(t)))
                t.parent.replace(t, new)
                done.add(id(new))
        return done


def _in_literal(text: nodes.Text, top: nodes.Element) -> bool:
    node = text.parent
    while node is not None and node is not top:
        if isinstance(node, LITERAL):
            return True
        node = node.parent
    return False


def text_groups(node: nodes.Element, owner: nodes.Element, groups: dict[int, list[nodes.Text]]) -> None:
    """The text nodes to convert, grouped by the text block that holds them (the
    nearest text element or structural element); literal text is left out.  One
    walk of the tree instead of a walk up from every text node."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            groups.setdefault(id(owner), []).append(child)
        elif not isinstance(child, LITERAL):
            block = child if isinstance(child, (nodes.TextElement, nodes.Structural)) else owner
            text_groups(child, block, groups)


class ConvertResolvedReferences(SphinxPostTransform):
    """Link texts filled in at write time (titles of referenced sections, cards'
    links) are converted too."""

    default_priority = 999

    def run(self, **kwargs) -> None:
        convert = reader_state(self.env).convert
        if convert is None:
            return
        for ref in self.document.findall(nodes.reference):
            for text in list(ref.findall(nodes.Text)):
                converted = convert(str(text))
                if converted != str(text):
                    text.parent.replace(text, nodes.Text(converted))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The html lang tag for the variant, and the switch to the same page in the other one."""
    traditional = is_traditional(app.config)
    context["language"] = (
        LANG_TAGS["hant"].get(app.config.reader_opencc_config, "zh-Hant") if traditional else LANG_TAGS["hans"]
    )
    convert = reader_state(app).convert
    if convert and pagename == "genindex" and "genindexentries" in context:
        # The general index is built from the environment, not from a doctree.
        context["genindexentries"] = [
            (convert(letter), [(convert(name), rest) for name, rest in entries])
            for letter, entries in context["genindexentries"]
        ]
    other = app.config.reader_other_variant_url
    if not other or "body" not in context or pagename.startswith(REVIEW_PAGE):
        return
    depth = pagename.count("/")
    href = "../" * depth + other.rstrip("/") + "/" + pagename + ".html"
    label, lang = OTHER_VARIANT["hant" if traditional else "hans"]
    switch = (
        '<nav class="reader-variant-switch" aria-label="字形">'
        f'<a class="reader-variant-link" href="{html.escape(href)}" lang="{lang}" hreflang="{lang}">{label}</a>'
        "</nav>"
    )
    context["body"] = switch + context["body"]


def setup(app: Sphinx) -> None:
    app.add_transform(ConvertToTraditional)
    app.add_post_transform(ConvertResolvedReferences)
    app.connect("html-page-context", page_context)
    variant_review.setup(app)
