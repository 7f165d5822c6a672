"""A pytest plugin for ``make mutate`` (``-p tests.mutmut_plugin``): pure tests, fastest first.

mutmut runs a mutant's tests with ``-x``, so a killed mutant costs the tests up to the
first failure and a surviving one all of them.  So: tests that build a Sphinx project
(``make_app``, seconds each: the glue, whose logic the pure tests reach directly) are
left out, and the rest run in the order of the durations mutmut recorded
(``mutmut-stats.json`` in the directory it runs pytest in).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SPHINX_FIXTURES = {"make_app", "app", "app_params"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    builds = [item for item in items if SPHINX_FIXTURES & set(getattr(item, "fixturenames", ()))]
    if builds:
        config.hook.pytest_deselected(items=builds)
        items[:] = [item for item in items if item not in builds]
    stats = Path("mutmut-stats.json")
    if stats.exists():
        durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
