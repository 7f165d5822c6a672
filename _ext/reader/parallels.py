"""The page of all clusters of parallel passages (found by ``core.parallels``)."""

from __future__ import annotations

import json

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .nodeutil import label_ref


class ReaderCluster(SphinxDirective):
    """```{reader-cluster} <n>``` with its members (title, date, number, text) as JSON."""

    required_arguments = 1
    option_spec = {"members": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        members = json.loads(self.options["members"])
        container = nodes.container(classes=["reader-cluster"], ids=[f"cluster-{self.arguments[0]}"])
        title = nodes.paragraph(classes=["reader-cluster-title"])
        title += nodes.strong(f"第{self.arguments[0]}组", f"第{self.arguments[0]}组")
        title += nodes.Text(f"（{len(members)} 段）")
        container += title
        items = nodes.bullet_list()
        for member in members:
            para = nodes.paragraph()
            date = f"{member['date']} " if member["date"] else ""
            para += nodes.Text(date)
            para += label_ref(member["ref"], f"《{member['title']}》第{member['number']}段")
            quote = nodes.paragraph(member["text"], member["text"], classes=["reader-cluster-text"])
            items += nodes.list_item("", para, quote)
        container += items
        return [container]


def setup(app: Sphinx) -> None:
    app.add_directive("reader-cluster", ReaderCluster)
