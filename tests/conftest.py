"""Shared fixtures: Sphinx's testing fixtures, the real reader built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
def project_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project") / "reader")


@pytest.fixture(scope="session")
def site(project_copy):
    """The real reader built (HTML, serial, fresh) from a copy of the repository."""
    return build_html(project_copy, project_copy / "_build")


@pytest.fixture(scope="session")
def site_hant(project_copy):
    """The same copy built as the traditional-Chinese variant."""
    overrides = {"reader_variant": "hant", "language": "zh_TW", "reader_other_variant_url": "../html"}
    return build_html(project_copy, project_copy / "_build-hant", **overrides)


def build_pdf(project: Path, variant: str) -> Path:
    env = dict(os.environ, PYTHON=sys.executable, PYTHONPATH=str(project / "_ext"))
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-pdf.sh"), variant], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "_build" / "pdf" / ("reader-hant.pdf" if variant == "hant" else "reader.pdf")


@pytest.fixture(scope="session")
def pdfs(project_copy) -> dict[str, Path]:
    """Both PDFs of the project copy, built once per session (tests/test_pdf*.py)."""
    return {variant: build_pdf(project_copy, variant) for variant in ("hans", "hant")}
