"""Navigation built for a large collection (issue 18); the logic is ``core/navigation.py``.

The theme (sphinx-book-theme on pydata-sphinx-theme) renders the whole toctree
in every page's sidebar: O(collection) per page, O(collection²) per build, and
the HTML of every page grows with the collection.  Here the sidebar template
(``templates/sbt-sidebar-nav.html``) renders a small per-page context instead
(``reader_sidebar``: the sources of a small collection, or the sections by kind
and year with the page's own source), and the site gains:

* the section pages ``sections/<kind-…|year-…>.html`` (HTML only, written by
  ``html-collect-pages``), each listing its sources in reading order;
* the landing page's browser (directive ``reader-collection``): filters by
  kind, year and author and a list shown ``LANDING_PAGE_SIZE`` at a time, from
  ``collection.json`` (written at the end of the build); without JavaScript the
  page shows the first cards and links to the section pages.

Previous/next within the reading order is the theme's, from the landing page's
hidden toctree (reading order).  Any change of what the sidebar shows marks every
page outdated (its digest is kept in the environment), so an incremental build
equals a clean one.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .core.navigation import SECTIONS_DIR, collection_json, sections, sidebar
from .interface import localiser
from .nodeutil import interface_converter, skip_node
from .state import reader_state

logger = logging.getLogger(__name__)
COLLECTION_JSON = "collection.json"
GROUP_CAPTIONS = {"kind": "按类型", "year": "按年份"}


def _is_site(app: Sphinx) -> bool:
    """The web site (not the EPUB, whose builder is also an HTML one)."""
    return app.builder is not None and app.builder.format == "html" and not app.builder.name.startswith("epub")


class collection_browser(nodes.General, nodes.Element):
    """The landing page's filters and section links; ``sections`` is the JSON the
    directive holds (kinds and years with their counts)."""


class ReaderCollection(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        try:
            data = json.loads("\n".join(self.content) or "{}")
        except ValueError as exc:
            logger.error(
                "reader-collection: bad JSON content: %s",
                exc,
                location=self.get_location(),
                type="reader",
                subtype="navigation",
            )
            return []
        return [collection_browser(sections=data.get("sections", []), total=data.get("total", 0))]


def visit_collection_browser_html(self, node: collection_browser) -> None:
    app = self.builder.app
    if not _is_site(app):
        raise nodes.SkipNode
    say = interface_converter(self)
    here = self.builder.current_docname

    def href(key: str) -> str:
        return html.escape(self.builder.get_relative_uri(here, f"{SECTIONS_DIR}/{key}"))

    kinds = [s for s in node["sections"] if s[0].startswith("kind-")]
    years = [s for s in node["sections"] if s[0].startswith("year-")]
    data_url = html.escape("../" * here.count("/") + COLLECTION_JSON)

    def options(items, prefix):
        return "".join(
            f'<option value="{html.escape(key.removeprefix(prefix))}">{html.escape(say(label))}（{n}）</option>'
            for key, label, n in items
        )

    everything = html.escape(say("全部"))
    self.body.append(
        f'<form class="reader-collection-browser" data-src="{data_url}" '
        f'data-more="{html.escape(say("再显示 {n} 篇"))}" data-count="{html.escape(say("共 {n} 篇"))}" '
        f'data-none="{html.escape(say("没有符合条件的文献。"))}" data-option="{{label}}（{{n}}）" hidden>'
        f'<label>{html.escape(say("类型"))} <select name="kind"><option value="">{everything}</option>'
        f"{options(kinds, 'kind-')}</select></label> "
        f'<label>{html.escape(say("年份"))} <select name="year"><option value="">{everything}</option>'
        f"{options(years, 'year-')}</select></label> "
        f'<label>{html.escape(say("作者"))} <select name="author"><option value="">{everything}</option>'
        "</select></label> "
        '<output class="reader-collection-count" aria-live="polite"></output></form>\n'
    )
    self.body.append(f'<nav class="reader-collection-sections" aria-label="{html.escape(say("分类浏览"))}">')
    for caption, items in ((GROUP_CAPTIONS["kind"], kinds), (GROUP_CAPTIONS["year"], years)):
        links = " · ".join(f'<a href="{href(key)}">{html.escape(say(label))}</a>（{n}）' for key, label, n in items)
        self.body.append(f"<p>{html.escape(say(caption))}：{links}</p>")
    self.body.append("</nav>\n")
    raise nodes.SkipNode


def prepare(app: Sphinx) -> None:
    """builder-inited (after ingestion): the sidebar shared by every page."""
    state = reader_state(app)
    state.sidebar = sidebar(state.collection.docs) if state.collection is not None else None


def mark_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """env-get-outdated: every page when the sidebar changed (a page's HTML holds it)."""
    model = reader_state(app).sidebar
    digest = model.digest() if model else ""
    previous = getattr(env, "reader_sidebar_digest", None)
    env.reader_sidebar_digest = digest
    if previous is None or previous == digest:
        return []
    return sorted(set(env.found_docs) - set(added) - set(changed))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: ``reader_sidebar`` for the sidebar template (bounded by the
    number of sections, never by the number of sources)."""
    state = reader_state(app)
    model = state.sidebar
    if model is None or not _is_site(app):
        return
    builder = app.builder
    env = app.env
    pages = state.pages_dir
    convert = state.in_variant
    say = localiser(state)

    def entry(title: str, target: str, current: bool = False, children=()) -> dict:
        url = "#" if target == pagename else builder.get_relative_uri(pagename, target)
        return {"title": title, "url": url, "current": current, "children": list(children)}

    def title_of(docname: str, fallback: str) -> str:
        title = env.titles.get(docname)
        return title.astext() if title is not None else fallback

    own_slug = pagename.removeprefix(f"{pages}/") if pagename.startswith(f"{pages}/") else None
    groups = []
    if model.mode == "sources":
        groups.append(
            {
                "caption": "",
                "entries": [
                    entry(title_of(f"{pages}/{slug}", convert(title)), f"{pages}/{slug}", pagename == f"{pages}/{slug}")
                    for slug, title in model.sources
                ],
            }
        )
    else:
        own_kind = model.kind_of.get(own_slug) if own_slug else None
        own_year = model.year_of.get(own_slug) if own_slug else None
        for group in ("kind", "year"):
            entries = []
            for section in model.sections:
                if section.group != group:
                    continue
                page = section.page
                mine = section.key in (own_kind, own_year)
                children = []
                if group == "kind" and section.key == own_kind:
                    children = [entry(title_of(pagename, own_slug), pagename, True)]
                # No counts here: a source added to a section would change every page.
                entries.append(entry(say(section.label), page, pagename == page or mine, children))
            groups.append({"caption": say(GROUP_CAPTIONS[group]), "entries": entries})
    extra = [f"{pages}/parallels", f"{pages}/glossary"]
    groups.append(
        {
            "caption": "",
            # (the parallels page's further pages, parallels-2 …, are the same entry)
            "entries": [
                entry(
                    title_of(name, name), name, pagename == name or re.fullmatch(rf"{name}-\d+", pagename) is not None
                )
                for name in extra
                if name in env.all_docs
            ],
        }
    )
    context["reader_sidebar"] = {"mode": model.mode, "groups": [g for g in groups if g["entries"]]}


def section_pages(app: Sphinx):
    """html-collect-pages: one page per section, listing its sources in reading order."""
    state = reader_state(app)
    coll = state.collection
    if coll is None or not _is_site(app):
        return
    pages = state.pages_dir
    convert = state.in_variant
    say = localiser(state)
    from .core.navigation import card_footer

    by_slug = {doc.slug: doc for doc in coll.docs}
    found = sections(coll.docs)
    for section in found:
        here = section.page
        others = " · ".join(
            f'<a href="{html.escape(app.builder.get_relative_uri(here, s.page))}">{html.escape(say(s.label))}</a>'
            f"（{len(s.slugs)}）"
            for s in found
            if s.group == section.group and s.key != section.key
        )
        rows = "".join(
            f'<li><a class="reference internal" href="{html.escape(app.builder.get_relative_uri(here, f"{pages}/{slug}"))}">'
            f"{html.escape(convert(by_slug[slug].title))}</a>"
            f'<span class="reader-section-facts">{html.escape(convert(card_footer(by_slug[slug])))}</span></li>'
            for slug in section.slugs
        )
        title = say(section.label)
        body = (
            f'<section class="reader-section-page" id="{html.escape(section.key)}"><h1>{html.escape(title)}</h1>'
            f"<p>{html.escape(say(f'共 {len(section.slugs)} 篇，按文献日期先后排列。'))}</p>"
            f'<ol class="reader-section-list">{rows}</ol>'
            + (
                f'<p class="reader-section-others">{html.escape(say("其他" + GROUP_CAPTIONS[section.group].removeprefix("按")))}：{others}</p>'
                if others
                else ""
            )
            + "</section>"
        )
        yield here, {"title": title, "body": body}, "page.html"


def write_collection(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: ``collection.json``, the landing page's list (every source)."""
    state = reader_state(app)
    coll = state.collection
    if exception or coll is None or not _is_site(app):
        return
    text = collection_json(coll.docs, lambda slug: app.builder.get_target_uri(state.page(slug)), state.convert)
    (Path(app.outdir) / COLLECTION_JSON).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_node(
        collection_browser,
        html=(visit_collection_browser_html, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_directive("reader-collection", ReaderCollection)
    app.connect("env-get-outdated", mark_outdated)
    app.connect("html-page-context", page_context)
    app.connect("html-collect-pages", section_pages)
    app.connect("build-finished", write_collection)
    app.add_js_file("reader-collection.js", loading_method="defer", priority=600)
    app.add_css_file("reader-collection.css")
