"""Margin notes beside a paragraph: editorial annotations and parallel passages.

HTML: an ``<aside>`` floated into the right margin on a wide window, aligned with
its paragraph; on a phone it collapses behind a button beside the paragraph
(``reader.js``), usable with the keyboard.  LaTeX: a real ``\\marginpar``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .nodeutil import interface_converter, label_ref, passthrough, reader_data

KIND_LABELS = {"note": "注", "correction": "校", "source": "源", "xref": "参见", "parallel": "平行"}


class reader_margin(nodes.General, nodes.Element):
    """The margin of one block."""


class reader_margin_item(nodes.General, nodes.Element):
    """One note in a margin; ``kind`` is note, correction, source, xref or parallel."""


class reader_mark(nodes.Inline, nodes.TextElement):
    """A phrase of the paragraph that an annotation is about."""


class reader_parallel(reader_data):
    """A parallel passage in the margin: ``ref`` (label), ``title``, ``number``,
    ``shared`` (fraction of this paragraph found there) and ``ops`` (the two
    wordings as a character diff).  A data node: a paragraph of a large
    collection has several, and as trees they were half of every page's nodes.
    Not in the search index: the words are another paragraph's."""

    def links(self) -> list[str]:
        return [self["ref"]]

    def convert_data(self, convert) -> None:
        self["ops"] = convert_diff(self["ops"], convert)
        self["title"] = convert(self["title"])

    def heading(self, convert) -> tuple[str, str, str]:
        """(kind label, link text, the rest of the line)."""
        shared = round(self["shared"] * 100)
        return (
            convert(KIND_LABELS["parallel"]),
            f"{self['title']} ¶{self['number']}",
            convert(f" · 本段 {shared}% 见于该段"),
        )


def convert_diff(ops: list[list[str]], convert) -> list[list[str]]:
    """Convert each wording whole, in its own context (phrases span the diff's
    cuts), then cut again.  Text both share may convert differently in each
    (制造 after 因地 or after 先进): such an "=" op carries the other wording's
    form as a third element."""
    this = convert("".join(op[1] for op in ops if op[0] in "=-"))
    other = convert("".join(op[1] for op in ops if op[0] in "=+"))
    if len(this) != sum(len(op[1]) for op in ops if op[0] in "=-") or len(other) != sum(
        len(op[1]) for op in ops if op[0] in "=+"
    ):
        return [[op[0], convert(op[1])] for op in ops]
    out, i, j = [], 0, 0
    for op, text, *_ in ops:
        n = len(text)
        if op == "=":
            mine, theirs = this[i : i + n], other[j : j + n]
            out.append([op, mine] if mine == theirs else [op, mine, theirs])
            i += n
            j += n
        elif op == "-":
            out.append([op, this[i : i + n]])
            i += n
        else:
            out.append([op, other[j : j + n]])
            j += n
    return out


def build_margin(items: list[dict], anchor: str, label: str) -> reader_margin:
    margin = reader_margin(anchor=anchor, label=label)
    for n, item in enumerate(items, 1):
        kind = item.get("kind", "note")
        if "more" in item:  # written by the margin's own visitors: no subtree for one line
            margin["more"] = item["more"]
            continue
        if kind == "parallel":
            margin += reader_parallel(
                ids=[f"{anchor}-n{n}"],
                **{key: item[key] for key in ("ref", "title", "number", "shared", "ops")},
            )
            continue
        entry = reader_margin_item(kind=kind, ids=[f"{anchor}-n{n}"])
        para = nodes.paragraph()
        para += nodes.inline(KIND_LABELS[kind], KIND_LABELS[kind], classes=["reader-margin-kind"])
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
    label = self.attval(interface_converter(self)(f"第{node['label']}段旁注"))
    self.body.append(f'<aside class="reader-margin" id="{node["anchor"]}-margin" aria-label="{label}">')


def more_parallels(translator, node: reader_margin) -> str:
    return interface_converter(translator)(f"另有 {node['more']} 处平行文本。") if node.get("more") else ""


def depart_margin_html(self, node: reader_margin) -> None:
    if node.get("more"):
        more = self.encode(more_parallels(self, node))
        self.body.append(f'<div class="reader-margin-item reader-margin-parallel"><p>{more}</p>\n</div>')
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


def visit_parallel_html(self, node: reader_parallel) -> None:
    enc = self.encode
    convert = interface_converter(self)
    kind, link_text, rest = node.heading(convert)
    link = node.html_ref(self, node["ref"], link_text)
    this, other = [], []
    for op, text, *theirs in node["ops"]:
        if op == "=":
            this.append(enc(text))
            other.append(enc(theirs[0] if theirs else text))
        elif op == "-":
            this.append(f"<del>{enc(text)}</del>")
        else:
            other.append(f"<ins>{enc(text)}</ins>")
    self.body.append(
        f'<div class="reader-margin-item reader-margin-parallel" id="{node["ids"][0]}">'
        f'<p><span class="reader-margin-kind">{kind}</span>{link}{enc(rest)}</p>\n'
        f'<details class="reader-diff"><summary>{convert("比较两处文字")}</summary>'
        f'<div class="reader-diff-this"><span class="reader-diff-label">{convert("本段")}</span>{"".join(this)}</div>'
        f'<div class="reader-diff-other"><span class="reader-diff-label">'
        f"{enc(link_text)}</span>{''.join(other)}</div></details></div>"
    )
    raise nodes.SkipNode


# ---------------------------------------------------------------- LaTeX


def visit_margin_latex(self, node: reader_margin) -> None:
    self.body.append(r"\marginpar{\raggedright\footnotesize ")


def depart_margin_latex(self, node: reader_margin) -> None:
    if node.get("more"):
        self.body.append(f"\n\\sphinxAtStartPar\n{self.encode(more_parallels(self, node))}\n\\par\\smallskip ")
    self.body.append("}")


def visit_item_latex(self, node: reader_margin_item) -> None:
    pass


def visit_parallel_latex(self, node: reader_parallel) -> None:
    """The line only: the two wordings do not fit a printed margin."""
    kind, link_text, rest = node.heading(interface_converter(self))
    link = node.latex_ref(self, node["ref"], link_text)
    self.body.append(
        f"\n\\sphinxAtStartPar\n\\DUrole{{reader-margin-kind}}{{{self.encode(kind)}}}{link}{self.encode(rest)}"
        "\n\\par\\smallskip "
    )
    raise nodes.SkipNode


def visit_parallel_text(self, node: reader_parallel) -> None:
    kind, link_text, rest = node.heading(interface_converter(self))
    self.add_text(kind + link_text + rest)
    raise nodes.SkipNode


def depart_item_latex(self, node: reader_margin_item) -> None:
    self.body.append(r"\par\smallskip ")


def visit_mark_latex(self, node: reader_mark) -> None:
    self.body.append(r"\CJKunderline{")


def depart_mark_latex(self, node: reader_mark) -> None:
    self.body.append("}")


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
    app.add_node(
        reader_parallel,
        html=(visit_parallel_html, None),
        latex=(visit_parallel_latex, None),
        text=(visit_parallel_text, None),
    )
