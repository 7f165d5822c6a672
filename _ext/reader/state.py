"""The reader's build state: one typed object per build, reached through one accessor.

Everything the feature modules share during a build (the ingested collection,
the traditional variant's converter, the interface table, the glossary's term
linker, …) lives in one :class:`ReaderState`, created at ``config-inited`` by
the start-up sequence in ``reader/__init__.py`` and filled in by its steps.

It hangs off the build's ``Config`` object (as ``_reader_state``): every Sphinx
object that needs it (the app, the environment, a builder, a directive, a
transform, a translator) reaches the config, and Sphinx leaves private config
attributes out when it pickles the environment, so the state (an OpenCC
converter cannot be pickled) is never stored: each build makes its own, and an
incremental build starts from the same sequence as a clean one.  Parallel
builds fork their workers after ``builder-inited``, so the workers inherit it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.config import Config

from .core.interface import Interface

if TYPE_CHECKING:
    from .core.background import Background
    from .core.navigation import Sidebar
    from .core.pipeline import Collection
    from .core.variant import Converter, ReviewRow
    from .glossary import TermLinker

_ATTRIBUTE = "_reader_state"  # private: Config.__getstate__ leaves it out of the pickled environment


@dataclass
class ReaderState:
    """What the reader knows during one build (see the module)."""

    srcdir: Path
    pages_dir: str  # ``reader_pages_dir`` without leading or trailing slashes
    collection: Collection | None = None  # None until the pages are generated, or after a seed error
    converter: Converter | None = None  # the traditional variant's; None in the simplified build
    interface: Interface = field(default_factory=Interface)
    po_paths: list[Path] = field(default_factory=list)  # the translators' catalogues read by the converter
    linker: TermLinker | None = None  # None without glossary entries
    review_rows: list[ReviewRow] | None = None  # the traditional build's review list, once written
    citations: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # per page, see citing.py
    sidebar: Sidebar | None = None  # the navigation every page shares (navigation.py)
    started_ns: int = field(default_factory=time.time_ns)  # when this build started (wall clock, as file times)
    search_page: bool = False  # the reader writes the search page (Sphinx's index is off: search.py)
    search_job: Background | None = None  # the search index being written beside the build
    gc_thresholds: tuple[int, int, int] | None = None  # the collector's, restored at build-finished (memory.py)
    kept_doctrees: dict[str, int] = field(default_factory=dict)  # read doctrees left to the writer: pickled bytes
    written_doctree: object = None  # the page a serial HTML build is writing, freed once the next one starts

    @property
    def convert(self) -> Callable[[str], str] | None:
        """The variant's text conversion, or None in the simplified build."""
        return self.converter.convert if self.converter is not None else None

    def in_variant(self, text: str) -> str:
        """``text`` in the site's variant (unchanged in the simplified build)."""
        return self.converter.convert(text) if self.converter is not None else text

    def page(self, slug: str) -> str:
        """The docname of a source's reading page."""
        return f"{self.pages_dir}/{slug}"

    def slug_of(self, docname: str) -> str | None:
        """The slug of a reading page's docname, or None for any other document."""
        prefix = self.pages_dir + "/"
        return docname[len(prefix) :] if docname.startswith(prefix) else None


def create_reader_state(srcdir: str | Path, config) -> ReaderState:
    """config-inited, first step: a fresh state for this build."""
    state = ReaderState(srcdir=Path(srcdir), pages_dir=config.reader_pages_dir.strip("/"))
    setattr(config, _ATTRIBUTE, state)
    return state


def reader_state(owner) -> ReaderState:
    """The build's state, from its config or from anything that has one (the app,
    the environment, a builder, a directive, a transform, a translator)."""
    config = owner if isinstance(owner, Config) else owner.config
    state = config.__dict__.get(_ATTRIBUTE)
    if state is None:
        raise RuntimeError("the reader's state is made at config-inited; nothing reads it before")
    return state
