"""Parallels at the scale of a large collection (issue 18): the capped queries a
build uses give exactly what the uncapped ones give, cut at the cap, on generated
collections where a few wordings recur verbatim or edited in many paragraphs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.parallels import Passage, index_parallels

BASE = [
    "发展新质生产力是推动高质量发展的内在要求和重要着力点，必须继续做好创新这篇大文章，推动新质生产力加快发展。",
    "科技创新能够催生新产业、新模式、新动能，是发展新质生产力的核心要素，必须加强科技创新特别是原创性、颠覆性科技创新。",
    "绿色发展是高质量发展的底色，新质生产力本身就是绿色生产力，必须加快发展方式绿色转型，助力碳达峰碳中和。",
]


def wording(base: int, drop: int) -> str:
    clauses = BASE[base].split("，")
    if drop and len(clauses) > 2:
        del clauses[drop % (len(clauses) - 1) + 1]
    return "，".join(clauses)


collections = st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 3)), min_size=2, max_size=60)


@settings(max_examples=40, deadline=None)
@given(collections, st.integers(1, 4), st.integers(1, 5))
def test_capped_queries_equal_the_uncapped_cut_at_the_cap(rows, k, limit):
    passages = [Passage((f"s{n:03d}", "p1"), wording(b, d)) for n, (b, d) in enumerate(rows)]
    index = index_parallels(passages, 0.2, 24)
    for i in range(len(passages)):
        full = index.strongest_wordings(i, k)
        capped = index.strongest_wordings_capped(i, k, limit)
        assert capped == [(copies[:limit], len(copies)) for copies in full]
        shown = sum(len(c) for c in full)
        assert index.others_after(i, len(full), limit) == index.others(i, shown + limit)[shown:]


# ---------------------------------------------------------------- the parallels pages


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 60), max_size=40), st.integers(1, 7), st.integers(1, 4), st.integers(0, 5))
def test_parallels_pages_partition_the_clusters_in_order(sizes, per_page, quoted, named):
    """Every cluster on exactly one page, in order, numbered on across the pages,
    at most ``per_page`` a page; each cluster counts all its paragraphs and quotes
    and names at most the caps; the pages link to their neighbours only."""
    import json
    import re
    from types import SimpleNamespace

    import pytest

    from reader.core import render

    members = [
        [{"ref": f"s{k}-p{j}", "title": "题", "date": "", "number": str(j), "text": f"第{j}段"} for j in range(size)]
        for k, size in enumerate(sizes)
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "MAX_CLUSTERS_PER_PAGE", per_page)
        patch.setattr(render, "MAX_CLUSTER_QUOTED", quoted)
        patch.setattr(render, "MAX_CLUSTER_NAMED", named)
        pages = render.render_parallels(SimpleNamespace(parallel_clusters=members))
    count = max(1, -(-len(sizes) // per_page))
    assert list(pages) == [render.parallels_page_name(n) for n in range(1, count + 1)]
    seen = []
    for n, text in enumerate(pages.values(), 1):
        found = re.findall(r"```\{reader-cluster\} (\d+)\n(?:---\ntotal: \"(\d+)\"\n---\n)?(.*?)```", text, re.S)
        assert 0 < len(found) <= per_page or not sizes
        for number, total, body in found:
            cluster = members[int(number) - 1]
            listed = [json.loads(line) for line in body.splitlines() if line.startswith("{")]
            assert int(total or len(listed)) == len(cluster)
            assert [m["ref"] for m in listed] == [m["ref"] for m in cluster[: quoted + named]]
            assert sum("text" in m for m in listed) == min(len(cluster), quoted)
            seen.append(int(number))
        links = re.findall(r"\]\((parallels(?:-\d+)?\.md)\)", text)
        neighbours = [render.parallels_page_name(m) for m in (n - 1, n + 1) if 1 <= m <= count]
        assert sorted(set(links)) == sorted(neighbours)
        assert ("orphan: true" in text) == (n > 1)
    assert seen == list(range(1, len(sizes) + 1))


# ---------------------------------------------------------------- margins made once per signature


def _rows(rows: list[tuple[int, int, bool]]) -> list[str]:
    """A paragraph of BASE per row, a clause dropped or not, re-punctuated or not
    (the same wording in another text)."""
    return [wording(base, drop).replace("，", "；", 1 if repunctuated else 0) for base, drop, repunctuated in rows]


def _collection(tmp_path, texts: list[str]):
    """A project of one source per text: the text, then a paragraph of its own;
    loaded as a build loads it."""
    import shutil
    from pathlib import Path

    from reader.core.pipeline import load_collection

    minimal = Path(__file__).parent / "roots" / "test-minimal"
    sidecar = (minimal / "seeds" / "one.toml").read_text(encoding="utf-8")
    shutil.rmtree(tmp_path, ignore_errors=True)
    (tmp_path / "seeds").mkdir(parents=True)
    for n, text in enumerate(texts):
        seed = f"第{n}篇\n\n作者乙\n\n{text}\n\n这是第{n}篇自己的段落，内容完整，到此为止。\n"
        (tmp_path / "seeds" / f"{n:03d}.txt").write_text(seed, encoding="utf-8")
        (tmp_path / "seeds" / f"{n:03d}.toml").write_text(
            sidecar.replace('slug = "one"', f'slug = "s{n:03d}"'), encoding="utf-8"
        )
    return load_collection(tmp_path)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.booleans()), min_size=2, max_size=40))
def test_margins_made_once_per_signature_are_each_paragraphs_own(tmp_path_factory, rows):
    """A margin is made once for the copies of a wording with the same text (but
    the first few, which the others name): each paragraph's margin is the one
    made for it alone, on collections where a wording recurs up to forty times."""
    from reader.core.pipeline import DEFAULT_PARALLELS, attach_parallels

    coll = _collection(tmp_path_factory.mktemp("margins"), _rows(rows))
    shared = {doc.slug: dict(doc.parallels) for doc in coll.docs}
    attach_parallels(coll, DEFAULT_PARALLELS, shared_margins=False)
    assert {doc.slug: doc.parallels for doc in coll.docs} == shared


def test_margins_made_once_name_the_copies_first_in_reading_order(tmp_path):
    """Twenty copies of one paragraph: each margin names up to five others, never itself."""
    coll = _collection(tmp_path, _rows([(0, 0, False)] * 20))
    for doc in coll.docs:
        (margin,) = [m for m in doc.parallels.values()]
        named = [margin.shown[0]["ref"], *(c["ref"] for c in margin.shown[0]["copies"])]
        assert f"{doc.slug}-p1" not in named and len(named) == 5
        assert margin.shown[0]["more_copies"] == 19 - 5


def test_margins_made_once_list_the_copies_of_their_own_wording_without_themselves(tmp_path):
    """Paragraphs quoting a passage twice share more characters with it than its
    copies do, so the copies' own wording comes after three others: in the list of
    "N more", where the first MAX_LISTED copies are named (never in their own)."""
    from reader.core.pipeline import DEFAULT_PARALLELS, MAX_LISTED, attach_parallels

    text = BASE[0]
    twice = [text + joint + text for joint in ("又说", "再说", "还说", "重申")]
    coll = _collection(tmp_path, twice + [text] * (MAX_LISTED + 6))
    listed = {doc.slug: [p["ref"] for m in doc.parallels.values() for p in m.more_places] for doc in coll.docs}
    assert "s004-p1" in listed["s005"] and "s005-p1" in listed["s004"]  # the copies, named beside each other
    for slug, refs in listed.items():
        assert f"{slug}-p1" not in refs
    shared = {doc.slug: dict(doc.parallels) for doc in coll.docs}
    attach_parallels(coll, DEFAULT_PARALLELS, shared_margins=False)
    assert {doc.slug: doc.parallels for doc in coll.docs} == shared
