"""Shared fixtures: Sphinx's testing fixtures, the real reader built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
# What a copy of the project needs to build (the copy keeps the repo untouched).
PROJECT_FILES = ["conf.py", "index.md", "seeds", "source", "_ext", "anchors", "glossary", "variant"]


# Markers by what a test needs, so ``make test-fast`` (``-m "not slow"``) keeps the
# edit-test loop short; ``make test`` runs everything.
SLOW_FIXTURES = {"site", "site_hant", "project_copy", "server", "page", "browser"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.path.name
        if name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)
        if name.startswith("test_pdf"):
            item.add_marker(pytest.mark.pdf)
        fixtures = set(getattr(item, "fixturenames", ()))
        if name.startswith(("test_browser", "test_pdf", "test_builds")) or fixtures & SLOW_FIXTURES:
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
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        "html", srcdir=project_copy, builddir=project_copy / "_build", status=status, warning=warning, freshenv=True
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.fixture(scope="session")
def site_hant(project_copy):
    """The same copy built as the traditional-Chinese variant."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=project_copy,
        builddir=project_copy / "_build-hant",
        status=status,
        warning=warning,
        freshenv=True,
        confoverrides={"reader_variant": "hant", "language": "zh_TW", "reader_other_variant_url": "../html"},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


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
