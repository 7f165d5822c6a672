"""Sphinx glue of the translators' catalogues (``core.variant_po``): their
paragraphs come back into the traditional build as paragraph-level overrides."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .core.errors import SeedError, line_of
from .core.variant import Phrase
from .core.variant_po import translated_phrases
from .state import reader_state

logger = logging.getLogger(__name__)


def catalogue_dir(app: Sphinx, config) -> Path:
    """``locale/<lang>/LC_MESSAGES`` (Sphinx's gettext layout; not a Sphinx
    ``locale_dirs`` entry: these catalogues are the reader's, per source)."""
    lang = {"s2hk": "zh_HK"}.get(config.reader_opencc_config, "zh_TW")
    return Path(app.srcdir) / config.reader_po_dir / lang / "LC_MESSAGES"


def load_paragraph_overrides(app: Sphinx, config) -> list[Phrase]:
    """Every translated (non-fuzzy) paragraph of the catalogues, as a phrase that
    wins over the other overrides; checked against the sources at builder-inited."""
    phrases = []
    directory = catalogue_dir(app, config)
    if not directory.is_dir():
        return phrases
    for path in sorted(directory.glob("*.po")):
        try:
            phrases += translated_phrases(path)
        except SeedError as exc:
            logger.error("Catalogue: %s", exc, type="reader", subtype="variant")
    reader_state(config).po_paths = sorted(directory.glob("*.po"))
    return phrases


def report_stale(app: Sphinx) -> None:
    """builder-inited: a translation whose simplified paragraph changed is no longer
    applied (the next ``make po`` marks it fuzzy); say so."""
    from .core.variant_po import paragraph_overrides

    state = reader_state(app)
    coll, converter, paths = state.collection, state.converter, state.po_paths
    if coll is None or converter is None or not paths:
        return
    _phrases, stale = paragraph_overrides(coll.docs, paths, converter.convert)
    for item in stale:
        context = 'msgctxt "' + item.anchor + '"'
        logger.warning(
            "translation of %s: %s; it is not applied (make po marks it fuzzy)",
            item.anchor,
            item.why,
            location=f"{item.path}:{line_of(item.path, context)}",
            type="reader",
            subtype="variant",
        )
