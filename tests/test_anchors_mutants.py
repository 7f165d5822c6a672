"""``reader.core.anchors`` at its boundaries: the exact values its rules promise.

The invariant tests (test_anchors.py, test_anchor_properties.py) check what the
matcher does to whole histories; mutation testing (``make mutate``) showed which
changes to the code they let through: a checksum prefix, an error message, a
threshold moved by one.  Each test here pins one such promise on small data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from reader.core import anchors as A
from reader.core.anchors import Alias, Anchor, AnchorError, Lock, LockError, assign, checksum, validate_table

ROOT = Path(__file__).resolve().parent.parent


def _lock(texts: list[str]) -> Lock:
    return assign(None, [("paragraph", t) for t in texts])


def _ids(lock: Lock) -> list[str]:
    return [a.id for a in lock.anchors]


# ---------------------------------------------------------------- checksums, excerpts, labels


def test_checksum_is_sha256_of_the_nfc_text_without_whitespace():
    # (a published lock records these strings: the format can never change)
    assert checksum("甲 乙\n丙") == "sha256:" + hashlib.sha256("甲乙丙".encode()).hexdigest()
    assert checksum("e\u0301") == checksum("é")  # NFC
    assert checksum("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("path", sorted((ROOT / "anchors").glob("*.lock.json")), ids=lambda p: p.stem)
def test_committed_locks_validate_and_write_back_byte_for_byte(path):
    """Every committed lock passes validation and :meth:`Lock.to_json` gives back its
    tables exactly: checksums, excerpts, kinds, seals as earlier builds wrote them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for table, prefix in (("paragraphs", "p"), ("headings", "s")):
        lock = validate_table(data[table], prefix, table)
        assert lock.to_json() == data[table]


def test_excerpt_is_the_first_24_characters_then_an_ellipsis():
    assert A.excerpt("一" * 24) == "一" * 24
    assert A.excerpt("一 " * 25) == "一" * 24 + "…"
    assert A.excerpt("一二三", length=2) == "一二…"


@pytest.mark.parametrize(("anchor_id", "label"), [("p12", "12"), ("p12a", "12a"), ("s3", "3"), ("x7", "x7")])
def test_label_is_the_number_and_letters(anchor_id, label):
    assert A.label_of(anchor_id) == label


def test_lock_error_names_the_entry_when_there_is_one():
    assert str(LockError("paragraphs.anchors[2]", "bad")) == "paragraphs.anchors[2]: bad"
    assert str(LockError("", "bad")) == "bad"
    error = LockError("here", "what")
    assert (error.where, error.message) == ("here", "what")


def test_to_json_writes_history_only_when_there_is_some():
    lock = Lock(
        [
            Anchor("p1", "一二三", "note", [{"date": "2024-01-01", "checksum": checksum("旧"), "text": "旧"}]),
            Anchor("p2", "四"),
        ],
        [Alias("p3", "p1", "merged", "五")],
    )
    data = lock.to_json()
    assert data["anchors"][0] == {
        "id": "p1",
        "kind": "note",
        "checksum": checksum("一二三"),
        "excerpt": "一二三",
        "text": "一二三",
        "history": [{"date": "2024-01-01", "checksum": checksum("旧"), "text": "旧"}],
    }
    assert "history" not in data["anchors"][1] and data["anchors"][1]["kind"] == "paragraph"
    assert data["aliases"] == [{"id": "p3", "to": "p1", "reason": "merged", "excerpt": "五"}]
    assert validate_table(data, "p").to_json() == data
    assert lock.ids() == {"p1", "p2", "p3"}


def test_the_seal_binds_ids_texts_and_alias_targets():
    base = Lock([Anchor("p1", "一"), Anchor("p2", "二")], [Alias("p3", "p1", "merged")])
    variants = [
        Lock([Anchor("p2", "一"), Anchor("p1", "二")], [Alias("p3", "p1", "merged")]),
        Lock([Anchor("p1", "一"), Anchor("p2", "三")], [Alias("p3", "p1", "merged")]),
        Lock([Anchor("p1", "一"), Anchor("p2", "二")], [Alias("p3", "p2", "merged")]),
        Lock([Anchor("p1", "一"), Anchor("p2", "二")], [Alias("p3", "p1", "removed")]),
    ]
    assert len({base.seal(), *(v.seal() for v in variants)}) == 5
    rows = '[["p1","' + checksum("一") + '"],["p2","' + checksum("二") + '"],["p3","p1","merged"]]'
    assert base.seal() == "sha256:" + hashlib.sha256(rows.encode()).hexdigest()


