"""Every visible interface string in Chinese, in both variants, with one Taiwan
vocabulary in the traditional one (``variant/interface.toml``, ``core.interface``).

Generic rather than per control (the controls change): the theme's and Sphinx's
gettext strings go through the table; the final HTML of every page is passed
once more, where a text or a ``title`` / ``aria-label`` / ``placeholder`` /
``alt`` that is an English interface string becomes Chinese and, in the
traditional build, one that still holds a simplified-only character (it was
never converted: hard-coded markup) is converted with the interface
vocabulary.  Text under ``lang="zh-Hans"`` (the switch to the simplified site),
scripts, styles and code are left alone.  reader.js takes its strings from one
per-language table (``window.READER_STRINGS``); Sphinx's JavaScript catalogue
gets the messages its zh_TW version leaves empty; the favicon's glyph is
converted.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html
import itertools
import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from .core.errors import SeedError
from .core.interface import OTHER_VARIANT, css_properties, load_interface
from .state import ReaderState, reader_state

logger = logging.getLogger(__name__)
ATTRIBUTES = re.compile(r'(\s(?:title|aria-label|placeholder|alt)=")([^"]*)(")')
TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")
OTHER_SCRIPT = re.compile(r'\slang="zh-Hans')
SKIP = {"script", "style", "pre", "code", "textarea", "kbd", "samp"}
ATTRIBUTE_BEFORE = re.compile(r"\s(?:title|aria-label|placeholder|alt)\Z")  # the name before a value
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def load(app: Sphinx, config) -> None:
    """config-inited: the table, and its digest as an "html" config value so that
    an edit rewrites every page."""
    path = Path(app.srcdir) / config.reader_interface_file
    try:
        reader_state(config).interface = load_interface(path)
    except SeedError as exc:
        logger.error("Interface table: %s", exc, type="reader", subtype="interface")
    config.reader_interface_digest = hashlib.sha256(path.read_bytes() if path.exists() else b"").hexdigest()[:16]


def localiser(state: ReaderState):
    """The interface form of a (simplified or English) string in this variant."""
    table, convert = state.interface, state.convert

    def localise(text: str) -> str:
        chinese = table.chinese(text)
        if chinese is not None:
            text = chinese
        return table.localise(text, convert) if convert else text

    return localise


@functools.lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Characters that exist only in simplified writing: OpenCC (s2tw) changes them,
    and no traditional form is written with them (发, 链, 复 — not 制, 台, nor 群,
    which s2t writes 羣 but Taiwan 群)."""
    import opencc

    from .core.variant import dump_table

    table = dump_table("STCharacters.ocd2")
    traditional = {c for values in table.values() for c in values}
    s2tw = opencc.OpenCC("s2tw")
    return frozenset(
        k
        for k, values in table.items()
        if len(k) == 1 and k not in values and k not in traditional and s2tw.convert(k) != k
    )


def install_gettext(app: Sphinx) -> None:
    """builder-inited: Sphinx's and the theme's template strings through the table."""
    templates = app.builder.templates if isinstance(app.builder, StandaloneHTMLBuilder) else None
    environment = getattr(templates, "environment", None)
    if environment is None or "gettext" not in environment.globals:
        return
    gettext, ngettext = environment.globals["gettext"], environment.globals.get("ngettext")
    state = reader_state(app)
    table = state.interface
    localise = localiser(state)

    def translate(message, *args, **kw):
        text = gettext(message, *args, **kw)
        if text == message and message in table.english:
            text = table.english[message]
        return localise(text) if state.convert else text

    def ntranslate(singular, plural, n, *args, **kw):
        text = ngettext(singular, plural, n, *args, **kw)
        return localise(text) if state.convert else text

    environment.install_gettext_callables(
        translate, ntranslate, newstyle=getattr(environment, "newstyle_gettext", False)
    )


def wrap_render(app: Sphinx, then=None) -> None:
    """builder-inited: pass the final HTML of every page (see the module), and
    then through ``then(html, pagename)`` (the security policy: ``trust``)."""
    if not isinstance(app.builder, StandaloneHTMLBuilder) or app.builder.templates is None:
        return
    templates = app.builder.templates
    render = templates.render
    process = page_processor(reader_state(app), app.config.reader_hant_quotes)

    def render_and_localise(template, context):
        page = process(render(template, context))
        return then(page, context.get("pagename", "")) if then is not None else page

    templates.render = render_and_localise


