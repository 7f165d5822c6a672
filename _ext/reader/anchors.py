"""Paragraph numbers that link to their anchors, and stable heading ids."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

_AUTO_ID = re.compile(r"^id\d+$")


class reader_pnum(nodes.Inline, nodes.TextElement):
    """The visible paragraph number, drawn outside the paragraph's text."""


def visit_pnum_html(self, node: reader_pnum) -> None:
    target = node["refid"]
    label = node["label"]
    self.body.append(
        f'<a class="reader-pnum" href="#{target}" title="第{label}段（链接到本段）" aria-label="第{label}段">{label}</a>'
    )
    raise nodes.SkipNode


def visit_pnum_latex(self, node: reader_pnum) -> None:
    label = self.encode(node["label"])
    self.body.append(r"\par\noindent\llap{{\scriptsize\sffamily " + label + r"}\quad}")
    raise nodes.SkipNode


def visit_pnum_text(self, node: reader_pnum) -> None:
    self.add_text(f"[{node['label']}] ")
    raise nodes.SkipNode


class StableHeadingIds(SphinxTransform):
    """Give headings of reader pages their explicit ids (``s3``) and drop docutils'
    ``id1``, ``id2``…: for Chinese titles those shift whenever content moves."""

    default_priority = 880

    def apply(self, **kwargs) -> None:
        pages = self.config.reader_pages_dir.strip("/") + "/"
        if not self.env.docname.startswith(pages):
            return
        slug = self.env.docname[len(pages) :]
        pattern = re.compile(rf"^{re.escape(slug)}-(s\d+[a-z]*)$")
        for section in self.document.findall(nodes.section):
            ids = section["ids"]
            short = [m.group(1) for i in ids if (m := pattern.match(i))]
            keep = [i for i in ids if not _AUTO_ID.match(i)]
            section["ids"] = short + [i for i in keep if i not in short]


def setup(app: Sphinx) -> None:
    app.add_node(
        reader_pnum,
        html=(visit_pnum_html, None),
        latex=(visit_pnum_latex, None),
        text=(visit_pnum_text, None),
    )
    app.add_transform(StableHeadingIds)
