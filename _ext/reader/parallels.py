"""The page of all clusters of parallel passages (found by ``core.parallels``)."""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .core.parallels import diff_ops
from .core.records import ClusterMember
from .nodeutil import interface_converter, reader_data


class reader_cluster_members(reader_data):
    """The paragraphs of one cluster: ``members`` = [{ref, title, date, number, text}].
    A data node: the page quotes every reused paragraph of the collection, and as
    trees the quotes were a tenth of a large build's nodes.  Not in the search
    index: the words are the sources' own, and a search should land on them."""

    def links(self) -> list[str]:
        return [member["ref"] for member in self["members"]]

    def convert_data(self, convert) -> None:
        self["members"] = [{**m, "title": convert(m["title"]), "text": convert(m["text"])} for m in self["members"]]


def _link_text(member: ClusterMember) -> str:
    return f"《{member['title']}》第{member['number']}段"


def marked(members: list[ClusterMember], k: int, plain, own, gap) -> str:
    """Member k's text against the cluster's first member: unchanged text through
    ``plain`` (escaping), its own extra words through ``own``, and ``gap()`` where
    it lacks words of the first.  The first member is shown as it is."""
    if k == 0:
        return plain(members[0]["text"])
    out: list[str] = []
    for op, text in diff_ops(members[0]["text"], members[k]["text"]):
        if op == "=":
            out.append(plain(text))
        elif op == "+":
            out.append(own(text))
        elif not out or out[-1] != gap():
            out.append(gap())
    return "".join(out)


def visit_members_html(self, node: reader_cluster_members) -> None:
    convert = interface_converter(self)
    only, lacks = convert("该段多出"), convert("该段无第一段此处的文字")
    out = ["<ul>\n"]
    members = node["members"]
    for k, member in enumerate(members):
        link = node.html_ref(self, member["ref"], _link_text(member))
        date = f"{member['date']} " if member["date"] else ""
        text = marked(
            members,
            k,
            self.encode,
            lambda t: f'<span class="reader-only" title="{only}">{self.encode(t)}</span>',
            lambda: f'<span class="reader-gap" title="{lacks}" role="img" aria-label="{lacks}"></span>',
        )
        out.append(f'<li><p>{self.encode(date)}{link}</p>\n<p class="reader-cluster-text">{text}</p>\n</li>\n')
    out.append("</ul>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_members_latex(self, node: reader_cluster_members) -> None:
    out = ["\n\\begin{itemize}\n"]
    members = node["members"]
    for k, member in enumerate(members):
        link = node.latex_ref(self, member["ref"], _link_text(member))
        date = f"{member['date']} " if member["date"] else ""
        text = marked(members, k, self.encode, lambda t: f"\\readeronly{{{self.encode(t)}}}", lambda: "\\readergap{}")
        out.append(f"\\item {self.encode(date)}{link}\n\n\\sphinxAtStartPar\n{text}\n")
    out.append("\\end{itemize}\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_members_text(self, node: reader_cluster_members) -> None:
    self.add_text("\n".join(f"{_link_text(m)} {m['text']}" for m in node["members"]))
    raise nodes.SkipNode


class ReaderCluster(SphinxDirective):
    """```{reader-cluster} <n>``` with its members (ref, title, date, number, text),
    one JSON object per line of content."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        try:
            members = [json.loads(line) for line in self.content if line.strip()]
        except ValueError as exc:
            raise self.error(f"reader-cluster: bad member data: {exc}") from None
        container = nodes.container(classes=["reader-cluster"], ids=[f"cluster-{self.arguments[0]}"])
        title = nodes.paragraph(classes=["reader-cluster-title"])
        title += nodes.strong(f"第{self.arguments[0]}组", f"第{self.arguments[0]}组")
        title += nodes.Text(f"（{len(members)} 段）")
        container += title
        container += reader_cluster_members(members=members)
        return [container]


def setup(app: Sphinx) -> None:
    app.add_directive("reader-cluster", ReaderCluster)
    app.add_node(
        reader_cluster_members,
        html=(visit_members_html, None),
        latex=(visit_members_latex, None),
        text=(visit_members_text, None),
    )
