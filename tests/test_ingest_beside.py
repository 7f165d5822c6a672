"""Seeds ingested in worker processes (core/pipeline.ingest_beside, issue 18):
the collection is the one a single process makes, and a bad seed's error is the
one it raises, first bad seed first, whichever seeds the workers took."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.core.pipeline as pipeline
from reader.core.errors import SeedError

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "roots" / "test-minimal"


def documents(project: Path, minimum: int) -> list:
    old = pipeline.INGEST_BESIDE_MIN
    pipeline.INGEST_BESIDE_MIN = minimum
    try:
        return pipeline.load_collection(project).docs
    finally:
        pipeline.INGEST_BESIDE_MIN = old


def error_of(project: Path, minimum: int) -> str:
    with pytest.raises(SeedError) as caught:
        documents(project, minimum)
    return str(caught.value)


def test_the_real_collection_is_the_same_from_workers(project_copy):
    # Equal field by field (dataclasses); not byte-equal pickles, which also
    # record which strings happened to be one object.
    assert documents(project_copy, 1) == documents(project_copy, 10**9)


def test_workers_are_used_at_the_threshold(tmp_path):
    """(The test above would pass if the workers were never used: only they fill the cache here.)"""
    project = many_seeds(tmp_path, 3, bad={})
    seeds = pipeline.seed_files(project / "seeds")
    cache = pipeline.BuildCache(None)
    pipeline.ingest_beside(seeds, cache, minimum=3)
    assert len(cache.data["ingest"]) == 3
    cache = pipeline.BuildCache(None)
    pipeline.ingest_beside(seeds, cache, minimum=4)
    assert "ingest" not in cache.data


BAD = {
    "undecodable": lambda seed, sidecar: seed.write_bytes(b"\xe4\xb8\xad\xff\xfe\n\n"),
    "no sidecar": lambda seed, sidecar: sidecar.unlink(),
    "empty": lambda seed, sidecar: seed.write_bytes(b""),
    "duplicate slug": lambda seed, sidecar: sidecar.write_text(  # the slug of the seed before (after, for the first)
        re.sub(r'slug = "s(\d+)"', lambda m: f'slug = "s{abs(int(m[1]) - 1):03d}"', sidecar.read_text("utf-8")),
        encoding="utf-8",
    ),
}


def many_seeds(tmp_path: Path, count: int, bad: dict[int, str]) -> Path:
    project = tmp_path / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "seeds").mkdir(parents=True)
    text = (MINIMAL / "seeds" / "one.txt").read_text(encoding="utf-8")
    sidecar = (MINIMAL / "seeds" / "one.toml").read_text(encoding="utf-8")
    for i in range(count):
        seed = project / "seeds" / f"{i:03d}.txt"
        seed.write_text(text + f"\n\n第{i}篇的补充段落。\n", encoding="utf-8")
        (project / "seeds" / f"{i:03d}.toml").write_text(
            sidecar.replace('slug = "one"', f'slug = "s{i:03d}"'), encoding="utf-8"
        )
    for i, kind in bad.items():
        BAD[kind](project / "seeds" / f"{i:03d}.txt", project / "seeds" / f"{i:03d}.toml")
    return project


@settings(max_examples=12, deadline=None)
@given(bad=st.dictionaries(st.integers(0, 5), st.sampled_from(sorted(BAD)), min_size=1, max_size=3))
def test_the_first_bad_seeds_error_is_raised_as_without_workers(tmp_path_factory, bad):
    project = many_seeds(tmp_path_factory.mktemp("bad"), 6, bad)
    assert error_of(project, 1) == error_of(project, 10**9)


@pytest.mark.parametrize("beside", [True, False])
def test_the_files_written_beside_are_those_rendered_here(tmp_path, beside):
    """``write_outputs``: each source's page and margins written by the worker that
    rendered them, exactly ``render_outputs``'s texts; then only what changed is
    written, and a generated file no source makes any more is removed."""
    project = many_seeds(tmp_path, 5, bad={})
    coll = pipeline.load_collection(project)
    outputs = pipeline.render_outputs(coll)
    assert sorted(pipeline.write_outputs(coll, beside=beside)) == sorted(outputs)
    assert {path: path.read_text(encoding="utf-8") for path in outputs} == outputs
    assert pipeline.write_outputs(coll, beside=beside) == []  # unchanged files keep their times
    edited = coll.pages_dir / "s003.md"
    edited.write_text(outputs[edited] + "\n", encoding="utf-8")
    stale = [coll.pages_dir / "gone.md", coll.pages_dir / pipeline.MARGINS_DIR / "gone.json"]
    stale[0].write_text(f"{pipeline.GENERATED_MARK} a seed since removed.\n", encoding="utf-8")
    stale[1].write_text("{}\n", encoding="utf-8")
    assert sorted(pipeline.write_outputs(coll, beside=beside)) == sorted([edited, *stale])
    assert edited.read_text(encoding="utf-8") == outputs[edited] and not any(p.exists() for p in stale)
