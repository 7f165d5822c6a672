"""Unindented layouts: a sentence ending exactly at the margin is cut or joined by
the document's own paragraph lengths (core.breaks.ParagraphHazard), and every
such decision is in the review report with the override that flips it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.breaks import ParagraphHazard
from reader.core.segment import ingest_bytes
from reader.core.sidecar import parse_sidecar

from .corpus import golden_blocks, wrap
from .test_review import _as_override


def _pool() -> list[str]:
    golden = Path(__file__).parent / "data" / "golden"
    out = set()
    for path in sorted(golden.glob("*.tsv")):
        out |= {text for kind, text in golden_blocks(path.stem) if kind == "paragraph" and 40 <= len(text) <= 600}
    return sorted(out)


POOL = _pool()
SPLIT = "另起一段"
JOINED = "与下一行接排（同一段）"


def _sidecar(overrides=()):
    return parse_sidecar(Path("x.toml"), {"source": {"slug": "x", "kind": "article"}, "override": list(overrides)})


def typeset(paragraphs: list[str], width: int, indent: bool) -> str:
    lines = ["标题"]
    for text in paragraphs:
        lines += wrap(text, width - (2 if indent else 0), width)
    return "".join(f"{line}\n\n" for line in lines)


def test_hazard_grows_with_length():
    """Paragraphs of five 40-character sentences: a sentence end after 40
    characters rarely ends one, after 200 it nearly always does."""
    samples = [(n, n == 200) for _ in range(8) for n in (40, 80, 120, 160, 200)]
    hazard = ParagraphHazard.fit(samples)
    assert hazard.b > 0
    assert hazard.log_end(40, True) < hazard.log_end(40, False)
    assert hazard.log_end(200, True) > hazard.log_end(200, False)


def test_hazard_fit_on_no_evidence_is_even():
    hazard = ParagraphHazard.fit([])
    assert abs(hazard.log_end(100, True) - hazard.log_end(100, False)) < 1e-9


FILLER = (
    "发展新质生产力是推动高质量发展的内在要求，必须坚持创新驱动。科技创新能够催生新产业、新模式、新动能，是核心要素。"
)


def _paragraph(length: int, shift: int) -> str:
    """A paragraph of ``length`` characters ending with a full stop."""
    body = (FILLER[shift:] + FILLER * 4)[: length - 1]
    if body[-1] in "，、。":
        body = body[:-1] + "新"
    return body + "。"


def _last_line(text: str) -> int:
    return len(wrap(text, 20, 20)[-1])


def _paragraphs() -> list[str]:
    """Eight paragraphs of about 90 characters at 20 columns; only the fourth
    ends exactly at the margin, the others with a short last line."""
    out = []
    for k in range(8):
        want_full = k == 3
        n = 85 + k
        while (_last_line(_paragraph(n, 7 * k)) == 20) != want_full or (
            not want_full and _last_line(_paragraph(n, 7 * k)) > 15
        ):
            n += 1
        out.append(_paragraph(n, 7 * k))
    return out


def test_unindented_layout_cuts_at_a_margin_sentence_end_by_length():
    paras = _paragraphs()
    raw = typeset(paras, 20, indent=False)
    doc = ingest_bytes(Path("x.txt"), raw.encode(), _sidecar())
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == paras
    cuts = [d for d in doc.review if d.decided == SPLIT]
    assert len(cuts) == 1 and cuts[0].action == "join"
    # The suggested override decides it the other way: paragraphs 4 and 5 become one.
    joined = ingest_bytes(Path("x.txt"), raw.encode(), _sidecar([_as_override(cuts[0])]))
    assert [b.text for b in joined.blocks if b.kind == "paragraph"] == paras[:3] + [paras[3] + paras[4]] + paras[5:]


def test_indented_layout_never_cuts_on_length():
    paras = _paragraphs()
    raw = typeset(paras, 20, indent=True)
    doc = ingest_bytes(Path("x.txt"), raw.encode(), _sidecar())
    assert not any(d.decided == SPLIT for d in doc.review)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), min_size=2, max_size=12),
    st.integers(min_value=20, max_value=40),
    st.booleans(),
)
def test_length_cuts_are_listed_and_reversible(paragraphs, width, indent):
    """Invariants on any text and layout: nothing is lost (ingest checks it);
    a cut made on length is only ever made in an unindented layout, at a line
    ending a sentence, and is listed with a join override that undoes it."""
    raw = typeset(paragraphs, width, indent)
    doc = ingest_bytes(Path("x.txt"), raw.encode(), _sidecar())
    cuts = [d for d in doc.review if d.decided == SPLIT]
    if indent:
        assert cuts == []
    block_ends = {b.last_line for b in doc.blocks}
    raw_lines = raw.split("\n")
    for d in cuts:
        assert d.line in block_ends
        assert raw_lines[d.line - 1].rstrip()[-1] in "。！？”’」』）!?"
    for d in cuts[:2]:
        undone = ingest_bytes(Path("x.txt"), raw.encode(), _sidecar([_as_override(d)]))
        assert d.line not in {b.last_line for b in undone.blocks}


def _penalised_gradient(hazard: ParagraphHazard, samples, ridge: float = 0.1) -> tuple[float, float]:
    """The gradient of the penalised log-likelihood at the fitted parameters,
    written out independently of the fit."""
    import math

    ga = gb = 0.0
    for n, ends in samples:
        x = math.log(max(1, n)) - hazard.centre
        q = 1 / (1 + math.exp(-(hazard.a + hazard.b * x)))
        ga += (1.0 if ends else 0.0) - q
        gb += ((1.0 if ends else 0.0) - q) * x
    return ga, gb - ridge * hazard.b


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 3000), st.booleans()), min_size=1, max_size=40).filter(
        lambda s: any(e for _n, e in s) and not all(e for _n, e in s)
    )
)
def test_hazard_fit_is_the_penalised_maximum(samples):
    """Whatever the evidence (both outcomes present), the fit is where the penalised
    likelihood is flat: Newton's method converged to the maximum."""
    hazard = ParagraphHazard.fit(samples)
    ga, gb = _penalised_gradient(hazard, samples)
    assert abs(ga) < 1e-6 and abs(gb) < 1e-6, (ga, gb)


def test_hazard_fit_on_few_samples():
    # Two samples: the curvature is small (|det| < 1), the fit must still move.
    samples = [(30, False), (90, True)]
    hazard = ParagraphHazard.fit(samples)
    assert hazard.b > 0
    ga, gb = _penalised_gradient(hazard, samples)
    assert abs(ga) < 1e-6 and abs(gb) < 1e-6
