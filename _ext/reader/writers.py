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

Both write through one loop (``write_beside``), which frees each page in the
main process once it is written (Sphinx's left them to the collector).
"""

from __future__ import annotations

import time

from sphinx.application import Sphinx
from sphinx.util.parallel import parallel_available

from .core.background import can_fork, usable_cores

# Pages a writing process is handed at most: the main process holds a chunk
# resolved ahead and the writers one each (Sphinx's chunks at 2,000 sources: 100).
CHUNK_MAX = 40

# Pages to write from which a serial build writes beside the main process: a
# writing process is forked per chunk of pages, a few hundredths of a second each.
WRITE_BESIDE_MIN = 200


def install(app: Sphinx) -> None:
    """builder-inited: the builder's ``write_documents`` writes in writing
    processes (``write_beside``): N of them under ``-j N`` (Sphinx decided the
    build may write in parallel: ``parallel_ok``), one per usable core in a
    serial HTML build of many pages (``writes_beside``); serially otherwise."""
    builder = app.builder
    if not builder.allow_parallel or not parallel_available:
        return
    sphinx_write = builder.write_documents

    def write_documents(docnames) -> None:
        if builder.parallel_ok:
            write_beside(builder, sorted(docnames), app.parallel)
        elif app.parallel <= 1 and builder.name == "html" and writes_beside(app, len(docnames)):
            # (parallel_ok: what the reader's and Sphinx's handlers of resolved
            # pages ask to know that the pages are handed to writing processes.)
            builder.parallel_ok = True
            try:
                write_beside(builder, sorted(docnames), usable_cores())
            finally:
                builder.parallel_ok = False
        else:
            sphinx_write(docnames)

    builder.write_documents = write_documents


def write_chunks(docnames: list[str], writers: int) -> list[list[str]]:
    """Sphinx's chunks of pages for ``writers`` processes, cut to ``CHUNK_MAX``."""
    from sphinx.util.parallel import make_chunks

    return [c[k : k + CHUNK_MAX] for c in make_chunks(docnames, writers) for k in range(0, len(c), CHUNK_MAX)]


def write_beside(builder, docnames: list[str], writers: int) -> None:
    """Sphinx 9.0.4's ``Builder._write_parallel`` with ``writers`` processes (the
    main process resolves each chunk of pages, a forked process writes it), but
    at most one chunk is resolved ahead of the writers and a chunk's doctrees
    are freed here once its writer is done (``memory.release``).  Sphinx's loop
    resolved every page while the writers wrote and left the doctrees to the
    cyclic collector, which the reader keeps out of the way: the main process's
    peak at 2,000 sources was 995 MiB with it, 505 MiB with this one (583 MiB
    writing serially)."""
    from sphinx.builders import _write_docname
    from sphinx.locale import __
    from sphinx.util.build_phase import BuildPhase
    from sphinx.util.display import status_iterator
    from sphinx.util.parallel import ParallelTasks

    from .memory import release

    def write_chunk(docs) -> None:  # in a writing process
        builder.phase = BuildPhase.WRITING
        for docname, doctree in docs:
            builder.write_doc(docname, doctree)

    def written(docs, _result) -> None:  # here, once that process is done
        for _docname, doctree in docs:
            release(doctree)
        next(progress)

    first, docnames = docnames[0], docnames[1:]
    _write_docname(first, env=builder.env, builder=builder, tags=builder.tags)  # templates compiled once, here
    tasks = ParallelTasks(writers)
    chunks = write_chunks(docnames, writers)
    progress = status_iterator(chunks, __("writing output... "), "darkgreen", len(chunks), builder.config.verbosity)
    builder.phase = BuildPhase.RESOLVING
    for chunk in chunks:
        docs = []
        for docname in chunk:
            doctree = builder.env.get_and_resolve_doctree(docname, builder, tags=builder.tags)
            builder.write_doc_serialized(docname, doctree)
            docs.append((docname, doctree))
        tasks.add_task(write_chunk, docs, written)
        # At most one chunk resolved ahead of the writers: Sphinx's loop resolves
        # every page while they write, and the pages waiting were the peak.
        # (ParallelTasks' own queue: Sphinx 9.0.4, pinned.)
        while len(getattr(tasks, "_precvs_waiting", ())) > 1:
            if not tasks._join_one():
                time.sleep(0.01)
    tasks.join()


def writes_beside(app: Sphinx, pages: int) -> bool:
    """Whether a serial build writes ``pages`` pages in writing processes."""
    if pages < WRITE_BESIDE_MIN or not can_fork():
        return False
    # As Sphinx's own check (``is_parallel_allowed``), without its warnings.
    return all(getattr(ext, "parallel_write_safe", None) for ext in app.extensions.values())
