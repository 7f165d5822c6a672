"""The benchmark: what every stage of the reader costs as the corpus grows.

    python bench/run.py [--sizes 10 100 500] [--repeats 3]
    python bench/run.py --sizes 100 500 1000 2000 ... (make bench-large)

For each size it generates a synthetic corpus (bench/synth.py) and measures,
as the median of repeated runs:

* ingestion alone, glossary matching alone, parallel detection alone (pure
  Python, per character: they should stay flat as the corpus grows);
* a clean HTML build (-j 1), the same corpus as plain MyST pages built by plain
  Sphinx with the same theme and no extension (the stock floor, up to 500
  sources: its navigation is quadratic), the same with the theme's sidebar
  trimmed to the sections as the reader's is (the trimmed floor, the fair one),
  the traditional build, a -j 2 build, an incremental rebuild after editing one
  source;
* seconds per source, mean HTML bytes of a reading page, peak memory of the
  clean build.

Results go to bench/results/latest.{md,json} (with the machine and versions)
and the table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "bench"))

from synth import make_corpus  # noqa: E402

from reader.core.glossary import Matcher, load_glossary  # noqa: E402
from reader.core.parallels import Passage, index_parallels  # noqa: E402
from reader.core.pipeline import MAX_COPIES, MAX_LISTED  # noqa: E402
from reader.core.render import md_escape  # noqa: E402
from reader.core.segment import ingest  # noqa: E402
from reader.core.sidecar import load_sidecar  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
# Runs sphinx-build in a child and reports its peak memory (ru_maxrss, KiB).
BUILD = """
import resource, sys
from sphinx.cmd.build import main
code = main(sys.argv[1:])
print("MAXRSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
# The largest of the processes it started (ingestion workers, the search index's, -j workers).
print("CHILDREN_MAXRSS", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def timed(fn, repeats: int) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs


CHILD_PEAKS: list[int] = []  # KiB, the largest process each build started, in order


def on_one_core() -> None:
    """The calling process (and all it starts) on one core: a serial build, whatever
    workers the reader starts beside it."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def sphinx(project: Path, out: Path, *options: str, one_core: bool = False) -> int:
    """One build in a fresh process; returns its peak memory in KiB (the main
    process; the largest process it started goes to CHILD_PEAKS)."""
    env = dict(os.environ, PYTHONPATH=str(project / "_ext"))
    result = subprocess.run(
        [sys.executable, "-c", BUILD, "-q", "-b", "html", *options, str(project), str(out)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=on_one_core if one_core else None,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    CHILD_PEAKS.append(int(re.findall(r"^CHILDREN_MAXRSS (\d+)", result.stderr, re.M)[-1]))
    return int(re.findall(r"^MAXRSS (\d+)", result.stderr, re.M)[-1])


def plain_project(project: Path, dest: Path) -> Path:
    """The same corpus as plain, pre-rendered MyST: title, headings and paragraphs,
    built by Sphinx with the same theme and no reader extension."""
    from reader.core.pipeline import load_collection

    if dest.exists():
        shutil.rmtree(dest)
    (dest / "source").mkdir(parents=True)
    coll = load_collection(project)
    toctree = []
    for doc in coll.docs:
        lines = [f"# {md_escape(doc.title)}", ""]
        for block in doc.blocks:
            if block.kind == "title":
                continue
            if block.kind in ("heading", "label"):
                lines += [f"## {md_escape(block.text)}", ""]
            else:
                if block.id:
                    lines.append(f"({doc.slug}-{block.id})=")
                lines += [md_escape(block.text), ""]
        (dest / "source" / f"{doc.slug}.md").write_text("\n".join(lines), encoding="utf-8")
        toctree.append(f"source/{doc.slug}")
    (dest / "index.md").write_text(
        "# 新质生产力文献读本\n\n```{toctree}\n:maxdepth: 1\n\n" + "\n".join(toctree) + "\n```\n", encoding="utf-8"
    )
    # The project's own configuration (theme, theme options, MyST syntax), without the reader.
    conf = (project / "conf.py").read_text(encoding="utf-8")
    conf += '\nextensions = ["myst_parser", "sphinx_design"]\nhtml_favicon = None\n'
    (dest / "conf.py").write_text(conf, encoding="utf-8")
    return dest


TRIMMED_SIDEBAR = """<nav class="bd-links bd-docs-nav" aria-label="Main"><div class="bd-toc-item navbar-nav active">
<ul class="nav bd-sidenav bd-sidenav__home-link"><li class="toctree-l1"><a class="reference internal" href="{{ pathto(root_doc) }}">{{ root_title }}</a></li></ul>
%s</div></nav>
"""


def trimmed_project(project: Path, plain: Path, dest: Path) -> Path:
    """The fair floor for the reader's navigation: the plain project whose sidebar,
    like the reader's, lists the sections (kinds and years, same labels and counts)
    instead of rendering the whole toctree on every page."""
    from reader.core.navigation import sections
    from reader.core.pipeline import load_collection

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(plain, dest)
    found = sections(load_collection(project).docs)
    items = "".join(
        f'<li class="toctree-l1"><a class="reference internal" href="{{{{ pathto(root_doc) }}}}">'
        f"{s.label}（{len(s.slugs)}）</a></li>"
        for s in found
    )
    (dest / "_templates").mkdir()
    (dest / "_templates" / "sbt-sidebar-nav.html").write_text(
        TRIMMED_SIDEBAR % f'<ul class="nav bd-sidenav">{items}</ul>', encoding="utf-8"
    )
    with (dest / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\ntemplates_path = ["_templates"]\n')
    return dest


def page_bytes(out: Path, slugs: list[str]) -> float:
    """Mean HTML bytes of a reading page (the sources' pages, not the glossary or lists)."""
    sizes = [(out / "source" / f"{slug}.html").stat().st_size for slug in slugs]
    return statistics.mean(sizes)


def pure_stages(project: Path, repeats: int) -> dict:
    seeds = sorted((project / "seeds").glob("*.txt"))
    chars = sum(len(p.read_text(encoding="utf-8")) for p in seeds)
    sidecars = {p: load_sidecar(p) for p in seeds}
    docs = []

    def do_ingest():
        docs.clear()
        docs.extend(ingest(p, sidecars[p]) for p in seeds)

    t_ingest, _ = timed(do_ingest, repeats)
    texts = [b.text for d in docs for b in d.citable_blocks()]
    text_chars = sum(len(t) for t in texts)
    matcher = Matcher(load_glossary(project / "glossary" / "terms.toml"))
    t_gloss, _ = timed(lambda: [matcher.find_all(t) for t in texts], repeats)
    passages = [Passage((d.slug, b.id), b.text) for d in docs for b in d.citable_blocks() if b.kind == "paragraph"]
    found = []

    def detect():
        # What a build does (``pipeline.attach_parallels``): the index, then per
        # paragraph its strongest three wordings with their places capped, the
        # count, and the next places listed.  (Until 2026-12-02 03:17 this timed
        # the uncapped ``strongest_wordings``, which the build no longer runs.)
        index = index_parallels(passages, 0.2, 24)
        for i in range(len(passages)):
            shown = index.strongest_wordings_capped(i, 3, MAX_COPIES)
            if index.count(i) > sum(total for _copies, total in shown):
                index.others_after(i, len(shown), MAX_LISTED)
        found[:] = [index]

    t_par, _ = timed(detect, repeats)
    return {
        "sources": len(seeds),
        "raw_chars": chars,
        "text_chars": text_chars,
        "ingest_s": t_ingest,
        "glossary_s": t_gloss,
        "parallels_s": t_par,
        "parallel_pairs": found[0].pairs(),
        "ingest_us_per_char": 1e6 * t_ingest / chars,
        "glossary_us_per_char": 1e6 * t_gloss / text_chars,
        "parallels_us_per_char": 1e6 * t_par / text_chars,
    }


def builds(
    project: Path, repeats: int, variants: bool = True, stock: bool = True, j2_triples: int = 1, floor_pairs: int = 1
) -> dict:
    out = WORK / f"{project.name}-out"
    plain = plain_project(project, WORK / f"{project.name}-plain")
    trimmed = trimmed_project(project, plain, WORK / f"{project.name}-trimmed")
    from reader.core.pipeline import load_collection

    slugs = [d.slug for d in load_collection(project).docs]

    def clean(path: Path):
        shutil.rmtree(path, ignore_errors=True)

    memory, child_memory = [], []

    def full():
        clean(out / "full")
        memory.append(sphinx(project, out / "full"))
        child_memory.append(CHILD_PEAKS[-1])

    def plain_build():
        clean(out / "plain")
        sphinx(plain, out / "plain")

    def trimmed_build():
        clean(out / "trimmed")
        sphinx(trimmed, out / "trimmed")

    def hant():
        clean(out / "hant")
        sphinx(project, out / "hant", "-D", "reader_variant=hant", "-D", "language=zh_TW")

    def parallel():
        clean(out / "j2")
        sphinx(project, out / "j2", "-j", "2")

    def one_core():
        clean(out / "one-core")
        sphinx(project, out / "one-core", one_core=True)

    # Interleaved (full, trimmed, plain, traditional, -j 2, full, trimmed…): the
    # machine's speed drifts by 10–20% over minutes, and a ratio must compare runs
    # made under the same conditions.  The stock theme's floor is quadratic in the
    # collection (its navigation): it is left out above 500 sources; the variant
    # and -j 2 ratios are measured where asked (``variants``).
    # -j 1, -j 2 and one core are compared in interleaved triples (``j2_triples`` of
    # them, the first made in the loop below): a single pair moved from 0.95x to 1.27x.
    runs: dict[str, list[float]] = {
        "full": [], "plain": [], "trimmed": [], "hant": [], "j2": [], "j1": [], "one_core": []
    }  # fmt: skip
    for _ in range(repeats):
        runs["full"].append(timed(full, 1)[0])
        runs["trimmed"].append(timed(trimmed_build, 1)[0])
        if stock:
            runs["plain"].append(timed(plain_build, 1)[0])
        if variants:
            runs["hant"].append(timed(hant, 1)[0])
            runs["j1"].append(runs["full"][-1])
            runs["j2"].append(timed(parallel, 1)[0])
            runs["one_core"].append(timed(one_core, 1)[0])
    # The overhead against the trimmed floor: the median of the ratios of
    # ``floor_pairs`` adjacent (reader, floor) pairs, the first made above.  A
    # single pair moved by 10-15% from run to run (1.24x and 1.37x at 500).
    ratios = [full / trimmed for full, trimmed in zip(runs["full"], runs["trimmed"], strict=True)]
    while len(ratios) < floor_pairs:
        runs["full"].append(timed(full, 1)[0])
        runs["trimmed"].append(timed(trimmed_build, 1)[0])
        ratios.append(runs["full"][-1] / runs["trimmed"][-1])
    while variants and len(runs["j2"]) < j2_triples:
        runs["j1"].append(timed(full, 1)[0])
        runs["j2"].append(timed(parallel, 1)[0])
        runs["one_core"].append(timed(one_core, 1)[0])

    def median(key):
        return statistics.median(runs[key]) if runs[key] else None

    t_full, t_plain, t_trimmed = median("full"), median("plain"), median("trimmed")
    t_hant, t_j2, t_j1, t_one = median("hant"), median("j2"), median("j1"), median("one_core")
    bytes_full = page_bytes(out / "full", slugs)
    bytes_trimmed = page_bytes(out / "trimmed", slugs)
    bytes_plain = page_bytes(out / "plain", slugs) if stock else None

    # Incremental: edit one source (a paragraph more at its end: the page, the
    # glossary concordance and the landing page change), rebuild.
    seed = sorted((project / "seeds").glob("*.txt"))[len(list((project / "seeds").glob("*.txt"))) // 2]
    original = seed.read_text(encoding="utf-8")
    edits = iter(range(1000))

    def incremental():
        seed.write_text(original + f"\n\n编者补记第{next(edits)}条：新质生产力需要继续研究。\n", encoding="utf-8")
        sphinx(project, out / "full")

    t_incr, _ = timed(incremental, repeats)
    seed.write_text(original, encoding="utf-8")
    return {
        "full_s": t_full,
        "plain_s": t_plain,
        "trimmed_s": t_trimmed,
        "hant_s": t_hant,
        "j2_s": t_j2,
        "incremental_s": t_incr,
        "peak_mib": max(memory) / 1024,
        "child_peak_mib": max(child_memory) / 1024,
        "s_per_source": t_full / len(slugs),
        "page_bytes": bytes_full,
        "plain_page_bytes": bytes_plain,
        "trimmed_page_bytes": bytes_trimmed,
        "overhead": t_full / t_plain if t_plain else None,
        "overhead_trimmed": statistics.median(ratios),
        "overhead_trimmed_pairs": ratios,
        "hant_ratio": t_hant / t_full if t_hant else None,
        # speed-up of -j 2 over -j 1 (above 1: faster), medians of the triples
        "j2_speedup": t_j1 / t_j2 if t_j2 else None,
        # -j 1 and -j 2 over the same build on one core (a -j 1 build has workers of its own)
        "j1_vs_one_core": t_one / t_j1 if t_one else None,
        "j2_vs_one_core": t_one / t_j2 if t_one else None,
        "j2_triples": len(runs["j2"]),
        "floor_pairs": len(ratios),
        "incremental_ratio": t_incr / t_full,
    }


def versions() -> dict:
    import myst_parser
    import opencc
    import sphinx as sphinx_pkg

    return {
        "python": platform.python_version(),
        "sphinx": sphinx_pkg.__version__,
        "myst_parser": myst_parser.__version__,
        "opencc": getattr(opencc, "__version__", "1.4.2"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
    }


def table(rows: list[dict]) -> str:
    head = (
        "| sources | chars | ingest µs/char | glossary µs/char | parallels µs/char | full build s | s/source "
        "| page KiB | trimmed floor s | stock floor s | vs trimmed | vs stock | traditional | -j 2 speed-up "
        "| -j 1 / -j 2 over one core | incremental | peak MiB | other process MiB |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    body = "".join(
        f"| {r['sources']} | {r['raw_chars']:,} | {r['ingest_us_per_char']:.2f} | {r['glossary_us_per_char']:.2f} "
        f"| {r['parallels_us_per_char']:.2f} | {r['full_s']:.1f} | {r['s_per_source']:.3f} "
        f"| {r['page_bytes'] / 1024:.1f} | {r['trimmed_s']:.1f} | {_seconds(r['plain_s'])} "
        f"| {_ratio_of_pairs(r['overhead_trimmed'], r.get('overhead_trimmed_pairs', []))} | {_ratio(r['overhead'])} "
        f"| {_ratio(r['hant_ratio'])} | {_ratio(r['j2_speedup'])} "
        f"| {_ratio(r.get('j1_vs_one_core'))} / {_ratio(r.get('j2_vs_one_core'))} "
        f"| {r['incremental_ratio']:.1%} | {r['peak_mib']:.0f} "
        f"| {r.get('child_peak_mib', float('nan')):.0f} |\n"
        for r in rows
    )
    return head + body


def _seconds(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _ratio_of_pairs(median: float, pairs: list[float]) -> str:
    """The median ratio, with the range of the pairs' when there are several."""
    if len(pairs) < 2:
        return _ratio(median)
    return f"{_ratio(median)} ({min(pairs):.2f}–{max(pairs):.2f})"


def _ratio(value) -> str:
    return "—" if value is None else f"{value:.2f}×"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the builds up to 100 sources")
    parser.add_argument("--stage-repeats", type=int, default=7, help="repeats of the pure stages (cheap, noisy)")
    parser.add_argument("--build-repeats-large", type=int, default=1, help="repeats of the builds from 500 sources")
    parser.add_argument("--variants-up-to", type=int, default=100, help="largest size with traditional and -j 2 builds")
    parser.add_argument("--out", default="latest", help="results file name under bench/results/")
    parser.add_argument(
        "--j2-triples", type=int, default=1, help="interleaved -j 1, -j 2 and one-core builds for the -j 2 ratios"
    )
    parser.add_argument(
        "--floor-pairs", type=int, default=1, help="adjacent reader and trimmed-floor builds for the overhead ratio"
    )
    parser.add_argument("--stock-up-to", type=int, default=500, help="largest size with the stock theme's floor")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    started = time.time()
    for size in args.sizes:
        project = make_corpus(WORK / f"corpus-{size}", size)
        row = pure_stages(project, args.stage_repeats)
        build_repeats = args.repeats if size < 500 else args.build_repeats_large
        row.update(
            builds(
                project,
                build_repeats,
                variants=size <= args.variants_up_to,
                stock=size <= args.stock_up_to,
                j2_triples=args.j2_triples,
                floor_pairs=args.floor_pairs,
            )
        )
        row["build_repeats"] = build_repeats
        rows.append(row)
        print(f"{size} sources done after {time.time() - started:.0f} s", flush=True)
    base = rows[0]
    for row in rows:
        for stage in ("ingest", "glossary", "parallels"):
            row[f"{stage}_per_char_vs_smallest"] = row[f"{stage}_us_per_char"] / base[f"{stage}_us_per_char"]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "versions": versions(),
        "repeats": args.repeats,
        "stage_repeats": args.stage_repeats,
        "rows": rows,
    }
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    text = (
        f"Benchmark of {result['date']} on {result['versions']['machine']}; Python {result['versions']['python']}, "
        f"Sphinx {result['versions']['sphinx']}, myst-parser {result['versions']['myst_parser']}. "
        f"Median of {args.stage_repeats} runs for the pure stages, {args.repeats} for the builds up to 100 sources, "
        f"{args.build_repeats_large} from 500 (traditional and -j 2 up to {args.variants_up_to} sources, the stock "
        f"theme's floor up to {args.stock_up_to}); against the trimmed floor: median of the ratios of "
        f"{args.floor_pairs} adjacent pairs; -j 1, -j 2 and one core: median of {args.j2_triples} "
        "interleaved triples; the builds compared "
        "in a ratio are interleaved, in the same run.\n\n" + table(rows)
    )
    flat = ", ".join(
        f"{stage} {min(r[key] for r in rows) / base[key]:.2f}–{max(r[key] for r in rows) / base[key]:.2f}×"
        for stage, key in (("seconds per source", "s_per_source"), ("HTML bytes per reading page", "page_bytes"))
    )
    text += f"\nRelative to the smallest size: {flat}.\n"
    per_char = ", ".join(
        f"{stage} {min(r[f'{stage}_per_char_vs_smallest'] for r in rows):.2f}–"
        f"{max(r[f'{stage}_per_char_vs_smallest'] for r in rows):.2f}×"
        for stage in ("ingest", "glossary", "parallels")
    )
    text += f"\nCost per character relative to the smallest corpus: {per_char}.\n"
    (RESULTS / f"{args.out}.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"total {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
