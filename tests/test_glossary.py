"""Glossary: the matcher on small cases, the generated glossary and concordance on
the real seeds (against an independent count), previews, warnings, and the same
concordance from parallel and incremental builds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.errors import SeedError
from reader.core.glossary import Entry, Matcher, collisions, link_positions, load_glossary
from reader.core.pipeline import load_collection
from reader.core.text import clean_line, decode, split_lines

from .util import READING_ORDER

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((Path(__file__).parent / "data" / "glossary" / "cases.json").read_text(encoding="utf-8"))
XINZHI = "xin-zhi-sheng-chan-li"  # the entry 新质生产力
ENTRIES = [Entry(e["id"], e["term"], "定义。", e["variants"]) for e in CASES["entries"]]


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_matcher_case(case):
    matches = link_positions(Matcher(ENTRIES).find_all(case["text"]), case["policy"])
    assert [[case["text"][s:e], entry] for s, e, entry in matches] == case["matches"]


def test_matcher_is_one_pass_and_agrees_with_a_regex():
    """Same result as the obvious leftmost-longest regex, on a long text."""
    text = "".join(c["text"] for c in CASES["cases"]) * 50
    forms = sorted(((f, e.id) for e in ENTRIES for f in e.forms), key=lambda x: -len(x[0]))
    owner = dict(forms)
    pattern = re.compile("|".join(re.escape(f) for f, _ in forms))
    expected = [(m.start(), m.end(), owner[m.group()]) for m in pattern.finditer(text)]
    assert Matcher(ENTRIES).find_all(text) == expected


def _leftmost_longest(forms: list[tuple[str, str]], text: str) -> list[tuple[int, int, str]]:
    """The reference: at each position the longest form (a form's first entry),
    taken from the left, never overlapping."""
    owner: dict[str, str] = {}
    for form, entry_id in forms:
        if form:
            owner.setdefault(form, entry_id)
    out, pos = [], 0
    while pos < len(text):
        found = [f for f in owner if text.startswith(f, pos)]
        if found:
            form = max(found, key=len)
            out.append((pos, pos + len(form), owner[form]))
            pos += len(form)
        else:
            pos += 1
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.text(alphabet="新质生产力发展(.*", max_size=5), st.sampled_from("abc")), max_size=8),
    st.text(alphabet="新质生产力发展(.*", max_size=60),
)
def test_matcher_finds_the_leftmost_longest_forms(forms, text):
    """Forms sharing beginnings, forms inside forms, a form of two entries,
    regular-expression characters: what the reference finds."""
    ids = [f"e{k}{entry_id}" for k, (_form, entry_id) in enumerate(forms)]
    matcher = Matcher([Entry(entry_id, form, "d") for entry_id, (form, _) in zip(ids, forms, strict=True)])
    expected = _leftmost_longest([(form, entry_id) for entry_id, (form, _) in zip(ids, forms, strict=True)], text)
    assert matcher.find_all(text) == expected


@pytest.mark.parametrize(
    "forms",
    [
        # a translator's whole paragraph as one of the converter's phrases (the
        # pattern's builder recursed once per character: 500 were too many)
        [("新质生产力是创新起主导作用的先进生产力质态。" * 60, "a"), ("新质", "b")],
        # forms nested in one another 1,200 deep (past the regular-expression parser's limit)
        [("新" * n, f"e{n}") for n in range(1, 1200)],
    ],
    ids=["a-form-of-1320-characters", "forms-nested-1200-deep"],
)
def test_matcher_takes_long_and_deeply_nested_forms(forms):
    matcher = Matcher([Entry(entry_id, form, "d") for form, entry_id in forms])
    text = "前言" + forms[0][0] * 2 + "新质新" + "新" * 1300 + "。"
    assert matcher.find_all(text) == _leftmost_longest(forms, text)


def test_collisions_are_reported():
    entries = [Entry("a", "甲", "d", ["乙"]), Entry("b", "乙", "d")]
    found = collisions(entries)
    assert [(c.form, c.entry, c.owner) for c in found] == [("乙", "b", "a")]
    assert [c.message for c in found] == ["form '乙' of entry 'b' is also a form of entry 'a'"]


def test_glossary_file_is_validated(tmp_path):
    path = tmp_path / "terms.toml"
    path.write_text('[[term]]\nid = "x"\nterm = "甲"\ndefinition = "d"\nenglsh = "e"\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"terms.toml: term #1: key englsh: unknown key; allowed: id, term"):
        load_glossary(path)
    path.write_text('[[term]]\nid = "X Y"\nterm = "甲"\ndefinition = "d"\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"term #1: key id: bad value 'X Y'"):
        load_glossary(path)


# ---------------------------------------------------------------- the real glossary


@pytest.fixture(scope="module")
def coll():
    return load_collection(ROOT)


def test_glossary_has_enough_complete_entries(coll):
    assert len(coll.glossary) >= 30
    for entry in coll.glossary:
        assert entry.definition and entry.pinyin and re.search("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", entry.pinyin)
    assert not coll.warnings  # every entry occurs, no form belongs to two entries


def raw_block_text(coll, slug: str, block) -> str:
    """The raw seed lines a block was made of, whitespace removed (furniture skipped)."""
    seed = coll.seed_paths[slug]
    lines = split_lines(decode(seed.read_bytes(), str(seed)))
    doc = next(d for d in coll.docs if d.slug == slug)
    furniture = {f.line for f in doc.furniture}
    chunk = [lines[n - 1] for n in range(block.first_line, block.last_line + 1) if n not in furniture]
    # Blocks kept line by line (figures, lists) are matched line by line.
    sep = "\n" if block.kind in ("figure", "list", "colophon") else ""
    return sep.join("".join(clean_line(line).split()) for line in chunk)


def test_concordance_matches_an_independent_count_of_the_raw_text(coll):
    forms = sorted(((f, e.id) for e in coll.glossary for f in e.forms), key=lambda x: -len(x[0]))
    owner = dict(forms)
    pattern = re.compile("|".join(re.escape(f) for f, _ in forms))
    expected: dict[str, list] = {e.id: [] for e in coll.glossary}
    docs = {d.slug: d for d in coll.docs}
    assert set(docs) == set(READING_ORDER)
    for doc in (docs[slug] for slug in READING_ORDER):
        for block in doc.citable_blocks():
            counts: dict[str, int] = {}
            for m in pattern.finditer(raw_block_text(coll, doc.slug, block)):
                counts[owner[m.group()]] = counts.get(owner[m.group()], 0) + 1
            for entry_id, count in counts.items():
                expected[entry_id].append((doc.slug, block.id, block.number, count))
    # In reading order: the sources by date, the paragraphs in the order of the text.
    assert coll.concordance == expected
    # The definition of 新质生产力 is found in every source.
    slugs = {slug for slug, *_ in coll.concordance[XINZHI]}
    assert slugs == {d.slug for d in coll.docs}


def test_glossary_page_and_links(site, coll):
    out = Path(site.outdir)
    soup = BeautifulSoup((out / "source" / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    terms = soup.select("dl.reader-glossary > dt")
    assert [t["id"] for t in terms] == [
        f"term-{e.id}" for e in sorted(coll.glossary, key=lambda e: (_toneless(e.pinyin), e.term))
    ]
    entry = soup.find(id=f"term-{XINZHI}").find_next_sibling("dd")
    assert "new quality productive forces" in entry.get_text()
    total = sum(u[3] for u in coll.concordance[XINZHI])
    assert f"共 {total} 处" in entry.get_text()
    refs = entry.select(".reader-concordance a")
    assert len(refs) == len(coll.concordance[XINZHI])
    assert refs[0]["href"].startswith("neizai-yaoqiu.html#p")
    # Links in the text: first occurrence per paragraph, never in headings.
    page = BeautifulSoup((out / "source" / "neizai-yaoqiu.html").read_text(encoding="utf-8"), "html.parser")
    p6 = page.find(id="p6")
    linked = [a.get_text() for a in p6.select("a .reader-term")]
    assert linked.count("新质生产力") == 1 and "全要素生产率" in linked
    assert p6.select_one(f"a[href='glossary.html#term-{XINZHI}']")
    assert not page.select("h1 .reader-term, h2 .reader-term, h3 .reader-term")
    # The preview data: term, pinyin, English, definition for every entry.
    data = (out / "_static" / "reader-glossary.js").read_text(encoding="utf-8")
    payload = json.loads(data.removeprefix("window.READER_GLOSSARY = ").rstrip().rstrip(";"))
    assert set(payload) == {e.id for e in coll.glossary}
    assert payload[XINZHI]["english"] == "new quality productive forces"


def _toneless(pinyin: str) -> str:
    import unicodedata

    flat = unicodedata.normalize("NFD", pinyin.lower())
    return "".join(ch for ch in flat if not unicodedata.combining(ch)).replace(" ", "")


def test_glossary_warnings_are_reported(make_app, tmp_path):
    srcdir = tmp_path / "glossary"
    shutil.copytree(ROOT / "tests" / "roots" / "test-glossary", srcdir)
    terms = srcdir / "glossary" / "terms.toml"
    terms.write_text(
        terms.read_text(encoding="utf-8")
        + '\n[[term]]\nid = "wu"\nterm = "无此词"\ndefinition = "d"\n'
        + '\n[[term]]\nid = "dup"\nterm = "重复"\nvariants = ["生产力"]\ndefinition = "d"\n',
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    warnings = app.warning.getvalue()
    assert "terms.toml:21: WARNING: glossary entry 'wu' (无此词) occurs in no source [reader.glossary]" in warnings
    # The later entry (appended) is named as the one whose form is taken already.
    assert "form '生产力' of entry 'dup' is also a form of entry 'shengchanli'" in warnings


def test_pinyin_is_written_into_entries_without_it():
    from reader.cli import fill_pinyin

    text = (
        '# comment kept\n\n[[term]]\nid = "a"\nterm = "新质生产力"\ndefinition = "d"\n\n'
        '[[term]]\nid = "b"\nterm = "生产力"\npinyin = "shēng chǎn lì"\ndefinition = "d"\n'
    )
    out, added = fill_pinyin(text)
    assert added == [("新质生产力", "xīn zhì shēng chǎn lì")]
    assert out.startswith("# comment kept\n")
    assert 'term = "新质生产力"\npinyin = "xīn zhì shēng chǎn lì"\n' in out
    assert out.count("pinyin") == 2  # the entry that had one is left alone
    assert fill_pinyin(out) == (out, [])
