"""Navigation for a collection of any size (issue 18): the pure invariants of
``core/navigation.py`` on generated collections (Hypothesis) and listed cases."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.model import Block, Document, reading_order
from reader.core.navigation import (
    LANDING_PAGE_SIZE,
    SIDEBAR_SOURCES_MAX,
    collection_json,
    sections,
    sidebar,
)
from reader.core.render import render_collection
from reader.core.sidecar import SOURCE_KINDS

KINDS = list(SOURCE_KINDS)


def doc(
    slug: str, kind: str = "speech", date: str = "2024-01-31", author: str = "", title: str = "", **meta
) -> Document:
    meta = {
        "slug": slug,
        "kind": kind,
        **({"date": date} if date else {}),
        **({"author": author} if author else {}),
        **meta,
    }
    return Document(
        seed_name=f"{slug}.txt",
        meta=meta,
        blocks=[Block("title", title or f"标题{slug}", 1, 1), Block("paragraph", "正文。", 2, 2, id="p1")],
        furniture=[],
    )


dates = st.one_of(
    st.just(""),
    st.builds(lambda y: f"{y}", st.integers(1990, 2030)),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1990, 2030), st.integers(1, 12)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 28)),
)
collections = st.lists(
    st.tuples(st.sampled_from(KINDS), dates, st.sampled_from(["", "甲", "乙", "丙</script>"])),
    min_size=0,
    max_size=40,
).map(lambda rows: [doc(f"s{i}", kind, date, author) for i, (kind, date, author) in enumerate(rows)])


@settings(max_examples=60, deadline=None)
@given(collections)
def test_every_source_is_in_one_kind_and_one_year_section_in_reading_order(docs):
    found = sections(docs)
    order = [d.slug for d in reading_order(docs)]
    for group in ("kind", "year"):
        listed = [slug for s in found if s.group == group for slug in s.slugs]
        assert sorted(listed) == sorted(order)  # each source exactly once
        for s in found:
            if s.group == group:
                assert s.slugs, "no empty section"
                assert s.slugs == [slug for slug in order if slug in set(s.slugs)]  # reading order
    keys = [s.key for s in found]
    assert len(keys) == len(set(keys))


@settings(max_examples=60, deadline=None)
@given(collections)
def test_the_sidebar_is_bounded_by_the_sections_not_the_collection(docs):
    model = sidebar(docs)
    assert model.entries() <= SIDEBAR_SOURCES_MAX + len(sections(docs)) + 1
    if len(docs) > SIDEBAR_SOURCES_MAX:
        assert model.mode == "sections" and model.sources == []
    else:
        assert [slug for slug, _ in model.sources] == [d.slug for d in reading_order(docs)]
    for d in docs:
        assert model.kind_of[d.slug] == f"kind-{d.meta['kind']}"


@settings(max_examples=60, deadline=None)
@given(collections)
def test_collection_json_lists_every_source_in_reading_order_and_is_never_markup(docs):
    text = collection_json(docs, lambda slug: f"source/{slug}.html")
    assert "</" not in text
    data = json.loads(text)
    assert [s["slug"] for s in data["sources"]] == [d.slug for d in reading_order(docs)]
    assert all(s["url"] == f"source/{s['slug']}.html" for s in data["sources"])
    assert sum(n for _, _, n in data["kinds"]) == len(docs) == sum(n for _, _, n in data["years"])
    authors = {d.meta["author"] for d in docs if d.meta.get("author")}
    assert {a for a, _ in data["authors"]} == authors
    assert data["page_size"] == LANDING_PAGE_SIZE


def test_landing_page_holds_at_most_one_page_of_cards():
    for n in (3, LANDING_PAGE_SIZE, LANDING_PAGE_SIZE + 1, 300):
        text = render_collection([doc(f"s{i}", KINDS[i % 5], f"20{10 + i % 15}-01-01") for i in range(n)])
        assert text.count("{grid-item-card}") == min(n, LANDING_PAGE_SIZE)
        # every source stays in the (hidden) toctree: previous/next in reading order
        assert all(f"source/s{i}\n" in text for i in range(n))


def test_years_oldest_first_undated_last_and_kinds_in_schema_order():
    docs = [
        doc("a", "article", "2025-02"),
        doc("b", "speech", ""),
        doc("c", "speech", "2019"),
        doc("d", "booklet", "2024-12-31"),
    ]
    found = sections(docs)
    assert [s.key for s in found] == [
        "kind-speech",
        "kind-booklet",
        "kind-article",
        "year-2019",
        "year-2024",
        "year-2025",
        "year-undated",
    ]
    assert found[0].slugs == ["c", "b"]  # undated sorts last
    assert [s.label for s in found if s.group == "year"] == ["2019年", "2024年", "2025年", "未注明年份"]


def test_sidebar_digest_follows_what_the_sidebar_shows():
    small = [doc(f"s{i}") for i in range(3)]
    retitled = small[:2] + [doc("s2", title="新标题")]
    assert sidebar(small).digest() != sidebar(retitled).digest()  # a listed title changed
    large = [doc(f"s{i}", date="2024-01-01") for i in range(SIDEBAR_SOURCES_MAX + 1)]
    one_more = large + [doc("z", date="2024-05-01")]
    new_year = large + [doc("z", date="2023-05-01")]
    model = sidebar(large)
    # the sidebar shows no counts: a source added to a section rewrites no other page
    assert model.digest() == sidebar(one_more).digest()
    assert model.digest() != sidebar(new_year).digest()
    assert model.digest() == sidebar(list(reversed(large))).digest()