# ---------------------------------------------------------------- the lock as input


def _table(anchors=None, aliases=None, **extra) -> dict:
    anchors = anchors if anchors is not None else [{"id": "p1", "text": "一", "checksum": checksum("一")}]
    return {"anchors": anchors, "aliases": aliases or [], **extra}


def _message(data, prefix="p", where="t") -> str:
    with pytest.raises(LockError) as info:
        validate_table(data, prefix, where)
    return str(info.value)


def test_a_table_that_is_not_an_object():
    assert _message([1]) == "t: must be an object, not list"
    assert _message({"anchors": [], "colour": 1}) == "t: unknown key 'colour' (allowed: anchors, aliases, seal)"
    assert _message({"anchors": {}}) == "t: 'anchors' and 'aliases' must be lists"
    assert _message({"aliases": 3}) == "t: 'anchors' and 'aliases' must be lists"


def test_an_empty_table_is_an_empty_lock():
    lock = validate_table({}, "p")
    assert lock.anchors == [] and lock.aliases == []


def test_entry_errors_name_the_entry_and_the_key():
    one = {"id": "p1", "text": "一", "checksum": checksum("一")}
    assert _message(_table([one, 5])) == "t.anchors[1]: must be an object, not int"
    assert _message(_table([{**one, "colour": "red"}])) == (
        "t.anchors[0]: unknown key 'colour' (allowed: id, kind, checksum, excerpt, text, history)"
    )
    assert _message(_table([{"id": "p1", "text": "一"}])) == "t.anchors[0]: missing key 'checksum'"
    assert _message(_table([{**one, "kind": 3}])) == "t.anchors[0]: 'kind' must be a str, not int"
    # no prefix: the entry alone
    assert _message(_table([5]), where="") == "anchors[0]: must be an object, not int"


def test_ids_are_of_the_tables_form_and_unique():
    def row(anchor_id):
        return {"id": anchor_id, "text": anchor_id, "checksum": checksum(anchor_id)}

    assert validate_table(_table([row("p1"), row("p1a"), row("p10zz")]), "p").ids() == {"p1", "p1a", "p10zz"}
    assert _message(_table([row("s1")])) == "t.anchors[0]: id 's1' is not of the form ^p\\d+[a-z]*$"
    assert _message(_table([row("p1")]), prefix="s") == "t.anchors[0]: id 'p1' is not of the form ^s\\d+[a-z]*$"
    assert _message(_table([row("p1A")])).startswith("t.anchors[0]: id 'p1A' is not")
    assert _message(_table([row("p")])).startswith("t.anchors[0]: id 'p' is not")
    assert _message(_table([row("p1"), row("p1")])) == "t.anchors[1]: id p1 occurs twice (also at t.anchors[0])"
    alias = {"id": "p1", "to": "p1", "reason": "merged"}
    assert _message(_table([row("p1")], [alias])) == "t.aliases[0]: id p1 occurs twice (also at t.anchors[0])"


def test_a_checksum_must_match_its_text():
    assert _message(_table([{"id": "p1", "text": "一", "checksum": checksum("二")}])) == (
        "t.anchors[0]: checksum of p1 does not match its text (the text or the checksum was edited by hand)"
    )


def test_alias_entries():
    alias = {"id": "p2", "to": "p1", "reason": "merged"}
    lock = validate_table(_table(aliases=[alias]), "p")
    assert lock.aliases == [Alias("p2", "p1", "merged", "")]
    assert lock.anchors == [Anchor("p1", "一", "paragraph", [])]
    assert _message(_table(aliases=[{**alias, "reason": "moved"}])) == (
        "t.aliases[0]: reason must be one of merged, removed, not 'moved'"
    )
    assert _message(_table(aliases=[{"id": "p2", "to": "p1"}])) == "t.aliases[0]: missing key 'reason'"
    assert _message(_table(aliases=[{**alias, "note": ""}])) == (
        "t.aliases[0]: unknown key 'note' (allowed: id, to, reason, excerpt)"
    )
    assert _message(_table(aliases=[alias, {"id": "p3", "to": "p4", "reason": "removed"}])) == (
        "t.aliases[1]: alias p3 leads to 'p4', which is nothing"
    )
    assert _message(_table(aliases=[alias, {"id": "p3", "to": "p2", "reason": "removed"}]), where="") == (
        "aliases[1]: alias p3 leads to 'p2', which is another alias"
    )


