"""The traditional-Chinese variant: overrides and the wrong conversions they fix,
identical anchors, no simplified text left, the review list, switching links."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.core.errors import SeedError
from reader.core.interface import load_interface
from reader.core.pipeline import load_collection
from reader.core.variant import (
    Converter,
    ambiguous_characters,
    editor_texts,
    load_overrides,
    load_style,
    unused_phrases,
)

ROOT = Path(__file__).resolve().parent.parent
TABLE = load_overrides(ROOT / "variant" / "overrides.toml")
STYLE = load_style(ROOT / "variant" / "house-style.toml")
ROWS = [
    line.split("\t")
    for line in (Path(__file__).parent / "data" / "variant" / "conversions.tsv")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]


@pytest.fixture(scope="module")
def converter():
    return Converter("s2tw", TABLE, style=STYLE)


@pytest.mark.parametrize("simplified, traditional", ROWS, ids=[r[0] for r in ROWS])
def test_conversion(converter, simplified, traditional):
    assert converter.convert(simplified) == traditional


def test_every_override_is_needed_and_used():
    """Each override fixes what plain OpenCC gets wrong, and occurs in the sources."""
    plain = Converter("s2tw")
    for phrase in TABLE.phrases:
        assert plain.convert(phrase.simplified) != phrase.traditional, phrase.simplified
    coll = load_collection(ROOT)
    assert not unused_phrases(coll.docs, TABLE, list(editor_texts(coll)))


def test_overridden_spans_are_protected_from_opencc(converter):
    # Replacing first and converting afterwards would turn 指明了 into 指明瞭 again.
    assert converter.convert("指明了方向") == "指明了方向"
    assert Converter("s2tw").convert("指明了方向") == "指明瞭方向"


def test_override_table_is_validated(tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text('[[phrase]]\nsimplified = "发展"\ntraditional = "發展了"\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"overrides.toml: phrase #1: key traditional: '發展了' must have as many"):
        load_overrides(path)
    path.write_text('[[phrase]]\nsimplified = "发展"\ntraditonal = "發展"\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"phrase #1: key traditonal: unknown key; allowed: simplified, traditional"):
        load_overrides(path)


def test_unused_override_is_reported(make_app, tmp_path):
    import shutil

    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    (srcdir / "variant").mkdir()
    (srcdir / "variant" / "overrides.toml").write_text(
        '[[phrase]]\nsimplified = "无此词"\ntraditional = "無此詞"\n', encoding="utf-8"
    )
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides={"reader_variant": "hant"})
    app.build()
    assert "override '无此词' → '無此詞' occurs nowhere in the sources [reader.variant]" in app.warning.getvalue()
    # at the file and the line of the override (not a document name: ``overrides.toml.rst``)
    assert f"{srcdir / 'variant' / 'overrides.toml'}:2: WARNING: override '无此词'" in app.warning.getvalue()


def test_ambiguous_characters_come_from_the_installed_opencc():
    table = ambiguous_characters()
    assert len(table) > 200
    assert table["发"] == ["發", "髮"] and set(table["干"]) >= {"幹", "乾", "干"}


# ---------------------------------------------------------------- the built variant


def _ids(outdir: Path, page: str) -> list[str]:
    html = (outdir / page).read_text(encoding="utf-8")
    return re.findall(r'\sid="([^"]+)"', html)


def test_traditional_build_is_clean(site_hant):
    assert site_hant.warning.getvalue() == ""
    html = (Path(site_hant.outdir) / "source" / "neihan-tezheng.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-TW"' in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="p8").get_text().count("資金鏈") == 1 and "大飛機製造" in soup.find(id="p8").get_text()
    assert soup.title.get_text().startswith("新質生產力的內涵特徵和發展重點")


def test_anchors_are_identical_in_both_variants(site, site_hant):
    coll = load_collection(ROOT)
    for doc in coll.docs:
        page = f"source/{doc.slug}.html"
        assert _ids(Path(site.outdir), page) == _ids(Path(site_hant.outdir), page)
    assert _ids(Path(site.outdir), "source/glossary.html") == _ids(Path(site_hant.outdir), "source/glossary.html")


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if not p.relative_to(out).as_posix().startswith("_"))


def visible_text(soup: BeautifulSoup) -> str:
    for tag in soup(["script", "style", "code", "pre", "kbd", "samp"]):
        tag.decompose()
    for tag in soup.select('[lang|="zh-Hans"]'):
        tag.decompose()  # the switch to the simplified site names it in simplified
    for tag in soup.select("details.reader-diff"):
        # Deletions and insertions interleave two wordings; each wording is the
        # converted paragraph it quotes, checked on its own page.
        tag.decompose()
    return soup.get_text()


def test_no_simplified_character_left(site_hant, converter):
    """Convert the visible text of the traditional site again: nothing may change,
    except where an override decided the form (its output is deliberate)."""
    overridden = {ch for p in [*TABLE.phrases, *STYLE] for ch in p.traditional}
    leftovers = Counter()
    out = Path(site_hant.outdir)
    for path in pages(out):
        if path.name == "variant-review.html":
            continue  # shows simplified characters on purpose
        text = visible_text(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        again = converter.convert(text)
        for a, b in zip(text, again, strict=True):
            if a != b and a not in overridden:
                leftovers[a] += 1
    # Traditional forms OpenCC itself maps on again (one-way variants): not simplified.
    assert not leftovers, leftovers.most_common(20)


def test_review_list_counts(site_hant):
    out = Path(site_hant.outdir)
    summary = json.loads((out / "variant-review.json").read_text(encoding="utf-8"))
    ambiguous = ambiguous_characters()
    expected = Counter()
    coll = load_collection(ROOT)
    for doc in coll.docs:
        for block in doc.blocks:
            if block.id:
                expected.update(ch for ch in block.text if ch in ambiguous)
    # The editors' own texts and the interface strings are reviewed too.
    interface = load_interface(ROOT / "variant" / "interface.toml")
    for text in [t[-1] for t in editor_texts(coll)] + [*interface.english.values(), *interface.messages.values()]:
        expected.update(ch for ch in text if ch in ambiguous)
    assert summary["per_char"] == dict(expected)
    assert summary["total"] == sum(expected.values())
    csv = (out / "variant-review.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv) == summary["total"] + 1
    overridden = [row for row in csv if ",override," in row]
    # the eleven wrong conversions of the sources fixed by the table, and the
    # override phrases in the editors' texts (余村, 文字系从, 资金链 in the glossary …)
    table_only = Converter("s2tw", TABLE)

    def overridden_in(texts):
        return sum(
            text[i] in ambiguous
            for text in texts
            for start, end, _phrase in table_only.spans(text)
            for i in range(start, end)
        )

    in_editors = overridden_in(text for *_, text in editor_texts(coll))
    assert in_editors >= 2
    # (and in the interface strings, reviewed too: 术语链接 in 显示术语链接)
    in_interface = overridden_in([*interface.english.values(), *interface.messages.values()])
    assert len(overridden) == 11 + in_editors + in_interface
    page = BeautifulSoup((out / "variant-review.html").read_text(encoding="utf-8"), "html.parser")
    assert len(page.select("tr.reader-review-row")) == summary["total"]
    assert page.select_one("#reader-review-filter")


def test_switching_links_land_on_the_same_page(site, site_hant):
    for this, other, prefix in ((site, site_hant, "html-hant/"), (site_hant, site, "html/")):
        out, other_out = Path(this.outdir), Path(other.outdir)
        for path in pages(out):
            page = path.relative_to(out).as_posix()
            link = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("a.reader-variant-link")
            if page in ("genindex.html", "search.html") or page.startswith("variant-review"):
                continue  # the review pages exist in the traditional site only
            assert link, page
            depth = page.count("/")
            assert link["href"] == "../" * (depth + 1) + prefix + page
            assert (other_out / page).exists()
