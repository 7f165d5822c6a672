"""Every ``reader_*`` setting of ``conf.py`` in one table: name, default, what a
change rebuilds, type, allowed values; registered by one call and checked in
one place (at config-inited, before any feature reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .core.render import DEFAULT_CITATION
from .core.variant import CONFIGS, QUOTES

logger = logging.getLogger(__name__)

GLOSSARY_LINK_POLICIES = ("first", "all", "none")

# The books published beside the site (make pdf, make epub write them to _build/pdf
# and _build/epub, next to _build/html and _build/html-hant), and the manifest.
# [label, URL relative to the site root, language of a label naming a variant]
DEFAULT_DOWNLOADS = [
    ["PDF 简体版", "../pdf/reader.pdf", "zh-Hans"],
    ["PDF 繁體版", "../pdf/reader-hant.pdf", "zh-Hant"],
    ["EPUB 简体版", "../epub/reader.epub", "zh-Hans"],
    ["EPUB 繁體版", "../epub/reader-hant.epub", "zh-Hant"],
    ["anchors.json（段落锚点与修订记录）", "anchors.json", ""],
]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    rebuild: str  # "env": a change re-reads every page; "html": it rewrites every page
    kind: type
    description: str
    choices: tuple = ()  # the allowed values (empty: any value of the type)
    fallback: Any = None  # used instead of a value not in ``choices`` (None: the value is kept)
    traditional_only: bool = False  # checked only in the traditional build, the only one that reads it


SETTINGS: tuple[Setting, ...] = (
    Setting("reader_seeds_dir", "seeds", "env", str, "the raw seeds and their sidecars"),
    Setting("reader_pages_dir", "source", "env", str, "where the generated reading pages go"),
    Setting("reader_citation_format", DEFAULT_CITATION, "env", str, "the ❝ button's note-style citation"),
    Setting("reader_glossary_file", "glossary/terms.toml", "env", str, "the glossary data"),
    Setting("reader_glossary_link", "first", "env", str, "which occurrences of a term link", GLOSSARY_LINK_POLICIES),
    Setting("reader_variant", "hans", "env", str, "the script of the site", ("hans", "hant")),
    Setting("reader_opencc_config", "s2tw", "env", str, "OpenCC's conversion", tuple(CONFIGS), "s2tw", True),
    Setting(
        "reader_hant_quotes", "tw", "env", str, "quotation marks of the traditional text", tuple(QUOTES), "tw", True
    ),
    Setting("reader_variant_by_words", True, "env", bool, "convert word by word (jieba)"),
    Setting("reader_variant_overrides", "variant/overrides.toml", "env", str, "the translators' overrides"),
    Setting("reader_house_style", "variant/house-style.toml", "env", str, "the traditional house style"),
    Setting("reader_po_dir", "locale", "env", str, "the translators' catalogues (locale/<lang>/LC_MESSAGES)"),
    # Set by the build, never in conf.py: a digest of the override, style and .po
    # files, so that an edit re-reads every page (variant.setup_variant).
    Setting("reader_variant_digest", "", "env", str, "set by the build"),
    Setting("reader_other_variant_url", "", "html", str, "the other variant's site, relative to this one's root"),
    Setting("reader_review_status", "variant/review-status.toml", "html", str, "the review status per paragraph"),
    Setting("reader_interface_file", "variant/interface.toml", "html", str, "the interface strings"),
    # Set by the build: a digest of the interface table, so that an edit rewrites every page.
    Setting("reader_interface_digest", "", "html", str, "set by the build"),
    Setting("reader_csp", True, "html", bool, "a Content-Security-Policy on every page"),
    Setting("reader_cite_accessed", "", "html", str, "the access date of [EB/OL] citations (YYYY-MM-DD)"),
    Setting("reader_downloads", DEFAULT_DOWNLOADS, "html", list, "the landing page's downloads"),
)


def register_settings(app: Sphinx) -> None:
    for s in SETTINGS:
        app.add_config_value(s.name, s.default, s.rebuild, types=[s.kind], description=s.description)


def check_settings(config) -> None:
    """config-inited: a value outside its choices is a warning; where the setting
    has a fallback, the build goes on with it."""
    traditional = config.reader_variant == "hant"
    for s in SETTINGS:
        value = getattr(config, s.name)
        if not s.choices or value in s.choices or (s.traditional_only and not traditional):
            continue
        logger.warning(
            "%s must be one of %s, not %r",
            s.name,
            ", ".join(map(str, s.choices)),
            value,
            type="reader",
            subtype="config",
        )
        if s.fallback is not None:
            setattr(config, s.name, s.fallback)
