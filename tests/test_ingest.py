"""Ingestion (pure Python): small data cases, the five seeds against an independent
golden segmentation, decoding and normalisation rules, overrides and corrections."""

from __future__ import annotations

import codecs
import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.errors import SeedError
from reader.core.lines import PAGE_NUMBER_FORMS, Line, end_class, is_page_number
from reader.core.segment import check_nothing_lost, ingest, ingest_bytes
from reader.core.sidecar import parse_sidecar
from reader.core.text import decode, respace, significant

from .util import doc_rows, read_expected

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
CASES = sorted(p.stem for p in (DATA / "cases").glob("*.txt"))
GOLDEN = sorted(p.stem for p in (DATA / "golden").glob("*.tsv"))


def _flat(rows):
    # Furniture is recorded as printed; compare it without its internal layout spaces.
    return [(k, lines, "".join(t.split()) if k == "furniture" else t) for k, lines, t in rows]


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    doc = ingest(DATA / "cases" / f"{case}.txt")
    expected = read_expected(DATA / "cases" / f"{case}.expected.tsv", {"list": "|", "colophon": "|", "figure": "|"})
    assert _flat(doc_rows(doc)) == _flat(expected)


def test_cases_cover_every_block_kind():
    kinds = set()
    for case in CASES:
        kinds |= {row[0] for row in read_expected(DATA / "cases" / f"{case}.expected.tsv", {})}
    kinds |= {b.kind for b in ingest(SEEDS / "001_aa0614a1174eeba0.txt").blocks}  # figure (override)
    assert kinds >= {
        "title",
        "byline",
        "heading",
        "label",
        "list",
        "source",
        "dateline",
        "note",
        "paragraph",
        "colophon",
        "furniture",
        "figure",
        "excerpt_source",
    }


@pytest.mark.parametrize("seed", GOLDEN)
def test_seed_matches_golden(seed):
    """Every block of every seed, against a segmentation made by reading the text."""
    doc = ingest(SEEDS / f"{seed}.txt")
    expected = read_expected(DATA / "golden" / f"{seed}.tsv", {"figure": " / ", "colophon": " / ", "list": " | "})
    got = _flat(doc_rows(doc))
    assert [r for r in got if r[0] != "furniture"] == [r for r in _flat(expected) if r[0] != "furniture"]
    assert sorted(r for r in got if r[0] == "furniture") == sorted(r for r in _flat(expected) if r[0] == "furniture")


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_nothing_lost_on_every_seed(seed):
    """Each significant raw character is in a block, the furniture record or a correction."""
    path = SEEDS / seed
    doc = ingest(path)
    raw = significant(decode(path.read_bytes(), str(path)))
    shown = "".join(significant(b.text) for b in doc.blocks)
    removed = "".join(significant(f.text) for f in doc.furniture)
    corrected_away = "".join(significant(c.find) for b in doc.blocks for c in b.corrections)
    added = "".join(significant(c.replace) for b in doc.blocks for c in b.corrections)
    # Same multiset of characters, accounting for corrections.
    from collections import Counter

    assert Counter(shown) - Counter(added) + Counter(corrected_away) + Counter(removed) == Counter(raw)


def test_nothing_lost_check_fails_loudly():
    path = SEEDS / "000_c858e1b4996ba25d.txt"
    doc = ingest(path)
    doc.blocks[3].text = doc.blocks[3].text[:-3]  # a block that lost its last characters
    doc.blocks[3].sources[-1] = (doc.blocks[3].sources[-1][0], doc.blocks[3].sources[-1][1][:-3])
    with pytest.raises(SeedError, match=r"000_c858e1b4996ba25d.txt: line \d+: nothing-lost check failed"):
        check_nothing_lost(path, decode(path.read_bytes(), str(path)), doc)


# ---------------------------------------------------------------- decoding


SIMPLE = "标题\n\n正文第一段，内容完整。\n"
SIDECAR = parse_sidecar(Path("x.toml"), {"source": {"slug": "x", "kind": "article"}})


def _texts(data: bytes, sidecar=SIDECAR) -> list[str]:
    return [b.text for b in ingest_bytes(Path("x.txt"), data, sidecar).blocks]


@pytest.mark.parametrize(
    "data",
    [
        SIMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SIMPLE.encode("utf-8"),
        SIMPLE.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + SIMPLE.encode("utf-16-be"),
        SIMPLE.replace("\n", "\r\n").encode("utf-8"),
        SIMPLE.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "crlf", "cr"],
)
def test_decodings(data):
    assert _texts(data) == ["标题", "正文第一段，内容完整。"]


def test_declared_encoding_gb18030():
    sidecar = parse_sidecar(Path("x.toml"), {"source": {"slug": "x", "kind": "article", "encoding": "gb18030"}})
    assert _texts(SIMPLE.encode("gb18030"), sidecar) == ["标题", "正文第一段，内容完整。"]


def test_undecodable_bytes_name_the_offset():
    data = "标题\n\n正文".encode() + b"\xff\xfe\x00"[:1] + "。".encode()
    with pytest.raises(SeedError, match=r"x.txt: byte 14: cannot decode as utf-8"):
        _texts(data)


def test_gb18030_without_declaration_is_an_error():
    with pytest.raises(SeedError, match=r"byte 0: cannot decode as utf-8.*source.encoding"):
        _texts(SIMPLE.encode("gb18030"))


