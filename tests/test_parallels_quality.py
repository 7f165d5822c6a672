"""Parallels worth reading (issue 22): a minimum shared run, identical wordings as one
entry, differences that read as words, and the precision of what the margins show
measured on a hand-checked sample (tests/data/parallels/precision-sample.tsv)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.notes import lemma, quoted
from reader.core.parallels import (
    CONTEXT,
    ELIDED,
    MIN_RUN,
    Passage,
    diff_ops,
    elide_ops,
    find_parallels,
    index_parallels,
    normalise,
)
from reader.core.pipeline import load_collection

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "data" / "parallels" / "precision-sample.tsv"

# Filler drawn from two disjoint alphabets, so that only what a test puts in both
# paragraphs is shared.
LEFT = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
RIGHT = "金木水火土日月星辰山川江河湖海风云雷电霜雪雨露"
STOCK = ["因地制宜发展新质生产力", "推动高质量发展", "加快实现高水平科技自立自强", "培育壮大新兴产业", "新发展格局"]
CLAUSE = "要及时将科技创新成果应用到具体产业和产业链上，改造提升传统产业"


def filler(alphabet: str):
    return st.text(alphabet=alphabet, min_size=20, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(filler(LEFT), min_size=4, max_size=4), st.lists(filler(RIGHT), min_size=4, max_size=4))
def test_stock_phrases_alone_never_make_a_parallel(left, right):
    # Both paragraphs share every stock phrase (each shorter than MIN_RUN), and only those.
    a = "，".join(x + p for x, p in zip(left, STOCK, strict=False)) + "。"
    b = "，".join(p + x for x, p in zip(right, STOCK, strict=False)) + "。"
    assert all(len(normalise(p)) < MIN_RUN for p in STOCK)
    assert find_parallels([Passage(("a", "p1"), a), Passage(("b", "p1"), b)]) == []


@settings(max_examples=60, deadline=None)
@given(filler(LEFT), filler(RIGHT))
def test_a_shared_clause_makes_a_parallel(left, right):
    a, b = left + "。" + CLAUSE + "。", "据报道，" + CLAUSE + "，" + right + "。"
    found = find_parallels([Passage(("a", "p1"), a), Passage(("b", "p1"), b)])
    assert {p.this for p in found} == {("a", "p1"), ("b", "p1")}


def test_counter_example_three_stock_phrases_on_an_unseen_article():
    # Issue 22: parallels sharing runs of 8, 8 and 11 characters only.
    a = "各地要坚持从实际出发，因地制宜发展新质生产力，先立后破，统筹推进深层次改革，以改革激发活力，不搞一哄而上。"
    b = "本市召开会议部署工作，提出因地制宜发展新质生产力，并要求统筹推进深层次改革，同时以改革激发活力，抓好落实。"
    assert find_parallels([Passage(("a", "p1"), a), Passage(("b", "p1"), b)]) == []


def test_identical_wordings_are_one_entry():
    quote = (
        "概括地说，新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径，具有高科技、高效能、高质量特征。"
    )
    passages = [
        Passage(("a", "p1"), "讲话指出：" + quote),
        Passage(("b", "p1"), quote),
        Passage(("b", "p4"), quote),
        Passage(("c", "p2"), quote.replace("概括地说，", "")),
    ]
    index = index_parallels(passages)
    entries = index.strongest_wordings(0, 3)
    assert [[p.other for p in entry] for entry in entries][0] == [("b", "p1"), ("b", "p4")]
    assert len(entries) == 2  # the copies once, then the other wording
    # Each copy sees the other copy as its strongest parallel.
    assert index.strongest_wordings(1, 1)[0][0].other == ("b", "p4")


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="新质生产力发展创新，。的是要", max_size=60),
    st.text(alphabet="新质生产力发展创新，。的是要", max_size=60),
)
def test_a_diff_gives_back_both_wordings(a, b):
    ops = diff_ops(a, b)
    assert "".join(t for op, t in ops if op != "+") == a
    assert "".join(t for op, t in ops if op != "-") == b
    assert all(t for _op, t in ops)


def test_counter_example_no_coincidences_inside_a_rewritten_stretch():
    # Issue 22: beside 讲话 p1 a parallel paired "展新" across about 100 changed characters.
    a = "中共中央政治局1月31日下午就扎实推进高质量发展进行第十一次集体学习。"
    b = "发展新质生产力是推动高质量发展的内在要求和重要着力点，必须继续做好创新这篇大文章，推动新质生产力加快发展。"
    check_no_coincidences(diff_ops(a + "各方面都在学习。", b + "各方面都在学习。"))


def check_no_coincidences(ops):
    """No stretch of under 5 equal characters between two changes both larger than it."""

    def size(k: int, step: int) -> int:
        sizes = {"-": 0, "+": 0}
        while 0 <= k < len(ops) and ops[k][0] != "=":
            sizes[ops[k][0]] += len(ops[k][1])
            k += step
        return max(sizes.values())

    for k in range(1, len(ops) - 1):
        if ops[k][0] == "=":
            n = len(ops[k][1])
            assert n >= 5 or n >= min(size(k - 1, -1), size(k + 1, 1)), ops


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet="新质生产力发展创新推动高质量", min_size=10, max_size=80),
    st.text(alphabet="新质生产力发展创新推动高质量", min_size=10, max_size=80),
)
def test_diffs_hold_no_coincidences(a, b):
    check_no_coincidences(diff_ops(a, b))


def test_note_lemma_names_the_phrase_once_without_doubled_quotes():
    assert lemma("新瓶装旧酒", "“新瓶装旧酒”比喻只换外在形式") == ""
    assert lemma("“牛鼻子”", "俗语“牵牛要牵牛鼻子”") == "“牛鼻子”"
    assert lemma("政府“有形之手”和市场“无形之手”", "“无形之手”即") == "“政府‘有形之手’和市场‘无形之手’”"


@given(st.text(alphabet="新质生产力“”‘’的", min_size=1, max_size=12), st.text(alphabet="新质生产力“”的。", max_size=20))
def test_a_lemma_never_doubles_its_quotes(phrase, text):
    head = lemma(phrase, text)
    assert "““" not in head and "””" not in head
    if head:
        assert head == quoted(phrase) and head.count("“") == 1


def read_sample() -> dict[tuple[str, str], str]:
    verdicts = {}
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            this, other, _run, _text, verdict, *_why = line.split("\t")
            verdicts[(this, other)] = verdict
    return verdicts


def test_precision_of_the_shown_parallels_on_the_hand_checked_sample():
    verdicts = read_sample()
    assert len(verdicts) >= 50
    coll = load_collection(ROOT)
    shown = [
        (f"{doc.slug}-{anchor}", item["ref"])
        for doc in coll.docs
        for anchor, margin in doc.parallels.items()
        for item in margin.shown
    ]
    unchecked = [pair for pair in shown if pair not in verdicts]
    assert not unchecked, f"parallels shown but never checked by hand (add them to {SAMPLE.name}): {unchecked}"
    precision = sum(verdicts[pair] == "yes" for pair in shown) / len(shown)
    assert precision >= 0.95, precision


# ---------------------------------------------------------------- the margin's comparison


def _runs(ops, side):
    """One wording's text between the stretches left out."""
    mine = "=-" if side == "this" else "=+"
    runs = [""]
    for op in ops:
        if op[0] == ELIDED:
            runs.append("")
        elif op[0] in mine:
            runs[-1] += op[1]
    return runs


