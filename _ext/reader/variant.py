"""The traditional-Chinese variant: the whole reader converted on the document tree
(OpenCC with translator overrides), the variant switch, and the review list of
every ambiguous conversion."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .core.errors import SeedError
from .core.variant import CONFIGS, Converter, load_overrides, review, unused_phrases
from .nodeutil import reader_data
from .pages import reader_correction

logger = logging.getLogger(__name__)
LANG_TAGS = {"hans": "zh-Hans-CN", "hant": {"s2tw": "zh-Hant-TW", "s2hk": "zh-Hant-HK", "s2t": "zh-Hant"}}
# Text under these nodes is literal: never converted.
LITERAL = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block, nodes.comment)
REVIEW_PAGE = "variant-review"


def is_traditional(app_or_config) -> bool:
    config = getattr(app_or_config, "config", app_or_config)
    return config.reader_variant == "hant"


def setup_variant(app: Sphinx, config) -> None:
    """config-inited: build the converter, switch Sphinx's own strings to zh_TW."""
    app.reader_convert = None
    if config.reader_variant not in ("hans", "hant"):
        logger.warning("reader_variant must be 'hans' or 'hant', not %r", config.reader_variant, type="reader")
        return
    if not is_traditional(config):
        return
    if config.reader_opencc_config not in CONFIGS:
        logger.warning(
            "reader_opencc_config must be one of %s, not %r",
            ", ".join(CONFIGS),
            config.reader_opencc_config,
            type="reader",
            subtype="variant",
        )
        config.reader_opencc_config = "s2tw"
    try:
        table = load_overrides(Path(app.srcdir) / config.reader_variant_overrides)
    except SeedError as exc:
        logger.error("Override table: %s", exc, type="reader", subtype="variant")
        table = None
    converter = Converter(config.reader_opencc_config, table)
    app.reader_converter = converter
    app.reader_convert = converter.convert
    config.language = {"s2hk": "zh_HK"}.get(config.reader_opencc_config, "zh_TW")
    # Traditional glyph forms in the PDF: Noto CJK TC (HK for s2hk), and the PDF's language.
    region = "HK" if config.reader_opencc_config == "s2hk" else "TC"
    elements = dict(config.latex_elements)
    if "fontpkg" in elements:
        elements["fontpkg"] = elements["fontpkg"].replace(" CJK SC", f" CJK {region}")
    if "preamble" in elements:
        elements["preamble"] = converter.convert(elements["preamble"]).replace(
            "pdflang={zh-CN}", "pdflang={zh-Hant-" + ("HK" if region == "HK" else "TW") + "}"
        )
    config.latex_elements = elements
    config.latex_documents = [
        tuple(converter.convert(v) if isinstance(v, str) and i >= 2 else v for i, v in enumerate(doc))
        for doc in config.latex_documents
    ]
    for name in ("project", "html_title", "author", "copyright"):
        value = getattr(config, name, None)
        if isinstance(value, str):
            setattr(config, name, converter.convert(value))


def report_unused(app: Sphinx) -> None:
    """builder-inited (after the pages are generated): overrides that match nothing."""
    coll = getattr(app, "reader_collection", None)
    converter = getattr(app, "reader_converter", None)
    if not is_traditional(app) or coll is None or converter is None:
        return
    for phrase in unused_phrases(coll.docs, converter.table):
        logger.warning(
            "override %r → %r occurs nowhere in the sources",
            phrase.simplified,
            phrase.traditional,
            location=str(converter.table.path),
            type="reader",
            subtype="variant",
        )


class ConvertToTraditional(SphinxTransform):
    """Convert every text a reader sees; ids, URLs and literal text stay as they are.

    Text is converted per text block (a paragraph, a title, a line), not per
    text node, so OpenCC sees whole phrases even where a link or a mark cuts
    them; the conversion keeps lengths, so the result is cut back at the same
    places.
    """

    # After every transform that adds text, before DoctreeReadEvent (880), whose
    # collectors take titles and tocs from the tree.
    default_priority = 870

    def apply(self, **kwargs) -> None:
        convert = getattr(self.app, "reader_convert", None)
        if convert is None:
            return
        groups: dict[int, list[nodes.Text]] = {}
        text_groups(self.document, self.document, groups)
        for texts in groups.values():
            whole = "".join(str(t) for t in texts)
            converted = convert(whole)
            if len(converted) != len(whole):
                for t in texts:
                    t.parent.replace(t, nodes.Text(convert(str(t))))
                continue
            pos = 0
            for t in texts:
                n = len(t)
                t.parent.replace(t, nodes.Text(converted[pos : pos + n]))
                pos += n
        for node in self.document.findall(addnodes.index):
            node["entries"] = [(kind, convert(value), *rest) for kind, value, *rest in node["entries"]]
        for node in self.document.findall(reader_correction):
            node["original"] = convert(node["original"])
            node["note"] = convert(node["note"])
        for node in self.document.findall(lambda n: n.tagname == "reader_alias"):
            node["excerpt"] = convert(node["excerpt"])
        # Data nodes (a parallel in the margin, a concordance, a cluster) convert their own fields.
        for node in self.document.findall(reader_data):
            node.convert_data(convert)


