"""Margin notes in both PDFs (issue 22), measured on the printed pages with
``pdftotext -bbox-layout``: every paragraph with notes has them on its own page,
starting within two lines of its paragraph number and headed by that number, or
as an endnote of its text that links back to the paragraph.  And the book's
structure: front matter, 第一篇…, 附录, the same in contents, bookmarks and heads."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from reader.core.pipeline import load_collection

ROOT = Path(__file__).resolve().parent.parent
LINE = 11 * 1.2 * 1.25  # pt: 11pt type, \linespread{1.25} (conf.py)
LEFT_MARGIN = 79.0  # pt: the text column starts at 28 mm
NOTE_COLUMN = 447.0  # pt: the notes' column starts at 28 + 124 + 6 mm = 447.9 pt
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words_by_page(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """(x, y from the top, text) of every word, per page."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = []
    for chunk in out.stdout.split("<page ")[1:]:
        pages.append([(float(m[1]), float(m[2]), html.unescape(m[5])) for m in WORD.finditer(chunk)])
    return pages


def chapters(pdf: Path) -> list[tuple[str, int, int]]:
    """(bookmark title, first page index, end page index) of the top-level bookmarks."""
    reader = PdfReader(str(pdf))
    tops = [
        (item.title, reader.get_destination_page_number(item)) for item in reader.outline if not isinstance(item, list)
    ]
    return [(t, p, tops[i + 1][1] if i + 1 < len(tops) else len(reader.pages)) for i, (t, p) in enumerate(tops)]


def annotated(coll) -> dict[str, list[str]]:
    """slug -> the numbers of its paragraphs with margin notes, in reading order."""
    out = {}
    for doc in coll.docs:
        out[doc.slug] = [b.number for b in doc.citable_blocks() if doc.annotations.get(b.id) or doc.parallels.get(b.id)]
    return out


def back_links(pdf: Path) -> dict[int, set[str]]:
    """page index -> named destinations its links point at."""
    reader = PdfReader(str(pdf))
    out: dict[int, set[str]] = {}
    for i, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get("/D") is not None:
                out.setdefault(i, set()).add(str(action["/D"]))
    return out


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_every_note_beside_its_paragraph_or_an_endnote_linking_back(pdfs, variant):
    pdf = pdfs[variant]
    pages = words_by_page(pdf)
    links = back_links(pdf)
    coll = load_collection(ROOT)
    texts = [c for c in chapters(pdf) if c[0].startswith("第")]
    assert len(texts) == len(coll.docs)
    measured, endnotes, problems = [], 0, []
    for doc, (_title, first, end) in zip(coll.docs, texts, strict=True):
        for number in annotated(coll)[doc.slug]:
            beside = None
            for i in range(first, end):
                nums = [(x, y) for x, y, t in pages[i] if x < LEFT_MARGIN - 5 and t == number]
                # A group's head starts a line of the notes' column (¶N inside is a parallel's reference).
                heads = [(x, y) for x, y, t in pages[i] if NOTE_COLUMN < x < NOTE_COLUMN + 3 and t == f"¶{number}"]
                if nums and heads:
                    beside = min(abs(hy - ny) for _hx, hy in heads for _nx, ny in nums) / LINE
                    break
            if beside is not None:
                measured.append(beside)
                if beside > 2.0:
                    problems.append(f"{doc.slug} ¶{number}: note {beside:.1f} lines from its paragraph")
                continue
            # An endnote: "¶N" in the text column, linking back to the paragraph.
            anchor = next(b.id for b in doc.citable_blocks() if b.number == number)
            target = f"source/{doc.slug}:{anchor}"
            found = any(
                target in links.get(i, set())
                and any(LEFT_MARGIN - 5 <= x < NOTE_COLUMN and t == f"¶{number}" for x, _y, t in pages[i])
                for i in range(first, end)
            )
            if found:
                endnotes += 1
            else:
                problems.append(f"{doc.slug} ¶{number}: notes neither beside the paragraph nor an endnote")
    assert not problems, problems
    assert measured, "no margin notes measured"
    # Most notes stay in the margin: the endnotes are the exception.
    assert endnotes <= len(measured), (endnotes, len(measured))


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_a_study_edition_contents_bookmarks_and_heads_agree(pdfs, variant):
    pdf = pdfs[variant]
    reader = PdfReader(str(pdf))
    titles = [title for title, _first, _end in chapters(pdf)]
    numerals = "一二三四五"
    preface, appendix = {"hans": ("编辑说明", "附录"), "hant": ("編輯說明", "附錄")}[variant]
    assert titles[0] == preface
    for k, numeral in enumerate(numerals, 1):
        assert titles[k].startswith(f"第{numeral}篇 ")
    assert [t.split(" ")[0] for t in titles[6:]] == [appendix] * 3
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    # The title page: edition and the dates of the texts, no build date.
    assert "第一版" in pages[0] and "2024" in pages[0] and "2026" not in pages[0]
    # Contents list the same labels as the bookmarks.
    contents = re.sub(r"\s+", "", pages[1])
    for title in titles:
        label = title.split(" ")[0]
        assert label in contents
    # Every chapter opens with its label above its title.
    for title, first, _end in chapters(pdf)[1:]:
        head = re.sub(r"\s+", "", pages[first])[:200]
        label, name = title.split(" ", 1)
        assert head.startswith(label + re.sub(r"\s+", "", name)[:8]), (title, head[:40])
    # Page labels: roman front matter, then 1 at the first text.
    labels = [reader.page_labels[i] for i in range(len(reader.pages))]
    first_text = chapters(pdf)[1][1]
    assert labels[:first_text] == ["i", "ii", "iii", "iv", "v"][:first_text]
    assert labels[first_text] == "1"


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_links_print_black(pdfs, variant):
    tex = (pdfs[variant].parent.parent / ("latex-hant" if variant == "hant" else "latex") / "reader.tex").read_text(
        encoding="utf-8"
    )
    assert "InnerLinkColor={rgb}{0,0,0}" in tex and "OuterLinkColor={rgb}{0,0,0}" in tex


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_printed_notes_quote_once(pdfs, variant):
    """The notes' column: a phrase named once, in one pair of quotation marks."""
    column = ["-x", str(int(NOTE_COLUMN)), "-y", "0", "-W", "160", "-H", "842"]
    text = subprocess.run(
        ["pdftotext", *column, str(pdfs[variant]), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = re.sub(r"\s+", "", text)
    for doubled in ("““", "””", "「「", "」」"):
        assert doubled not in squashed
    assert not re.search(r"“([^”]{2,})”“\1”", squashed)
