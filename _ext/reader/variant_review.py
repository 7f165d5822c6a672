"""The translators' review pages of the traditional build: the list of every
ambiguous conversion (suspects first, with a ready override line; also as CSV),
and one side-by-side page per source with each paragraph's review status."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .core.errors import SeedError
from .core.variant import editor_texts, review
from .core.variant_po import STATES, load_status, state
from .core.variant_risk import risks
from .state import reader_state

logger = logging.getLogger(__name__)
REVIEW_PAGE = "variant-review"
DECISIONS = {
    "override": "覆寫表",
    "style": "體例表",
    "paragraph": "譯者段落",
    "checked": "已審閱",
    "opencc": "機器",
}


def interface_texts(app: Sphinx):
    """The interface strings as review items (their simplified Chinese)."""
    table = reader_state(app).interface
    for text in [*table.english.values(), *table.messages.values()]:
        # Placeholders (${n}, %(x)s, {n}) are not words: … in the review's context.
        yield "", "", "界面文字", re.sub(r"\$\{\w+\}|%\(\w+\)s|\{\w+\}", "…", text)


def review_pages(app: Sphinx):
    """html-collect-pages: the review list and the side-by-side pages (traditional build)."""
    state = reader_state(app)
    coll, converter = state.collection, state.converter
    if coll is None or converter is None:  # (the simplified build has no converter)
        return
    extra = [*editor_texts(coll), *interface_texts(app)]
    rows = review(coll.docs, converter, extra=extra)
    state.review_rows = rows
    try:
        status = load_status(Path(app.srcdir) / app.config.reader_review_status)
    except SeedError as exc:
        logger.error("Review status: %s", exc, type="reader", subtype="variant")
        status = {}
    pages = state.pages_dir
    yield REVIEW_PAGE, {"title": "轉換審閱表", "body": review_body(app, rows, converter, coll, status)}, "page.html"
    for doc in coll.docs:
        body = side_by_side(doc, converter, status, f"../{pages}")
        yield (
            f"{REVIEW_PAGE}/{doc.slug}",
            {"title": converter.convert(f"逐段对照：{doc.title}"), "body": body},
            "page.html",
        )


def href_of(row, pages: str, prefix: str = "") -> str:
    if not row.slug:
        return ""
    page = f"{prefix}{pages}/{row.slug}.html"
    return f"{page}#{row.anchor}" if row.anchor else page


def review_body(app, rows, converter, coll, status) -> str:
    convert = converter.convert
    pages = reader_state(app).pages_dir
    by_char: dict[str, list] = {}
    for row in rows:
        by_char.setdefault(row.char, []).append(row)
    suspects = [r for r in rows if r.risk]
    unchecked = sum(1 for r in rows if r.decision == "opencc")
    out = io.StringIO()
    w = out.write
    w('<h1 id="review">轉換審閱表</h1>')
    w(
        f"<p>OpenCC（{html.escape(converter.config)}）把下列簡體字轉換為繁體時有多個候選字形。"
        f"共 {len(rows)} 處、{len(by_char)} 個字（正文、編者的注釋與術語表、界面文字）；"
        f"其中 {sum(r.decided_by in ('override', 'paragraph') for r in rows)} 處由譯者覆寫表決定，"
        f"{sum(r.decided_by == 'style' for r in rows)} 處由體例表決定，"
        f"{sum(r.checked for r in rows)} 處已審閱，尚未審閱 {unchecked} 處；可疑 {len(suspects)} 處。"
        f'另有 <a href="{REVIEW_PAGE}.csv" download>CSV 檔</a>。覆寫與審閱記錄見 '
        f"<code>{html.escape(app.config.reader_variant_overrides)}</code>，體例見 "
        f"<code>{html.escape(app.config.reader_house_style)}</code>。</p>"
    )
    w('<h2 id="suspects">可疑的轉換</h2>')
    w(
        "<p>OpenCC 的詞典詞跨越了分詞的詞界（如「傳統｜製造」被讀成「統制」），"
        "按詞轉換會得出另一字形。請逐一核對；確認需要改正時，把建議的一行加入覆寫表。</p>"
    )
    if suspects:
        w('<table class="reader-review reader-review-suspects table"><thead><tr>')
        for head in ("上文", "轉換", "下文", "按詞", "出處", "覆寫表的一行"):
            w(f'<th scope="col">{head}</th>')
        w("</tr></thead><tbody>")
        for r in suspects:
            href = href_of(r, pages)
            where = html.escape(convert(r.label))
            link = f'<a href="{html.escape(href)}">{where}</a>' if href else where
            w(
                '<tr class="reader-review-suspect">'
                f"<td>{html.escape(convert(r.before))}</td>"
                f"<td><mark>{html.escape(r.chosen)}</mark></td>"
                f"<td>{html.escape(convert(r.after))}</td>"
                f"<td>{html.escape(r.suggestion)}</td>"
                f"<td>{link}</td>"
                f'<td><code lang="zh-Hans">{html.escape(r.override_line)}</code></td></tr>'
            )
        w("</tbody></table>")
    else:
        w("<p>沒有可疑的轉換。</p>")
    w('<h2 id="by-source">逐段對照</h2><ul class="reader-review-sources">')
    for doc in coll.docs:
        counts = {key: 0 for key in STATES}
        for block in doc.citable_blocks():
            counts[state(status, doc.slug, block.id, block.text)] += 1
        summary = "，".join(f"{STATES[k]} {n}" for k, n in counts.items())
        w(
            f'<li><a href="{REVIEW_PAGE}/{doc.slug}.html">{html.escape(convert(doc.title))}</a>'
            f"（{html.escape(summary)}）</li>"
        )
    w("</ul>")
    w('<h2 id="all">全部歧義字</h2>')
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
    for head in ("簡體字", "上文", "轉換", "下文", "候選", "決定", "風險", "出處"):
        w(f'<th scope="col">{head}</th>')
    w("</tr></thead>")
    for char in sorted(by_char, key=lambda c: -len(by_char[c])):
        group = by_char[char]
        w(f'<tbody id="char-{ord(char):x}"><tr class="reader-review-group"><th colspan="8" scope="rowgroup">')
        w(f"{html.escape(char)} → {html.escape(' / '.join(group[0].alternatives))}：{len(group)} 處</th></tr>")
        for r in group:
            state_class = "open" if r.decision == "opencc" else "done"
            href = href_of(r, pages)
            where = html.escape(convert(r.label))
            link = f'<a href="{html.escape(href)}">{where}</a>' if href else where
            w(
                f'<tr class="reader-review-row reader-review-{state_class}">'
                f'<td lang="zh-Hans">{html.escape(r.char)}</td>'
                f'<td class="reader-review-before">{html.escape(convert(r.before))}</td>'
                f"<td><strong>{html.escape(r.chosen)}</strong></td>"
                f"<td>{html.escape(convert(r.after))}</td>"
                f"<td>{html.escape(' '.join(r.alternatives))}</td>"
                f"<td>{DECISIONS[r.decision]}</td>"
                f"<td>{'可疑' if r.risk else ''}</td>"
                f"<td>{link}</td></tr>"
            )
        w("</tbody>")
    w("</table>")
    w(REVIEW_SCRIPT)
    return out.getvalue()


def side_by_side(doc, converter, status, pages_prefix: str) -> str:
    """Simplified | traditional, paragraph by paragraph, suspects marked, with the
    review state of each paragraph."""
    from .core.variant import ambiguous_characters

    ambiguous = ambiguous_characters()
    convert = converter.convert
    out = io.StringIO()
    w = out.write
    w(f"<h1>逐段對照：{html.escape(convert(doc.title))}</h1>")
    w(
        "<p>左欄為簡體原文，右欄為繁體本；標出的字是可疑的轉換。每段的狀態："
        "機器轉換（未審閱）、已審閱、審閱後原文已改（簡體文字與審閱時的校驗和不同）。"
        "審閱一段後執行 <code>make review-ok SOURCE=" + html.escape(doc.slug) + " P=段號</code>，"
        "或編輯 <code>variant/review-status.toml</code>。</p>"
        '<p><a href="../variant-review.html">轉換審閱表</a></p>'
    )
    w('<table class="reader-sidebyside table"><thead><tr>')
    for head in ("段", "簡體", "繁體", "狀態"):
        w(f'<th scope="col">{head}</th>')
    w("</tr></thead><tbody>")
    for block in doc.citable_blocks():
        text = block.text
        converted = convert(text)
        flagged = {r.index for r in risks(text, converter.opencc, ambiguous)}
        covered = {i for s, e, _p in converter.spans(text) for i in range(s, e)}
        flagged -= covered
        if len(converted) == len(text):
            right = "".join(
                f'<mark class="reader-suspect">{html.escape(ch)}</mark>' if i in flagged else html.escape(ch)
                for i, ch in enumerate(converted)
            )
        else:
            right = html.escape(converted)
        st = state(status, doc.slug, block.id, text)
        href = f"{pages_prefix}/{doc.slug}.html#{block.id}"
        w(
            f'<tr class="reader-sbs-row reader-state-{st}" id="{block.id}">'
            f'<th scope="row"><a href="{html.escape(href)}">{html.escape(block.number)}</a></th>'
            f'<td lang="zh-Hans">{html.escape(text)}</td>'
            f"<td>{right}</td>"
            f'<td><span class="reader-state reader-state-{st}">{STATES[st]}</span></td></tr>'
        )
    w("</tbody></table>")
    w(SIDE_BY_SIDE_STYLE)
    return out.getvalue()


SIDE_BY_SIDE_STYLE = """<style>
.reader-sidebyside td { vertical-align: top; width: 45%; }
.reader-sidebyside mark.reader-suspect { background: #ffd54f; }
.reader-state { white-space: nowrap; padding: 0 .3em; border-radius: .2em; }
.reader-state-machine { background: #eee; color: #333; }
.reader-state-reviewed { background: #d7f0d7; color: #174d17; }
.reader-state-changed { background: #ffe0cc; color: #7a2e00; }
</style>"""

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
    state = reader_state(app)
    rows = state.review_rows
    if exception or rows is None:
        return
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["char", "before", "chosen", "after", "alternatives", "decided_by", "source", "anchor", "url", "risk"]
    )
    pages = state.pages_dir
    for r in rows:
        writer.writerow(
            [
                r.char,
                r.before,
                r.chosen,
                r.after,
                " ".join(r.alternatives),
                r.decision,
                r.slug,
                r.anchor,
                href_of(r, pages),
                r.risk,
            ]
        )
    (Path(app.outdir) / f"{REVIEW_PAGE}.csv").write_text(out.getvalue(), encoding="utf-8")
    counts = {}
    for r in rows:
        counts[r.char] = counts.get(r.char, 0) + 1
    (Path(app.outdir) / f"{REVIEW_PAGE}.json").write_text(
        json.dumps(
            {"total": len(rows), "per_char": counts, "suspects": sum(1 for r in rows if r.risk)},
            ensure_ascii=False,
            sort_keys=True,
        ),
        encoding="utf-8",
    )


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", review_pages)
    app.connect("build-finished", write_review_csv)
