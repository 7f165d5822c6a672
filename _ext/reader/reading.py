"""Reading comfort: text as a reader sees it, and what the front end needs.

* A line break inside Chinese running text is no space (``core.linebreaks``):
  applied to every document, so ``index.md`` may be written over several lines.
* A heading that is only a number (一, 二 … the sections of a compilation) is
  marked, so the stylesheet can show it as a heading rather than a lone stroke.
* Every HTML page names the same page in the other variant in a ``<meta>``,
  for the settings menu and the search page, which the build gives no switch.
The settings menu, previews and other behaviour are in ``static/reader.js``.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .core.linebreaks import join_cjk_lines_in_context

# Text inside these is verbatim: never re-spaced.
VERBATIM = (nodes.literal_block, nodes.literal, nodes.raw, nodes.comment, nodes.math, nodes.math_block)
NUMERAL_HEADING = re.compile(r"[一二三四五六七八九十百零〇]+|[0-9]+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+")


def _is_verbatim(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, VERBATIM):
            return True
        parent = parent.parent
    return False


class JoinCJKLines(SphinxTransform):
    """Drop the newlines of a source paragraph that touch a CJK character."""

    default_priority = 400

    def apply(self, **kwargs) -> None:
        for block in self.document.findall(nodes.TextElement):
            if isinstance(block, nodes.Inline) or isinstance(block, VERBATIM):
                continue
            texts = [t for t in block.findall(nodes.Text) if not _is_verbatim(t)]
            if not any("\n" in t for t in texts):
                continue
            for i, text in enumerate(texts):
                if "\n" not in text:
                    continue
                before = str(texts[i - 1])[-1:] if i else ""
                after = str(texts[i + 1])[:1] if i + 1 < len(texts) else ""
                joined = join_cjk_lines_in_context(str(text), before, after)
                if joined != str(text):
                    new = nodes.Text(joined)
                    text.parent.replace(text, new)
                    texts[i] = new


class MarkNumeralHeadings(SphinxTransform):
    """一, 二 … as a heading's whole text: class ``reader-numeral-heading``."""

    default_priority = 410

    def apply(self, **kwargs) -> None:
        for title in self.document.findall(nodes.title):
            if isinstance(title.parent, nodes.section) and NUMERAL_HEADING.fullmatch(title.astext().strip()):
                title["classes"].append("reader-numeral-heading")


def other_variant_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``<meta name="reader-other-variant">``: the same page in the other variant."""
    other = app.config.reader_other_variant_url
    if not other:
        return
    href = "../" * pagename.count("/") + other.rstrip("/") + "/" + pagename + ".html"
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta name="reader-other-variant" content="{html.escape(href)}" />'
    )


# Applies the stored reader settings before the page is painted (no flash of the
# default view); reader-comfort.js builds the menu that changes them.
HEAD_SCRIPT = (
    "(function(){var r=document.documentElement;r.classList.add('reader-js');"
    "try{var s=JSON.parse(localStorage.getItem('reader-settings')||'{}')||{};"
    "if(s.size==='s'||s.size==='l')r.setAttribute('data-reader-size',s.size);"
    "if(s.notes===false)r.setAttribute('data-reader-notes','hide');"
    "if(s.terms===false)r.setAttribute('data-reader-terms','hide');}catch(e){}})();"
)


def setup(app: Sphinx) -> None:
    app.add_js_file(None, body=HEAD_SCRIPT, priority=100)
    app.add_js_file("reader-comfort.js", loading_method="defer", priority=600)
    app.add_transform(JoinCJKLines)
    app.add_transform(MarkNumeralHeadings)
    app.connect("html-page-context", other_variant_meta)
