"""Big inputs cost time in proportion to their size (no quadratic step), and the
differences of a huge pair of blocks are bounded."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.parallels import MAX_DIFF_CELLS, coarse_diff, diff_ops
from reader.core.segment import ingest
from reader.core.sidecar import parse_sidecar

SENTENCES = ["要以科技创新引领产业全面振兴，", "新质生产力的显著特点是创新，", "也包括管理和制度层面的创新，"]


def seed(tmp_path: Path, lines: int) -> Path:
    path = tmp_path / f"big{lines}.txt"
    body = "\n".join(SENTENCES[i % 3] + str(i) for i in range(lines))  # one long paragraph, hard-wrapped
    path.write_text(f"大标题\n\n{body}。\n", encoding="utf-8")
    return path


def cpu_seconds(path: Path) -> float:
    sidecar = parse_sidecar(path.with_suffix(".toml"), {"source": {"slug": "big", "kind": "article"}})
    start = time.process_time()
    doc = ingest(path, sidecar)
    elapsed = time.process_time() - start
    assert len(doc.blocks) == 2
    return elapsed


def test_ingestion_is_linear_in_the_number_of_lines(tmp_path):
    """Joining the lines of a block was quadratic (40,000 lines: 5 s in the join alone)."""
    small, large = seed(tmp_path, 5_000), seed(tmp_path, 20_000)
    cpu_seconds(small)  # warm up
    ratio = min(cpu_seconds(large) for _ in range(2)) / min(cpu_seconds(small) for _ in range(2))
    assert ratio < 8, ratio  # linear: about 4; quadratic: about 16


def test_differences_of_huge_blocks_are_bounded():
    a = "新质生产力" * 400_000
    b = "新质生产力的显著特点是创新"
    assert len(a) * len(b) > MAX_DIFF_CELLS
    start = time.process_time()
    ops = diff_ops(a, b)
    assert time.process_time() - start < 1
    assert "".join(t for op, t in ops if op != "+") == a and "".join(t for op, t in ops if op != "-") == b


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="新质生产力创", max_size=30), st.text(alphabet="新质生产力创", max_size=30))
def test_coarse_differences_turn_one_text_into_the_other(a, b):
    ops = coarse_diff(a, b)
    assert "".join(t for op, t in ops if op != "+") == a
    assert "".join(t for op, t in ops if op != "-") == b
    assert all(t for _, t in ops)


def _calls(raw: str) -> int:
    """Function calls (Python and C) made by ingesting ``raw``: a measure of work that
    does not depend on the machine's speed."""
    import sys

    from reader.core.segment import ingest_bytes

    sidecar = parse_sidecar(Path("rep.toml"), {"source": {"slug": "rep", "kind": "article"}})
    count = 0

    def tally(_frame, event, _arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(tally)
    try:
        doc = ingest_bytes(Path("rep.txt"), raw.encode(), sidecar)
    finally:
        sys.setprofile(None)
    assert doc.review  # every repeated line is an uncertain decision
    return count


def _repeated_margin_sentences(n: int) -> str:
    # Every line a sentence ending at the margin: each is an uncertain decision, and
    # their snippets are never unique (the report's snippet search was quadratic:
    # 5,000 such lines took two minutes).
    measure = ["要以科技创新引领产业全面振兴新质生产力，"] * 6 + ["短句收尾。"]  # a 20-column page
    lines = ["标题"] + measure * 3 + ["发展新质生产力需要坚持创新驱动发展战略。"] * n
    return "".join(f"{line}\n\n" for line in lines)


def test_uncertain_decisions_on_repeated_lines_are_linear():
    small, large = _calls(_repeated_margin_sentences(500)), _calls(_repeated_margin_sentences(2000))
    assert large / small < 4.6, large / small  # linear: 4; quadratic: 16
