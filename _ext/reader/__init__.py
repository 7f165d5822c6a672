"""Sphinx extension: an annotated reader for Chinese texts.

Each feature module keeps its nodes, directives, transforms and visitors
together; the hard logic lives in ``reader.core`` (no Sphinx import there).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import (
    anchors,
    book,
    citing,
    epub,
    glossary,
    incremental,
    ingest,
    interface,
    margin,
    memory,
    navigation,
    pages,
    parallels,
    po,
    reading,
    search,
    trust,
    variant,
)

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict:
    ingest.setup(app)
    pages.setup(app)
    anchors.setup(app)
    citing.setup(app)
    epub.setup(app)
    margin.setup(app)
    book.setup(app)
    parallels.setup(app)
    glossary.setup(app)
    variant.setup(app)
    po.setup(app)
    interface.setup(app)
    search.setup(app)
    navigation.setup(app)
    memory.setup(app)
    reading.setup(app)
    trust.setup(app)
    incremental.setup(app)
    return {
        "version": __version__,
        "env_version": 3,  # 2: data nodes (margins, concordance, records, runs); 3: CJK line joins, numeral headings
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
