"""What a second process adds on this machine: the same pure-Python work (the
reader's own ingestion of synthetic seeds) done by one process, then split
between two, as throughput ratios measured in the same run.  A -j 2 build
cannot be faster than this ratio over a build that keeps one core busy.

    python bench/cores.py [--seeds 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "bench"))


def work(seeds: list[Path]) -> int:
    from reader.core.segment import ingest
    from reader.core.sidecar import load_sidecar

    return sum(len(ingest(seed, load_sidecar(seed)).blocks) for seed in seeds)


def timed(seeds: list[Path], processes: int) -> float:
    shares = [seeds[k::processes] for k in range(processes)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(work, shares)
    return time.perf_counter() - start


def main() -> None:
    from synth import make_corpus

    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corpus = ROOT / "bench" / "work" / f"cores-{args.seeds}"
    if not (corpus / "seeds").is_dir():
        make_corpus(corpus, args.seeds)
    seeds = sorted((corpus / "seeds").glob("*.txt"))
    ratios = []
    for _ in range(args.rounds):  # interleaved: one process, then two
        one, two = timed(seeds, 1), timed(seeds, 2)
        ratios.append(one / two)
        print(f"one process {one:.2f} s, two processes {two:.2f} s: {one / two:.2f}x")
    print(f"two processes against one: {statistics.median(ratios):.2f}x (median of {args.rounds})")


if __name__ == "__main__":
    main()