def test_binary_file():
    with pytest.raises(SeedError, match=r"x.txt: byte 4: binary data"):
        _texts(b"\x89PNG\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("data", [b"", b"  \n\n \r\n", "\u3000\n".encode()])
def test_empty_seed(data):
    with pytest.raises(SeedError, match=r"x.txt: the seed (is empty|contains no text)"):
        _texts(data)


def test_invisible_and_space_characters_are_normalised():
    raw = "标\u200b题\n\n\u3000\u3000正文\u00a0第一段，内容\ufeff完整。\u200d\n"
    assert _texts(raw.encode()) == ["标题", "正文第一段，内容完整。"]


@pytest.mark.parametrize(
    "raw, want",
    [
        ("2024 年 1 月 31 日", "2024年1月31日"),
        ("去年 7 月以来", "去年7月以来"),
        ("占比超过 13%，新能源", "占比超过13%，新能源"),
        ("人才 ；需要", "人才；需要"),
        ("强调 ：“发展", "强调：“发展"),
        ("New quality productive forces", "New quality productive forces"),
        ("NO.106 期", "NO.106期"),
    ],
)
def test_respacing_rule(raw, want):
    assert respace(raw) == want


def test_headline_spaces_are_kept_in_headings():
    assert (
        respace("做好创新大文章  加快发展新质生产力", keep_headline_spaces=True) == "做好创新大文章 加快发展新质生产力"
    )
    assert respace("1 月 31 日 会议", keep_headline_spaces=True) == "1月31日 会议"


# ---------------------------------------------------------------- re-wrapping generalises


def test_ascii_words_split_by_a_wrap_keep_their_space():
    raw = "标题\n\n这是一个关于 New quality productive\n\nforces 的段落，内容完整。\n"
    assert _texts(raw.encode())[1] == "这是一个关于New quality productive forces的段落，内容完整。"


# ---------------------------------------------------------------- overrides


def _ingest(raw: str, **sidecar) -> list[tuple[str, str]]:
    data = {"source": {"slug": "x", "kind": "article"}}
    data.update(sidecar)
    doc = ingest_bytes(Path("x.txt"), raw.encode(), parse_sidecar(Path("x.toml"), data))
    return [(b.kind, b.text) for b in doc.blocks] + [("furniture", f.text) for f in doc.furniture]


RAW = "标题\n\n第一段的内容。第二段的内容。\n\n第三段的文字较长较长较长较长，需要\n\n换行才能完成。\n\n页脚说明\n"


def test_override_break_mid_line_and_join():
    got = _ingest(
        RAW,
        override=[
            {"action": "break", "at": "第一段的内容。"},
            {"action": "furniture", "at": "页脚说明", "reason": "footer"},
        ],
    )
    assert got == [
        ("title", "标题"),
        ("paragraph", "第一段的内容。"),
        ("paragraph", "第二段的内容。"),
        ("paragraph", "第三段的文字较长较长较长较长，需要换行才能完成。"),
        ("furniture", "页脚说明"),
    ]


def test_override_heading_figure_and_paragraph():
    raw = "标题\n\n小节名称\n\n正文一句。\n\n图一\n\n甲\n\n乙\n\n正文二句，\n\n未完\n"
    got = _ingest(
        raw,
        override=[
            {"action": "heading", "at": "小节名称"},
            {"action": "figure", "from": "图一", "to": "乙"},
            {"action": "paragraph", "at": "未完"},
        ],
    )
    assert got == [
        ("title", "标题"),
        ("heading", "小节名称"),
        ("paragraph", "正文一句。"),
        ("figure", "图一\n甲\n乙"),
        ("paragraph", "正文二句，未完"),
    ]


@pytest.mark.parametrize(
    "override, message",
    [
        ({"action": "break", "at": "不存在的文字"}, r"override #1.*snippet '不存在的文字' not found"),
        ({"action": "break", "at": "内容"}, r"override #1.*occurs 2 times \(lines 3, 3\)"),
        ({"action": "figure", "from": "第三段"}, r"override #1.*needs `from` and `to`"),
        ({"action": "furniture", "at": "页脚说明"}, r"override #1.*needs a `reason`"),
        ({"action": "explode", "at": "x"}, r"override #1: key action.*allowed: one of break, join"),
        ({"action": "join", "at": "第一段"}, r"must end at the end of a line"),
    ],
)
def test_bad_overrides(override, message):
    with pytest.raises(SeedError, match=message):
        _ingest(RAW, override=[override])


def test_correction_is_applied_and_recorded():
    doc = ingest_bytes(
        Path("x.txt"),
        RAW.encode(),
        parse_sidecar(
            Path("x.toml"),
            {
                "source": {"slug": "x", "kind": "article"},
                "correction": [{"find": "需要换行", "replace": "需换行", "note": "测试"}],
            },
        ),
    )
    block = next(b for b in doc.blocks if b.corrections)
    assert block.text == "第三段的文字较长较长较长较长，需换行才能完成。"
    assert block.uncorrected_text() == "第三段的文字较长较长较长较长，需要换行才能完成。"
    assert block.text[block.corrections[0].start :].startswith("需换行")


def test_correction_not_found():
    with pytest.raises(SeedError, match=r"x.toml: correction #1: `find` text '没有' not found"):
        _ingest(RAW, correction=[{"find": "没有", "replace": "有", "note": "n"}])


# The hot path of ingestion measured once (issue 18): the same answers as the
# plain definitions, whatever the line.
_LINE_TEXT = st.text(alphabet="0123456789 -–—第页/Pagepa，。！？”“」：中文字abc\n", max_size=12)


@given(_LINE_TEXT)
def test_page_number_pattern_is_any_of_the_forms(text):
    forms = [re.compile(f"^{form}$") for form in PAGE_NUMBER_FORMS]
    assert is_page_number(text) == any(form.match(text) for form in forms)


@given(_LINE_TEXT, _LINE_TEXT)
def test_line_end_follows_its_text(first, second):
    line = Line(1, first)
    assert line.end == end_class(first)
    assert dataclasses.replace(line, text=second).end == end_class(second)
    line.text = second  # a text set later is measured again
    assert line.end == end_class(second)
