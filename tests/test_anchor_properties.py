"""The anchor invariant under random editing histories (Hypothesis).

Random histories of edits (typo fixes, corrections, inserts, deletes, splits,
merges, moves, re-segmentation; several at once before a rebuild) are applied to
runs of the real paragraphs of the five seeds, and the invariant stated in
``reader.core.anchors`` is checked after every rebuild against the characters'
true lineage (tests/anchor_model.py).  ``make test`` runs a few hundred
histories; ``make fuzz`` runs many thousands.  Every counter-example Hypothesis
ever found is kept in tests/data/anchors/histories.json and replayed here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .anchor_model import corpus, run_history

DATA = Path(__file__).parent / "data" / "anchors" / "histories.json"
POOL = corpus()

settings.register_profile(
    "ci", max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# make mutate runs this test once per mutant: fewer histories, same seed, no example database.
settings.register_profile(
    "mutate", max_examples=50, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

small = st.integers(min_value=0, max_value=10_000)
operation = st.one_of(
    st.tuples(st.just("typo"), small, small, small, small),
    st.tuples(st.just("correct"), small, small, small, small),
    st.tuples(st.just("insert"), small, small),
    st.tuples(st.just("delete"), small),
    st.tuples(st.just("split"), small, small),
    st.tuples(st.just("merge"), small),
    st.tuples(st.just("move"), small, small),
    st.tuples(st.just("reseg"), small, small, small),
).map(list)
history = st.fixed_dictionaries(
    {
        "start": small,
        "count": st.integers(min_value=1, max_value=12),
        "steps": st.lists(st.lists(operation, min_size=1, max_size=4), min_size=1, max_size=5),
    }
)


def replay(case: dict) -> None:
    start = case["start"] % len(POOL)
    texts = (POOL + POOL)[start : start + case["count"]]
    run_history(texts, case["steps"], POOL)


@given(history)
def test_no_history_of_edits_moves_a_published_anchor(case):
    replay(case)


REGRESSIONS = json.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else []


@pytest.mark.parametrize("case", REGRESSIONS, ids=[c["name"] for c in REGRESSIONS])
def test_counter_examples_found_before(case):
    replay(case)
