"""The PDFs, simplified and traditional: built with xelatex, every paragraph of
every source in reading order, every anchor a named destination, no missing
characters in the fonts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from reader.core.pipeline import load_collection
from reader.translate import CATALOGUES, project_converter

from .util import READING_ORDER

ROOT = Path(__file__).resolve().parent.parent


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    """The text area only (A4, 28 mm left margin, 124 mm measure, 25 mm top and
    bottom): paragraph numbers, margin notes, running heads and page numbers
    would interleave with the lines."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-x", "74", "-y", "66", "-W", "366", "-H", "708", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return squash(out.stdout).replace("•", "")  # list bullets


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_every_paragraph_in_reading_order(pdfs, variant):
    text = pdf_text(pdfs[variant])
    convert = project_converter(ROOT, ROOT / CATALOGUES).convert  # the build's (style, quotes, words)
    coll = load_collection(ROOT)
    pos = 0
    docs = {d.slug: d for d in coll.docs}
    assert set(docs) == set(READING_ORDER)
    for doc in (docs[slug] for slug in READING_ORDER):
        for block in doc.citable_blocks():
            body = squash(block.text if variant == "hans" else convert(block.text))
            head, tail = body[:12], body[-12:]
            found = text.find(head, pos)
            assert found >= 0, f"{doc.slug}#{block.id} not found after position {pos}: {head}"
            end = text.find(tail, found)
            assert end >= 0, f"{doc.slug}#{block.id}: end not found: {tail}"
            pos = found + len(head)


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_every_anchor_is_a_named_destination(pdfs, variant):
    names = set(PdfReader(str(pdfs[variant])).named_destinations)
    coll = load_collection(ROOT)
    expected = set()
    for doc in coll.docs:
        for anchor in doc.lock["paragraphs"]["anchors"] + doc.lock["paragraphs"]["aliases"]:
            expected.add(f"source/{doc.slug}:{anchor['id']}")
    assert expected <= names, sorted(expected - names)[:10]


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_no_missing_characters_and_the_right_fonts(pdfs, variant, project_copy):
    log = (project_copy / "_build" / ("latex-hant" if variant == "hant" else "latex") / "reader.log").read_text(
        encoding="utf-8", errors="replace"
    )
    assert "Missing character" not in log
    tex = (project_copy / "_build" / ("latex-hant" if variant == "hant" else "latex") / "reader.tex").read_text(
        encoding="utf-8"
    )
    assert ("Noto Serif CJK TC" if variant == "hant" else "Noto Serif CJK SC") in tex
    fonts = subprocess.run(["pdffonts", str(pdfs[variant])], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "Fandol" not in fonts


def test_pdf_metadata_and_outline(pdfs):
    reader = PdfReader(str(pdfs["hant"]))
    assert reader.metadata.title == "新質生產力文獻讀本"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    # The study edition's labels (issue 22): 第二篇 for a text, 附錄 for the apparatus.
    # (the texts in the order of their dates: 因地制宜 of 2025 is the fifth)
    assert "第五篇 因地制宜發展新質生產力" in outline and "附錄 術語表" in outline
    assert any(t.endswith("習近平總書記強調的「新質生產力」") for t in outline)  # Taiwan quotation marks, bookmarks too
    whole = "".join(page.extract_text() for page in reader.pages)
    assert "「" in whole and not set("“”‘’") & set(whole)
    assert PdfReader(str(pdfs["hans"])).metadata.title == "新质生产力文献读本"


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_running_heads_name_the_source_on_one_line(pdfs, variant):
    """Every source's pages are headed by its title (or, were it too long, its short
    title), on one line: a long title used to wrap into the text."""
    convert = project_converter(ROOT, ROOT / CATALOGUES).convert  # the build's (style, quotes, words)
    reader = PdfReader(str(pdfs[variant]))
    heads = set()
    for number in range(2, len(reader.pages) + 1):
        out = subprocess.run(
            [
                "pdftotext",
                "-layout",
                "-enc",
                "UTF-8",
                "-f",
                str(number),
                "-l",
                str(number),
                "-y",
                "0",
                "-H",
                "62",
                "-W",
                "600",
            ]
            + [str(pdfs[variant]), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        lines = [line for line in out.stdout.splitlines() if line.strip()]
        assert len(lines) <= 1, f"page {number}: the head takes {len(lines)} lines: {lines}"
        heads.add(squash(lines[0]) if lines else "")
    for doc in load_collection(ROOT).docs:
        title, short = (doc.title, doc.short_title) if variant == "hans" else map(convert, (doc.title, doc.short_title))
        assert any(h.endswith(squash(title)) or h.endswith(squash(short)) for h in heads), doc.slug