def test_a_seal_that_does_not_match():
    data = _lock(["一", "二"]).to_json()
    assert validate_table(data, "p").to_json() == data
    assert _message({**data, "seal": "sha256:0"}) == (
        "t: the seal does not match the entries: the lock was edited by hand (ids or aliases changed)"
    )
    assert _message({**data, "seal": "sha256:0"}, where="") == (
        "lock: the seal does not match the entries: the lock was edited by hand (ids or aliases changed)"
    )
    assert validate_table({k: v for k, v in data.items() if k != "seal"}, "p").ids() == {"p1", "p2"}


def test_history_is_dated_in_order_and_checksummed():
    def entry(date, text="旧"):
        return {"date": date, "checksum": checksum(text), "text": text}

    def table(history):
        return _table([{"id": "p1", "text": "一", "checksum": checksum("一"), "history": history}])

    history = [entry("2024-01-01"), entry("2024-01-01", "更旧"), entry("2025-12-31")]
    assert validate_table(table(history), "p").anchors[0].history == history
    assert _message(table([entry("2024-1-01")])) == (
        "t.anchors[0].history[0]: date '2024-1-01' is not a YYYY-MM-DD date on or after the one before"
    )
    assert _message(table([entry("2024-01-02"), entry("2024-01-01")])) == (
        "t.anchors[0].history[1]: date '2024-01-01' is not a YYYY-MM-DD date on or after the one before"
    )
    assert _message(table([entry("2024-01-01x")])).startswith("t.anchors[0].history[0]: date")
    assert _message(table([{**entry("2024-01-01"), "text": "改"}])) == (
        "t.anchors[0].history[0]: checksum does not match its text (edited by hand)"
    )
    assert _message(table([{"date": "2024-01-01", "text": "旧"}])) == "t.anchors[0].history[0]: missing key 'checksum'"


# ---------------------------------------------------------------- how much text two blocks share


def test_run_length_is_a_third_of_a_short_text_between_3_and_10():
    assert [A._run_length("一" * n) for n in (1, 9, 11, 12, 29, 30, 31, 100)] == [3, 3, 3, 4, 9, 10, 10, 10]


def test_covered_counts_characters_in_shared_runs_once():
    assert A._covered("abcdefghij", "xxabcdefghijyy", 3) == 10
    assert A._covered("abcdefghij", "abcdxxghij", 3) == 8  # abcd and ghij
    assert A._covered("abcdefghij", "abcxxxxhij", 3) == 6
    assert A._covered("abcdefghij", "abxxxxxxij", 3) == 0
    assert A._covered("abcdefghij", "abc", 3) == 3  # the run at the very end of other
    assert A._covered("xxabc", "abc", 3) == 3  # the run at the very end of text
    assert A._covered("ab", "xaby", 3) == 2  # shorter than a run: whole or nothing
    assert A._covered("ab", "xay", 3) == 0


def test_grams_of_short_and_long_texts():
    assert A._grams("abc") == {"abc"}
    assert A._grams("abcd") == {"abcd"}
    assert A._grams("abcdef") == {"abcd", "bcde", "cdef"}


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("xxabcdefghyy", True),  # whole
        ("xxabcdXfghyy", True),  # one replaced
        ("xxabcdfghyy", True),  # one dropped
        ("xxabcdZefghyy", True),  # one added
        ("Xbcdefgh", True),  # replaced at the start
        ("abcdefgX", True),  # replaced at the end
        ("bcdefgh", True),  # dropped at the start
        ("abcdefgh", True),
        ("abcdefghZ", True),
        ("Zabcdefgh", True),
        ("abcdefgZh", True),  # added before the last
        ("xxabcXefgh", True),  # replaced, in the last window of the block
        ("abcXefgh", True),  # replaced, the block as long as the text
        ("xxabcZdefgh", True),  # added, in the last window
        ("xxabXdXfghyy", False),  # two replaced
        ("xxabdfghyy", False),  # two dropped
        ("xxaZbcdefgZhyy", False),  # two added
        ("", False),
    ],
)
def test_occurs_with_one_change(other, expected):
    assert A._occurs_with_one_change("abcdefgh", other) is expected