def check_elided(a, b):
    full, short = diff_ops(a, b), elide_ops(diff_ops(a, b))
    if a == b:
        assert short == []
        return
    # Every difference is kept whole and in order; the shared text kept is at
    # most a clause either side of one; the rest is left out as one mark per stretch.
    assert [op for op in short if op[0] in "-+"] == [op for op in full if op[0] in "-+"]
    # (shared text beside a mark is at most CONTEXT; a stretch kept whole saved too
    # little to leave out: under CONTEXT beyond its two leads)
    for k, op in enumerate(short):
        if op[0] == "=":
            beside = {short[j][0] for j in (k - 1, k + 1) if 0 <= j < len(short)}
            assert len(op[1]) <= (CONTEXT if ELIDED in beside else 3 * CONTEXT - 1), (k, short)
    assert all(x[0] != ELIDED or y[0] != ELIDED for x, y in itertools.pairwise(short))
    # Each wording can be read back: its runs occur in order, with text between them.
    for side, text in (("this", a), ("other", b)):
        pattern = "(?s)" + ".+".join(re.escape(run) for run in _runs(short, side))
        assert re.fullmatch(pattern, text), (side, short)
    # What is left out is worth leaving out: at least CONTEXT characters a time.
    left_out = sum(len(op[1]) for op in full if op[0] == "=") - sum(len(op[1]) for op in short if op[0] == "=")
    assert left_out >= CONTEXT * sum(op[0] == ELIDED for op in short)


