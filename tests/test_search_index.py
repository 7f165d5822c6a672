"""The paragraph search index (reader/core/searchindex.py), in pure Python: the
promises of its docstring on the real collection and on generated cases."""

from __future__ import annotations

import json
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.pipeline import load_collection
from reader.core.searchindex import (
    IS_HAN,
    Para,
    SearchIndex,
    Source,
    collection_index,
    decode_postings,
    encode_postings,
    fnv1a,
    fold_text,
    make_fold,
    query_words,
    tokens,
    word_tokens,
)

ROOT = Path(__file__).resolve().parent.parent
CONVERTERS = [opencc.OpenCC(c).convert for c in ("s2t", "s2tw", "s2hk")]
TO_HANT = opencc.OpenCC("s2tw").convert


def index_of(coll, convert=None) -> SearchIndex:
    return collection_index(coll, convert, words=["生产力", "新质", "创新", "科技创新"])


@pytest.fixture(scope="module")
def collection():
    return load_collection(ROOT)


@pytest.fixture(scope="module", params=["hans", "hant"])
def index(request, collection):
    return index_of(collection, TO_HANT if request.param == "hant" else None)


# What the "Done when" asks of the ranking (the same in both variants).
RANKED = [
    ("新质生产力", "neizai-yaoqiu#p6", 2),  # the speech's definition
    ("全要素生产率", "neizai-yaoqiu#p6", 3),
    ("先立后破", "yindi-zhiyi#p7", 3),
    ("劳动者 劳动资料 劳动对象", "neihan-tezheng#p2", 3),  # 以劳动者、劳动资料、劳动对象…为基本内涵
    ("新質生產力", "neizai-yaoqiu#p6", 2),  # traditional input
    ("科技創新", None, 0),
    ("科技创新", None, 0),
]


@pytest.mark.parametrize("query, anchor, top", RANKED, ids=[r[0] for r in RANKED])
def test_ranking(index, query, anchor, top):
    hits = [index.anchor(pid) for pid in index.search(query)]
    assert hits, query
    if anchor:
        assert anchor in hits[:top], hits[:5]


def test_every_hit_holds_the_query_and_every_holder_is_a_hit(index):
    for query in ("新质生产力", "发展", "生产力", "因地制宜"):
        word = fold_text(query, index.fold)
        expected = {pid for pid, text in enumerate(index.folded) if word in text}
        assert set(index.search(query)) == expected


def test_near_miss_suggests_the_term(index):
    assert index.search("新质生产率") == []
    suggestion = index.suggest("新质生产率")
    assert fold_text(suggestion, index.fold) == "新质生产力"
    assert index.suggest("新质生产力") == ""


def test_pinyin_reaches_terms_and_words(index):
    assert "新质生产力" in index.pinyin["xin"]["xinzhishengchanli"]
    assert "生产力" in index.pinyin["sheng"]["shengchanli"]
    term = next(t for t in index.terms if "新质生产力" in t[0])
    assert term[1] == "xzscl" and term[2] == "xinzhishengchanli"
    assert index.paras[term[3]][1].anchor == "p6"


def test_files_are_scripts_and_a_query_loads_a_small_part(index):
    files = index.files()
    assert all(text.startswith('READER_SEARCH.add("') for text in files.values())
    meta = json.loads(files["meta.js"][files["meta.js"].index(",") + 1 : files["meta.js"].rindex(")")])
    assert meta["paragraphs"] == len(index.paras)
    # Every token lives in the shard its hash names (the browser computes the same).
    for name, text in files.items():
        if name.startswith("t/"):
            shard = int(name[2:-3])
            data = json.loads(text[text.index(",") + 1 : text.rindex(")")])
            assert all(fnv1a(tok) % meta["shards"] == shard for tok in data)
    needed = index.query_files("新质生产力")
    assert set(needed) <= set(files)
    total = sum(len(text.encode("utf-8")) for text in files.values())
    assert sum(len(files[n].encode("utf-8")) for n in needed) < total / 2


def test_fnv1a_matches_the_reference():
    # FNV-1a 32-bit over code points; values the browser's Math.imul version gives.
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("新质") == fnv1a("新质")


def test_fold_maps_one_character_to_one():
    fold = make_fold(set("发展干部头发乾坤"), CONVERTERS, [("头发", TO_HANT("头发"))])
    assert fold["發"] == "发" and fold["髮"] == "发"
    assert "乾" not in fold  # written so in the simplified text: never folded away
    text = "發展ＡＢＣ新質生產力"
    assert len(fold_text(text, fold)) == len(text)
    assert fold_text("ＡＢＣ", fold) == "abc"


# ------------------------------------------------------------------ generated


@pytest.fixture(scope="module")
def real_paragraphs(collection):
    return [b.text for d in collection.docs for b in d.citable_blocks()][:80]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_stretch_of_any_paragraph_finds_it_in_either_script(real_paragraphs, data):
    """Recall and folding: a stretch of a paragraph, typed in simplified or
    traditional, finds that paragraph; every hit holds the stretch."""
    texts = data.draw(st.lists(st.sampled_from(real_paragraphs), min_size=1, max_size=6, unique=True))
    hant = data.draw(st.booleans())
    convert = TO_HANT if hant else (lambda t: t)
    paras = [Para(f"p{i + 1}", str(i + 1), convert(t)) for i, t in enumerate(texts)]
    chars = set("".join(texts))
    fold = make_fold(chars, CONVERTERS, [(t, convert(t)) for t in texts])
    index = SearchIndex([Source("s", "标题", "s.html", "speech", "讲话", "2024", paras)], [], fold)
    which = data.draw(st.integers(0, len(texts) - 1))
    text = texts[which]
    start = data.draw(st.integers(0, len(text) - 1))
    stretch = text[start : start + data.draw(st.integers(1, 12))]
    if not query_words(stretch, fold):
        return
    typed = data.draw(st.sampled_from([stretch, TO_HANT(stretch)]))
    hits = index.search(typed)
    words = query_words(typed, fold)
    # Latin letters and digits match whole words (2024, not 2 of 2024).
    whole = all(tok in tokens(index.folded[which]) for w in words for tok in word_tokens(w) if not IS_HAN.match(tok))
    if len(words) == 1 and whole:
        assert which in hits, (typed, words)
    for pid in hits:
        assert any(w in index.folded[pid] for w in words)
    for word in words:
        assert word_tokens(word)


