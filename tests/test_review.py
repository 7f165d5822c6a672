"""The corpus of re-laid-out seeds, the review report (make check) and its overrides,
conflicting overrides and overlapping corrections, the editors' page and the warning."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.core.errors import SeedError
from reader.core.pipeline import publish
from reader.core.segment import ingest_bytes
from reader.core.sidecar import parse_sidecar

from . import corpus

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
ROOTS = Path(__file__).parent / "roots"


def test_committed_corpus_is_what_the_generator_makes():
    made = corpus.layouts()
    assert sorted(made) == corpus.names()
    for name, (raw, tsv, toml) in made.items():
        assert (corpus.OUT / f"{name}.txt").read_text(encoding="utf-8") == raw, name
        assert (corpus.OUT / f"{name}.expected.tsv").read_text(encoding="utf-8") == tsv, name
        assert (corpus.OUT / f"{name}.toml").read_text(encoding="utf-8") == toml, name


@pytest.fixture(scope="module")
def measured():
    return corpus.measure()


def test_corpus_rates(measured):
    """First build, no override: metadata always right, paragraphs ≥ 98% exact (the
    rest end exactly at the margin of an unindented layout, where only the
    document's paragraph lengths can tell), and the review report lists every wrong block."""
    assert measured["layouts"] == 30
    assert measured["metadata_exact"] == measured["metadata_total"] > 250
    # Headings, labels, lists, figures: all right (a caption under a heading is no
    # second headline line).
    assert measured["other_exact"] == measured["other_total"] > 150
    assert measured["paragraphs_exact"] / measured["paragraphs_total"] >= 0.98
    assert measured["misses"] == []
    assert measured["wrong_listed"] == measured["wrong_blocks"]


@pytest.mark.parametrize("name", corpus.names())
def test_no_metadata_line_is_a_heading_or_inside_a_paragraph(name):
    _stats, _wrong, doc = corpus.measure_one(name)
    meta = {"".join(t.split()) for k, t in corpus.expected_rows(name) if k in ("byline", "dateline", "source")}
    meta |= {"".join(t.split()) for k, t in corpus.expected_rows(name) if k == "colophon" and "\n" not in t}
    for block in doc.blocks:
        if block.kind in ("heading", "paragraph", "label", "title"):
            for _no, line in block.sources:
                assert "".join(line.split()) not in meta, (block.kind, line)


def _as_override(decision) -> dict:
    return tomllib.loads(f"o = {{{decision.override}}}")["o"]


@pytest.mark.parametrize("name", [n for n in corpus.names() if corpus.measure_one(n)[1]])
def test_suggested_overrides_fix_the_wrong_blocks(name):
    """Each wrong block is listed with an override that fixes it: among the report's
    decisions on its lines (a merged block lists every sentence end at the margin),
    the editor picks those that are wrong; together they make every block right."""
    stats, wrong, doc = corpus.measure_one(name)
    score = stats["paragraphs_exact"] + stats["other_exact"]
    chosen = []
    for block in wrong:
        fixes = []
        for d in corpus.listed_decisions(doc, block):
            one, _w, _d = corpus.measure_one(name, [_as_override(d)])
            if one["paragraphs_exact"] + one["other_exact"] > score:
                fixes.append(_as_override(d))
        assert fixes, f"no listed override fixes {block.kind} at line {block.first_line}"
        chosen += fixes
    after, still_wrong, _doc = corpus.measure_one(name, chosen)
    assert still_wrong == []
    assert after["paragraphs_exact"] == after["paragraphs_total"]


def test_seeds_have_no_unreviewed_decisions_and_report_names_file_and_line():
    out = subprocess.run(
        [sys.executable, "-m", "reader.cli", "review", "--all"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "_ext"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = out.stdout.splitlines()
    assert lines and all(line.startswith("seeds/") and "[reviewed:" in line for line in lines)
    assert "seeds/000_c858e1b4996ba25d.txt:29: 与下一行接排（同一段）" in out.stdout
    assert 'override: action = "break", at = "性明显增强；"' in out.stdout
    assert out.stderr.startswith("0 uncertain decision(s) to review")


def _sidecar(extra: dict):
    return parse_sidecar(Path("x.toml"), {"source": {"slug": "x", "kind": "article"}, **extra})


TEXT = (
    "标题\n\n"
    "发展新质生产力是推动高质量发展的内在要求和\n\n"
    "重要着力点，必须继续做好创新这篇大文章。\n\n"
    "推动新质生产力加快发展是一项长期任务，必\n\n"
    "须统筹推进，久久为功，不能一哄而上。\n\n"
    "小结\n\n"
    "这是最后一段，内容完整，到此为止。\n"
)


def test_report_decisions_on_a_small_text_and_reviewing_them():
    doc = ingest_bytes(Path("x.txt"), TEXT.encode(), _sidecar({}))
    assert [(d.line, d.action) for d in doc.review] == [(5, "break"), (11, "paragraph")]
    assert doc.review[0].override == 'action = "break", at = "这篇大文章。"'
    reviewed = _sidecar({"reviewed": [{"at": "这篇大文章。", "note": "one paragraph"}]})
    doc = ingest_bytes(Path("x.txt"), TEXT.encode(), reviewed)
    assert doc.review[0].reviewed == "one paragraph" and not doc.review[1].reviewed
    # Each suggested override decides the other way.
    for d in ingest_bytes(Path("x.txt"), TEXT.encode(), _sidecar({})).review:
        flipped = ingest_bytes(Path("x.txt"), TEXT.encode(), _sidecar({"override": [_as_override(d)]}))
        assert [b.kind for b in flipped.blocks] != [b.kind for b in doc.blocks]
    stale = _sidecar({"reviewed": [{"at": "不能一哄而上。"}]})
    with pytest.raises(SeedError, match=r"reviewed #1: line 9 has no uncertain decision"):
        ingest_bytes(Path("x.txt"), TEXT.encode(), stale)


CONFLICTS = {
    "heading+furniture": (
        [{"action": "heading", "at": "小结"}, {"action": "furniture", "at": "小结", "reason": "tab"}],
        r"override #2 \(action = \"furniture\"\): conflicts with override #1 \(action = \"heading\"\) on line 11",
    ),
    "break+join": (
        [{"action": "break", "at": "这篇大文章。"}, {"action": "join", "at": "这篇大文章。"}],
        r"override #2 \(action = \"join\"\): conflicts with override #1 \(action = \"break\"\) on line 5",
    ),
    "figure+paragraph": (
        [{"action": "figure", "from": "推动新质", "to": "一哄而上"}, {"action": "paragraph", "at": "久久为功"}],
        r"override #2 \(action = \"paragraph\"\): conflicts with override #1 \(action = \"figure\"\) on line 9",
    ),
    "paragraph+heading": (
        [{"action": "paragraph", "at": "小结"}, {"action": "heading", "at": "小结"}],
        r"override #2 \(action = \"heading\"\): conflicts with override #1 \(action = \"paragraph\"\) on line 11",
    ),
}


@pytest.mark.parametrize("case", sorted(CONFLICTS))
def test_conflicting_overrides_name_the_sidecar_and_both_entries(case):
    overrides, message = CONFLICTS[case]
    with pytest.raises(SeedError, match=r"^x\.toml: " + message):
        ingest_bytes(Path("x.txt"), TEXT.encode(), _sidecar({"override": overrides}))


def test_overlapping_corrections_are_an_error_naming_both():
    corrections = [
        {"find": "一哄而上", "replace": "一拥而上", "note": "a"},
        {"find": "而上。", "replace": "而上！", "note": "b"},
    ]
    with pytest.raises(SeedError, match=r"correction #2: overlaps correction #1"):
        ingest_bytes(Path("x.txt"), TEXT.encode(), _sidecar({"correction": corrections}))
    # Corrections side by side are fine.
    corrections[1] = {"find": "久久为功", "replace": "久久为公", "note": "b"}
    doc = ingest_bytes(Path("x.txt"), TEXT.encode(), _sidecar({"correction": corrections}))
    assert any("一拥而上" in b.text and "久久为公" in b.text for b in doc.blocks)


def test_editors_page_is_built_and_not_linked_from_reading_pages(site):
    out = Path(site.outdir)
    page = BeautifulSoup((out / "source" / "editors-review.html").read_text(encoding="utf-8"), "html.parser")
    text = page.get_text()
    assert "seeds/000_c858e1b4996ba25d.txt:29" in text and "已审校" in text
    for html in [out / "index.html", *sorted((out / "source").glob("*.html"))]:
        if html.name != "editors-review.html":
            assert "editors-review" not in html.read_text(encoding="utf-8"), html.name


def test_published_source_with_unreviewed_decisions_warns(make_app, tmp_path):
    src = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", src)
    publish(src, "one")  # published clean; a later edit of the seed brings an uncertain decision
    seed = src / "seeds" / "one.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n小结\n\n最后一段到此为止。\n", encoding="utf-8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    warnings = app.warning.getvalue()
    assert "seeds/one.txt:9: WARNING: unreviewed segmentation decision in published source one: 小标题" in warnings
    assert '[[reviewed]] at = "小结"' in warnings and "[reader.review]" in warnings
    assert (app.outdir / "source" / "editors-review.html").exists()


TWO_PAGES = (
    "标题\n\n"
    "某某学习材料\n\n"
    "发展新质生产力是推动高质量发展的内在要求和\n\n"
    "重要着力点，必须继续做好创新这篇大文章，推\n\n"
    "动新质生产力加快发展。\n\n"
    "- 1 -\n\n"
    "某某学习材料\n\n"
    "这是最后一段，内容完整，到此为止。\n"
)


def test_a_line_seen_twice_at_page_boundaries_is_furniture_under_review():
    doc = ingest_bytes(Path("x.txt"), TWO_PAGES.encode(), _sidecar({}))
    assert [f.text for f in doc.furniture] == ["某某学习材料", "- 1 -", "某某学习材料"]
    decisions = [d for d in doc.review if d.decided.startswith("作为页眉或页脚删去")]
    assert [(d.line, d.override) for d in decisions] == [
        (3, 'action = "paragraph", at = "某某学习材料", nth = 1'),
        (13, 'action = "paragraph", at = "某某学习材料", nth = 2'),
    ]
    kept = ingest_bytes(Path("x.txt"), TWO_PAGES.encode(), _sidecar({"override": [_as_override(decisions[0])]}))
    # The line is text again (and its twin, no longer a pair, too).
    assert 3 not in [f.line for f in kept.furniture]
    assert "某某学习材料" in "".join(b.text for b in kept.blocks)


def test_a_dateline_inside_the_first_paragraph_is_under_review():
    para = (
        "新华社北京2月1日电 中共中央政治局1月31日下午就扎实推进高质量发展进行第十一次集体学习。"
        "中共中央总书记习近平在主持学习时强调，必须牢记高质量发展是新时代的硬道理，全面贯彻新发展理念，"
        "为推动高质量发展打牢基础。"
    )
    text = "标题\n\n" + "".join(f"{line}\n\n" for line in corpus.wrap(para, 26, 28))
    doc = ingest_bytes(Path("x.txt"), text.encode(), _sidecar({}))
    assert doc.blocks[1].kind == "paragraph" and doc.blocks[1].text.startswith("新华社北京2月1日电中共")
    (d,) = doc.review
    assert d.override == 'action = "break", at = "新华社北京2月1日电"'
    split = ingest_bytes(Path("x.txt"), text.encode(), _sidecar({"override": [_as_override(d)]}))
    assert [(b.kind, b.text[:10]) for b in split.blocks[1:]] == [
        ("dateline", "新华社北京2月1日电"),
        ("paragraph", "中共中央政治局1月3"),
    ]


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_editors_page_decisions_are_data_in_both_variants(make_app, tmp_path, variant):
    """A source's decisions are one data node (``reader-review``), rendered as the
    paragraph and list Markdown made of them: the text escaped and, in the
    traditional build, converted; the override literal and never converted."""
    src = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", src)
    seed = src / "seeds" / "one.txt"
    # A short unpunctuated line is read as a heading: an uncertain decision whose
    # override quotes it, markup, backticks and all.
    seed.write_text(seed.read_text(encoding="utf-8") + "\n发展<b>`x`</b>\n\n最后一段到此为止。\n", encoding="utf-8")
    overrides = {"reader_variant": "hant", "language": "zh_TW"} if variant == "hant" else {}
    app = make_app("html", srcdir=src, freshenv=True, confoverrides=overrides)
    app.build()
    page = BeautifulSoup((app.outdir / "source" / "editors-review.html").read_text(encoding="utf-8"), "html.parser")
    label = page.find(id="editors-review-one")
    section = label if label.name == "section" else label.parent
    source, items = section.find("p"), section.find("ul")
    assert source.get_text() == "seeds/one.txt（one）"
    assert items["class"] == ["simple"] and len(items.find_all("li")) >= 1
    last = items.find_all("li")[-1]
    assert len(last.find_all("p")) == 1 and last.find("b") is None  # the seed's markup is text
    code = last.find("code")
    assert code["class"] == ["docutils", "literal", "notranslate"]
    # The override in the seed's characters, whatever the variant.
    assert code.get_text() == 'action = "paragraph", at = "发展<b>`x`</b>"'
    text = last.get_text()[: -len(code.get_text())]
    status = "未審校" if variant == "hant" else "未审校"
    assert text == f"seeds/one.txt:9 · {status} · {'小標題' if variant == 'hant' else '小标题'} · " + (
        "無句讀標點的短行，讀作小標題 · 覆蓋：" if variant == "hant" else "无句读标点的短行，读作小标题 · 覆盖："
    )
