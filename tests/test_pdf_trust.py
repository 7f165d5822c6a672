"""Hostile text in the PDF: with the reader's real LaTeX setup, seeds full of TeX,
MyST, HTML and Jinja syntax give a PDF that builds, and the PDF shows the
characters of the text (straight quotes and backticks were printed curly by
TeX ligatures)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOTS = ROOT / "tests" / "roots"


def test_hostile_seeds_give_a_pdf_that_shows_their_characters(tmp_path):
    project = tmp_path / "reader"
    (project / "seeds").mkdir(parents=True)
    for name in ("conf.py", "index.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "_ext", project / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    for root in ("test-xss", "test-hostile"):
        for seed in (ROOTS / root / "seeds").iterdir():
            shutil.copy(seed, project / "seeds" / seed.name)
    env = dict(os.environ, PYTHON=sys.executable, PYTHONPATH=str(project / "_ext"))
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-pdf.sh"), "hans"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = subprocess.run(
        # (-layout: without it pdftotext drops a hyphen that ends a line, taking it for a soft one)
        ["pdftotext", "-layout", "-enc", "UTF-8", str(project / "_build" / "pdf" / "reader.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = "".join(text.split())
    for literal in ("``", "`反引号`", '"直引号"', "'单引号'", "--破折号---", "\\LaTeX{}", "${x}$"):
        assert "".join(literal.split()) in flat, literal
    assert not any(q in flat for q in "‘’") and "“直引号”" not in flat  # no ligature turned them curly
    # The hostile seed's markup is text too.
    for literal in ("<script>alert(1)</script>", "\\emph{y}", "$x^2$", "{{secret}}", "(label)=", "<b>粗</b>"):
        assert literal in flat, literal
    assert "<imgsrc=xonerror=alert(77)>" in flat  # the title, as typed
