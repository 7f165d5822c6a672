"""A pytest plugin for ``make mutate`` (``-p tests.mutate_order``): the fastest tests first.

mutmut runs each mutant's tests with ``-x``, so a killed mutant costs only the tests up
to the first failure; ordering them by the durations mutmut recorded (``mutmut-stats.json``
in the directory it runs pytest in) finds most kills in the fast pure tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    stats = Path("mutmut-stats.json")
    if not stats.exists():
        return
    durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
