"""Where a clean build's time goes, phase by phase, serial and with -j N
(issue 18: "parallel builds that pay").

    python bench/phases.py 200 [--jobs 1 2] [--profile] [--floor] [--cpu]

Builds a synthetic corpus (bench/synth.py) in a child process per run with a
tiny timing extension: start-up and the reader's generation (to the end of
builder-inited), reading (to env-updated), writing (to build-finished) and the
build-finished writers (search index, anchors, collection list...).  With
``--profile`` each run also writes a cProfile (bench/work/phases-<n>-j<N>.prof)
of the main process and prints its top functions by cumulative time.  With
``--floor`` the trimmed floor of ``bench/run.py`` (the same corpus as plain MyST
pages, the theme's sidebar trimmed to the sections) is timed phase by phase
beside the reader (serial), with the ratio of each phase: where the
extension's overhead goes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"

CHILD = r"""
import cProfile, io, json, os, pstats, sys, time
T0 = time.perf_counter()
marks = {}
import resource
def mark(name):
    marks.setdefault(name, time.perf_counter() - T0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    marks.setdefault(name + "_peak_mib", usage.ru_maxrss / 1024)
    marks.setdefault(name + "_cpu", usage.ru_utime + usage.ru_stime)
class Timing:
    @staticmethod
    def setup(app):
        app.connect("builder-inited", lambda app: mark("inited"), priority=999)
        app.connect("env-before-read-docs", lambda app, env, docs: mark("read_start"), priority=999)
        app.connect("env-updated", lambda app, env: mark("read_end"), priority=1)
        app.connect("build-finished", lambda app, exc: mark("finish_start"), priority=1)
        app.connect("build-finished", lambda app, exc: mark("finish_end"), priority=999)
        return {"parallel_read_safe": True, "parallel_write_safe": True}
sys.modules["timing_ext"] = Timing
from sphinx.cmd.build import main
profile = os.environ.get("PHASES_PROFILE")
profiler = cProfile.Profile() if profile else None
if profiler: profiler.enable()
code = main(sys.argv[1:])
if profiler:
    profiler.disable()
    profiler.dump_stats(profile)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    print(text.getvalue(), file=sys.stderr)
marks["total"] = time.perf_counter() - T0
usage = resource.getrusage(resource.RUSAGE_SELF)
marks["total_cpu"] = usage.ru_utime + usage.ru_stime
children = resource.getrusage(resource.RUSAGE_CHILDREN)
marks["children_cpu"] = children.ru_utime + children.ru_stime
print("PHASES", json.dumps(marks))
sys.exit(code)
"""


def run(project: Path, jobs: int, profile: bool, extensions: str = "myst_parser,sphinx_design,reader") -> dict:
    out = WORK / f"{project.name}-phases-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(project / "_ext"))
    if profile:
        env["PHASES_PROFILE"] = str(WORK / f"phases-{project.name}-j{jobs}.prof")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            "-q",
            "-b",
            "html",
            "-j",
            str(jobs),
            "-D",
            f"extensions={extensions},timing_ext",
            str(project),
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    if profile:
        print(result.stderr[-6000:])
    marks = json.loads(result.stdout.rsplit("PHASES", 1)[1])
    peaks = {k: round(v) for k, v in marks.items() if k.endswith("_peak_mib")}
    print(f"-j {jobs}: peak memory (MiB) so far at each mark: {peaks}")
    suffix = "_cpu" if CPU else ""
    phases = {
        "start-up and generation": marks["inited" + suffix],
        "reading": marks["read_end" + suffix] - marks["inited" + suffix],
        "writing": marks["finish_start" + suffix] - marks["read_end" + suffix],
        "build-finished writers": marks["finish_end" + suffix] - marks["finish_start" + suffix],
        "total": marks["total" + suffix],
    }
    if CPU:
        phases["other processes"] = marks["children_cpu"]
    return phases


# --cpu: the main process's CPU seconds per phase (and the other processes' in
# all) instead of wall-clock seconds: steadier on a shared machine, and what a
# change to the main process's own work changes.
CPU = False


def main() -> None:
    from synth import make_corpus

    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--corpus", help="an existing corpus to build instead of a new one")
    parser.add_argument("--floor", action="store_true", help="also time the trimmed floor, phase by phase")
    parser.add_argument("--cpu", action="store_true", help="CPU seconds of the main process, not wall-clock seconds")
    args = parser.parse_args()
    global CPU
    CPU = args.cpu
    project = Path(args.corpus) if args.corpus else make_corpus(WORK / f"phases-{args.size}", args.size)
    rows = {f"-j {jobs} s": run(project, jobs, args.profile) for jobs in args.jobs}
    if args.floor:
        from run import plain_project, trimmed_project

        plain = plain_project(project, WORK / f"{project.name}-plain")
        trimmed = trimmed_project(project, plain, WORK / f"{project.name}-trimmed")
        floor = run(trimmed, 1, False, extensions="myst_parser,sphinx_design")
        reader = rows[f"-j {args.jobs[0]} s"]
        rows["trimmed floor s"] = floor
        rows["reader / floor"] = {k: reader[k] / floor[k] if floor[k] else float("nan") for k in floor}
    names = list(next(iter(rows.values())))
    print("| phase | " + " | ".join(rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for name in names:
        print(
            f"| {name} | "
            + " | ".join(f"{rows[col][name]:.2f}" if "/" in col else f"{rows[col][name]:.1f}" for col in rows)
            + " |"
        )


if __name__ == "__main__":
    main()
