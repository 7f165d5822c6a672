"""Mutation testing of the anchors and the segmenter (``make mutate``), with mutmut 3.

Two scores, written to ``mutate/results.md``:

- **anchors**: every mutant of ``reader/core/anchors.py``;
- **segmenter**: a fixed random sample of 200 mutants of the segmenter's modules
  (:data:`SEGMENTER`), drawn with :data:`SEED` from the sorted list of their mutants.

Each mutant runs against the fast tests that reach the mutated function (mutmut
records which tests call which function): the test files and pytest options are in
``pyproject.toml`` under ``[tool.mutmut]``, the property test with the ``mutate``
Hypothesis profile.  mutmut names a mutant after the module path of its file
(``_ext/reader/core/anchors.py`` would be ``_ext.reader.core.anchors``) and only
runs a mutant when that name is the module the tests imported (``reader.core.anchors``),
so the run happens in ``mutate/work/``, where ``reader`` is a link to ``_ext/reader``;
mutmut copies it (mutated) and the tests into ``mutate/work/mutants/``.

Mutants that change nothing observable are listed, with the reason, in
``mutate/equivalent.toml`` and left out of the score; an entry names the mutant
and a piece of its mutated line, so an entry left behind by a code change (mutmut
numbers mutants per function) no longer excuses another mutant.

Usage: ``python scripts/mutate.py [--part anchors|segmenter|all] [--max-children N]
[--keep] [--report-only]``.  About an hour on two cores; ``--keep`` after adding tests
re-tests only the mutants the last run did not kill.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mutate"
WORK = OUT / "work"
RESULTS = OUT / "results.md"
EQUIVALENT = OUT / "equivalent.toml"
TIMES = WORK / "times.json"
BIN = Path(sys.executable).parent

ANCHORS = "reader/core/anchors.py"
# The segmenter: segment.py and the stages it runs (README, "How a seed becomes a page").
SEGMENTER = [
    f"reader/core/{name}.py"
    for name in (
        "segment",
        "lines",
        "furniture",
        "columns",
        "overrides",
        "breaks",
        "classify",
        "frontmatter",
        "review",
        "lost",
    )
]
SAMPLE = 200
SEED = 21
# What the copy of the project needs beside the code and the tests (linked, mutmut copies them).
LINKS = {
    "reader": "_ext/reader",
    "tests": "tests",
    "pyproject.toml": "pyproject.toml",
    **{name: name for name in ("seeds", "anchors", "glossary", "variant", "source", "conf.py", "index.md")},
}


def prepare(fresh: bool) -> None:
    """mutate/work with its links; ``fresh`` drops earlier mutants and results."""
    if fresh and (WORK / "mutants").exists():
        shutil.rmtree(WORK / "mutants")
    WORK.mkdir(parents=True, exist_ok=True)
    for name, target in LINKS.items():
        link = WORK / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(ROOT / target, WORK))
    # Tests that run the CLI in a subprocess put <copy>/_ext on PYTHONPATH: the same package.
    ext = WORK / "mutants" / "_ext"
    ext.mkdir(parents=True, exist_ok=True)
    if not (ext / "reader").is_symlink():
        (ext / "reader").symlink_to(Path("..") / "reader")


def generate() -> None:
    """Write the mutants (mutmut's own generation step, without running any test)."""
    code = (
        "import mutmut.__main__ as m\n"
        "m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths(); m.create_mutants(1)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=WORK, check=True, capture_output=True)


def exit_codes(path: str) -> dict[str, int | None]:
    meta = WORK / "mutants" / (path + ".meta")
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def segmenter_sample() -> list[str]:
    names = sorted(name for path in SEGMENTER for name in exit_codes(path))
    return sorted(random.Random(SEED).sample(names, SAMPLE))


def run(names: list[str], max_children: int) -> float:
    env = dict(os.environ, HYPOTHESIS_PROFILE="mutate")
    start = time.monotonic()
    subprocess.run(
        [str(BIN / "mutmut"), "run", "--max-children", str(max_children), *names], cwd=WORK, env=env, check=True
    )
    return time.monotonic() - start


def diff_of(name: str) -> str:
    """The mutated lines (``-``/``+``) of a mutant, as ``mutmut show`` prints them."""
    out = subprocess.run([str(BIN / "mutmut"), "show", name], cwd=WORK, capture_output=True, text=True).stdout
    lines = out.splitlines()
    return "\n".join(line for line in lines if line[:1] in "-+" and not line.startswith(("---", "+++")))


def load_equivalents() -> dict[str, dict]:
    if not EQUIVALENT.exists():
        return {}
    entries = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8")).get("equivalent", [])
    return {entry["mutant"]: entry for entry in entries}


STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout"}
STATUS.update({code: "timeout" for code in (-24, 24, 152, 255)})


def score(names: list[str], codes: dict[str, int | None], equivalents: dict[str, dict]) -> dict:
    """Counts by outcome; detected = killed + timeout, over the mutants that are not equivalent."""
    counts = {"killed": 0, "timeout": 0, "survived": 0, "no tests": 0, "not run": 0, "other": 0, "equivalent": 0}
    survivors, excused, stale = [], [], []
    for name in names:
        code = codes.get(name)
        status = "not run" if code is None else STATUS.get(code, "other")
        if status in ("survived", "no tests", "other"):
            diff = diff_of(name)
            entry = equivalents.get(name)
            if entry and any(entry["change"] in line for line in diff.splitlines() if line.startswith("+")):
                counts["equivalent"] += 1
                excused.append((name, diff, entry["why"]))
                continue
            if entry:
                stale.append(name)
            survivors.append((name, status, diff))
        counts[status] += 1
    total = len(names) - counts["equivalent"]
    detected = counts["killed"] + counts["timeout"]
    return {
        "counts": counts,
        "total": total,
        "detected": detected,
        "score": detected / total if total else 0.0,
        "survivors": survivors,
        "excused": excused,
        "stale": stale,
    }


def report() -> None:
    codes = {**exit_codes(ANCHORS), **{k: v for path in SEGMENTER for k, v in exit_codes(path).items()}}
    equivalents = load_equivalents()
    times = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.exists() else {}
    parts = {
        "anchors": sorted(exit_codes(ANCHORS)),
        "segmenter": segmenter_sample(),
    }
    segmenter_total = sum(len(exit_codes(path)) for path in SEGMENTER)
    version = subprocess.run([str(BIN / "mutmut"), "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        "# Mutation testing",
        "",
        f"`make mutate` ({version}; `scripts/mutate.py`), written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "Detected = killed + timeout (a mutant that makes the tests loop); the score leaves out",
        "the equivalent mutants listed in `mutate/equivalent.toml`.",
        "",
        "| part | mutants | killed | timeout | survived | no tests | equivalent | score | wall time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    scores = {}
    for part, names in parts.items():
        s = scores[part] = score(names, codes, equivalents)
        c = s["counts"]
        wall = f"{times[part] / 60:.0f} min" if part in times else "–"
        if f"{part} rerun" in times:
            wall += f" + {times[part + ' rerun'] / 60:.0f} min (survivors, after new tests)"
        what = f"{len(names)}" if part == "anchors" else f"{len(names)} of {segmenter_total}"
        out.append(
            f"| {part} | {what} | {c['killed']} | {c['timeout']} | {c['survived']} | {c['no tests']} "
            f"| {c['equivalent']} | **{s['detected']}/{s['total']} = {s['score']:.1%}** | {wall} |"
        )
        if c["not run"] or c["other"]:
            out.append(f"| ({part}: {c['not run']} not run, {c['other']} suspicious or crashed) | | | | | | | | |")
    out += [
        "",
        f"Segmenter: {', '.join(Path(p).stem for p in SEGMENTER)} (`reader/core/`); sample seed {SEED}.",
        "The sample is drawn from the sorted mutant names, so it changes when the code does.",
        "",
    ]
    for part, s in scores.items():
        out.append(f"## {part}: survivors ({len(s['survivors'])})")
        out.append("")
        if s["stale"]:
            out.append(f"Stale entries of equivalent.toml (the mutant changed): {', '.join(s['stale'])}")
            out.append("")
        for name, status, diff in s["survivors"]:
            out += [f"- `{name}` ({status})", "", "  ```diff", *("  " + line for line in diff.splitlines()), "  ```"]
        out.append("")
        out.append(f"## {part}: equivalent mutants ({len(s['excused'])})")
        out.append("")
        for name, diff, why in s["excused"]:
            out += [f"- `{name}`: {why}", "", "  ```diff", *("  " + line for line in diff.splitlines()), "  ```"]
        out.append("")
    RESULTS.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8").split("\n## ")[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("anchors", "segmenter", "all"), default="all")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the last run's kills and test only the other mutants (after adding tests; default: start afresh)",
    )
    parser.add_argument("--report-only", action="store_true", help="only write mutate/results.md from the last run")
    args = parser.parse_args()
    if not args.report_only:
        prepare(fresh=not args.keep)
        generate()
        times = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.exists() and args.keep else {}
        parts = {"anchors": lambda: sorted(exit_codes(ANCHORS)), "segmenter": segmenter_sample}
        for part, names_of in parts.items():
            if args.part not in (part, "all"):
                continue
            names = names_of()
            if args.keep:
                # Adding tests never revives a killed mutant: test only the others.
                codes = {k: v for path in (ANCHORS, *SEGMENTER) for k, v in exit_codes(path).items()}
                equivalent = load_equivalents()
                names = [
                    n
                    for n in names
                    if STATUS.get(codes.get(n), "") not in ("killed", "timeout") and n not in equivalent
                ]
                if names:
                    times[f"{part} rerun"] = times.get(f"{part} rerun", 0.0) + run(names, args.max_children)
            else:
                times[part] = run(names, args.max_children)
            TIMES.write_text(json.dumps(times), encoding="utf-8")
    report()


if __name__ == "__main__":
    main()
