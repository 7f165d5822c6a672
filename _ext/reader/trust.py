"""The trust boundary of the HTML the theme prints, and a Content-Security-Policy.

Seed and sidecar text reaches the page body as text nodes (escaped by docutils'
writer).  Two holes remain outside the body, closed here:

* sphinx-book-theme prints ``pagetitle`` and ``root_title`` (``title.astext()``,
  plain text) unescaped in its print header and sidebar: escaped here before the
  template sees them;
* every page gets a ``Content-Security-Policy`` meta tag: scripts only from the
  site itself plus the theme's and Sphinx's own inline snippets (by hash, each
  recognised by its exact shape); any other inline script is a build warning, and
  the browser would refuse to run it anyway.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.util import logging

from .core.safewrite import write_atomic
from .reading import HEAD_SCRIPT
from .variant_review import REVIEW_SCRIPT

logger = logging.getLogger(__name__)

# Theme context values that hold plain text but are printed without |e.
PLAIN_TEXT_CONTEXT = ("pagetitle", "root_title")

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*" />\n?')
# Where an inline event handler may be (then the page is parsed to be sure): a
# wider net than a tag's attribute, and a cheaper one (issue 18: the tag's
# pattern, backtracking in every tag, cost more than the rest of the policy).
_HANDLER_HINT = re.compile(r"\son[a-z]+=")
# Inline scripts that run: data blocks (type="application/json", "application/ld+json")
# are never executed, so the policy does not concern them.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>(.*?)</script>", re.S
)
# The inline scripts the templates write (Sphinx, pydata-sphinx-theme); nothing
# from the text can take these shapes, since text is escaped ('<' never survives).
TRUSTED_INLINE = [
    re.compile(
        r'\s*document\.documentElement\.dataset\.mode = localStorage\.getItem\("mode"\) \|\| "\w+";\s*'
        r'document\.documentElement\.dataset\.theme = localStorage\.getItem\("theme"\) \|\| "\w+";\s*'
    ),
    re.compile(r"DOCUMENTATION_OPTIONS\.pagename = '[\w/.-]*';"),
    re.compile(r"DOCUMENTATION_OPTIONS\.search_as_you_type = (?:true|false);"),
    re.compile(r"document\.getElementById\('searchbox'\)\.style\.display = \"block\""),  # basic theme
    re.compile(
        r"\s*// Activate the search field on page load\s*"
        r'let searchInput = document\.querySelector\("form\.bd-search input"\);\s*'
        r"if \(searchInput\) \{\s*searchInput\.focus\(\);\s*searchInput\.select\(\);\s*"
        r'console\.log\("\[PST\]: Set focus on search field\."\);\s*\}\s*'
    ),
]
# The reader's own inline scripts: by exact text, or (the interface strings) by
# shape: a JSON object of strings, written with "</" escaped.
TRUSTED_INLINE.append(re.compile(re.escape(REVIEW_SCRIPT.removeprefix("<script>").removesuffix("</script>"))))
TRUSTED_INLINE.append(re.compile(re.escape(HEAD_SCRIPT)))
TRUSTED_INLINE.append(
    re.compile(r'window\.READER_STRINGS = \{(?:"(?:[^"\\<]|\\.|<\\/)*": "(?:[^"\\<]|\\.|<\\/)*"(?:, )?)*\};')
)
POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def escape_theme_text(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context (after the theme's handlers): plain text becomes HTML text."""
    for key in PLAIN_TEXT_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = escape(value)


