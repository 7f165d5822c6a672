"""Sphinx extension: an annotated reader for Chinese texts.

Each feature module keeps its nodes, directives, transforms and visitors
together; the hard logic lives in ``reader.core`` (no Sphinx import there).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

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
    writers,
)
from .settings import check_settings, register_settings
from .state import create_reader_state, reader_state

__version__ = "0.1.0"


def configure(app: Sphinx, config: Config) -> None:
    """config-inited: the reader's start-up, in order.  At the default priority,
    as before: Sphinx's own checks of the configuration (790-900) then see the
    variant's language and converted titles."""
    create_reader_state(app.srcdir, config)
    check_settings(config)
    variant.setup_variant(app, config)  # the converter: every later step writes in the variant
    interface.load(app, config)
    search.add_templates(app, config)  # the reader's templates (search page, sidebar) before the theme's
    margin.add_latex_macros(app, config)
    book.add_book_macros(app, config)  # after the margin's macros, as the preamble has always been


def start(app: Sphinx) -> None:
    """builder-inited: the reader's start-up once the builder exists, in order."""
    memory.quiet_collector(app)  # first: the generation allocates the most
    pages.add_static(app)
    search.replace_sphinx_index(app)  # before the generation, which starts the reader's index
    # The collection: every later step reads it.  The search index starts from
    # it where a core is free: when it is collected, or at the end (collected()).
    ingest.generate_pages(app, on_collected=collected)
    glossary.prepare(app)
    navigation.prepare(app)  # the sidebar every page shares, from the collection
    book.title_page(app)
    variant.report_unused(app)
    po.report_stale(app)
    interface.install_gettext(app)
    interface.wrap_render(app, then=trust.page_policy(app))  # the policy on each page as it is rendered
    epub.configure(app)
    epub.book_margin_css(app)  # last: its folder must come after every other static folder
    writers.install(app)  # how the pages are written: in writing processes where it pays
    memory.settle_heap()  # the collection, whole, lives to the end of the build
    state = reader_state(app)
    if state.search_job is None and state.collection is not None:
        search.start_index(app, state.collection)  # see collected()


def collected(app: Sphinx, coll) -> None:
    """The sources and the glossary are in (before the parallels are measured)."""
    memory.settle_heap()  # they live to the end of the build, and the index's process shares them
    # The search index is written in a process of its own where a core is free:
    # under -j N from here, beside the generation's serial part (the pages are
    # then read by N processes); in a serial clean build once the generation is
    # over, beside the reading, which leaves a core free (the parallels' workers
    # use both; at 500 sources 0.8 s faster than from here, and -j 2 0.3 s
    # slower from there); in an incremental build from here, since it reads few
    # pages and would otherwise wait for the whole index at its end.
    if app.parallel > 1 or app.env.all_docs:
        search.start_index(app, coll)


def setup(app: Sphinx) -> dict:
    register_settings(app)
    app.connect("config-inited", configure)
    # After the theme's own builder-inited handlers: sphinx-book-theme and
    # pydata-sphinx-theme are set up when the builder loads the theme and
    # register theirs at the default priority (500); the reader's steps see
    # the builder as the theme left it.
    app.connect("builder-inited", start, priority=600)
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
    interface.setup(app)
    search.setup(app)
    navigation.setup(app)
    memory.setup(app)
    reading.setup(app)
    trust.setup(app)
    incremental.setup(app)
    return {
        "version": __version__,
        "env_version": 6,  # 2: data nodes (margins, concordance, records, runs); 3: CJK line joins, numeral headings; 4: index entries kept; 5: and no longer; 6: a margin's parallels one node
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
