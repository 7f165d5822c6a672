"""An incremental build equals a clean build for EVERY output file (search index,
inventory, manifest, scripts, pages), after each kind of edit a contributor makes:
seed, sidecar metadata, overrides, annotations, glossary."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import copy_project


def build(srcdir: Path, builddir: Path, fresh: bool, builder: str = "html") -> Path:
    """sphinx-build in its own process, as an editor runs it (two Sphinx apps in one
    process share mutable config defaults, which Sphinx then sees as a config change)."""
    outdir = builddir / builder
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-q"]
    command += ["-d", str(builddir / "doctrees"), str(srcdir), str(outdir)] + (["-E"] if fresh else [])
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return outdir


def every_output(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


def genindex_entries(outdir: Path) -> int:
    """The glossary's terms as index entries on the index page (Sphinx's own search
    index, which lost those of the pages not rewritten, is no longer written)."""
    assert not (outdir / "searchindex.js").exists()
    return (outdir / "genindex.html").read_text(encoding="utf-8").count('href="source/glossary.html#')


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit_seed(project: Path) -> None:
    append(project / "seeds" / "004_dd9cf5bbd3674268.txt", "\n\n编者补记：新质生产力与高质量发展的关系。\n")


def edit_sidecar_metadata(project: Path) -> None:
    sidecar = project / "seeds" / "000_c858e1b4996ba25d.toml"
    text = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(re.sub(r'(?m)^summary = "', 'summary = "（修订）', text, count=1), encoding="utf-8")


def edit_override(project: Path) -> None:
    # p4 of 因地制宜 splits after its first sentence (a new anchor p4a)
    append(
        project / "seeds" / "002_8b9dca4ffe2b3d63.toml",
        '\n[[override]]\naction = "break"\nat = "新质生产力的显著特点是创新，"\n'
        # (the new break makes the segmenter unsure of a line end above it: reviewed)
        '\n[[reviewed]]\nat = "先进生产力。"\nnote = "checked"\n',
    )


def edit_annotation(project: Path) -> None:
    append(
        project / "seeds" / "002_8b9dca4ffe2b3d63.toml",
        '\n[[annotation]]\nat = "p1"\nkind = "note"\ntext = "新增的编者注。"\n',
    )


def edit_glossary(project: Path) -> None:
    terms = project / "glossary" / "terms.toml"
    text = terms.read_text(encoding="utf-8")
    terms.write_text(
        text.replace('definition = "产业链与供应链的合称', 'definition = "（修订）产业链与供应链的合称', 1)
    )


EDITS = [edit_seed, edit_sidecar_metadata, edit_override, edit_annotation, edit_glossary]


def test_incremental_build_equals_clean_build_after_every_kind_of_edit(tmp_path):
    project = copy_project(tmp_path / "project")
    incremental = build(project, tmp_path / "incremental", fresh=True)
    entries = genindex_entries(incremental)
    assert entries > 0  # the glossary's terms are index entries
    # An output first built by an earlier version holds its Sphinx index: removed (compared below).
    (incremental / "searchindex.js").write_text("Search.setIndex({})", encoding="utf-8")
    for edit in EDITS:
        before = (
            (project / "glossary" / "terms.toml").read_bytes(),
            sorted(p.read_bytes() for p in (project / "seeds").iterdir()),
        )
        edit(project)
        after = (
            (project / "glossary" / "terms.toml").read_bytes(),
            sorted(p.read_bytes() for p in (project / "seeds").iterdir()),
        )
        assert before != after, edit.__name__  # the edit changed something
        incremental = build(project, tmp_path / "incremental", fresh=False)
        clean = build(project, tmp_path / f"clean-{edit.__name__}", fresh=True)
        left, right = every_output(incremental), every_output(clean)
        assert sorted(left) == sorted(right), edit.__name__
        differ = [name for name in left if left[name] != right[name]]
        assert not differ, (edit.__name__, differ)
        assert genindex_entries(incremental) == entries, edit.__name__


def test_incremental_latex_sources_equal_clean_ones(tmp_path):
    """The PDF's sources (reader.tex and its support files) after an incremental build."""
    project = copy_project(tmp_path / "project")
    build(project, tmp_path / "incremental", fresh=True, builder="latex")
    for edit in (edit_seed, edit_sidecar_metadata, edit_glossary):
        edit(project)
    incremental = build(project, tmp_path / "incremental", fresh=False, builder="latex")
    clean = build(project, tmp_path / "clean", fresh=True, builder="latex")
    left, right = every_output(incremental), every_output(clean)
    assert sorted(left) == sorted(right)
    assert [name for name in left if left[name] != right[name]] == []


def test_incremental_build_checks_only_the_pages_it_wrote_for_the_policy(tmp_path):
    """The policy pass reads the pages a build wrote, not the whole collection; a
    page it did not write keeps its file untouched, unless its policy is not the
    one this code writes (an older version's), which is put right."""
    import os
    import time

    from reader.trust import CSP_META, POLICY_MARK

    project = copy_project(tmp_path / "project")
    out = build(project, tmp_path / "b", fresh=True)
    untouched, stale = out / "source" / "beijing-ziliao.html", out / "source" / "yindi-zhiyi.html"
    # Both pages keep the time the first build wrote them: after every input Sphinx
    # compares (sources and theme templates, which may be newer than the sources on
    # a fresh machine), and before the next build starts, beyond its slack.
    old = untouched.stat().st_mtime_ns
    time.sleep(max(0, (old - time.time_ns()) / 1e9) + 3)
    # A page not written again is not read again: mark its policy's hashes to see it.
    marked = untouched.read_text(encoding="utf-8").replace(POLICY_MARK, POLICY_MARK + "'sha256-unread' ", 1)
    untouched.write_text(marked, encoding="utf-8")
    for page in (untouched, stale):
        os.utime(page, ns=(old, old))
    text = stale.read_text(encoding="utf-8")
    older_policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\" />\n"
    stale.write_text(CSP_META.sub(older_policy, text, count=1), encoding="utf-8")
    os.utime(stale, ns=(old, old))
    assert POLICY_MARK not in stale.read_text(encoding="utf-8")
    build(project, tmp_path / "b", fresh=False)  # nothing edited
    assert untouched.stat().st_mtime_ns == old and untouched.read_text(encoding="utf-8") == marked
    assert stale.read_text(encoding="utf-8") == text  # the current policy, as a clean build writes it