def text_groups(node: nodes.Element, owner: nodes.Element, groups: dict[int, list[nodes.Text]]) -> None:
    """The text nodes to convert, grouped by the text block that holds them (the
    nearest text element or structural element); literal text is left out.  One
    walk of the tree instead of a walk up from every text node."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            groups.setdefault(id(owner), []).append(child)
        elif not isinstance(child, LITERAL):
            block = child if isinstance(child, (nodes.TextElement, nodes.Structural)) else owner
            text_groups(child, block, groups)


class ConvertResolvedReferences(SphinxPostTransform):
    """Link texts filled in at write time (titles of referenced sections, cards'
    links) are converted too."""

    default_priority = 999

    def run(self, **kwargs) -> None:
        convert = getattr(self.app, "reader_convert", None)
        if convert is None:
            return
        for ref in self.document.findall(nodes.reference):
            for text in list(ref.findall(nodes.Text)):
                converted = convert(str(text))
                if converted != str(text):
                    text.parent.replace(text, nodes.Text(converted))


def convert_interface_strings(app: Sphinx) -> None:
    """Sphinx's and the theme's own strings (skip links, "back to top", search
    messages) go through the converter too, where a theme has no zh_TW catalogue."""
    convert = getattr(app, "reader_convert", None)
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if convert is None or environment is None:
        return
    gettext = environment.globals.get("gettext")
    ngettext = environment.globals.get("ngettext")
    if gettext is None:
        return
    environment.install_gettext_callables(
        lambda message, *args, **kw: convert(gettext(message, *args, **kw)),
        lambda singular, plural, n, *args, **kw: convert(ngettext(singular, plural, n, *args, **kw)),
        newstyle=getattr(environment, "newstyle_gettext", False),
    )


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The html lang tag for the variant, and the switch to the same page in the other one."""
    traditional = is_traditional(app)
    context["language"] = (
        LANG_TAGS["hant"].get(app.config.reader_opencc_config, "zh-Hant") if traditional else LANG_TAGS["hans"]
    )
    convert = getattr(app, "reader_convert", None)
    if convert and pagename == "genindex" and "genindexentries" in context:
        # The general index is built from the environment, not from a doctree.
        context["genindexentries"] = [
            (convert(letter), [(convert(name), rest) for name, rest in entries])
            for letter, entries in context["genindexentries"]
        ]
    other = app.config.reader_other_variant_url
    if not other or "body" not in context or pagename == REVIEW_PAGE:
        return
    depth = pagename.count("/")
    href = "../" * depth + other.rstrip("/") + "/" + pagename + ".html"
    label, lang = ("简体中文", "zh-Hans") if traditional else ("繁體中文", "zh-Hant")
    switch = (
        '<nav class="reader-variant-switch" aria-label="字形">'
        f'<a class="reader-variant-link" href="{html.escape(href)}" lang="{lang}" hreflang="{lang}">{label}</a>'
        "</nav>"
    )
    context["body"] = switch + context["body"]


