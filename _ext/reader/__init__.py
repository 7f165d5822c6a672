"""Sphinx extension: an annotated reader for Chinese texts.

Each feature module keeps its nodes, directives, transforms and visitors
together; the hard logic lives in ``reader.core`` (no Sphinx import there).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import anchors, book, glossary, ingest, margin, pages, parallels, search, variant

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict:
    ingest.setup(app)
    pages.setup(app)
    anchors.setup(app)
    margin.setup(app)
    book.setup(app)
    parallels.setup(app)
    glossary.setup(app)
    variant.setup(app)
    search.setup(app)
    return {
        "version": __version__,
        "env_version": 2,  # the doctrees hold data nodes since 2 (margins, concordance, records, runs)
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