ELISION_CASES = [
    # (this paragraph, the other): a change in a long paragraph keeps its clause.
    (
        "第二，以科技创新推动产业创新。科技成果转化为现实生产力，表现形式为催生新产业、推动产业深度转型升级。"
        "因此，我们要及时将科技创新成果应用到具体产业和产业链上，改造提升传统产业，培育壮大新兴产业，布局建设未来产业。",
        "第二，以科技创新推动产业创新。科技成果转化为现实生产力，表现形式为催生新产业、推动产业深度转型升级。"
        "因此，我们要及时将科技创新成果应用到具体产业和产业链上，改造提升传统产业，布局建设未来产业。",
    ),
    ("新质生产力是创新起主导作用的先进生产力质态。", "正如前文所说，新质生产力是创新起主导作用的先进生产力质态。"),
    ("相同的一段话。", "相同的一段话。"),
    ("甲" * 200 + "乙" + "甲" * 200, "甲" * 200 + "丙" + "甲" * 200),
    # Two changes 40 characters apart: the stretch between them is kept whole
    # (40 > 2 x CONTEXT) while the long ones around are left out.
    (
        "甲乙丙丁戊己庚辛壬癸" * 10 + "一" + "子丑寅卯辰巳午未申酉" * 4 + "二" + "金木水火土" * 20,
        "甲乙丙丁戊己庚辛壬癸" * 10 + "三" + "子丑寅卯辰巳午未申酉" * 4 + "四" + "金木水火土" * 20,
    ),
]


def test_elided_comparisons_listed():
    for a, b in ELISION_CASES:
        check_elided(a, b)
    long_a, long_b = ELISION_CASES[0]
    short = elide_ops(diff_ops(long_a, long_b))
    assert short[0] == [ELIDED, ""] and ["-", "培育壮大新兴产业，"] in short
    assert ["=", "改造提升传统产业，"] in short  # the clause before the change, whole
    assert sum(len(op[1]) for op in short) < len(long_a) / 3
    assert elide_ops(diff_ops(*ELISION_CASES[1])) == diff_ops(*ELISION_CASES[1])  # short: nothing left out
    between = elide_ops(diff_ops(*ELISION_CASES[4]))
    assert [op[0] for op in between] == [ELIDED, "=", "-", "+", "=", "-", "+", "=", ELIDED]
    assert between[4] == ["=", "子丑寅卯辰巳午未申酉" * 4]


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("新质生产力发展创新，。、")), max_size=120),
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 6), st.text(alphabet="甲乙丙，", max_size=5)), max_size=4),
)
def test_elided_comparison_properties(a, edits):
    b = a
    for at, cut, insert in edits:
        at = min(at, len(b))
        b = b[:at] + insert + b[at + cut :]
    check_elided(a, b)


# The measures of a pair against their first, plain forms (issue 18 made them faster).


def reference_longest_run(where_a, where_b, common) -> int:
    from reader.core.parallels import SHINGLE

    run, best = {}, 0
    for i, shingle in sorted((i, h) for h in common for i in where_a[h]):
        for j in where_b[shingle]:
            n = run.get((i - 1, j - 1), 0) + 1
            run[(i, j)] = n
            best = max(best, n)
    return best + SHINGLE - 1 if best else 0


def reference_shared_coverage(where, common) -> int:
    from reader.core.parallels import SHINGLE

    starts = sorted(p for h in common for p in where[h])
    covered, reach = 0, -1
    for i in starts:
        start = max(i, reach + 1)
        end = i + SHINGLE - 1
        if end >= start:
            covered += end - start + 1
            reach = end
    return covered


