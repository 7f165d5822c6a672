"""Incremental builds equal clean builds: repairs for what Sphinx 9.0.4 loses.

Sphinx's search index keeps the index entries (``indexentries`` in
``searchindex.js``: the glossary's terms) only in memory during writing, and
``IndexBuilder.load`` does not read them back from the previous index: after an
incremental build every page that was not rewritten lost its entries (the
glossary's 54 vanished after a sidecar edit).  Each page's entries are kept in
the environment when it is read (``env.reader_index_entries``, purged and
merged with the page), and put back for the pages not rewritten, in the order
a clean build feeds them.  (They used to be taken from the stored doctrees:
every doctree of the collection unpickled on every build, 10 s at 2,000
sources.)

Sphinx also stamps every page's script tags with the checksum of the file it
finds in the output at writing time (``reader-glossary.js?v=…``).  The glossary
previews are therefore written before any page, and when they changed every
page is rewritten, so that no page names an old checksum.
"""

from __future__ import annotations

from pathlib import Path

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.index_entries import split_index_msg

from . import glossary


def index_entries(doctree) -> list[tuple[str, str, str]]:
    """What ``IndexBuilder.feed`` records for a page (same rules)."""
    found: set[tuple[str, str, str]] = set()
    for node in doctree.findall(addnodes.index):
        for entry_type, value, target_id, main, _category_key in node["entries"]:
            try:
                result = split_index_msg(entry_type, value)
            except ValueError:
                continue
            target_id = target_id or ""
            if entry_type in {"see", "seealso"}:
                found.add((result[0], target_id, main))
            found |= {(x, target_id, main) for x in result}
    return sorted(found)


def _kept(env) -> dict[str, list[tuple[str, str, str]]]:
    if not hasattr(env, "reader_index_entries"):
        env.reader_index_entries = {}
    return env.reader_index_entries


def keep_index_entries(app: Sphinx, doctree) -> None:
    """doctree-read: the page's index entries (only pages that have any)."""
    found = index_entries(doctree)
    kept = _kept(app.env)
    kept.pop(app.env.docname, None)
    if found:
        kept[app.env.docname] = found


def purge_index_entries(app: Sphinx, env, docname: str) -> None:
    _kept(env).pop(docname, None)


def merge_index_entries(app: Sphinx, env, docnames, other) -> None:
    kept, theirs = _kept(env), _kept(other)
    for docname in docnames:
        if docname in theirs:
            kept[docname] = theirs[docname]


def restore_index_entries(app: Sphinx):
    """html-collect-pages (before the index is dumped): entries of unwritten pages."""
    builder = app.builder  # (an HTML builder has an indexer once it prepares writing)
    indexer = getattr(builder, "indexer", None)
    if indexer is None:
        return []
    entries = indexer._index_entries
    kept = _kept(app.env)
    for docname in indexer._titles:  # the pages the index holds
        if docname not in entries and docname in app.env.all_docs:
            entries[docname] = list(kept.get(docname, []))
    # A clean build feeds the pages in sorted order; the dump keeps this order.
    ordered = {docname: entries[docname] for docname in sorted(entries)}
    entries.clear()
    entries.update(ordered)
    return []


def refresh_preview_data(app: Sphinx, env) -> list[str]:
    """env-updated: the previews' script before the pages that name its checksum."""
    if app.builder.format != "html":
        return []
    path = Path(app.outdir) / "_static" / "reader-glossary.js"
    before = path.read_bytes() if path.exists() else None
    glossary.write_preview_data(app, None)
    if before is not None and path.read_bytes() != before:
        return sorted(env.found_docs)
    return []


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", keep_index_entries)
    app.connect("env-purge-doc", purge_index_entries)
    app.connect("env-merge-info", merge_index_entries)
    app.connect("env-updated", refresh_preview_data)
    app.connect("html-collect-pages", restore_index_entries)