def test_shares_of_identical_and_empty_texts():
    assert A.shares("", "abc") == (0.0, 0.0)
    assert A.shares("abc", "") == (0.0, 0.0)
    assert A.shares("同一段文字", "同一段文字") == (1.0, 1.0)


def test_a_text_under_eight_characters_must_occur_whole():
    assert A.shares("一二三四五六七", "甲乙一二三四五六七丙丁戊己庚") == (1.0, 0.5)
    assert A.shares("一二三四五六七", "甲乙一二三四五六X丙丁戊己庚辛") == (0.0, 0.0)
    # from eight characters on, one change is allowed
    old = "一二三四五六七八"
    assert A.shares(old, "甲乙一二三四五六七X丙丁戊己庚辛")[0] == 7 / 8


def test_short_texts_allow_a_fifth_of_their_characters_changed():
    old = "一二三四五六七八九十"  # 10 characters: two changes allowed
    two = "一二三四X六七八Y十"
    assert A.shares(old, two)[0] > 0
    three = "一X三四Y六七八Z十"
    assert A.shares(old, three) == (0.0, 0.0)
    nine = "一二三四五六七八九"  # 9: max(1, 1.8) -> one change
    assert A.shares(nine, "一二三四X六七八九")[0] > 0
    assert A.shares(nine, "一X三四五六七Y九") == (0.0, 0.0)


def test_from_twenty_characters_an_edit_is_measured_by_ratio_not_by_changes():
    old = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"  # 20 characters
    new = "一二X三四五六X七八九十甲X乙丙丁戊X己庚辛壬X癸"  # five added: ratio 0.89, five changes
    s_old, s_new = A.shares(old, new)
    assert s_new == pytest.approx(A.fuzz.ratio(old, new) / 100)
    assert s_old == pytest.approx(s_new)
    nineteen, new19 = old[:19], "一二X三四五六X七八九十甲X乙丙丁戊X己庚辛壬"
    assert A.shares(nineteen, new19)[1] != pytest.approx(A.fuzz.ratio(nineteen, new19) / 100)


def test_a_long_text_edited_is_the_same_text():
    old = "新质生产力是创新起主导作用的先进生产力质态，摆脱了传统增长方式。"
    edited = old.replace("主导", "主要")
    s_old, s_new = A.shares(old, edited)
    assert s_old == pytest.approx(A.fuzz.ratio(old, edited) / 100) and s_old >= A.EDITED
    assert s_new == pytest.approx(s_old)


def test_a_split_part_is_related_to_its_paragraph():
    old = "第一句话讲的是新质生产力的内涵和特征。第二句话讲的是发展新质生产力的路径和方法。第三句话讲的是体制机制。"
    part = "第二句话讲的是发展新质生产力的路径和方法。"
    s_old, s_new = A.shares(old, part)
    assert s_new == 1.0
    assert s_old == pytest.approx(len(part) / len(old))


def test_texts_sharing_only_scattered_characters_are_unrelated():
    old = "发展新质生产力是推动高质量发展的内在要求和重要着力点，必须继续做好创新这篇大文章。"
    other = "要加快建设现代化产业体系，推动产业链供应链优化升级，积极培育新兴产业和未来产业。"
    assert A.shares(old, other) == (0.0, 0.0)


def test_a_long_text_with_typos_inside_a_longer_block_is_found_by_window():
    old = "科技创新能够催生新产业新模式新动能是发展新质生产力的核心要素必须加强科技创新"
    typos = "科技创X能够催生新产Y新模式新动Z是发展新质W产力的核心V素必须加强科U创新"
    block = "前面还有一些别的话语内容。" + typos + "后面也有一些别的话语内容。"
    s_old, _s_new = A.shares(old, block)
    assert s_old >= A.EDITED
    assert A.shares(old, "前面还有一些别的话语内容。后面也有一些别的话语内容。") == (0.0, 0.0)


# ---------------------------------------------------------------- the order pairs are taken in


