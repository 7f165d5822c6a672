"""Margin annotations and parallel passages: the sidecar schema and its errors,
rendering in HTML and LaTeX, parallels on small cases and on the real seeds,
the difference marking."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.core.errors import SeedError
from reader.core.parallels import Passage, diff_ops, find_parallels
from reader.core.pipeline import load_collection
from reader.core.sidecar import parse_sidecar

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((Path(__file__).parent / "data" / "parallels" / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_parallel_case(case):
    found = find_parallels([Passage(("a", "p1"), case["a"]), Passage(("b", "p1"), case["b"])])
    assert bool(found) == case["parallel"]
    if case["parallel"]:
        assert min(p.shared_this for p in found) >= case["min_shared"]


def test_parallels_within_one_source_too():
    text = "新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径的先进生产力质态。"
    found = find_parallels([Passage(("a", "p1"), text), Passage(("a", "p9"), "正如前文所说，" + text)])
    assert {(p.this, p.other) for p in found} == {(("a", "p1"), ("a", "p9")), (("a", "p9"), ("a", "p1"))}


def test_difference_marking():
    ops = diff_ops("改造提升传统产业，培育壮大新兴产业", "改造提升传统产业，加快其升级步伐，培育新兴产业")
    assert ["+", "加快其升级步伐，"] in ops and ["-", "壮大"] in ops
    assert "".join(t for op, t in ops if op != "+") == "改造提升传统产业，培育壮大新兴产业"
    assert "".join(t for op, t in ops if op != "-") == "改造提升传统产业，加快其升级步伐，培育新兴产业"


def test_the_speech_definition_is_found_in_every_source_that_quotes_it():
    coll = load_collection(ROOT)
    speech = next(d for d in coll.docs if d.slug == "neizai-yaoqiu")
    # Shown in the margin: the strongest parallels; all of them are in the full list.
    shown = {item["slug"] for item in speech.parallels["p6"].shown}
    passages = [Passage((d.slug, b.id), b.text) for d in coll.docs for b in d.citable_blocks()]
    quoting = {p.other[0] for p in find_parallels(passages) if p.this == ("neizai-yaoqiu", "p6")}
    assert quoting == {"yindi-zhiyi", "xuexi-ziliao", "neihan-tezheng", "beijing-ziliao"}
    assert shown <= quoting


# ---------------------------------------------------------------- annotations


def _sidecar(**annotation):
    return parse_sidecar(
        Path("x.toml"), {"source": {"slug": "x", "kind": "article"}, "annotation": [{"at": "p1", **annotation}]}
    )


@pytest.mark.parametrize(
    "annotation, message",
    [
        ({"kind": "gloss", "text": "t"}, r"annotation #1: key kind: bad value 'gloss'; allowed: one of note"),
        ({"kind": "note"}, r"annotation #1: key text: missing; allowed: the annotation"),
        ({"kind": "note", "text": "t", "colour": "red"}, r"annotation #1: key colour: unknown key"),
        ({"kind": "correction", "text": "t", "phrase": "甲"}, r"needs `phrase` \(the corrected text\) and `original`"),
        ({"kind": "xref", "text": "t", "target": "x/p1"}, r"key target: bad value 'x/p1'"),
    ],
)
def test_annotation_schema(annotation, message):
    with pytest.raises(SeedError, match=message):
        _sidecar(**annotation)


def _project_with(tmp_path, annotation: str) -> Path:
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    with (srcdir / "seeds" / "one.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + annotation + "\n")
    return srcdir


@pytest.mark.parametrize(
    "annotation, message",
    [
        (
            '[[annotation]]\nat = "p9"\nkind = "note"\ntext = "t"',
            r"one.toml: annotation #1 \(at = \"p9\"\): no paragraph p9",
        ),
        (
            '[[annotation]]\nat = "p1"\nkind = "note"\ntext = "t"\nphrase = "没有的话"',
            r"annotation #1 \(at = \"p1\"\): phrase '没有的话' not found in one#p1",
        ),
        (
            '[[annotation]]\nat = "p1"\nkind = "xref"\ntext = "t"\ntarget = "two#p1"',
            r"annotation #1 \(at = \"p1\"\): target two#p1 does not exist",
        ),
    ],
)
def test_annotation_pointing_nowhere_is_an_error(tmp_path, annotation, message):
    with pytest.raises(SeedError, match=message):
        load_collection(_project_with(tmp_path, annotation))


ANNOTATED = (
    '[[annotation]]\nat = "p1"\nkind = "note"\nphrase = "简单的段落"\ntext = "这是一条注释。"\n\n'
    '[[annotation]]\nat = "p2"\nkind = "xref"\ntext = "参见上一段。"\ntarget = "one#p1"'
)


def test_annotations_in_html(make_app, tmp_path):
    app = make_app("html", srcdir=_project_with(tmp_path, ANNOTATED), freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "source" / "one.html").read_text(encoding="utf-8"), "html.parser")
    aside = soup.select_one("#p1-margin")
    assert aside.name == "aside" and "这是一条注释。" in aside.get_text()
    assert aside.find_next_sibling("p")["id"] == "p1"  # beside its paragraph, before it in the flow
    assert soup.find(id="p1").select_one("mark.reader-mark").get_text() == "简单的段落"
    xref = soup.select_one("#p2-margin .reader-margin-item a")
    assert xref["href"] == "#p1"


def test_annotations_in_latex(make_app, tmp_path):
    app = make_app("latex", srcdir=_project_with(tmp_path, ANNOTATED), freshenv=True)
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\marginpar{" in tex and "这是一条注释。" in tex
    assert r"\CJKunderline{简单的段落}" in tex


def test_real_annotations_and_parallels_in_the_site(site):
    soup = BeautifulSoup((Path(site.outdir) / "source" / "yindi-zhiyi.html").read_text(encoding="utf-8"), "html.parser")
    margin = soup.select_one("#p7-margin")
    kinds = {item["class"][1] for item in margin.select(".reader-margin-item")}
    assert {"reader-margin-correction", "reader-margin-source", "reader-margin-parallel"} <= kinds
    # Every comparison on every page, read as a reader reads it: this paragraph's
    # words (shared and underlined) and the other's (shared and in 〔〕), between the
    # shared text left out (……), occur in that order in the two paragraphs; a
    # verbatim copy shows no comparison; a comparison shows every difference.
    coll = load_collection(Path(site.srcdir))
    texts = {(d.slug, b.id): b.text for d in coll.docs for b in d.citable_blocks()}
    compared = verbatim = 0
    for doc in coll.docs:
        page_soup = BeautifulSoup(
            (Path(site.outdir) / "source" / f"{doc.slug}.html").read_text(encoding="utf-8"), "html.parser"
        )
        for item in page_soup.select(".reader-margin-parallel"):
            if item.select_one(".reader-diff-meta") is None:
                continue  # "另有 N 处"
            here = item.find_parent("aside")["id"].removesuffix("-margin")
            page, _, anchor = item.select_one(".reader-diff-meta a")["href"].rpartition("#")
            there = (page.removesuffix(".html") or doc.slug, anchor)  # "#p3": a paragraph of this page
            where = (doc.slug, here, there)
            merged = item.select_one(".reader-diff-merged")
            if merged is None:
                assert texts[(doc.slug, here)] == texts[there], where
                assert "100%" in item.select_one(".reader-diff-share").get_text(), where
                verbatim += 1
                continue
            merged.select_one(".reader-diff-label").decompose()
            assert texts[(doc.slug, here)] != texts[there], where
            sides = {"this": [[]], "other": [[]]}
            for piece in merged.children:
                cls = piece.get("class", [""])[0] if piece.name else ""
                text = piece.get_text()
                if cls == "reader-elided":
                    sides["this"].append([])
                    sides["other"].append([])
                elif cls == "reader-only":
                    sides["this"][-1].append(text)
                elif cls == "reader-other":
                    assert text[0] == "〔" and text[-1] == "〕", where
                    sides["other"][-1].append(text[1:-1])
                else:
                    sides["this"][-1].append(text)
                    sides["other"][-1].append(text)
            for side, key in (("this", (doc.slug, here)), ("other", there)):
                runs = ["".join(run) for run in sides[side]]
                pattern = "(?s)" + ".+".join(re.escape(run) for run in runs)
                assert re.fullmatch(pattern, texts[key]), (where, side, runs)
            assert merged.select(".reader-only, .reader-other"), where
            assert len(merged.get_text()) < len(texts[(doc.slug, here)]) + len(texts[there]), where
            compared += 1
    assert verbatim >= 1
    assert compared >= 50
    clusters = BeautifulSoup(
        (Path(site.outdir) / "source" / "parallels.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert len(clusters.select(".reader-cluster")) >= 5
    # Ordered by date: within a cluster, and the clusters by their earliest source
    # (a date known only to the month after that month's exact dates).
    firsts = []
    for cluster in clusters.select(".reader-cluster"):
        dates = [re.match(r"\d{4}(-\d\d){0,2}", li.get_text()).group() for li in cluster.select("li > p:first-child")]
        keys = [(d + "-99-99")[:10] for d in dates]
        assert len(keys) >= 2 and keys == sorted(keys), dates
        firsts.append(keys[0])
    assert firsts == sorted(firsts) and len(set(firsts)) > 1
    assert sum(len(d.select(".reader-margin-item")) for d in soup.select("aside.reader-margin")) > 20


def test_the_margins_read_from_memory_are_the_margins_file():
    """A page's margins come from the collection in memory (issue 18), its file
    beside the page being what the page depends on: the two hold the same data,
    for every page of the project (annotations, parallels, "N more")."""
    from reader.core.render import margin_items

    coll = load_collection(ROOT)
    checked = 0
    for doc in coll.docs:
        path = ROOT / "source" / "_margins" / f"{doc.slug}.json"
        on_disk = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        in_memory = {b.id: items for b in doc.citable_blocks() if (items := margin_items(doc, b.id))}
        assert in_memory == on_disk, doc.slug
        checked += len(on_disk)
    assert checked > 20
