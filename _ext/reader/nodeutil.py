"""Small docutils helpers shared by the feature modules, and the reader's own links.

Links to a paragraph (``<slug>-p12``) are ``reader_ref`` nodes, resolved by
``anchors.ResolveReaderRefs`` with one dictionary lookup each (Sphinx's std
domain resolution cost a tenth of a large build).  Data nodes (a
parallel in the margin, a concordance, a cluster) keep their links as labels and
are rendered by their own visitors with ``html_href`` / ``latex_link``.
"""

from __future__ import annotations

from docutils import nodes


class reader_ref(nodes.Inline, nodes.TextElement):
    """A link to a paragraph: ``target`` is its label (``<slug>-p12``)."""


class reader_data(nodes.General, nodes.Element):
    """A data node: a leaf whose fields its own visitors render (no subtree to
    walk, pickle or index).  ``links()`` are the labels it points at, resolved by
    ``anchors.ResolveReaderRefs`` into ``node["resolved"]``; ``convert_data`` lets
    the traditional variant convert its text fields."""

    def links(self) -> list[str]:
        return []

    def convert_data(self, convert) -> None:
        pass

    def html_ref(self, translator, label: str, text: str, classes: str = "std std-ref") -> str:
        """``text`` (escaped here) linked to a label, or unlinked if it did not resolve."""
        inner = f'<span class="{classes}">{translator.encode(text)}</span>'
        where = self.get("resolved", {}).get(label)
        if where is None:
            return inner
        return f'<a class="reference internal" href="{translator.attval(html_href(translator, *where))}">{inner}</a>'

    def latex_ref(self, translator, label: str, text: str) -> str:
        """``text`` (escaped here) as a ``\\hyperref`` to a label, or plain if it did not resolve."""
        where = self.get("resolved", {}).get(label)
        body = translator.encode(text)
        return body if where is None else latex_link(translator, *where, body)


def label_ref(target: str, text: str, classes: list[str] | None = None) -> reader_ref:
    """A link to a paragraph label (``<slug>-p12``), resolved for every builder."""
    ref = reader_ref("", "", target=target)
    ref += nodes.inline(text, text, classes=["std", "std-ref", *(classes or [])])
    return ref


def resolve_label(env, label: str) -> tuple[str, str] | None:
    """(docname, id) of a label, or None."""
    return env.domains.standard_domain.anonlabels.get(label)


def html_href(translator, docname: str, refid: str) -> str:
    """The href of an id in a page, relative to the page being written."""
    current = translator.builder.current_docname
    if docname == current:
        return f"#{refid}"
    # A margin links to the same few pages again and again: each page's address
    # is worked out once per page written (a tenth of writing a page: issue 18).
    uris = translator.__dict__.setdefault("_reader_uris", {})
    uri = uris.get((current, docname))
    if uri is None:
        uri = uris[(current, docname)] = translator.builder.get_relative_uri(current, docname)
    return f"{uri}#{refid}"


def latex_link(translator, docname: str, refid: str, body: str) -> str:
    """``\\hyperref`` to an id of the one LaTeX document (``body`` is already LaTeX)."""
    return translator.hyperlink(f"{docname}:{refid}") + body + "}}"


def interface_converter(translator):
    """The variant's converter for the reader's own words written at write time
    (with the interface vocabulary, ``reader.interface``)."""
    from .state import reader_state

    state = reader_state(translator.builder)
    convert = state.convert
    if convert is None:
        return lambda text: text
    return lambda text: state.interface.localise(text, convert)


def passthrough(self, node) -> None:
    """A visitor that writes nothing of its own (the children are written)."""


def skip_node(self, node) -> None:
    """A visitor for nodes a builder does not show."""
    raise nodes.SkipNode