def test_preference_order():
    edited_far = (5, 0, 0.82, 0.82, True)
    edited_near = (6, 0, 0.95, 0.95, True)
    edited_at_threshold = (7, 0, A.EDITED, A.EDITED, True)
    merged = (0, 1, 0.95, 0.5, False)
    part_first, part_later = (1, 2, 0.4, 1.0, False), (1, 3, 0.4, 1.0, False)
    some = (0, 4, 0.5, 0.5, False)
    more = (0, 5, 0.6, 0.5, False)
    pairs = [some, more, part_later, part_first, merged, edited_at_threshold, edited_far, edited_near]
    assert sorted(pairs, key=A._preference) == [
        edited_near,
        edited_far,
        edited_at_threshold,
        merged,
        part_first,
        part_later,
        more,
        some,
    ]
    # about as long as it was is needed to count as edited
    assert A._preference((0, 0, 0.95, 0.95, False))[0] == 1
    assert A._preference((0, 0, A.FULL_SHARE, 0.1, False))[0] == 1
    assert A._preference((0, 0, 0.1, A.FULL_SHARE, False))[0] == 2


def test_merged_blocks_rank_by_old_order_then_by_share_of_the_block():
    first = (0, 5, 0.95, 0.3, False)
    second_more = (1, 2, 0.95, 0.45, False)
    second_less = (1, 1, 0.95, 0.3, False)
    assert sorted([second_less, second_more, first], key=A._preference) == [first, second_more, second_less]


def test_shares_rank_to_three_decimals_so_tiny_differences_keep_reading_order():
    # edited: the most alike first, but 0.8501 and 0.8504 are a tie (reading order decides)
    assert sorted([(1, 0, 0.8504, 0.8504, True), (0, 1, 0.8501, 0.8501, True)], key=A._preference)[0][0] == 0
    assert sorted([(1, 0, 0.86, 0.86, True), (0, 1, 0.85, 0.85, True)], key=A._preference)[0][0] == 1
    # merged: the larger share of the block first, to three decimals
    assert sorted([(0, 2, 0.95, 0.45, False), (0, 1, 0.95, 0.3, False)], key=A._preference)[0][1] == 2
    assert sorted([(0, 2, 0.95, 0.3004, False), (0, 1, 0.95, 0.3001, False)], key=A._preference)[0][1] == 1
    # some of an old text: the larger share first, to three decimals
    assert sorted([(1, 0, 0.45, 0.1, False), (0, 1, 0.3, 0.1, False)], key=A._preference)[0][0] == 1
    assert sorted([(1, 0, 0.3004, 0.1, False), (0, 1, 0.3001, 0.1, False)], key=A._preference)[0][0] == 0


# ---------------------------------------------------------------- ids


def test_first_publication_numbers_from_one_skipping_retired_ids():
    assert _ids(_lock(["甲", "乙", "丙"])) == ["p1", "p2", "p3"]
    retired = Lock([], [Alias("p2", "p1", "removed")])
    lock = assign(retired, [("paragraph", "甲"), ("note", "乙"), ("paragraph", "丙")])
    assert _ids(lock) == ["p1", "p3", "p4"]
    assert [a.kind for a in lock.anchors] == ["paragraph", "note", "paragraph"]
    assert lock.aliases == [Alias("p2", "p1", "removed")]
    assert _ids(assign(None, [("heading", "甲")], prefix="s")) == ["s1"]


def test_next_free_id_after_a_block():
    assert A._next_free(None, "p", set()) == "p0a"
    assert A._next_free("p12", "p", {"p12"}) == "p12a"
    assert A._next_free("p12b", "p", {"p12a", "p12b"}) == "p12c"
    taken = {f"p3{c}" for c in "abcdefghijklmnopqrstuvwxyz"}
    assert A._next_free("p3", "p", taken) == "p3aa"
    assert A._next_free("s2", "s", set()) == "s2a"


def test_suffixes_run_a_to_z_then_aa():
    suffixes = A._suffixes()
    first = [next(suffixes) for _ in range(28)]
    assert first[:3] == ["a", "b", "c"] and first[25] == "z" and first[26:] == ["aa", "ab"]


