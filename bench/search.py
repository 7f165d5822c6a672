"""Bytes a search downloads (issue 17), at 10, 100 and 500 synthetic sources.

For each corpus (bench/synth.py, the same as the main benchmark) the reader's
search index is built as the HTML build writes it (core/searchindex.py), and for
each query the files the browser loads to show its first 20 results are summed:
the metadata, one postings shard per token, and the chunks of paragraph texts
of the candidates it confirms. Writes bench/results/search.{md,json}.

    python bench/search.py [--sizes 10 100 500]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "bench"))

from synth import make_corpus  # noqa: E402

from reader.core.pipeline import load_collection  # noqa: E402
from reader.core.searchindex import collection_index  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
QUERIES = [
    "新质生产力",
    "全要素生产率",
    "先立后破",
    "劳动者 劳动资料 劳动对象",
    "绿色生产力",
    "科技创新",
    "发展",  # the commonest word: the longest postings
    "新質生產力",
]


def measure(size: int) -> dict:
    import jieba

    project = make_corpus(WORK / f"search-{size}", size)
    coll = load_collection(project)
    texts = [b.text for d in coll.docs for b in d.citable_blocks()]
    words = {w for t in texts for w in jieba.cut(t) if len(w) > 1}
    started = time.perf_counter()
    index = collection_index(coll, words=words)
    files = index.files()
    seconds = time.perf_counter() - started
    sizes = {name: len(text.encode("utf-8")) for name, text in files.items()}
    per_query = {q: sum(sizes[f] for f in index.query_files(q)) for q in QUERIES}
    return {
        "sources": size,
        "paragraphs": len(index.paras),
        "chars": sum(len(t) for t in texts),
        "index_seconds": round(seconds, 2),
        "files": len(files),
        "index_bytes": sum(sizes.values()),
        "meta_bytes": sizes["meta.js"],
        "largest_shard": max(v for k, v in sizes.items() if k.startswith("t/")),
        "per_query": per_query,
        "median_query": statistics.median(per_query.values()),
        "max_query": max(per_query.values()),
        "hits": {q: len(index.search(q)) for q in QUERIES},
    }


def table(rows: list[dict]) -> str:
    out = [
        "| sources | paragraphs | index KB (files) | meta KB | median query KB | max query KB | max query / index |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['sources']} | {r['paragraphs']:,} | {r['index_bytes'] / 1000:,.0f} ({r['files']}) "
            f"| {r['meta_bytes'] / 1000:.1f} | {r['median_query'] / 1000:.0f} | {r['max_query'] / 1000:.0f} "
            f"| {r['max_query'] / r['index_bytes']:.1%} |"
        )
    out.append("")
    out.append(
        "Per query (KB): "
        + "; ".join(f"{q} " + "/".join(f"{r['per_query'][q] / 1000:.0f}" for r in rows) for q in QUERIES)
        + f" (at {'/'.join(str(r['sources']) for r in rows)} sources)."
    )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        rows.append(measure(size))
        print(f"{size} sources: {rows[-1]['max_query'] / 1000:.0f} KB at most per query", flush=True)
    text = f"Search bytes per query, {time.strftime('%Y-%m-%d %H:%M')} (first 20 results of each query).\n\n" + table(
        rows
    )
    (RESULTS / "search.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    (RESULTS / "search.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
