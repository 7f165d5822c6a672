"""Front and back matter: recognised from whole lines, never a heading or part of a
paragraph, shown as byline/dateline/source/colophon blocks, feeding the citation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.frontmatter import derive_meta, meta_kind, print_furniture
from reader.core.model import strip_author
from reader.core.render import citation_template
from reader.core.segment import ingest_bytes
from reader.core.sidecar import parse_sidecar

from .corpus import golden_blocks, wrap

META_LINES = {
    "新华社北京2月1日电": "dateline",
    "本报北京11月21日电（记者王晓明）": "dateline",
    "2025年11月21日": "dateline",
    "2024年03月05日 08:15": "dateline",
    "2024-03-05 08:15 来源：人民网－人民日报": "dateline",
    "发布时间：2024-03-05 08:15": "dateline",
    "来源：人民网－人民日报": "source",
    "来源：新华社": "source",
    "http://theory.people.com.cn/n1/2024/0306/c40531-40189.html": "source",
    "作者：王晓明": "byline",
    "文/李建华": "byline",
    "文 ◆ 习近平经济思想研究中心": "byline",
    "本报记者 王晓明 陈思远": "byline",
    "陈思远 撰文": "byline",
    "（作者为中国社会科学院经济研究所研究员）": "byline",
    "（王晓明为中央党校教授）": "byline",
    "责任编辑：刘晓燕": "colophon",
    "（责任编辑：刘晓燕）": "colophon",
    "【纠错】 【责任编辑：刘晓燕】": "colophon",
}
NOT_META = [
    "2023年9月7日，习近平总书记在新时代推动东北全面振兴座谈会上强调",  # a sentence
    "（2024年3月5日在参加十四届全国人大二次会议江苏代表团审议时的讲话）",  # an excerpt's dated source
    "文化是民族的血脉",
    "记者从国家发展改革委获悉，今年一季度",
    "作者们认为，新质生产力",
    "【会议概况】",
    "深刻认识新质生产力的基本内涵",
]


@pytest.mark.parametrize("line", sorted(META_LINES))
def test_meta_line_is_recognised(line):
    assert meta_kind(line)[0] == META_LINES[line]


@pytest.mark.parametrize("line", NOT_META)
def test_text_is_not_meta(line):
    assert meta_kind(line) is None


def test_print_headers_and_footers():
    assert print_furniture("2024/3/6 08:15 新质生产力新在哪里？_人民网")
    assert print_furniture("http://paper.people.com.cn/rmrb/html/2024-03/06/nw.D110000renmrb.htm  1/3")
    assert not print_furniture("http://paper.people.com.cn/rmrb/html/2024-03/06/nw.D110000renmrb.htm")
    assert not print_furniture("2024年3月6日，习近平总书记在")


def _sidecar(**meta):
    return parse_sidecar(Path("x.toml"), {"source": {"slug": "x", "kind": "article", **meta}})


def _doc(text: str, **meta):
    return ingest_bytes(Path("x.txt"), text.encode(), _sidecar(**meta))


PARAS = [
    "新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径，具有高科技、高效能、高质量特征的先进生产力质态。",
    "发展新质生产力是推动高质量发展的内在要求和重要着力点，必须继续做好创新这篇大文章，推动新质生产力加快发展。",
    "要及时将科技创新成果应用到具体产业和产业链上，改造提升传统产业，培育壮大新兴产业，布局建设未来产业。",
]


def _article(front: list[str], back: list[str], title="新质生产力新在哪里？", width=20) -> str:
    lines = [title, *front]
    for para in PARAS:
        lines += wrap(para, width - 2, width)
    lines += back
    return "".join(f"{line}\n\n" for line in lines)


names = st.text(alphabet="王李陈刘赵孙周吴晓明建华思远燕国庆立新文静海涛", min_size=2, max_size=4)
dates = st.tuples(st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 28))
places = st.sampled_from(["北京", "上海", "杭州", "成都", "乌鲁木齐"])


@st.composite
def front_lines(draw):
    name, (y, m, d), place = draw(names), draw(dates), draw(places)
    byline = draw(st.sampled_from([f"作者：{name}", f"文/{name}", f"本报记者 {name}", f"{name} 撰文"]))
    dateline = draw(
        st.sampled_from(
            [
                f"新华社{place}{m}月{d}日电",
                f"{y}年{m}月{d}日",
                f"{y}年{m:02d}月{d:02d}日 09:{d:02d}",
                f"发布时间：{y}-{m:02d}-{d:02d}",
            ]
        )
    )
    source = draw(st.sampled_from(["来源：人民网－人民日报", "来源：新华网", f"来源：《求是》{y}年第{m}期"]))
    lines = draw(st.permutations([("byline", byline), ("dateline", dateline), ("source", source)]))
    back = [("colophon", f"责任编辑：{draw(names)}")]
    return list(lines), back


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_lines(), st.integers(16, 34))
def test_front_matter_never_heading_nor_in_a_paragraph(lines, width):
    front, back = lines
    doc = _doc(_article([t for _k, t in front], [t for _k, t in back], width=width))
    got = [(b.kind, b.text) for b in doc.blocks]
    assert got[0] == ("title", "新质生产力新在哪里？")
    assert got[1 : 1 + len(front)] == front
    paragraphs = [t for k, t in got if k == "paragraph"]
    assert "".join(paragraphs) == "".join(PARAS)
    # A paragraph ending exactly at the margin may run on into the next (the
    # text cannot tell): then the review report lists the join.
    joins = [d for d in doc.review if d.action == "break"]
    assert len(paragraphs) + len(joins) >= len(PARAS)
    assert got[-1] == back[0]


def test_front_matter_feeds_the_citation_unless_the_sidecar_says_otherwise():
    text = _article(["作者：王晓明", "2025年11月21日 08:15", "来源：人民网－人民日报"], ["责任编辑：刘晓燕"])
    doc = _doc(text)
    assert doc.meta["author"] == "王晓明" and doc.meta["date"] == "2025-11-21"
    assert doc.meta["origin"] == "人民网－人民日报" and doc.derived == ["author", "date", "origin"]
    assert citation_template(doc).startswith("王晓明：《新质生产力新在哪里？》（2025年11月21日），人民网－人民日报，")
    doc = _doc(text, author="韩文秀", origin="《求是》")
    assert doc.meta["author"] == "韩文秀" and doc.meta["origin"] == "《求是》" and doc.derived == ["date"]
    # Nothing after the first paragraph is front matter.
    assert derive_meta([b for b in doc.blocks if b.kind != "byline"])["date"] == "2025-11-21"


def test_sidecar_title_replaces_the_printed_title_and_author_prefix_is_dropped():
    text = _article([], [], title="韩文秀：深刻领会新质生产力")
    doc = _doc(text, author="韩文秀")
    assert doc.title == "深刻领会新质生产力"
    assert citation_template(doc).startswith("韩文秀：《深刻领会新质生产力》")
    doc = _doc(text, author="韩文秀", title="深刻领会")
    assert doc.title == "深刻领会" and doc.blocks[0].kind == "title"  # the printed title stays in the record
    assert strip_author("王晓明：标题", "李华") == "王晓明：标题"


def test_a_browser_printout_of_one_page_loses_its_header_and_footer():
    raw = "2024/3/6 08:15 新质生产力新在哪里？_人民网\n\n" + _article(["作者：王晓明"], [])
    raw += "http://theory.people.com.cn/n1/2024/0306/c40531-40189.html  1/1\n"
    doc = _doc(raw)
    assert [f.reason.split(" (")[0] for f in doc.furniture] == ["print-to-PDF header", "print-to-PDF footer"]
    assert doc.blocks[0].text == "新质生产力新在哪里？"


@pytest.mark.parametrize("kind", ["byline", "dateline", "source"])
def test_kind_overrides(kind):
    text = _article(["某某研究中心课题组"], [])
    sidecar = parse_sidecar(
        Path("x.toml"),
        {"source": {"slug": "x", "kind": "article"}, "override": [{"action": kind, "at": "某某研究中心课题组"}]},
    )
    doc = ingest_bytes(Path("x.txt"), text.encode(), sidecar)
    assert (kind, "某某研究中心课题组") in [(b.kind, b.text) for b in doc.blocks]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["000_c858e1b4996ba25d", "001_aa0614a1174eeba0", "004_dd9cf5bbd3674268"]),
    st.integers(22, 38),
    st.lists(
        st.text(alphabet="扫码关注我们编辑部联系电话投稿邮箱学习强国号图", min_size=2, max_size=9),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 10**6),
)
def test_stray_short_lines_do_not_resegment_the_page(seed, width, strays, salt):
    """A handful of short lines appended to the last page: every paragraph still comes back."""
    rng = random.Random(salt)
    # The last page: one short paragraph, then the stray lines (the case:
    # they used to measure that page's column and merge its paragraphs).
    paras = [t for k, t in golden_blocks(seed) if k == "paragraph"][:5] + [rng.choice(PARAS)]
    lines = []
    for para in paras[:-1]:
        lines += wrap(para, width - 2, width)
    raw = "新质生产力读本\n\n" + "".join(f"{line}\n\n" for line in lines) + "- 1 -\n\n"
    raw += "".join(f"{line}\n\n" for line in wrap(paras[-1], width - 2, width))
    raw += "".join(f"{s}\n\n" for s in strays)
    doc = _doc(raw)
    blocks = [b for b in doc.blocks if b.kind == "paragraph"]
    joined = {d.line for d in doc.review if d.action == "break"}
    for para in paras:
        # Exact, or merged at a margin sentence end that the review lists (inside the merged block).
        if para in [b.text for b in blocks]:
            continue
        holder = next((b for b in blocks if para in b.text), None)
        assert holder is not None, para
        assert any(holder.first_line <= line <= holder.last_line for line in joined), (para, joined)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(22, 38),
    st.lists(
        st.text(alphabet="扫码关注我们编辑部联系电话投稿邮箱学习强国号图", min_size=2, max_size=9),
        min_size=2,
        max_size=8,
    ),
    st.integers(3, 8),
)
def test_stray_lines_do_not_change_the_blocks_before_them(width, strays, last_page_lines):
    """The blocks of a page (a few lines at least: a page of one line and a few
    stray lines of its width is ambiguous) are the same with or without stray
    lines after them: the strays do not measure the column."""
    lines = []
    for para in PARAS * 2:
        lines += wrap(para, width - 2, width)
    cut = len(lines) - last_page_lines
    raw = "".join(f"{line}\n\n" for line in lines[:cut]) + "- 1 -\n\n" + "".join(f"{x}\n\n" for x in lines[cut:])
    before = [(b.kind, b.text) for b in _doc("读本\n\n" + raw).blocks]
    after = [(b.kind, b.text) for b in _doc("读本\n\n" + raw + "".join(f"{s}\n\n" for s in strays)).blocks]
    assert after[: len(before)] == before


# meta_kind tries all its patterns in one match first (issue 18): the same answer
# as trying them one by one, on lines made of the patterns' own pieces.
META_PIECES = st.sampled_from(
    ["责任编辑", "编辑", "【纠错】", "：", ":", " ", "（", "）", "(", ")", "新华社北京", "2", "12", "2024", "年", "月",
     "日", "电", "-", "/", "08:15", "来源", "人民网", "作者", "本报记者", "王晓明", "文", "系", "研究员", "http://",
     "www.", "example.cn/a", "发布时间", "撰文", "◆", "新质生产力", "，", "。"]
)  # fmt: skip


def _lines_of_each_pattern():
    from reader.core.frontmatter import META_PATTERNS

    return st.sampled_from(META_PATTERNS).flatmap(lambda p: st.from_regex(p[2], fullmatch=True))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.one_of(st.lists(META_PIECES, max_size=12).map("".join), _lines_of_each_pattern()))
def test_meta_kind_equals_its_patterns_one_by_one(text):
    from reader.core.frontmatter import MAX_META, META_PATTERNS, meta_kind
    from reader.core.text import width

    expected = None
    if width(text) <= MAX_META:
        expected = next(((kind, rule) for kind, rule, pattern in META_PATTERNS if pattern.match(text)), None)
    assert meta_kind(text) == expected