def test_retarget_follows_chains_and_falls_back_to_the_first_live_anchor():
    lock = Lock(
        [Anchor("p1", "一"), Anchor("p5", "五")],
        [
            Alias("p2", "p3", "merged"),
            Alias("p3", "p4", "merged"),
            Alias("p4", "p5", "removed"),
            Alias("p6", "p7", "removed"),  # leads to nothing: the first live anchor
            Alias("p8", "p9", "merged"),  # a loop: the first live anchor
            Alias("p9", "p8", "merged"),
        ],
    )
    A._retarget(lock)
    assert {a.id: a.to for a in lock.aliases} == {
        "p2": "p5",
        "p3": "p5",
        "p4": "p5",
        "p6": "p1",
        "p8": "p1",
        "p9": "p1",
    }


def test_a_source_with_no_block_left_names_the_anchor():
    with pytest.raises(AnchorError) as info:
        assign(_lock(["一二三四五六七八九十一二三四五六七八九十"]), [])
    assert str(info.value) == "anchor p1 would disappear: the source has no block left to point to"


def test_a_removed_anchor_leads_to_the_nearest_surviving_one_before_it():
    texts = [
        "第一段讲的是新质生产力的内涵和基本特征。",
        "第二段讲的是发展新质生产力的主要路径。",
        "第三段讲的是完全不同的另一件事情内容。",
        "第四段讲的是体制机制改革的具体要求。",
    ]
    new = assign(_lock(texts), [("paragraph", t) for t in (texts[0], texts[1], texts[3])])
    assert {a.id: (a.to, a.reason) for a in new.aliases} == {"p3": ("p2", "removed")}
    assert new.aliases[0].excerpt == A.excerpt(texts[2])
    # the first one removed: leads to the next surviving one
    new = assign(_lock(texts), [("paragraph", t) for t in texts[1:]])
    assert {a.id: (a.to, a.reason) for a in new.aliases} == {"p1": ("p2", "removed")}


# ---------------------------------------------------------------- shares at each threshold

CHARS = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往"


def _replaced(text: str, positions, by: str = "X") -> str:
    chars = list(text)
    for i in positions:
        chars[i] = by
    return "".join(chars)


def test_a_short_text_needs_a_run_of_four_fifths_of_it():
    old = CHARS[:10]
    assert A.shares(old, CHARS[:8] + "春夏秋冬春夏秋冬") == (0.8, 0.5)  # a run of 8 of 10: exactly enough
    assert A.shares(old, CHARS[:7] + "春夏秋冬春夏秋冬") == (0.0, 0.0)
    # the run, wherever it starts in either text
    assert A.shares(old, "春夏" + CHARS[2:10] + "秋冬春夏秋冬")[0] == 0.8
    # two runs held: all of it, though the longest run is 8
    assert A.shares(old, CHARS[:8] + "春夏秋" + "七八九十") == (1.0, 8 / 15)


def test_a_long_block_does_not_hide_a_short_text_with_popular_characters():
    # (difflib's autojunk would ignore characters frequent in a block of 200 or more)
    old = CHARS[:10]
    block = CHARS[:8] + "春夏" + "一丙二丁三戊四己五庚六辛七壬八癸" * 12
    assert len(block) >= 200
    assert A.shares(old, block)[0] == 0.8


def test_from_eight_characters_one_change_inside_a_longer_block_is_allowed():
    old = CHARS[:8]
    assert A.shares(old, "春夏" + _replaced(old, [3]) + "秋冬") == (7 / 8, 4 / 12)  # (the block: one run of four)
    assert A.shares(old[:7], "春夏" + _replaced(old[:7], [3]) + "秋冬") == (0.0, 0.0)
    old = CHARS[:15]
    block = "前言" + _replaced(old, [2]) + "后记后记后记"
    assert A.shares(old, block)[0] == 14 / 15  # all but the changed character


def test_a_part_shorter_than_the_runs_of_a_short_text():
    # A block made of two runs of a 15-character text: a part of it (a split), holding 3.
    assert A.shares(CHARS[:15], CHARS[:3] + CHARS[6:9]) == (0.2, 1.0)


def test_a_text_of_twenty_is_related_by_three_quarters_in_runs():
    old = CHARS[:20]
    assert A.shares(old, old[:15] + "春夏秋冬天") == (0.75, 0.75)
    old = CHARS[:24]
    assert A.shares(old, old[:18] + "春夏秋冬") == (0.75, 18 / 22)  # 18 = three quarters of 24
    assert A.shares(old, old[:17] + "春夏秋冬天") == (0.0, 0.0)


