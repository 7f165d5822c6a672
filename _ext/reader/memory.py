"""Peak memory of a build independent of the collection's size (issue 18).

Sphinx (9.0) keeps every doctree read in a serial build in memory until it is
written (``env._write_doc_doctree_cache``), and the bytes of every doctree it
loads again (``env._pickled_doctree_cache``) until the end: the reader's pages
carry their margins as data, so at 2,000 sources that was gigabytes.  The
doctrees are on disk already (Sphinx pickles each one as it is read), so none
is kept while the next is read, the writer loads each from disk and forgets it
once it is written: the pages add one page to peak memory, not the collection,
at the cost of one unpickling per page (no measurable time at 1,000 sources).
"""

from __future__ import annotations

from sphinx.application import Sphinx


def drop_read_doctrees(app: Sphinx, env) -> None:
    """env-updated (reading is over): the writer loads each doctree from disk."""
    cache = getattr(env, "_write_doc_doctree_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def drop_before_next(app: Sphinx, docname: str, source: list[str]) -> None:
    """source-read: the page read before this one is on disk; do not keep it (the
    peak of a serial build was at the end of reading, every doctree held)."""
    drop_read_doctrees(app, app.env)


def forget_written(app: Sphinx, doctree, docname: str) -> None:
    """doctree-resolved: the bytes of a page's doctree are not needed again."""
    env = app.env
    cache = getattr(env, "_pickled_doctree_cache", None)
    if isinstance(cache, dict):
        cache.pop(docname, None)


def setup(app: Sphinx) -> None:
    app.connect("source-read", drop_before_next)
    app.connect("env-updated", drop_read_doctrees)
    app.connect("doctree-resolved", forget_written)