def page_processor(state: ReaderState, hant_quotes: str, general: bool = False):
    """The final pass over a page's HTML (see the module); ``hant_quotes`` is
    ``reader_hant_quotes``.  It runs on every page: one pass over the page's
    tokens with nothing but a test on most of them (issue 18)."""
    table = state.interface
    traditional = state.convert is not None
    localise = localiser(state)
    from .core.variant import QUOTES

    # Sets, not character classes: set.isdisjoint runs 30x faster than a regular
    # expression of the 2,000 simplified-only characters over a converted page.
    odd = simplified_only() if traditional else frozenset()
    quotes = QUOTES.get(hant_quotes) if traditional else None
    quote_chars = frozenset(map(chr, quotes)) if quotes else frozenset()

    def fix(text: str, attribute: bool) -> str:
        plain = html.unescape(text)
        if table.chinese(plain) is not None or not odd.isdisjoint(plain):
            return html.escape(localise(plain), quote=attribute)
        if not quote_chars.isdisjoint(plain):
            # Quotation marks written by the markup around converted text (校正：原作“…”).
            return html.escape(plain.translate(quotes), quote=attribute)
        return text

    def fix_attribute(m: re.Match) -> str:
        return m.group(1) + fix(m.group(2), True) + m.group(3)

    if not traditional and not general:  # (general: the tests hold the two equal)
        return simplified_processor(table.english.keys(), fix, fix_attribute)

    def process(page: str) -> str:
        parts = TOKENS.split(page)  # text, tag, text, tag, ..., text
        left_alone = LeftAlone(other_script=traditional)
        for i in range(0, len(parts), 2):
            text = parts[i]
            if not left_alone.now and text and not text.isspace():
                parts[i] = fix(text, False)
            if i + 1 == len(parts):
                break
            if left_alone.meet(parts[i + 1]):
                parts[i + 1] = ATTRIBUTES.sub(fix_attribute, parts[i + 1])
        return "".join(parts)

    return process


class LeftAlone:
    """The element the final pass leaves alone (SKIP's, and in the traditional
    build one in the other script), followed as the page's tags are met in order:
    ``now`` while inside it."""

    def __init__(self, other_script: bool):
        self.other_script = other_script
        self.name: str | None = None  # the element being left alone
        self.depth = 0  # its nesting

    @property
    def now(self) -> bool:
        return self.name is not None

    def meet(self, tag: str) -> bool:
        """Follow ``tag``; whether its attributes are passed."""
        if tag.startswith("<!--"):
            return False
        name = TAG_NAME.match(tag)
        name = name.group(1).lower() if name else ""
        closing = tag.startswith("</")
        if self.name is not None:
            if name == self.name:
                if closing:
                    self.depth -= 1
                    self.name = self.name if self.depth else None
                elif not tag.endswith("/>"):
                    self.depth += 1
            return False
        if closing:
            return False
        if name not in VOID and (name in SKIP or (self.other_script and OTHER_SCRIPT.search(tag))):
            self.name, self.depth = name, 1
            return name not in SKIP  # the switch to the other script keeps its own labels passed
        return True


def simplified_processor(english, fix, fix_attribute):
    """The final pass of the simplified build: what ``page_processor``'s general
    pass does there, visiting only the tokens that can change or that change
    what is left alone.  Only a text or an attribute that is an English
    interface string changes, and only a tag of a left-alone element (SKIP)
    changes what is left alone: those are found with regular expressions over
    the whole page, and the rest of its thousands of tokens is not visited (a
    reading page's pass 3.1 -> 1.3 ms; the same output as the general pass:
    test_translation)."""
    english = frozenset(english)
    values = "|".join(re.escape(html.escape(k)) for k in sorted(english, key=len, reverse=True))
    # An attribute whose value may be an English string (one with a character
    # reference is checked once unescaped).
    # (The value first: a search for '="' is fast, one for the names is not.)
    english_value = re.compile(r'="(?:\s*(?:' + values + r')\s*"|[^"]*&)')
    # The start of a tag of a left-alone element; kept when a token starts there.
    skip_tag = re.compile(r"</?\s*(?i:" + "|".join(sorted(SKIP)) + r")(?![a-zA-Z0-9-])")  # as TAG_NAME reads a name

    def may_change(text: str) -> bool:
        return text.strip() in english or ("&" in text and html.unescape(text).strip() in english)

    def process(page: str) -> str:
        parts = TOKENS.split(page)  # text, tag, text, tag, ..., text (as the general pass)
        texts = [i for i in range(0, len(parts), 2) if parts[i] and may_change(parts[i])]
        ends = list(itertools.accumulate(map(len, parts)))  # parts[k] ends at ends[k]

        def token_at(position: int) -> int:
            return bisect.bisect_right(ends, position)

        attributes = {
            k
            for k in (
                token_at(m.start())
                for m in english_value.finditer(page)
                if ATTRIBUTE_BEFORE.search(page, max(0, m.start() - 12), m.start())
            )
            if k % 2
        }
        if not texts and not attributes:
            return page  # nothing that can change
        skips = []
        for m in skip_tag.finditer(page):
            k = token_at(m.start())
            if k % 2 and ends[k] - len(parts[k]) == m.start():
                skips.append(k)
        left_alone = LeftAlone(other_script=False)
        for i in sorted({*texts, *attributes, *skips}):
            if i % 2 == 0:
                if not left_alone.now and not parts[i].isspace():
                    parts[i] = fix(parts[i], False)
            elif left_alone.meet(parts[i]):
                parts[i] = ATTRIBUTES.sub(fix_attribute, parts[i])
        return "".join(parts)

    return process


