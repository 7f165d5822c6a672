"""Shared fixtures: Sphinx's testing fixtures, the real reader built once per run.

``make test`` runs the suite in two processes (pytest-xdist, ``--dist loadfile``):
each test module stays in one process (its module fixtures, a browser or a built
project, are made once), the PDF modules share one (``pytest_xdist_make_scheduler``),
and the real reader's builds (``site``, ``site_hant``, ``pdfs``) are made once for
the whole run, by the first process to ask, in one copy of the project both
processes read (``once``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from filelock import FileLock

from .util import build_html

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
# What a copy of the project needs to build (the copy keeps the repo untouched).
PROJECT_FILES = ["conf.py", "index.md", "seeds", "source", "_ext", "anchors", "glossary", "variant"]


# Markers by what a test needs, so ``make test-fast`` (``-m "not slow"``) keeps the
# edit-test loop short; ``make test`` runs everything.
SLOW_FIXTURES = {"site", "site_hant", "project_copy", "server", "page", "browser"}
# Tests that build several whole projects (or kill builds) without those fixtures:
# each takes seconds, together minutes (measured with --durations).
SLOW_MODULES = ("test_browser", "test_pdf", "test_builds", "test_incremental", "test_crash", "test_large_pages")
SLOW_TESTS = {
    "test_bad_input_is_a_clear_error_and_keeps_pages",
    "test_bad_input_on_the_command_line_has_no_traceback",
    "test_hostile_seed_renders_literally",
    "test_incremental_build_sees_the_override_file",
    "test_every_field_renders_literally",
    "test_ingestion_is_linear_in_the_number_of_lines",
    "test_po_round_trip",
    "test_a_paragraph_edited_twice_shows_both_revisions",
    "test_published_source_with_unreviewed_decisions_warns",
    "test_review_pages",
    "test_too_many_blocks_is_a_clear_error_the_sidecar_can_lift",
    "test_detector_on_the_seeds_without_overrides",
    "test_a_draft_is_marked_in_the_built_page_and_the_manifest",
    "test_alias_targets_in_the_built_page",
    "test_unused_override_is_reported",
}


# Modules that share a run-wide fixture too slow to wait for in the other process run in one.
SAME_PROCESS = {"tests/test_pdf_margins.py": "tests/test_pdf.py"}


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, each module in one process, with ``SAME_PROCESS``'s modules
    together.  (xdist's ``loadgroup`` would do it by marker, but it splits modules
    under pytest 9: it renames the items' ``_nodeid``, which pytest no longer reads.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ModulesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return SAME_PROCESS.get(module, module)

    return ModulesTogether(config, log)


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.path.name
        if name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)
        if name.startswith("test_pdf"):
            item.add_marker(pytest.mark.pdf)
        fixtures = set(getattr(item, "fixturenames", ()))
        slow_test = getattr(item, "originalname", item.name) in SLOW_TESTS
        if name.startswith(SLOW_MODULES) or fixtures & SLOW_FIXTURES or slow_test:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOT / "tests" / "roots"


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".tmp-*"))
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    """A directory every process of this run sees (under xdist, the workers' common parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(run_dir: Path, name: str, make: Callable[[], object]):
    """``make()``'s result (JSON), made by the first process of the run to ask; the
    others wait for it.  A failure is not recorded: the next process to ask tries again."""
    done = run_dir / f"{name}.json"
    with FileLock(run_dir / f"{name}.lock"):
        if not done.exists():
            done.write_text(json.dumps(make()), encoding="utf-8")
        return json.loads(done.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class BuiltSite:
    """What the tests read of a built site (the Sphinx app stays in the process that built it)."""

    srcdir: Path
    outdir: Path
    warnings: str

    @property
    def warning(self) -> StringIO:
        return StringIO(self.warnings)


def built_site(run_dir: Path, name: str, project: Path, builddir: Path, **overrides) -> BuiltSite:
    def make() -> dict[str, str]:
        app = build_html(project, builddir, **overrides)
        return {"srcdir": str(app.srcdir), "outdir": str(app.outdir), "warnings": app.warning.getvalue()}

    made = once(run_dir, name, make)
    return BuiltSite(Path(made["srcdir"]), Path(made["outdir"]), made["warnings"])


@pytest.fixture(scope="session")
def project_copy(run_dir) -> Path:
    """One copy of the repository for the run (two builds in it wait for each other:
    the reader's build lock, core/safewrite.py)."""
    return Path(once(run_dir, "project", lambda: str(copy_project(run_dir / "project" / "reader"))))


@pytest.fixture(scope="session")
def site(run_dir, project_copy) -> BuiltSite:
    """The real reader built (HTML, serial, fresh) from a copy of the repository."""
    return built_site(run_dir, "site", project_copy, project_copy / "_build")


@pytest.fixture(scope="session")
def site_hant(run_dir, project_copy) -> BuiltSite:
    """The same copy built as the traditional-Chinese variant."""
    overrides = {"reader_variant": "hant", "language": "zh_TW", "reader_other_variant_url": "../html"}
    return built_site(run_dir, "site-hant", project_copy, project_copy / "_build-hant", **overrides)


def build_pdf(project: Path, variant: str) -> Path:
    env = dict(os.environ, PYTHON=sys.executable, PYTHONPATH=str(project / "_ext"))
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-pdf.sh"), variant], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "_build" / "pdf" / ("reader-hant.pdf" if variant == "hant" else "reader.pdf")


@pytest.fixture(scope="session")
def pdfs(run_dir, project_copy) -> dict[str, Path]:
    """Both PDFs of the project copy, built once per run (tests/test_pdf*.py)."""
    made = once(run_dir, "pdfs", lambda: {v: str(build_pdf(project_copy, v)) for v in ("hans", "hant")})
    return {variant: Path(path) for variant, path in made.items()}
