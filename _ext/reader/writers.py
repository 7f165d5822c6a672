"""Parallel writing that uses every core it is given (issue 18).

Sphinx 9.0.4 writes under ``-j N`` with N - 1 processes, "because the main
process is busy loading doctrees and doing write_doc_serialized()".  Here the
main process only resolves each page (its part of Sphinx's index feed is gone:
``search.py``), so with ``-j 2`` a single process wrote every page while the
main one mostly waited: writing 500 sources took 11.1 s against 11.4 s serial.
With N writing processes beside the main one it took 8.3 s.

A serial build (``-j 1``, the default) of a large collection writes its pages
the same way, on the cores the process may run on: the reader's generation and
search index use them already, and writing is half of a large build, done on
one core while the other idled once the index was written.  Reading stays
serial (Sphinx's parallel reading pickles and merges an environment per chunk:
its cost is in the README's benchmark section).  Small builds (an incremental
one, a small project) and a process given one core (``taskset``) write serially;
so does a build with an extension that does not declare parallel writing safe
(silently: it is a serial build's choice, not a warning).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util.parallel import parallel_available

from .core.background import can_fork, usable_cores

# Pages to write from which a serial build writes beside the main process: a
# writing process is forked per chunk of pages, a few hundredths of a second each.
WRITE_BESIDE_MIN = 200


def one_writer_per_core(app: Sphinx, builder) -> None:
    """write-started: Sphinx writes with ``app.parallel - 1`` processes; make that N."""
    if app.parallel > 1 and builder.parallel_ok:
        app.parallel += 1


def write_beside_when_serial(app: Sphinx) -> None:
    """builder-inited: a serial HTML build writes many pages as ``-j N`` does,
    with one writing process per usable core (``write_documents`` wrapped)."""
    builder = app.builder
    if app.parallel > 1 or builder.name != "html" or not builder.allow_parallel or not parallel_available:
        return
    serial_write = builder.write_documents

    def write_documents(docnames) -> None:
        if not writes_beside(app, len(docnames)):
            serial_write(docnames)
            return
        # Sphinx's own parallel writing, for this call only: N writers (app.parallel - 1).
        jobs = app.parallel
        builder.parallel_ok, app.parallel = True, usable_cores() + 1
        try:
            serial_write(docnames)
        finally:
            builder.parallel_ok, app.parallel = False, jobs

    builder.write_documents = write_documents


def writes_beside(app: Sphinx, pages: int) -> bool:
    """Whether a serial build writes ``pages`` pages in writing processes."""
    if pages < WRITE_BESIDE_MIN or not can_fork():
        return False
    # As Sphinx's own check (``is_parallel_allowed``), without its warnings.
    return all(getattr(ext, "parallel_write_safe", None) for ext in app.extensions.values())


def setup(app: Sphinx) -> None:
    app.connect("write-started", one_writer_per_core)
