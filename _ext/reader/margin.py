"""Margin notes beside a paragraph: editorial annotations and parallel passages.

HTML: an ``<aside>`` floated into the right margin on a wide window, aligned with
its paragraph; on a phone it collapses behind a button beside the paragraph
(``reader.js``), usable with the keyboard.  LaTeX: a real ``\\marginpar``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .nodeutil import label_ref

KIND_LABELS = {"note": "注", "correction": "校", "source": "源", "xref": "参见", "parallel": "平行"}


class reader_margin(nodes.General, nodes.Element):
    """The margin of one block."""


class reader_margin_item(nodes.General, nodes.Element):
    """One note in a margin; ``kind`` is note, correction, source, xref or parallel."""


class reader_mark(nodes.Inline, nodes.TextElement):
    """A phrase of the paragraph that an annotation is about."""


class reader_diff(nodes.General, nodes.Element):
    """The two wordings of a parallel, differences marked (HTML only)."""


def build_margin(items: list[dict], anchor: str, label: str) -> reader_margin:
    margin = reader_margin(anchor=anchor, label=label)
    for n, item in enumerate(items, 1):
        kind = item.get("kind", "note")
        if "more" in item:
            para = nodes.paragraph()
            para += nodes.Text(f"另有 {item['more']} 处平行文本。")
            margin += reader_margin_item("", para, kind="parallel")
            continue
        entry = reader_margin_item(kind=kind, ids=[f"{anchor}-n{n}"])
        para = nodes.paragraph()
        para += nodes.inline(KIND_LABELS[kind], KIND_LABELS[kind], classes=["reader-margin-kind"])
        if kind == "parallel":
            para += label_ref(item["ref"], f"{item['title']} ¶{item['number']}")
            shared = round(item["shared"] * 100)
            para += nodes.Text(f" · 本段 {shared}% 见于该段")
            entry += para
            entry += reader_diff(ops=item["ops"], title=item["title"], number=item["number"])
        else:
            if item.get("phrase"):
                para += nodes.Text(f"“{item['phrase']}”")
            if kind == "correction":
                para += nodes.Text(f"原作“{item['original']}”。")
            para += nodes.Text(item["text"])
            if kind == "xref":
                para += nodes.Text(" → ")
                para += label_ref(item["target"], item["target_label"])
            entry += para
        margin += entry
    return margin


# ---------------------------------------------------------------- HTML


def visit_margin_html(self, node: reader_margin) -> None:
    self.body.append(f'<aside class="reader-margin" id="{node["anchor"]}-margin" aria-label="第{node["label"]}段旁注">')


def depart_margin_html(self, node: reader_margin) -> None:
    self.body.append("</aside>")


def visit_item_html(self, node: reader_margin_item) -> None:
    ids = f' id="{node["ids"][0]}"' if node.get("ids") else ""
    self.body.append(f'<div class="reader-margin-item reader-margin-{node["kind"]}"{ids}>')


def depart_item_html(self, node: reader_margin_item) -> None:
    self.body.append("</div>")


def visit_mark_html(self, node: reader_mark) -> None:
    self.body.append(f'<mark class="reader-mark reader-mark-{node["kind"]}">')


def depart_mark_html(self, node: reader_mark) -> None:
    self.body.append("</mark>")


def visit_diff_html(self, node: reader_diff) -> None:
    enc = self.encode
    this, other = [], []
    for op, text in node["ops"]:
        if op == "=":
            this.append(enc(text))
            other.append(enc(text))
        elif op == "-":
            this.append(f"<del>{enc(text)}</del>")
        else:
            other.append(f"<ins>{enc(text)}</ins>")
    convert = getattr(self.builder.app, "reader_convert", None) or (lambda text: text)
    self.body.append(
        f'<details class="reader-diff"><summary>{convert("比较两处文字")}</summary>'
        f'<div class="reader-diff-this"><span class="reader-diff-label">{convert("本段")}</span>{"".join(this)}</div>'
        f'<div class="reader-diff-other"><span class="reader-diff-label">'
        f"{enc(node['title'])} ¶{enc(node['number'])}</span>{''.join(other)}</div></details>"
    )
    raise nodes.SkipNode


# ---------------------------------------------------------------- LaTeX


def visit_margin_latex(self, node: reader_margin) -> None:
    self.body.append(r"\marginpar{\raggedright\footnotesize ")


def depart_margin_latex(self, node: reader_margin) -> None:
    self.body.append("}")


def visit_item_latex(self, node: reader_margin_item) -> None:
    pass


def depart_item_latex(self, node: reader_margin_item) -> None:
    self.body.append(r"\par\smallskip ")


def visit_mark_latex(self, node: reader_mark) -> None:
    self.body.append(r"\CJKunderline{")


def depart_mark_latex(self, node: reader_mark) -> None:
    self.body.append("}")


def skip(self, node) -> None:
    raise nodes.SkipNode


def passthrough(self, node) -> None:
    pass


def setup(app: Sphinx) -> None:
    app.add_node(
        reader_margin,
        html=(visit_margin_html, depart_margin_html),
        latex=(visit_margin_latex, depart_margin_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_margin_item,
        html=(visit_item_html, depart_item_html),
        latex=(visit_item_latex, depart_item_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_mark,
        html=(visit_mark_html, depart_mark_html),
        latex=(visit_mark_latex, depart_mark_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(reader_diff, html=(visit_diff_html, None), latex=(skip, None), text=(skip, None))
