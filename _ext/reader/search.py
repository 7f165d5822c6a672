"""Search (issue 17): one paragraph search that ranks, forgives and scales.

The index itself is pure Python (``core/searchindex.py``); this module collects
the paragraphs of the built collection in the site's variant, writes the index
files under ``_search/`` at the end of an HTML build, and gives the search page
its own template without Sphinx's page-level search (which listed theme and
margin text, below the paragraphs, and said "nothing found" under results).

Sphinx's own index (``searchindex.js``) is still written, with a fixed Chinese
language: Sphinx 9.0.4's throws ``ChineseStemmer is not defined``
(sphinx-doc/sphinx#14229); its jieba segmentation (with the glossary terms as
words) gives the vocabulary that pinyin queries are resolved against."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese
from sphinx.util import logging

from .core.searchindex import SearchIndex, collection_index
from .state import reader_state

logger = logging.getLogger(__name__)
TEMPLATES = str(Path(__file__).parent / "templates")
SEARCH_DIR = "_search"

# Sphinx's searchtools is no longer loaded on the search page; this splitter is
# kept for anyone who loads it (it read ``window.Search``, which a ``const``
# never is, so it always split nothing).
SPLITTER_JS = r"""
function splitQuery(query) {
  var index = (typeof Search !== "undefined" && Search._index) || {};
  var terms = index.terms || {};
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
      else { out.push(part.substr(i, 1)); i += 1; }
    }
  });
  return out.length ? out : [query];
}
"""


class ReaderChineseSearch(SearchChinese):
    """Sphinx 9.0.4's Chinese search refers to a ``ChineseStemmer`` that does not
    exist (sphinx-doc/sphinx#14229, fixed upstream after 9.0.4).  The stemmer it
    ships is the English one: name it so."""

    language_name = "English"  # names the JS stemmer: window.Stemmer = EnglishStemmer
    js_splitter_code = SPLITTER_JS

    # Sphinx feeds every page to the index in the main process, even with -j
    # (write_doc_serialized): there jieba and the English stemmer were a third
    # of a build at 200 sources (issue 18).  Both are pure functions of their
    # input, so their results are remembered: a text quoted again, a word seen
    # again, costs a lookup.  Bounded, so memory stays flat.
    SPLIT_CACHE_ENTRIES = 50_000
    SPLIT_CACHE_CHARS = 4_000

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._splits: dict[str, list[str]] = {}
        self._stems: dict[str, str] = {}

    def split(self, input: str) -> list[str]:
        from jieba import cut_for_search

        chinese = self._splits.get(input)
        if chinese is None:
            chinese = list(cut_for_search(input))
            if len(input) <= self.SPLIT_CACHE_CHARS and len(self._splits) < self.SPLIT_CACHE_ENTRIES:
                self._splits[input] = chinese
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)
        return chinese + latin1

    def stem(self, word: str) -> str:
        lowered = word.lower()
        stemmed = self._stems.get(lowered)
        if stemmed is None:
            stemmed = self._stems[lowered] = self.stemmer.stemWord(lowered)
        # Sphinx's rule: a Latin term that stemming would make too short stays whole.
        if len(word) >= 3 > len(stemmed) and word in self.latin_terms:
            return lowered
        return stemmed


def prepare_dictionary(app: Sphinx) -> None:
    """builder-inited: glossary terms (both variants) as jieba words, so a term is
    one token in the index."""
    state = reader_state(app)
    coll, convert = state.collection, state.convert
    if not coll or not coll.glossary or app.builder.format != "html":
        return
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


def add_templates(app: Sphinx, config) -> None:
    if TEMPLATES not in config.templates_path:
        config.templates_path.insert(0, TEMPLATES)


def build_index(app: Sphinx, coll) -> SearchIndex:
    state = reader_state(app)
    # jieba's words from Sphinx's own index (already segmented), for pinyin.
    builder = app.builder  # (an HTML builder has an indexer once it prepares writing)
    indexer = getattr(builder, "indexer", None)
    words = list(getattr(indexer, "_mapping", {}) or ())
    return collection_index(
        coll,
        convert=state.convert,
        url=lambda slug: app.builder.get_target_uri(state.page(slug)),
        words=words,
    )


def write_index(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the index files under ``_search/`` (replaced whole)."""
    coll = reader_state(app).collection
    if exception or coll is None or app.builder.format != "html":
        return
    index = build_index(app, coll)
    out = Path(app.outdir) / SEARCH_DIR
    tmp = Path(app.outdir) / (SEARCH_DIR + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for name, text in index.iter_files():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    (Path(app.outdir) / "_static" / "reader-search-data.js").unlink(missing_ok=True)


def setup(app: Sphinx) -> None:
    app.add_search_language(ReaderChineseSearch)
    app.connect("build-finished", write_index)
    app.add_js_file("reader-search.js", loading_method="defer", priority=600)
    app.add_css_file("reader-search.css")
