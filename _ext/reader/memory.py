"""Peak memory of a build independent of the collection's size (issue 18).

Sphinx (9.0) keeps every doctree read in a serial build in memory until it is
written (``env._write_doc_doctree_cache``), and the bytes of every doctree it
loads again (``env._pickled_doctree_cache``) until the end: the reader's pages
carry their margins as data (a page's doctree takes some 560 KiB in memory,
seven times its pickle), so at 2,000 sources that was gigabytes.  The doctrees
are on disk already (Sphinx pickles each one as it is read): the writer is left
the pages read first (Sphinx writes in the order it reads) up to a fixed
budget (``KEPT_DOCTREE_BYTES``), loads the others from disk, and forgets each
once it is written.  The pages add at most the budget to peak memory, whatever
the collection's size; each page past it costs one unpickling (at 500 sources
a twentieth of a clean build when none was kept).
A page dropped is freed at once (``release``): its nodes point at their
parents, cycles the collector had to find, walking them with every page read
after (at 2,000 sources the collector took 8.5 s of reading, 5.4 s since);
so is a page written in a serial HTML build, once the next one starts.

And the time the cyclic garbage collector takes (issue 18).  A clean build at
500 sources spent 6.0 s of its 32 s in it, 4.8 s of them in 24 full
collections, each walking every object alive: the collection, the environment,
the caches, which live to the end of the build anyway.  ``settle_heap`` moves
what is alive at two points (the collection once it is gathered, the
environment once reading is over) out of the collector's sight (``gc.freeze``):
3.0 s at 500 sources.  A larger youngest generation (``YOUNG_THRESHOLD``) makes
the frequent small collections rarer: 1.8 s.  Both are undone at
build-finished, so a process running several builds (the tests) keeps its own
collector and frees the builds' objects.  Freezing before the search index's
process is forked also keeps the collector from touching (and so copying) the
pages it shares with the main process.
"""

from __future__ import annotations

import gc
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .state import reader_state

# Allocations between two collections of the youngest generation (Python's default:
# 700).  A page read or written allocates tens of thousands of objects, most freed
# with it; the older generations keep Python's thresholds.
YOUNG_THRESHOLD = 10_000

# Pickled bytes of the read doctrees left in memory for the writer: about
# 280 MiB alive (a doctree in memory is some seven times its pickle).
KEPT_DOCTREE_BYTES = 40 * 2**20


def quiet_collector(app: Sphinx) -> None:
    """At the start of builder-inited (``reader.start``): the youngest generation collected less often."""
    state = reader_state(app)
    if state.gc_thresholds is None:
        state.gc_thresholds = gc.get_threshold()
        young, *older = state.gc_thresholds
        gc.set_threshold(max(young, YOUNG_THRESHOLD), *older)


def settle_heap() -> None:
    """What is alive now lives to the end of the build: out of the collector's sight."""
    gc.freeze()


def settle_environment(app: Sphinx, env) -> None:
    """env-updated, after the read doctrees are dropped: the environment is settled."""
    settle_heap()


def restore_collector(app: Sphinx, exception: Exception | None) -> None:
    """build-finished (last): the process's collector as it was, seeing everything again."""
    state = reader_state(app)
    state.kept_doctrees.clear()  # the next build (same application) keeps its own
    state.written_doctree = None
    gc.unfreeze()
    if state.gc_thresholds is not None:
        gc.set_threshold(*state.gc_thresholds)
        state.gc_thresholds = None


def keep_within_budget(app: Sphinx, env) -> None:
    """The doctrees read so far (each pickled on disk already) stay for the
    writer while their pickles fit ``KEPT_DOCTREE_BYTES``; the others are
    dropped, and the writer loads them from disk."""
    cache = getattr(env, "_write_doc_doctree_cache", None)
    if not isinstance(cache, dict):
        return
    kept = reader_state(app).kept_doctrees
    for docname in [d for d in cache if d not in kept]:
        try:
            size = (Path(env.doctreedir) / f"{docname}.doctree").stat().st_size
        except OSError:
            size = None
        if size is not None and sum(kept.values()) + size <= KEPT_DOCTREE_BYTES:
            kept[docname] = size
        else:
            release(cache.pop(docname))


def release(doctree) -> None:
    """Free a dropped doctree now: its nodes point at their parents and the
    document at its nodes, cycles the collector would otherwise walk (issue 18)."""
    for node in list(doctree.findall(nodes.Element)):
        node.children = []  # (its Text nodes, which point only at it, go with it)
        node.parent = None
    doctree.__dict__.clear()


def drop_before_next(app: Sphinx, docname: str, source: list[str]) -> None:
    """source-read: the page read before this one is on disk; keep it only within
    the budget (the peak of a serial build was at the end of reading, every
    doctree held)."""
    keep_within_budget(app, app.env)


def forget_written(app: Sphinx, doctree, docname: str) -> None:
    """doctree-resolved: the bytes of a page's doctree are not needed again; in
    a serial HTML build, the page before it is written: it is freed now (``release``)."""
    env = app.env
    cache = getattr(env, "_pickled_doctree_cache", None)
    if isinstance(cache, dict):
        cache.pop(docname, None)
    state = reader_state(app)
    # (Under -j the pages resolved are handed to writing processes together: none is freed.)
    serial = app.builder.name == "html" and not app.builder.parallel_ok
    previous, state.written_doctree = state.written_doctree, doctree if serial else None
    if previous is not None and previous is not doctree:
        release(previous)


def setup(app: Sphinx) -> None:
    app.connect("source-read", drop_before_next)
    app.connect("env-updated", keep_within_budget)
    app.connect("env-updated", settle_environment, priority=900)
    app.connect("doctree-resolved", forget_written)
    app.connect("build-finished", restore_collector, priority=1000)
