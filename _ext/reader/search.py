"""Chinese search that works: Sphinx's index with a fixed Chinese language, the
glossary terms as whole words for jieba, and a paragraph search in the browser
(exact substring matching, which needs no segmentation) linking to the anchor."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

# The browser splits a Chinese query into the longest words the index knows
# (forward maximum matching), so 因地制宜发展 finds 因地制宜 + 发展.
SPLITTER_JS = r"""
function splitQuery(query) {
  var terms = (window.Search && Search._index && Search._index.terms) || {};
  var out = [];
  query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).forEach(function (part) {
    if (!part) return;
    if (!/\p{Script=Han}/u.test(part)) { out.push(part); return; }
    var i = 0;
    while (i < part.length) {
      var found = 0;
      for (var n = Math.min(8, part.length - i); n >= 2; n--) {
        if (Object.prototype.hasOwnProperty.call(terms, part.substr(i, n).toLowerCase())) { found = n; break; }
      }
      if (found) { out.push(part.substr(i, found)); i += found; }
      else { i += 1; }
    }
  });
  return out.length ? out : [query];
}
"""


class ReaderChineseSearch(SearchChinese):
    """Sphinx 9.0.4's Chinese search refers to a ``ChineseStemmer`` that does not
    exist, so the search page throws and hangs (sphinx-doc/sphinx#14229, fixed
    upstream after 9.0.4).  The stemmer it ships is the English one: name it so.
    Registered for ``zh``, this class keeps working after the upstream fix."""

    language_name = "English"  # names the JS stemmer: window.Stemmer = EnglishStemmer
    js_splitter_code = SPLITTER_JS


def prepare_dictionary(app: Sphinx) -> None:
    """builder-inited: glossary terms (both variants) as jieba words, so a term is
    one token in the index."""
    coll = getattr(app, "reader_collection", None)
    if not coll or not coll.glossary or app.builder.format != "html":
        return
    convert = getattr(app, "reader_convert", None)
    words = set()
    for entry in coll.glossary:
        for form in entry.forms:
            for word in (form, convert(form) if convert else form):
                if len(word) > 1 and "、" not in word:
                    words.add(word)
    path = Path(app.doctreedir) / "reader-jieba-dict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w} 100000 n\n" for w in sorted(words)), encoding="utf-8")
    app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": str(path)}


def write_paragraphs(app: Sphinx, exception: Exception | None) -> None:
    """The paragraphs for the browser-side search (the variant's text, and the
    simplified text too, so either form of a query matches)."""
    coll = getattr(app, "reader_collection", None)
    if exception or coll is None or app.builder.format != "html":
        return
    convert = getattr(app, "reader_convert", None)
    pages = app.config.reader_pages_dir.strip("/")
    records = []
    for doc in coll.docs:
        title = convert(doc.title) if convert else doc.title
        url = app.builder.get_target_uri(f"{pages}/{doc.slug}")
        for block in doc.citable_blocks():
            text = convert(block.text) if convert else block.text
            record = {"u": f"{url}#{block.id}", "t": title, "n": block.number, "x": text}
            if text != block.text:
                record["s"] = block.text
            records.append(record)
    static = Path(app.outdir) / "_static"
    static.mkdir(exist_ok=True)
    payload = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    (static / "reader-search-data.js").write_text(f"window.READER_PARAGRAPHS = {payload};\n", encoding="utf-8")


def search_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename == "search":
        context["metatags"] = context.get("metatags", "") + (
            '<script src="_static/reader-search-data.js" defer></script>'
        )


def setup(app: Sphinx) -> None:
    app.add_search_language(ReaderChineseSearch)
    app.connect("builder-inited", prepare_dictionary, priority=650)
    app.connect("build-finished", write_paragraphs)
    app.connect("html-page-context", search_page)
