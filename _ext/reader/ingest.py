"""Generate one MyST page per seed at the start of every build."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .core.errors import SeedError
from .core.pipeline import Collection, generate
from .core.review import is_published
from .state import reader_state

logger = logging.getLogger(__name__)


def generate_pages(app: Sphinx, on_collected: Callable[[Sphinx, Collection], None] | None = None) -> None:
    """builder-inited: the pages, and the collection they come from (kept in the
    state for the page directives: metadata, dependencies).  ``on_collected(app,
    coll)`` once the sources and the glossary are in (``pipeline.load_collection``)."""
    state = reader_state(app)
    root = Path(app.srcdir)
    try:
        coll, changed = generate(
            root,
            app.config.reader_seeds_dir,
            app.config.reader_pages_dir,
            app.config.reader_citation_format,
            app.config.reader_glossary_file,
            cache_path=Path(app.doctreedir) / "reader-cache.pickle",
            on_wait=lambda: logger.info("reader: another build of this checkout is writing; waiting for it"),
            on_collected=(lambda coll: on_collected(app, coll)) if on_collected else None,
        )
    except SeedError as exc:
        report_seed_error(exc)
        state.collection = None
        return
    state.collection = coll
    warn_unreviewed(coll)
    for path in changed:
        logger.info("reader: regenerated %s", path.relative_to(root))


def warn_unreviewed(coll) -> None:
    """A published source whose segmentation has unreviewed uncertain decisions."""
    for doc in coll.docs:
        if not is_published(doc):
            continue
        seed = coll.seed_paths[doc.slug]
        for d in doc.review:
            if not d.reviewed:
                logger.warning(
                    "unreviewed segmentation decision in published source %s: %s (%s); "
                    "decide it with [[override]] %s, or accept it with [[reviewed]] at = %s (see make check)",
                    doc.slug,
                    d.decided,
                    d.why,
                    d.override,
                    json.dumps(d.snippet, ensure_ascii=False),
                    location=f"{seed}:{d.line}",
                    type="reader",
                    subtype="review",
                )


def report_seed_error(exc: SeedError) -> None:
    """Log bad input as an error naming the file and place, and go on with the pages
    as they were: nothing is overwritten, and ``-W`` makes the build fail."""
    match = re.fullmatch(r"line (\d+)", exc.where or "")
    if match:
        location, message = f"{exc.path}:{match.group(1)}", exc.message
    else:
        location, message = None, str(exc)
    logger.error(
        "Seed error: %s (generated pages left as they were)",
        message,
        location=location,
        type="reader",
        subtype="seed",
    )


def note_seed_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    state = reader_state(app)
    slug = state.slug_of(docname)
    if state.collection is None or slug is None:
        return
    seed = state.collection.seed_paths.get(slug)
    if seed is not None:
        app.env.note_dependency(str(seed))
        app.env.note_dependency(str(seed.with_suffix(".toml")))


def setup(app: Sphinx) -> None:
    app.connect("source-read", note_seed_dependencies)