def review_pages(app: Sphinx):
    """html-collect-pages: the review list of ambiguous conversions (traditional build)."""
    coll = getattr(app, "reader_collection", None)
    converter = getattr(app, "reader_converter", None)
    if not is_traditional(app) or coll is None or converter is None:
        return
    rows = review(coll.docs, converter)
    app.reader_review_rows = rows
    pages = app.config.reader_pages_dir.strip("/")
    by_char: dict[str, list] = {}
    for row in rows:
        by_char.setdefault(row.char, []).append(row)
    unchecked = sum(1 for r in rows if not r.checked and not r.by_override)
    out = io.StringIO()
    w = out.write
    w('<h1 id="review">轉換審閱表</h1>')
    w(
        f"<p>OpenCC（{html.escape(converter.config)}）把下列簡體字轉換為繁體時有多個候選字形。"
        f"共 {len(rows)} 處、{len(by_char)} 個字；其中 {sum(r.by_override for r in rows)} 處由譯者覆寫表決定，"
        f"{sum(r.checked for r in rows)} 處已審閱，尚未審閱 {unchecked} 處。"
        f'另有 <a href="{REVIEW_PAGE}.csv" download>CSV 檔</a>。覆寫與審閱記錄見 '
        f"<code>{html.escape(app.config.reader_variant_overrides)}</code>。</p>"
    )
    w(
        '<p class="reader-review-filter"><label>篩選 <input type="search" id="reader-review-filter" '
        'placeholder="字、上下文或出處" aria-controls="reader-review-table"></label> '
        '<label><input type="checkbox" id="reader-review-unchecked"> 只看未審閱</label></p>'
    )
    w('<nav class="reader-review-index" aria-label="按字跳轉">')
    for char in sorted(by_char, key=lambda c: -len(by_char[c])):
        w(f'<a href="#char-{ord(char):x}">{html.escape(char)} <small>{len(by_char[char])}</small></a> ')
    w("</nav>")
    w('<table class="reader-review table" id="reader-review-table"><thead><tr>')
    for head in ("簡體字", "上文", "轉換", "下文", "候選", "決定", "出處"):
        w(f'<th scope="col">{head}</th>')
    w("</tr></thead>")
    for char in sorted(by_char, key=lambda c: -len(by_char[c])):
        group = by_char[char]
        w(f'<tbody id="char-{ord(char):x}"><tr class="reader-review-group"><th colspan="7" scope="rowgroup">')
        w(f"{html.escape(char)} → {html.escape(' / '.join(group[0].alternatives))}：{len(group)} 處</th></tr>")
        for r in group:
            decided = "覆寫" if r.by_override else ("已審閱" if r.checked else "OpenCC")
            state = "done" if (r.by_override or r.checked) else "open"
            href = f"{pages}/{r.slug}.html#{r.anchor}" if r.anchor else f"{pages}/{r.slug}.html"
            w(
                f'<tr class="reader-review-row reader-review-{state}">'
                f"<td>{html.escape(r.char)}</td>"
                f'<td class="reader-review-before">{html.escape(converter.convert(r.before))}</td>'
                f"<td><strong>{html.escape(r.chosen)}</strong></td>"
                f"<td>{html.escape(converter.convert(r.after))}</td>"
                f"<td>{html.escape(' '.join(r.alternatives))}</td>"
                f"<td>{decided}</td>"
                f'<td><a href="{html.escape(href)}">{html.escape(converter.convert(r.label))}</a></td></tr>'
            )
        w("</tbody>")
    w("</table>")
    w(REVIEW_SCRIPT)
    yield REVIEW_PAGE, {"title": "轉換審閱表", "body": out.getvalue()}, "page.html"


REVIEW_SCRIPT = """<script>
(function () {
  var box = document.getElementById("reader-review-filter");
  var open = document.getElementById("reader-review-unchecked");
  function apply() {
    var q = box.value.trim();
    document.querySelectorAll("tr.reader-review-row").forEach(function (row) {
      var hit = !q || row.textContent.indexOf(q) >= 0;
      var keep = !open.checked || row.classList.contains("reader-review-open");
      row.hidden = !(hit && keep);
    });
  }
  box.addEventListener("input", apply);
  open.addEventListener("change", apply);
})();
</script>"""


def write_review_csv(app: Sphinx, exception: Exception | None) -> None:
    rows = getattr(app, "reader_review_rows", None)
    if exception or rows is None:
        return
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["char", "before", "chosen", "after", "alternatives", "decided_by", "source", "anchor", "url"])
    pages = app.config.reader_pages_dir.strip("/")
    for r in rows:
        decided = "override" if r.by_override else ("checked" if r.checked else "opencc")
        writer.writerow(
            [
                r.char,
                r.before,
                r.chosen,
                r.after,
                " ".join(r.alternatives),
                decided,
                r.slug,
                r.anchor,
                f"{pages}/{r.slug}.html#{r.anchor}",
            ]
        )
    (Path(app.outdir) / f"{REVIEW_PAGE}.csv").write_text(out.getvalue(), encoding="utf-8")
    counts = {}
    for r in rows:
        counts[r.char] = counts.get(r.char, 0) + 1
    (Path(app.outdir) / f"{REVIEW_PAGE}.json").write_text(
        json.dumps({"total": len(rows), "per_char": counts}, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )


def setup(app: Sphinx) -> None:
    app.add_config_value("reader_variant", "hans", "env", types=[str])
    app.add_config_value("reader_opencc_config", "s2tw", "env", types=[str])
    app.add_config_value("reader_variant_overrides", "variant/overrides.toml", "env", types=[str])
    app.add_config_value("reader_other_variant_url", "", "html", types=[str])
    app.connect("config-inited", setup_variant)
    app.connect("builder-inited", report_unused, priority=700)
    app.add_transform(ConvertToTraditional)
    app.add_post_transform(ConvertResolvedReferences)
    app.connect("builder-inited", convert_interface_strings, priority=800)
    app.connect("html-page-context", page_context)
    app.connect("html-collect-pages", review_pages)
    app.connect("build-finished", write_review_csv)