def test_alike_at_exactly_four_fifths():
    old = CHARS[:20]
    assert A.shares(old, _replaced(old, [2, 7, 12, 17])) == (0.8, 0.8)  # Indel ratio 0.8


def test_runs_decide_and_a_window_only_rescues():
    old = CHARS[:30]
    # runs hold 20 of 30 (typos at 10 and 21): related by runs; the window is not consulted
    block = "前" * 10 + _replaced(old, [10, 21]) + "后" * 10
    assert A.shares(old, block) == (20 / 30, 20 / 50)
    # typos every five characters: no run of ten, a window alike at exactly 0.8
    block = "前" * 15 + _replaced(old, [2, 7, 12, 17, 22, 27], "Z") + "后" * 15
    assert A.fuzz.partial_ratio(old, block) == 80.0
    assert A.shares(old, block) == (0.8, 0.0)


def test_a_part_of_a_text_is_all_of_the_block_and_a_third_of_the_text():
    old = CHARS[:27]
    assert A.shares(old, old[5:14] + "春") == (9 / 27, 0.9)  # nine tenths of the block, a third of the text
    assert A.shares(old, old[5:13] + "春") == (0.0, 0.0)
    assert A.shares(old, old[5:12]) == (0.0, 0.0)  # all of the block, but under a third of the text


def test_from_json_reads_a_paragraph_table_by_default():
    data = _lock(["一", "二"]).to_json()
    assert Lock.from_json(data).ids() == {"p1", "p2"}
    with pytest.raises(LockError) as info:
        Lock.from_json({"anchors": [{"id": "s1", "text": "一", "checksum": checksum("一")}]})
    assert str(info.value) == "anchors[0]: id 's1' is not of the form ^p\\d+[a-z]*$"


def test_entries_are_named_after_the_table_whatever_it_is_called():
    row = {"id": "p1", "text": "一", "checksum": checksum("二")}
    alias = {"id": "p2", "to": "p1", "reason": "moved"}
    good = {"id": "p1", "text": "一", "checksum": checksum("一")}
    assert _message({"anchors": [row]}, where="X.t").startswith("X.t.anchors[0]: checksum of p1")
    assert _message({"anchors": [good], "aliases": [alias]}, where="X.t").startswith("X.t.aliases[0]: reason")
    assert _message({"anchors": [good], "aliases": [alias]}, where="").startswith("aliases[0]: reason")
    with pytest.raises(LockError) as info:
        validate_table({"anchors": [row]}, "p")  # no table name: the entry alone
    assert str(info.value).startswith("anchors[0]: checksum of p1")


def test_an_alias_to_nothing_is_named_after_the_table():
    good = {"id": "p1", "text": "一", "checksum": checksum("一")}
    alias = {"id": "p2", "to": "p9", "reason": "merged"}
    assert _message({"anchors": [good], "aliases": [alias]}, where="X.t") == (
        "X.t.aliases[0]: alias p2 leads to 'p9', which is nothing"
    )


@pytest.mark.parametrize(
    ("old", "new", "same_length"),
    [
        (CHARS[:10], CHARS[:9], True),  # nine tenths as long
        (CHARS[:9], CHARS[:10], True),  # ten ninths as long
        (CHARS[:10], CHARS[:8], False),
        (CHARS[:9], CHARS[:11], False),
        (CHARS[:10], _replaced(CHARS[:10], [4]), True),
    ],
)
def test_candidates_flag_blocks_about_as_long_as_the_old_text(old, new, same_length):
    pairs = A._candidates([old], [new], [0], [0])
    assert [(o, n, flag) for o, n, _s_old, _s_new, flag in pairs] == [(0, 0, same_length)]


def test_deleting_the_first_of_two_identical_paragraphs_keeps_the_second_in_place():
    same = "这一段在文中出现了两次，一字不差。"
    texts = [same, "第二段讲的是另外一件事情的内容。", same, "第四段讲的是最后一件事情的内容。"]
    new = assign(_lock(texts), [("paragraph", t) for t in texts[1:]])
    assert _ids(new) == ["p2", "p3", "p4"]
    assert [(a.id, a.reason) for a in new.aliases] == [("p1", "merged")]
