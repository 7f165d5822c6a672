"""The page of all clusters of parallel passages (found by ``core.parallels``)."""

from __future__ import annotations

import json

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .core.parallels import diff_ops
from .core.records import ClusterMember
from .nodeutil import interface_converter, reader_data


class reader_cluster_members(reader_data):
    """The paragraphs of one cluster: ``members`` = [{ref, title, date, number, text}]
    (those without ``text`` are only named: a large cluster quotes its first few),
    and ``total`` when more paragraphs belong to it than are listed.
    A data node: the page quotes every reused paragraph of the collection, and as
    trees the quotes were a tenth of a large build's nodes.  Not in the search
    index: the words are the sources' own, and a search should land on them."""

    def links(self) -> list[str]:
        return [member["ref"] for member in self["members"]]

    def convert_data(self, convert) -> None:
        self["members"] = [
            {**m, "title": convert(m["title"]), **({"text": convert(m["text"])} if "text" in m else {})}
            for m in self["members"]
        ]

    def quoted(self) -> list[ClusterMember]:
        return [m for m in self["members"] if "text" in m]

    def named(self) -> list[ClusterMember]:
        return [m for m in self["members"] if "text" not in m]

    def unlisted(self) -> int:
        return max(0, self.get("total", 0) - len(self["members"]))


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
    members = node.quoted()
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
    named, rest = node.named(), node.unlisted()
    if named or rest:
        names = "、".join(
            node.html_ref(self, m["ref"], (f"{m['date']} " if m["date"] else "") + _link_text(m)) for m in named
        )
        tail = self.encode(convert(f"等，共 {node['total']} 段" if rest else ""))
        out.append(f'<p class="reader-cluster-more">{self.encode(convert("又见："))}{names}{tail}{convert("。")}</p>\n')
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_members_latex(self, node: reader_cluster_members) -> None:
    out = ["\n\\begin{itemize}\n"]
    members = node.quoted()
    for k, member in enumerate(members):
        link = node.latex_ref(self, member["ref"], _link_text(member))
        date = f"{member['date']} " if member["date"] else ""
        text = marked(members, k, self.encode, lambda t: f"\\readeronly{{{self.encode(t)}}}", lambda: "\\readergap{}")
        out.append(f"\\item {self.encode(date)}{link}\n\n\\sphinxAtStartPar\n{text}\n")
    out.append("\\end{itemize}\n")
    if node.named() or node.unlisted():
        names = "、".join(node.latex_ref(self, m["ref"], _link_text(m)) for m in node.named())
        tail = f"等，共 {node['total']} 段" if node.unlisted() else ""
        out.append(f"\n\\sphinxAtStartPar\n{self.encode(interface_converter(self)('又见：'))}{names}")
        out.append(f"{self.encode(interface_converter(self)(tail + '。'))}\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_members_text(self, node: reader_cluster_members) -> None:
    self.add_text("\n".join(f"{_link_text(m)} {m.get('text', '')}".rstrip() for m in node["members"]))
    raise nodes.SkipNode


class ReaderCluster(SphinxDirective):
    """```{reader-cluster} <n>``` with its members (ref, title, date, number, text),
    one JSON object per line of content."""

    required_arguments = 1
    has_content = True

    option_spec = {"total": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        try:
            members = [json.loads(line) for line in self.content if line.strip()]
        except ValueError as exc:
            raise self.error(f"reader-cluster: bad member data: {exc}") from None
        container = nodes.container(classes=["reader-cluster"], ids=[f"cluster-{self.arguments[0]}"])
        title = nodes.paragraph(classes=["reader-cluster-title"])
        title += nodes.strong(f"第{self.arguments[0]}组", f"第{self.arguments[0]}组")
        total = self.options.get("total", len(members))
        title += nodes.Text(f"（{total} 段）")
        container += title
        container += reader_cluster_members(members=members, total=total)
        return [container]


def setup(app: Sphinx) -> None:
    app.add_directive("reader-cluster", ReaderCluster)
    app.add_node(
        reader_cluster_members,
        html=(visit_members_html, None),
        latex=(visit_members_latex, None),
        text=(visit_members_text, None),
    )