@given(
    st.lists(st.integers(0, 40_000), unique=True).map(sorted),
    st.lists(st.integers(1, 31), min_size=1),
    st.lists(st.booleans(), min_size=1),
)
def test_postings_round_trip(pids, weights, heads):
    plist = [(pid, weights[i % len(weights)] + (100 if heads[i % len(heads)] else 0)) for i, pid in enumerate(pids)]
    assert decode_postings(encode_postings(plist)) == plist


def test_latin_and_digits_match_whole_words():
    """Counter-example found by Hypothesis: the stretch "2" of "2024年" is not a
    word; Latin letters and digits match whole words."""
    fold = make_fold(set("年发展"), CONVERTERS)
    paras = [Para("p1", "1", "2024年发展AI"), Para("p2", "2", "二〇二四年")]
    index = SearchIndex([Source("s", "标题", "s.html", "speech", "讲话", "2024", paras)], [], fold)
    assert index.search("2") == []
    assert index.search("2024") == [0]
    assert index.search("ai") == index.search("ＡＩ") == [0]


def reference_postings(index: SearchIndex) -> dict[str, list[tuple[int, int]]]:
    """BM25 weights as the index defines them, computed the plain way (a Counter
    per paragraph, tuples): the oracle for the compact arrays."""
    from collections import Counter

    from reader.core.searchindex import IS_HAN, K1, B, fold_text, tokens

    counts = [Counter(tokens(text)) for text in index.folded]
    lengths = [sum(n for t, n in c.items() if len(t) != 1 or not IS_HAN.match(t)) or 1 for c in counts]
    avgdl = sum(lengths) / max(1, len(lengths))
    out: dict[str, list[tuple[int, int]]] = {}
    for pid, counter in enumerate(counts):
        si, para = index.paras[pid]
        context = set(tokens(fold_text(para.heading + " " + index.sources[si].title, index.fold)))
        norm = K1 * (1 - B + B * lengths[pid] / avgdl)
        for tok, tf in counter.items():
            weight = max(1, min(31, round(10 * tf * (K1 + 1) / (tf + norm))))
            out.setdefault(tok, []).append((pid, weight + (100 if tok in context else 0)))
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "第一部分", "新质生产力"]),
            st.text(alphabet=st.sampled_from(list("新质生产力发展创新AI 2024，。")), min_size=1, max_size=60),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_compact_postings_equal_the_plain_computation(rows):
    fold = make_fold(set("".join(t for _h, t in rows)), CONVERTERS, [])
    paras = [Para(f"p{i + 1}", str(i + 1), text, heading) for i, (heading, text) in enumerate(rows)]
    half = len(paras) // 2
    index = SearchIndex(
        [
            Source("a", "新质生产力", "a.html", "speech", "讲话", "2024", paras[:half]),
            Source("b", "标题", "b.html", "article", "文章", "2025", paras[half:]),
        ],
        [],
        fold,
    )
    expected = reference_postings(index)
    assert dict(index.postings.items()) == expected
    assert set(index.postings) == set(expected) and len(index.postings) == len(expected)
    assert all(index.postings.get(tok) == plist for tok, plist in expected.items())
    assert index.postings.get("不在索引中的词") is None
    # What the index files hold, written without the tuples, equals their encoding.
    assert all(index.postings.encoded(tok) == encode_postings(plist) for tok, plist in expected.items())


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.dictionaries(st.characters(), st.characters(), max_size=5))
def test_fold_text_is_fold_char_of_every_character(text, fold):
    from reader.core.searchindex import Fold, fold_char

    expected = "".join(fold_char(ch, fold) for ch in text)
    assert fold_text(text, fold) == expected
    kept = Fold(fold)  # make_fold's kind, with its table kept and filled as it goes
    assert fold_text(text, kept) == expected and fold_text(text[::-1], kept) == expected[::-1]


def test_encoded_postings_with_gaps_of_several_digits():
    """Paragraphs far apart (gaps of 32 and more take several digits) and a token
    counted more often than the tabulated counts: the same as ``encode_postings``."""
    texts = ["发展" * (i % 7 + 1) if i in (0, 33, 1100, 1101, 40_000) else f"第{i}段" for i in range(40_001)]
    fold = make_fold(set("".join(texts[:50])), CONVERTERS, [])
    paras = [Para(f"p{i + 1}", str(i + 1), text) for i, text in enumerate(texts)]
    index = SearchIndex([Source("s", "标题", "s.html", "speech", "讲话", "2024", paras)], [], fold)
    plist = index.postings["发展"]
    assert [pid for pid, _ in plist] == [0, 33, 1100, 1101, 40_000]
    assert {code for _, code in plist} != {plist[0][1]}  # weights differ: several counts
    assert index.postings.encoded("发展") == encode_postings(plist)
