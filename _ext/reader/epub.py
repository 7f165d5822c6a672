"""The EPUB of the reader (issue 19): Sphinx's EPUB3 builder, with what an
e-reader needs and epubcheck accepts: paragraph ids kept, margin notes as
``<aside epub:type="footnote">`` reached from a 注 note reference, Chinese fonts
declared in ``reader-epub.css``, and none of the site's scripts, buttons or links
to the other variant."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

# The site's own stylesheets and scripts stay out of the book (epubcheck's CSS
# parser rejects :has(), and an EPUB with scripts must declare them).
SITE_ONLY = (
    "reader.css",
    "reader.js",
    "reader-comfort.js",
    "reader-cite.js",
    "reader-csp.js",
    "reader-glossary.js",
    "reader-search-data.js",
    "reader-collection.js",
    "reader-collection.css",
)

# Every <script> the site's features put into a page (the interface strings, the
# settings applied before painting, the citation data blocks, ...): the book has
# no scripts, and a page with one would have to be declared "scripted".
_SCRIPT = re.compile(r"<script\b[^>]*?(?:/>|>.*?</script\s*>)", re.S | re.I)

# sphinx-design's decorative octicons (aria-hidden): inline SVG would have to be
# declared in the package document, which Sphinx's EPUB builder does not do.
_ICON = re.compile(r'<svg [^>]*aria-hidden="true"[^>]*>.*?</svg>', re.S)
_CITE_BUTTON = re.compile(r'<button type="button" class="reader-cite"[^>]*></button>')
# (the label is the interface's: 第…段旁注, 第…段旁註 in the traditional build)
_ASIDE = re.compile(r'<aside class="reader-margin" id="(p\d+[a-z]*)-margin" aria-label="([^"]+)">')
_PNUM = re.compile(r'(<a class="reader-pnum" href="#(p\d+[a-z]*)"[^>]*>[^<]*</a>)')
# A rule whose selector uses :has(): epubcheck's CSS parser accepts nothing but
# element names inside it (CSS-008), and in margin.css such a rule is site layout.
_HAS_RULE = re.compile(r"\s*[^{}\s][^{}]*:has\([^{}]*\{[^{}]*\}")


def is_epub(app: Sphinx) -> bool:
    return app.builder is not None and app.builder.name.startswith("epub")


def configure(app: Sphinx) -> None:
    """builder-inited: no link to the other variant's web site inside the book, a
    BCP 47 language tag (zh-CN, not zh_CN) and the book's own stylesheet."""
    if not is_epub(app):
        return
    app.config.reader_other_variant_url = ""
    if not app.config.epub_language or "_" in app.config.epub_language:
        app.config.epub_language = (app.config.language or "zh_CN").replace("_", "-")
    from .variant import REVIEW_PAGE

    # (the review list of the traditional conversion is an editors' tool, not part of the book)
    excluded = [f"_static/{f}" for f in SITE_ONLY] + [f"{REVIEW_PAGE}.xhtml", f"{REVIEW_PAGE}.csv"]
    app.config.epub_exclude_files = list(app.config.epub_exclude_files) + excluded
    app.add_css_file("reader-epub.css")


def is_review_page(pagename: str) -> bool:
    from .variant import REVIEW_PAGE

    return pagename == REVIEW_PAGE or pagename.startswith(f"{REVIEW_PAGE}/")


def book_margin_css(app: Sphinx) -> None:
    """builder-inited, after the reader's static folder is on html_static_path: the
    book's copy of margin.css (which styles the notes' comparisons, their marks and
    folds) without the site-layout rules epubcheck cannot parse; the site's copy is
    unchanged. Written under the doctree folder and copied over the site's one."""
    if not is_epub(app):
        return
    site = Path(__file__).parent / "static" / "margin.css"
    folder = Path(app.doctreedir) / "_epub_static"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "margin.css").write_text(_HAS_RULE.sub("", site.read_text(encoding="utf-8")), encoding="utf-8")
    app.config.html_static_path = [p for p in app.config.html_static_path if p != str(folder)] + [str(folder)]


def page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the site's stylesheet and scripts out, margin notes as
    footnotes, the translators' review pages left out of the book."""
    if not is_epub(app):
        return
    if is_review_page(pagename):
        # the side-by-side review pages (variant-review/<slug>) are editors' tools too
        name = f"{pagename}{app.builder.out_suffix}"
        if name not in app.config.epub_exclude_files:
            app.config.epub_exclude_files = list(app.config.epub_exclude_files) + [name]
    context["css_files"] = [
        css for css in context.get("css_files", []) if not str(getattr(css, "filename", css)).endswith(SITE_ONLY)
    ]
    context["script_files"] = []
    if context.get("metatags"):
        context["metatags"] = _SCRIPT.sub("", context["metatags"])
    body = context.get("body")
    if not body:
        return
    body = _ICON.sub("", _CITE_BUTTON.sub("", _SCRIPT.sub("", body)))
    noted = set(m.group(1) for m in _ASIDE.finditer(body))
    body = _ASIDE.sub(
        r'<aside class="reader-margin" id="\1-margin" epub:type="footnote" role="doc-footnote" aria-label="\2">',
        body,
    )

    def noteref(match: re.Match) -> str:
        anchor = match.group(2)
        if anchor not in noted:
            return match.group(1)
        return (
            f'{match.group(1)}<a class="reader-noteref" epub:type="noteref" role="doc-noteref" '
            f'href="#{anchor}-margin">注</a>'
        )

    # The language of the text, so that a reading system picks simplified or
    # traditional glyphs (the EPUB theme's template sets none on <html>).
    lang = app.config.epub_language
    context["body"] = f'<div class="reader-book" lang="{lang}" xml:lang="{lang}">{_PNUM.sub(noteref, body)}</div>'


def setup(app: Sphinx) -> None:
    # Last of the page's handlers (the theme's, the reader's at 500-900): it edits the finished body.
    app.connect("html-page-context", page, priority=950)
