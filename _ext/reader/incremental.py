"""Incremental builds equal clean builds: a repair for what Sphinx 9.0.4 misses.

Sphinx stamps every page's script tags with the checksum of the file it finds
in the output at writing time (``reader-glossary.js?v=…``).  The glossary
previews are therefore written before any page, and when they changed every
page is rewritten, so that no page names an old checksum.

(Sphinx's search index lost the index entries of the pages an incremental
build did not rewrite; the reader kept them in the environment.  The reader no
longer writes that index: ``search.py``.)
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from . import glossary


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
    app.connect("env-updated", refresh_preview_data)
