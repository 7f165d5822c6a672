"""What each pure stage of a build costs per character as the collection grows
(issue 18: "linear everywhere").

    python bench/stages.py 250 1000 2000 [--profile 2000]

For each size (a synthetic corpus, bench/synth.py) it times, once each and
without the build cache: the collection's generation as a build does it
(``load_collection``: ingestion, annotations, parallel detection, glossary
concordance), rendering the pages (``render_outputs``), the landing page's list
(``collection_json``), the search index (``collection_index``) and the anchor
manifest; it prints µs per character and the ratio to the smallest size.  With
``--profile N`` it also writes a cProfile of the generation at size N to
bench/work/stages-<N>.prof and prints its top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "bench"))

from synth import make_corpus  # noqa: E402

from reader.core.navigation import collection_json  # noqa: E402
from reader.core.pipeline import load_collection, render_outputs  # noqa: E402
from reader.core.searchindex import collection_index  # noqa: E402

WORK = ROOT / "bench" / "work"


def stages(project: Path) -> dict[str, float]:
    chars = sum(len(p.read_text(encoding="utf-8")) for p in (project / "seeds").glob("*.txt"))
    out: dict[str, float] = {"chars": chars}

    def timed(name, fn):
        start = time.perf_counter()
        value = fn()
        out[name] = time.perf_counter() - start
        return value

    coll = timed("generate", lambda: load_collection(project))
    timed("render", lambda: render_outputs(coll))
    timed("landing", lambda: collection_json(coll.docs, lambda slug: f"source/{slug}.html"))
    timed("search", lambda: collection_index(coll, url=lambda slug: f"source/{slug}.html", words=[]).files())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        project = make_corpus(WORK / f"stages-{size}", size)
        row = stages(project)
        row["sources"] = size
        rows.append(row)
        if size == args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            load_collection(project)
            profiler.disable()
            path = WORK / f"stages-{size}.prof"
            profiler.dump_stats(path)
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
            print(text.getvalue())
    names = ["generate", "render", "landing", "search"]
    print("| sources | chars | " + " | ".join(f"{n} µs/char" for n in names) + " |")
    print("|---:|---:|" + "---:|" * len(names))
    base = rows[0]
    for r in rows:
        cells = " | ".join(
            f"{1e6 * r[n] / r['chars']:.2f} ({(r[n] / r['chars']) / (base[n] / base['chars']):.2f}×)" for n in names
        )
        print(f"| {r['sources']} | {r['chars']:,} | {cells} |")


if __name__ == "__main__":
    main()