def reader_strings(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the interface strings of the scripts and the stylesheet
    for this variant, from the one table: ``window.READER_STRINGS`` (with the
    variant and the name of the other one) and the ``css-*`` messages as custom
    properties (``--reader-css-*``, for ``content:`` in reader.css)."""
    state = reader_state(app)
    localise = localiser(state)
    strings = {key: localise(text) for key, text in state.interface.messages.items()}
    variant = "hant" if state.convert is not None else "hans"
    strings["variant"] = variant
    strings["variant-name"], strings["variant-lang"] = OTHER_VARIANT[variant]
    payload = json.dumps(strings, ensure_ascii=False).replace("</", "<\\/")
    tags = f"<script>window.READER_STRINGS = {payload};</script>"
    if not app.builder.name.startswith("epub"):  # the book has none of the site's stylesheets
        tags += f"<style>{css_properties(strings)}</style>"
    context["metatags"] = context.get("metatags", "") + tags


def finish(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: Sphinx's JavaScript catalogue and the favicon; in LaTeX, the
    quotation marks the visitors write around converted text (校正：原作“…”)."""
    if exception:
        return
    if app.builder.format == "latex":
        latex_quotes(app)
        return
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    fill_js_catalogue(app, static / "translations.js")
    convert = reader_state(app).convert
    favicon = static / Path(app.config.html_favicon or "").name if app.config.html_favicon else None
    if convert and favicon and favicon.is_file() and favicon.suffix == ".svg":
        svg = favicon.read_text(encoding="utf-8")
        favicon.write_text(re.sub(r">([^<]+)</text>", lambda m: f">{convert(m.group(1))}</text>", svg), "utf-8")


def latex_quotes(app: Sphinx) -> None:
    from .core.variant import QUOTES

    if reader_state(app).convert is None:
        return
    quotes = QUOTES.get(app.config.reader_hant_quotes)
    if not quotes:
        return
    for path in Path(app.outdir).glob("*.tex"):
        text = path.read_text(encoding="utf-8")
        if text != text.translate(quotes):
            path.write_text(text.translate(quotes), encoding="utf-8")


def fill_js_catalogue(app: Sphinx, path: Path) -> None:
    """Messages of Sphinx's search page that the language's catalogue leaves empty
    (zh_TW: "Search finished…", so the result summary was blank) or lacks."""
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    match = re.search(r"Documentation\.addTranslations\((.*)\);?\s*$", text, re.S)
    if not match:
        return
    data = json.loads(match.group(1))
    messages = data.setdefault("messages", {})
    state = reader_state(app)
    localise = localiser(state)
    for english, chinese in state.interface.english.items():
        current = messages.get(english)
        if isinstance(current, list) and not all(current):
            # A plural entry (ngettext): Chinese has one form for every number.
            messages[english] = [localise(chinese)] * max(2, len(current))
        elif not current and "${" not in chinese:
            messages[english] = localise(chinese)
        elif current and state.convert:
            messages[english] = [localise(c) for c in current] if isinstance(current, list) else localise(current)
    path.write_text(f"Documentation.addTranslations({json.dumps(data, ensure_ascii=False, indent=1)});\n", "utf-8")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", reader_strings)
    app.connect("build-finished", finish)
