"""Search (issue 17): one paragraph search that ranks, forgives and scales.

The index itself is pure Python (``core/searchindex.py``); this module indexes
the paragraphs of the collection in the site's variant, writes the index files
under ``_search/`` in an HTML build, and gives the search page its own template
without Sphinx's page-level search (which listed theme and margin text, below
the paragraphs, and said "nothing found" under results).

The index is computed beside the build (``core/background.py``): it needs only
the sources and the glossary, so it starts as soon as the generation has them
and is written by a process of its own while the generation goes on and Sphinx
reads and writes the pages; the build waits for it at the end (issue 18).

Sphinx's own index (``searchindex.js``) is not written: no page loads it (the
search page is the reader's), and feeding every page to it, in the main
process even under ``-j``, was a fifth of writing a page.  The vocabulary
pinyin queries are resolved against, which came from its jieba segmentation,
is segmented from the indexed text itself, with the glossary's terms as
jieba's words."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from .core.background import Background, BackgroundError
from .core.searchindex import SearchIndex, collection_index
from .state import reader_state

logger = logging.getLogger(__name__)
TEMPLATES = str(Path(__file__).parent / "templates")
SEARCH_DIR = "_search"
PARTIAL = SEARCH_DIR + ".tmp"  # written here, renamed when whole


def dictionary_words(coll, convert) -> list[str]:
    """The glossary's terms, in both variants, as jieba's extra words: a term is one word."""
    words = set()
    for entry in coll.glossary:
        for form in entry.forms:
            for word in (form, convert(form) if convert else form):
                if len(word) > 1 and "、" not in word:
                    words.add(word)
    return sorted(words)


def replace_sphinx_index(app: Sphinx) -> None:
    """builder-inited: no ``searchindex.js`` (see the module); the search page
    is still written, and still linked as the site's search."""
    builder = app.builder
    if isinstance(builder, StandaloneHTMLBuilder) and builder.search:
        builder.search = False
        reader_state(app).search_page = True


def search_page(app: Sphinx):
    """html-collect-pages: the search page Sphinx writes only with its own index."""
    return [("search", {}, "search.html")] if reader_state(app).search_page else []


def search_page_exists(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: ``hasdoc("search")`` true again (the head's ``rel="search"`` link)."""
    hasdoc = context.get("hasdoc")
    if reader_state(app).search_page and hasdoc is not None:
        context["hasdoc"] = lambda name: name == "search" or hasdoc(name)


def add_templates(app: Sphinx, config) -> None:
    if TEMPLATES not in config.templates_path:
        config.templates_path.insert(0, TEMPLATES)


def build_index(app: Sphinx, coll) -> SearchIndex:
    state = reader_state(app)
    return collection_index(
        coll,
        convert=state.convert,
        url=lambda slug: app.builder.get_target_uri(state.page(slug)),
        dictionary=dictionary_words(coll, state.convert),
    )


def write_files(index: SearchIndex, directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    for name, text in index.iter_files():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def start_index(app: Sphinx, coll) -> None:
    """Once the sources and the glossary are collected (called from the
    generation, before the parallels are measured): the index, beside the rest."""
    state = reader_state(app)
    if not state.search_page:  # a builder without a search page (the EPUB's): no index,
        return  # nor files appearing in its output while it packs it
    partial = Path(app.outdir) / PARTIAL
    state.search_job = Background(lambda: write_files(build_index(app, coll), partial))


def write_index(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the index files under ``_search/`` (replaced whole)."""
    state = reader_state(app)
    job, state.search_job = state.search_job, None
    if job is None:
        return
    partial = Path(app.outdir) / PARTIAL
    if exception or state.collection is None:  # the build failed, or its generation did
        job.cancel()
        shutil.rmtree(partial, ignore_errors=True)
        return
    try:
        job.wait()
    except BackgroundError as error:
        shutil.rmtree(partial, ignore_errors=True)  # the last whole index stays in place
        logger.error("the search index could not be written:\n%s", error, type="reader", subtype="search")
        return
    out = Path(app.outdir) / SEARCH_DIR
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    # What earlier versions wrote, left in an output built incrementally since.
    (Path(app.outdir) / "_static" / "reader-search-data.js").unlink(missing_ok=True)
    (Path(app.outdir) / "searchindex.js").unlink(missing_ok=True)


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", search_page)
    app.connect("html-page-context", search_page_exists)
    app.connect("build-finished", write_index)
    app.add_js_file("reader-search.js", loading_method="defer", priority=600)
    app.add_css_file("reader-search.css")
