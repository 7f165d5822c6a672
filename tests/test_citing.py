"""Citing the way scholars do (issue 19): sidecar fields, citation formats from the
official CSL styles, BibTeX/RIS/CSL-JSON, meta tags for reference managers, the
citation panel, and the dated history of a paragraph's wordings."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from reader.core import cite
from reader.core.anchors import LockError, checksum, validate_table
from reader.core.errors import SeedError
from reader.core.model import Document
from reader.core.pipeline import generate, load_collection, publish
from reader.core.render import citation_template
from reader.core.sidecar import parse_sidecar

ROOT = Path(__file__).resolve().parent.parent
SITE = "新质生产力文献读本"
ACCESSED = "2026-12-01"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {d.slug: d for d in load_collection(ROOT, glossary="").docs}


# Hand-checked against GB/T 7714-2015 (journal [J]: 作者. 题名[J]. 刊名, 年(期).;
# newspaper [N]: 题名[N]. 报纸名, 出版日期(版次).; [EB/OL]: (发表日期)[引用日期]. 网址.),
# the Chicago Manual of Style 17th ed. 14.171 (notes, bibliography) and APA 7th ed.
EXPECTED = {
    "neizai-yaoqiu": {
        "gbt7714": "习近平. 发展新质生产力是推动高质量发展的内在要求和重要着力点[J]. 求是, 2024(11).",
        "gbt7714-online": "习近平. 发展新质生产力是推动高质量发展的内在要求和重要着力点[EB/OL]. "
        "(2024-06-01)[2026-12-01]. https://reader.example/source/neizai-yaoqiu.html.",
        "chicago": "习近平, “发展新质生产力是推动高质量发展的内在要求和重要着力点,” 求是, no. 11 (June 2024).",
        "chicago-bib": "习近平. “发展新质生产力是推动高质量发展的内在要求和重要着力点.” 求是, no. 11 (June 2024).",
        "apa": "习近平. (2024). 发展新质生产力是推动高质量发展的内在要求和重要着力点. 求是, (11).",
    },
    "neihan-tezheng": {
        "gbt7714": "习近平经济思想研究中心. 新质生产力的内涵特征和发展重点[N]. 人民日报, 2024-03-01.",
        "gbt7714-online": "习近平经济思想研究中心. 新质生产力的内涵特征和发展重点[EB/OL]. "
        "(2024-03-01)[2026-12-01]. https://reader.example/source/neihan-tezheng.html.",
        "chicago": "习近平经济思想研究中心, “新质生产力的内涵特征和发展重点,” 人民日报, March 1, 2024.",
        "chicago-bib": "习近平经济思想研究中心. “新质生产力的内涵特征和发展重点.” 人民日报, March 1, 2024.",
        "apa": "习近平经济思想研究中心. (2024, March 1). 新质生产力的内涵特征和发展重点. 人民日报.",
    },
    "yindi-zhiyi": {
        "gbt7714": "习近平. 因地制宜发展新质生产力[J]. 求是, 2025(11).",
        "gbt7714-online": "习近平. 因地制宜发展新质生产力[EB/OL]. (2025-06-01)[2026-12-01]. "
        "https://reader.example/source/yindi-zhiyi.html.",
        "chicago": "习近平, “因地制宜发展新质生产力,” 求是, no. 11 (June 2025).",
        "chicago-bib": "习近平. “因地制宜发展新质生产力.” 求是, no. 11 (June 2025).",
        "apa": "习近平. (2025). 因地制宜发展新质生产力. 求是, (11).",
    },
    "beijing-ziliao": {
        # no author, no publication known: GB/T 7714 only ([Z] other, the year)
        "gbt7714": "习近平总书记强调的“新质生产力”[Z]. 2024.",
        "gbt7714-online": "习近平总书记强调的“新质生产力”[EB/OL]. (2024-03)[2026-12-01]. "
        "https://reader.example/source/beijing-ziliao.html.",
    },
}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_source_citations_match_the_hand_checked_forms(docs, slug):
    got = cite.citations(docs[slug], f"https://reader.example/source/{slug}.html", SITE, ACCESSED)
    assert got["source"] == EXPECTED[slug]


def test_paragraph_citations_carry_the_paragraph(docs):
    got = cite.citations(docs["neizai-yaoqiu"], "x.html", SITE, ACCESSED)["paragraph"]
    assert got["gbt7714-online"] == (
        "习近平. 发展新质生产力是推动高质量发展的内在要求和重要着力点[EB/OL]. (2024-06-01)[2026-12-01]. {url}."
    )
    assert got["chicago"] == (
        "习近平, “发展新质生产力是推动高质量发展的内在要求和重要着力点,” 求是, no. 11 (June 2024): para. {number}."
    )
    assert got["gbt7714"] == EXPECTED["neizai-yaoqiu"]["gbt7714"]


def test_every_source_has_gbt7714_of_the_right_type(docs):
    marks = {"article-journal": "[J]", "article-newspaper": "[N]", "pamphlet": "[Z]", "document": "[Z]"}
    for doc in docs.values():
        item = cite.csl_item(doc)
        got = cite.citations(doc, "x.html", SITE, ACCESSED)["source"]
        assert marks[item["type"]] in got["gbt7714"], doc.slug
        assert "[EB/OL]" in got["gbt7714-online"] and "[2026-12-01]" in got["gbt7714-online"]


def test_chinese_note_citation_puts_each_date_in_its_place(docs):
    # The speech date beside the title, the issue where it was published (issue 19).
    assert citation_template(docs["neizai-yaoqiu"]) == (
        "习近平：《发展新质生产力是推动高质量发展的内在要求和重要着力点》（2024年1月31日），"
        "《求是》2024年第11期，第{number}段。{url}"
    )
    assert (
        citation_template(docs["yindi-zhiyi"])
        == "习近平：《因地制宜发展新质生产力》，《求是》2025年第11期，第{number}段。{url}"
    )
    assert citation_template(docs["neihan-tezheng"]) == (
        "习近平经济思想研究中心：《新质生产力的内涵特征和发展重点》，《人民日报》2024年3月1日，第{number}段。{url}"
    )


# ---------------------------------------------------------------- data formats


SPEECH_BIBTEX = (
    "@article{neizai-yaoqiu,\n"
    "  author = {{习近平}},\n"
    "  title = {发展新质生产力是推动高质量发展的内在要求和重要着力点},\n"
    "  journal = {求是},\n"
    "  year = {2024},\n"
    "  month = {6},\n"
    "  day = {1},\n"
    "  number = {11},\n"
    "  publisher = {求是杂志社},\n"
    "  eventdate = {2024-01-31},\n"
    "  language = {chinese}\n"
    "}\n"
)
SPEECH_RIS = (
    "TY  - JOUR\nAU  - 习近平\nTI  - 发展新质生产力是推动高质量发展的内在要求和重要着力点\nT2  - 求是\n"
    "PY  - 2024\nDA  - 2024/06/01/\nIS  - 11\nPB  - 求是杂志社\nLA  - zh-CN\nER  -\n"
)


def test_bibtex_ris_and_csl_json_of_the_speech(docs):
    item = cite.csl_item(docs["neizai-yaoqiu"])
    assert cite.bibtex(item) == SPEECH_BIBTEX
    assert cite.ris(item) == SPEECH_RIS
    assert item == {
        "id": "neizai-yaoqiu",
        "type": "article-journal",
        "title": "发展新质生产力是推动高质量发展的内在要求和重要着力点",
        "language": "zh-CN",
        "author": [{"literal": "习近平"}],
        "container-title": "求是",
        "issue": "11",
        "issued": {"date-parts": [[2024, 6, 1]]},
        "event-date": {"date-parts": [[2024, 1, 31]]},
        "publisher": "求是杂志社",
    }


def test_bibtex_and_ris_of_the_newspaper_article(docs):
    item = cite.csl_item(docs["neihan-tezheng"])
    assert cite.bibtex(item).startswith("@article{neihan-tezheng,\n  author = {{习近平经济思想研究中心}},\n")
    assert "  journal = {人民日报},\n  year = {2024},\n  month = {3},\n  day = {1},\n" in cite.bibtex(item)
    assert cite.ris(item).startswith("TY  - NEWS\nAU  - 习近平经济思想研究中心\n")
    assert "DA  - 2024/03/01/\n" in cite.ris(item)


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


def _balanced(value: str) -> bool:
    depth, i = 0, 0
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(value[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


@given(title=TEXT, author=TEXT, journal=TEXT)
def test_bibtex_fields_stay_balanced_whatever_the_text(title, author, journal):
    """Every field of every entry has balanced braces and no unescaped TeX special."""
    item = {"id": "x", "type": "article-journal", "title": title, "author": [{"literal": author}]}
    item["container-title"] = journal
    entry = cite.bibtex(item)
    for line in entry.splitlines()[1:-1]:
        value = line.split(" = ", 1)[1].rstrip(",")
        assert value.startswith("{") and value.endswith("}") and _balanced(value), line
        assert not re.search(r"(?<!\\)[#$%&_]", value.replace("\\textbackslash{}", "")), line


@given(title=TEXT, author=TEXT)
def test_ris_is_one_tag_per_line_whatever_the_text(title, author):
    record = cite.ris({"id": "x", "type": "article-journal", "title": title, "author": [{"literal": author}]})
    lines = record.splitlines()
    assert all(re.match(r"^[A-Z][A-Z0-9]  -( |$)", line) for line in lines), lines
    assert lines[0].startswith("TY  - ") and lines[-1] == "ER  -"


# ---------------------------------------------------------------- sidecar fields


def _meta(**source):
    return parse_sidecar(Path("seeds/x.toml"), {"source": {"slug": "x", "kind": "speech", **source}}).meta


def test_publication_fields_are_validated():
    meta = _meta(journal="求是", issue=11, published="2024-06-01", pages="4-9", url="https://example.org/a")
    assert meta["issue"] == "11" and meta["published"] == "2024-06-01"
    for key, value, what in [
        ("published", "2024年6月", "YYYY"),
        ("url", "www.example.org", "http"),
        ("issue", True, "non-empty"),
        ("pages", "", "non-empty"),
        ("jounral", "求是", "unknown key"),
    ]:
        with pytest.raises(SeedError, match=f"x.toml.*source.{key}.*{what}"):
            _meta(**{key: value})


# ---------------------------------------------------------------- the built site


def test_every_published_source_page_has_meta_tags_json_ld_and_downloads(site, docs):
    out = Path(site.outdir) / "source"
    for slug, doc in docs.items():
        soup = BeautifulSoup((out / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
        meta = {m["name"]: m["content"] for m in soup.select("meta[name^=citation_]")}
        item = cite.csl_item(doc)
        assert meta["citation_title"] == doc.title
        if doc.meta.get("author"):
            assert meta["citation_author"] == doc.meta["author"]
        assert meta["citation_publication_date"] == "/".join(f"{p:02d}" for p in item["issued"]["date-parts"][0])
        ld = json.loads(soup.select_one("script[type='application/ld+json']").string)
        assert ld["@context"] == "https://schema.org" and ld["headline"] == doc.title
        # downloads beside the page, linked from the panel
        # (checked against written-out records, not against the functions that wrote them)
        csl = json.loads((out / f"{slug}.csl.json").read_text(encoding="utf-8"))
        assert [(c["id"], c["title"]) for c in csl] == [(slug, doc.title)]
        bib = (out / f"{slug}.bib").read_text(encoding="utf-8")
        assert re.match(rf"@\w+\{{{re.escape(slug)},\n", bib) and f"  title = {{{doc.title}}},\n" in bib
        ris = (out / f"{slug}.ris").read_text(encoding="utf-8")
        assert ris.startswith("TY  - ") and f"\nTI  - {doc.title}\n" in ris and ris.endswith("ER  -\n")
        if slug == "neizai-yaoqiu":
            assert (bib, ris) == (SPEECH_BIBTEX, SPEECH_RIS)
        panel = soup.select_one("details.reader-cite-source")
        assert [a["href"] for a in panel.select("a.reader-cite-download")] == [
            f"{slug}.bib",
            f"{slug}.ris",
            f"{slug}.csl.json",
        ]
        shown = {s["data-format"]: s.get_text() for s in panel.select(".reader-cite-text")}
        assert shown["gbt7714"] == cite.citations(doc, "x", SITE, ACCESSED)["source"]["gbt7714"]
    speech = BeautifulSoup((out / "neizai-yaoqiu.html").read_text(encoding="utf-8"), "html.parser")
    meta = {m["name"]: m["content"] for m in speech.select("meta[name^=citation_]")}
    assert meta["citation_journal_title"] == "求是" and meta["citation_issue"] == "11"


def test_traditional_site_cites_in_traditional_characters(site_hant):
    page = (Path(site_hant.outdir) / "source" / "neizai-yaoqiu.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    data = json.loads(soup.select_one("#reader-citations").string)
    assert data["source"]["gbt7714"].startswith("習近平. 發展新質生產力")
    assert soup.select_one("meta[name=citation_title]")["content"].startswith("發展新質生產力")


# ---------------------------------------------------------------- paragraph history


def test_lock_history_is_validated():
    row = {"id": "p1", "text": "乙", "checksum": checksum("乙")}
    good = [{"date": "2026-12-01", "checksum": checksum("甲"), "text": "甲"}]
    assert validate_table({"anchors": [row | {"history": good}]}, "p").anchors[0].history == good
    for history, what in [
        ([{"date": "2026-12-01", "checksum": checksum("丙"), "text": "甲"}], "checksum"),
        ([{"date": "1.12.2026", "checksum": checksum("甲"), "text": "甲"}], "date"),
        ([{"date": "2026-12-01", "text": "甲"}], "missing key 'checksum'"),
        (good + [{"date": "2026-11-01", "checksum": checksum("丁"), "text": "丁"}], "on or after"),
    ]:
        with pytest.raises(LockError, match=what):
            validate_table({"anchors": [row | {"history": history}]}, "p")


def test_a_paragraph_edited_twice_shows_both_revisions(make_app, tmp_path, monkeypatch):
    """Published, then corrected on two days: the lock, anchors.json and the page
    keep both earlier wordings, dated, and the page shows what changed."""
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    publish(srcdir, "one")
    sidecar = srcdir / "seeds" / "one.toml"
    base = sidecar.read_text(encoding="utf-8")
    original = "这是一个简单的段落，内容完整。"
    edits = ["这是一个简单的段落，内容基本完整。", "这是一个简单的段落，内容已经完整。"]
    for epoch, insert in (("1764547200", "基本"), ("1764633600", "已经")):  # 2025-12-01, 2025-12-02
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        correction = f'\n[[correction]]\nfind = "内容完整"\nreplace = "内容{insert}完整"\nnote = "修订"\n'
        sidecar.write_text(base + correction, encoding="utf-8")
        generate(srcdir)
    lock = json.loads((srcdir / "anchors" / "one.lock.json").read_text(encoding="utf-8"))
    p1 = lock["paragraphs"]["anchors"][0]
    assert p1["id"] == "p1" and p1["text"] == edits[1]
    assert [(h["date"], h["text"]) for h in p1["history"]] == [("2025-12-01", original), ("2025-12-02", edits[0])]
    assert "history" not in lock["paragraphs"]["anchors"][1]  # unchanged paragraphs carry none

    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    manifest = json.loads((app.outdir / "anchors.json").read_text(encoding="utf-8"))
    history = manifest["sources"][0]["anchors"][0]["history"]
    assert [(h["date"], h["text"], h["checksum"]) for h in history] == [
        ("2025-12-01", original, checksum(original)),
        ("2025-12-02", edits[0], checksum(edits[0])),
    ]
    assert manifest["sources"][0]["anchors"][1]["history"] == []
    soup = BeautifulSoup((app.outdir / "source" / "one.html").read_text(encoding="utf-8"), "html.parser")
    shown = soup.select_one("details#p1-history")
    assert "本段修订记录（2）" in shown.summary.get_text()
    items = shown.select("li")
    assert [i.time["datetime"] for i in items] == ["2025-12-01", "2025-12-02"]
    assert [[d.get_text() for d in i.select("del")] for i in items] == [[], ["基本"]]
    assert [[d.get_text() for d in i.select("ins")] for i in items] == [["基本"], ["已经"]]
    # The paragraph itself holds only its current wording.
    assert "已经" in soup.find(id="p1").get_text() and "基本" not in soup.find(id="p1").get_text()
    assert soup.select_one("details#p2-history") is None


# ---------------------------------------------------------------- the landing page


def test_landing_page_links_the_books_and_the_manifest(site, site_hant):
    """The PDFs and EPUBs are where `make pdf` / `make epub` write them, beside the
    site's directory; anchors.json is the site's own."""
    wanted = {
        "../pdf/reader.pdf": "_build/pdf/reader.pdf",
        "../pdf/reader-hant.pdf": "_build/pdf/reader-hant.pdf",
        "../epub/reader.epub": "_build/epub/reader.epub",
        "../epub/reader-hant.epub": "_build/epub/reader-hant.epub",
    }
    scripts = (ROOT / "scripts" / "build-pdf.sh").read_text() + (ROOT / "scripts" / "build-epub.sh").read_text()
    for app in (site, site_hant):
        soup = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
        hrefs = [a["href"] for a in soup.select("nav.reader-downloads a.reader-download")]
        assert hrefs == [*wanted, "anchors.json"]
        assert (Path(app.outdir) / "anchors.json").exists()
    for href, built in wanted.items():
        assert f"out={built}" in scripts, href  # _build/html/../pdf/reader.pdf is _build/pdf/reader.pdf
