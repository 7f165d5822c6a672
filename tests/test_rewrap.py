"""The segmenter generalises: the seeds' real paragraphs, re-typeset at other
widths, with page numbers, running headers and column changes, come back intact."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from reader.core.segment import ingest_bytes
from reader.core.sidecar import parse_sidecar

from .layout import typeset
from .util import read_expected

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
GOLDEN = sorted(p.stem for p in (DATA / "golden").glob("*.tsv"))
LAYOUTS = {
    "narrow-18": ([18], 22, None),
    "medium-26": ([26], 24, None),
    "wide-33": ([33], 26, "某某大学学习材料                NO.9"),
    "wide-41": ([41], 30, "新质生产力文献读本"),
    "columns-14-31": ([14, 31], 24, None),
    "columns-28-20": ([28, 20], 20, "内部资料 注意保存"),
    "medium-22": ([22], 28, "第五期 学习参考"),
    "columns-16-36": ([16, 36], 26, None),
    "wide-38": ([38], 18, None),
    "columns-24-30-19": ([24, 30, 19], 23, "读本 内部资料"),
}


def golden_blocks(seed: str) -> list[tuple[str, str]]:
    rows = read_expected(DATA / "golden" / f"{seed}.tsv", {"figure": " / ", "colophon": " / ", "list": " | "})
    return [(kind, text) for kind, _lines, text in rows if kind != "furniture"]


def sidecar_for(seed: str):
    """The seed's real sidecar, without what only fits the raw file (furniture, corrections)."""
    data = tomllib.loads((SEEDS / f"{seed}.toml").read_text(encoding="utf-8"))
    data["override"] = [o for o in data.get("override", []) if o["action"] != "furniture"]
    data.pop("correction", None)
    data.pop("reviewed", None)  # reviews are of the raw file's lines
    return parse_sidecar(Path(f"{seed}.toml"), data)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("seed", GOLDEN)
def test_rewrapped_seed_comes_back(seed, layout):
    widths, page_lines, header = LAYOUTS[layout]
    blocks = golden_blocks(seed)
    raw = typeset(blocks, widths, page_lines, header, random.Random(f"{seed}{layout}"))
    doc = ingest_bytes(Path(f"{seed}-{layout}.txt"), raw.encode(), sidecar_for(seed))
    got = [(b.kind, b.text) for b in doc.blocks]
    assert got == blocks
    assert all(f.reason for f in doc.furniture)
