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
from .state import reader_state
from .variant_review import REVIEW_SCRIPT

logger = logging.getLogger(__name__)

# Theme context values that hold plain text but are printed without |e.
PLAIN_TEXT_CONTEXT = ("pagetitle", "root_title")

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*" />\n?')
_HANDLER_HINT = re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+=")
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


def with_policy(html: str) -> tuple[str, list[str]]:
    """The page with its CSP meta tag (replacing an older one); and the inline
    scripts that are not the templates' own (left out of the policy: blocked)."""
    html = CSP_META.sub("", html)
    hashes, foreign = [], []
    for match in INLINE_SCRIPT.finditer(html):
        source = match.group(1)
        if any(p.fullmatch(source) for p in TRUSTED_INLINE):
            if (h := script_hash(source)) not in hashes:
                hashes.append(h)
        else:
            foreign.append(source[:60])
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=" ".join(hashes))}" />\n'
    charset = re.search(r"<meta charset=[^>]*>\n?", html)
    at = charset.end() if charset else html.index("<head>") + len("<head>")
    return html[:at] + meta + html[at:], foreign


class _EventHandlers(HTMLParser):
    """The inline event handler attributes (onclick=…) of a page: the policy blocks them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found += [f"<{tag} {name}=…>" for name, _value in attrs if name.startswith("on")]


def inline_handlers(html: str) -> list[str]:
    if not _HANDLER_HINT.search(html):  # most pages: no need to parse
        return []
    parser = _EventHandlers()
    parser.feed(html)
    return parser.found


def add_policy(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the policy on every page, computed from the page as written.
    A page this build did not write that already carries this policy is left
    alone (it was computed from the same page; its warnings were given when it
    was written): an incremental build reads the pages it wrote, not the
    whole collection (issue 18)."""
    if exception or app.builder.format != "html" or not app.config.reader_csp:
        return
    outdir = Path(app.outdir)
    # (two seconds of slack for coarse file times: a page written just before
    # this build started is checked again, which is harmless)
    since = reader_state(app).started_ns - 2_000_000_000
    for path in sorted(outdir.rglob("*.html")):
        if path.stat().st_mtime_ns < since:
            with path.open(encoding="utf-8") as fh:
                if POLICY_MARK in fh.read(HEAD_CHARS):
                    continue
        html = path.read_text(encoding="utf-8")
        if "<head>" not in html:
            continue
        new, foreign = with_policy(html)
        for handler in inline_handlers(html):
            logger.warning(
                "inline event handler %s is blocked by the Content-Security-Policy (markup from the text, or a theme button: turn its option off)",
                handler,
                location=(str(path), None),
                type="reader",
                subtype="csp",
            )
        for source in foreign:
            logger.warning(
                "inline script not allowed by the Content-Security-Policy: %r",
                source,
                location=(str(path), None),
                type="reader",
                subtype="csp",
            )
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