def script_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def with_policy(html: str) -> tuple[str, list[tuple[int, str]]]:
    """The page with its CSP meta tag (replacing an older one); and the inline
    scripts that are not the templates' own (left out of the policy: blocked),
    as (line in the page with the tag, start of the script)."""
    html = CSP_META.sub("", html)
    hashes, foreign = [], []
    for match in INLINE_SCRIPT.finditer(html):
        source = match.group(1)
        if any(p.fullmatch(source) for p in TRUSTED_INLINE):
            if (h := script_hash(source)) not in hashes:
                hashes.append(h)
        else:
            foreign.append((html.count("\n", 0, match.start()) + 1, source[:60]))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=" ".join(hashes))}" />\n'
    charset = re.search(r"<meta charset=[^>]*>\n?", html)
    at = charset.end() if charset else html.index("<head>") + len("<head>")
    # (the lines are counted without the meta tag: one line more in the page written)
    return html[:at] + meta + html[at:], [(line + (line > html.count("\n", 0, at)), text) for line, text in foreign]


class _EventHandlers(HTMLParser):
    """The inline event handler attributes (onclick=…) of a page: the policy blocks them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        line = self.getpos()[0]
        self.found += [(line, f"<{tag} {name}=…>") for name, _value in attrs if name.startswith("on")]


def inline_handlers(html: str) -> list[tuple[int, str]]:
    """(line, ``<tag onclick=…>``) of each inline event handler of a page."""
    if not _HANDLER_HINT.search(html):  # most pages: no need to parse
        return []
    parser = _EventHandlers()
    parser.feed(html)
    return parser.found


def page_policy(app: Sphinx):
    """The policy put on a page as it is rendered (``interface.wrap_render``), or
    None without one: ``apply(html, pagename)``.  A page is then written once,
    with its policy (issue 18: reading and writing every page again at
    build-finished was most of that step)."""
    if app.builder.format != "html" or not app.config.reader_csp:
        return None

    def apply(html: str, pagename: str) -> str:
        if "<head>" not in html:  # a part of a page (the theme renders some alone)
            return html
        return checked_policy(html, app.builder.get_outfilename(pagename))

    return apply


def checked_policy(html: str, path) -> str:
    """The page with its policy; what the policy blocks is a warning at its line
    of the page written at ``path``."""
    new, foreign = with_policy(html)
    for line, handler in inline_handlers(new):
        logger.warning(
            "inline event handler %s is blocked by the Content-Security-Policy (markup from the text, or a theme button: turn its option off)",
            handler,
            location=f"{path}:{line}",
            type="reader",
            subtype="csp",
        )
    for line, source in foreign:
        logger.warning(
            "inline script not allowed by the Content-Security-Policy: %r",
            source,
            location=f"{path}:{line}",
            type="reader",
            subtype="csp",
        )
    return new


def add_policy(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the policy on every page that does not carry this code's
    policy yet: a page Sphinx did not render (copied, or written by an
    extension), or one an older version of the code wrote.  A page rendered by
    this build carries it from ``page_policy``; a page this build did not write
    that carries it was computed from the same page (its warnings were given
    when it was written): an incremental build reads the tops of the pages, not
    the whole collection (issue 18)."""
    if exception or app.builder.format != "html" or not app.config.reader_csp:
        return
    outdir = Path(app.outdir)
    for path in sorted(outdir.rglob("*.html")):
        with path.open(encoding="utf-8") as fh:
            if POLICY_MARK in fh.read(HEAD_CHARS):
                continue
        html = path.read_text(encoding="utf-8")
        if "<head>" not in html:
            continue
        new = checked_policy(html, path)
        if new != html:
            # Atomic: a page cut short by a kill would look up to date to the next build.
            write_atomic(path, new, durable=False)


# The policy as this code writes it, up to the page's own script hashes: a page
# holding it near its top was processed by this version of the code.
POLICY_MARK = '<meta http-equiv="Content-Security-Policy" content="' + POLICY.split("{hashes}")[0]
HEAD_CHARS = 8192  # the meta follows <meta charset> at the top of <head>


def setup(app: Sphinx) -> None:
    # After the theme's html-page-context handlers (500), which set the titles it escapes;
    # after the other build-finished handlers (500): the policy covers the pages as they end up.
    app.connect("html-page-context", escape_theme_text, priority=900)
    app.connect("build-finished", add_policy, priority=900)
    # After doctools.js (200), before translations.js (added last at 500).
    app.add_js_file("reader-csp.js", priority=250)
