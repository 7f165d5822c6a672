"""Small docutils helpers shared by the feature modules."""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes


def ancestors(node: nodes.Node) -> Iterator[nodes.Element]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def label_ref(target: str, text: str, classes: list[str] | None = None) -> addnodes.pending_xref:
    """A std:ref to a label (``<slug>-p12``), resolved by Sphinx for every builder."""
    ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=target, refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text, classes=classes or [])
    return ref