def reference_positions(hashes: list[int]) -> dict[int, list[int]]:
    where: dict[int, list[int]] = {}
    for i, h in enumerate(hashes):
        where.setdefault(h, []).append(i)
    return where


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="新质生产力发展高水平", min_size=0, max_size=80),
    st.text(alphabet="新质生产力发展高水平", min_size=0, max_size=80),
)
def test_pair_measures_equal_their_plain_forms(a, b):
    """The coverage against its plain form; whether two wordings share a run of
    MIN_RUN characters (``run_grams``) against the longest run chained from their
    shared shingles, the measure it replaced (issue 18)."""
    from reader.core.parallels import MIN_RUN, run_grams, shared_coverage, shingle_bits, shingles

    where_a, where_b = reference_positions(shingles(a)), reference_positions(shingles(b))
    common = where_a.keys() & where_b.keys()
    shares_run = not run_grams(a).isdisjoint(run_grams(b))
    assert shares_run == (reference_longest_run(where_a, where_b, common) >= MIN_RUN)
    bits_a, bits_b = shingle_bits(shingles(a)), shingle_bits(shingles(b))
    assert shared_coverage(bits_a, common) == reference_shared_coverage(where_a, common)
    assert shared_coverage(bits_b, common) == reference_shared_coverage(where_b, common)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="新质生产力发展高水平", min_size=0, max_size=60),
    st.integers(0, 30),
    st.integers(0, 30),
    st.text(alphabet="甲乙丙", max_size=40),
    st.text(alphabet="丁戊己", max_size=40),
)
def test_a_shared_run_is_found_wherever_it_lies(run, cut_a, cut_b, pad_a, pad_b):
    """A run placed anywhere in two otherwise unrelated wordings: shared from MIN_RUN characters."""
    from reader.core.parallels import MIN_RUN, run_grams

    a = pad_a[:cut_a] + run + pad_a[cut_a:]
    b = pad_b[:cut_b] + run + pad_b[cut_b:]
    assert (not run_grams(a).isdisjoint(run_grams(b))) == (len(run) >= MIN_RUN)


# Pairs measured in worker processes (issue 18) give the index measured in one.
@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["新质生产力", "高质量发展的首要任务", "因地制宜", "科技创新", "产业", "。", "，"]),
            max_size=30,
        ),
        min_size=2,
        max_size=12,
    )
)
def test_pairs_measured_beside_give_the_same_index(paragraphs):
    from reader.core.parallels import Passage, index_parallels

    passages = [Passage((f"s{k % 3}", f"p{k}"), "".join(words)) for k, words in enumerate(paragraphs)]
    here = index_parallels(passages, 0.2, 16, measure_beside=10**9)
    beside = index_parallels(passages, 0.2, 16, measure_beside=0)
    assert beside.related == here.related
    assert [beside.count(i) for i in range(len(passages))] == [here.count(i) for i in range(len(passages))]


# Comparisons made in worker processes (issue 18) are those made here, in order.
@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="新质生产力高发展，。因地制宜", max_size=40),
            st.text(alphabet="新质生产力高发展，。因地制宜", max_size=40),
        ),
        max_size=9,
    )
)
def test_comparisons_made_beside_are_those_made_here(pairs):
    from reader.core.parallels import diff_ops, diff_pairs

    assert diff_pairs(pairs, beside=True) == diff_pairs(pairs, beside=False) == [diff_ops(a, b) for a, b in pairs]


def test_a_cache_filled_under_higher_thresholds_gives_the_lower_ones_their_runs(tmp_path):
    """A pair failing on coverage is stored without its longest run (issue 18):
    a later build asking for less measures the run then, and finds what a build
    without the cache finds."""
    from reader.core.cache import BuildCache
    from reader.core.parallels import Passage, index_parallels

    base = "新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径的先进生产力质态。"
    passages = [
        Passage(("a", "p1"), base),
        Passage(
            ("b", "p1"), "有人说：" + base[:30] + "其余的话完全不同，讲的是另外一回事，篇幅也长得多，长得多，长得多。"
        ),
        Passage(("c", "p1"), base[10:] + "此外还有很多别的内容，与上文无关。"),
    ]
    cache = BuildCache(tmp_path / "cache.pickle")
    strict = index_parallels(passages, 0.9, 60, cache)
    assert strict.pairs() < index_parallels(passages, 0.2, 16).pairs()  # the strict build stored pairs without runs
    cache.save()
    again = BuildCache(tmp_path / "cache.pickle")
    assert index_parallels(passages, 0.2, 16, again).related == index_parallels(passages, 0.2, 16).related
