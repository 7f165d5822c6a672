"""Pagefind against the reader's own search index: bytes a query downloads.

Pagefind (PyPI ``pagefind[extended]``, not a dependency of the reader: install
it by hand to run this) indexes plain HTML pages made from the same synthetic
corpora as ``bench/search.py`` (run that first: it leaves them in bench/work),
one page per source with a heading and one ``<p id>`` per paragraph. Chromium
then runs each query with Pagefind's own JavaScript API and loads the first 20
results' data, and the bytes of every file under ``/pagefind/`` are summed (as
transferred: Pagefind's files are compressed already). The reader's index is
measured the same way on the same paragraphs, raw and gzip-compressed (what a
server that compresses sends). Writes bench/results/pagefind.md.

    python bench/pagefind_compare.py [--sizes 10 100 500]
"""

from __future__ import annotations

import argparse
import gzip
import html
import http.server
import shutil
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

from search import QUERIES, WORK  # noqa: E402
from shoot import CHROMIUM_ARGS, QuietHandler  # noqa: E402

from reader.core.pipeline import load_collection  # noqa: E402
from reader.core.searchindex import collection_index  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def plain_site(coll, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "source").mkdir(parents=True)
    for doc in coll.docs:
        body = [f"<h1>{html.escape(doc.title)}</h1>"]
        for block in doc.citable_blocks():
            body.append(f'<p id="{block.id}">{html.escape(block.text)}</p>')
        (dest / "source" / f"{doc.slug}.html").write_text(
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>'
            + html.escape(doc.title)
            + "</title></head><body><main data-pagefind-body>"
            + "\n".join(body)
            + "</main></body></html>\n",
            encoding="utf-8",
        )
    (dest / "index.html").write_text('<!doctype html><html lang="zh-CN"><body></body></html>', encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(dest), "--quiet"], check=True)
    return dest


PAGEFIND_QUERY = """async (q) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const r = await pf.search(q);
  await Promise.all(r.results.slice(0, 20).map(x => x.data()));
  return r.results.length;
}"""


def pagefind_bytes(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for query in QUERIES:
                context = browser.new_context()  # a fresh cache per query
                sizes = []
                # Pagefind fetches from a web worker: count at the context, not the page's timing entries.
                context.on(
                    "requestfinished",
                    lambda r, sizes=sizes: "/pagefind/" in r.url and sizes.append(r.sizes()["responseBodySize"]),
                )
                page = context.new_page()
                page.goto(base + "index.html")
                hits = page.evaluate(PAGEFIND_QUERY, query)
                page.wait_for_load_state("networkidle")
                out[query] = (sum(sizes), hits)
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        coll = load_collection(WORK / f"search-{size}")
        index = collection_index(coll)
        files = index.files()
        raw = {n: len(t.encode("utf-8")) for n, t in files.items()}
        packed = {n: len(gzip.compress(t.encode("utf-8"))) for n, t in files.items()}
        mine = {
            q: (
                sum(raw[f] for f in index.query_files(q)),
                sum(packed[f] for f in index.query_files(q)),
                len(index.search(q)),
            )
            for q in QUERIES
        }
        site = plain_site(coll, WORK / f"pagefind-{size}")
        theirs = pagefind_bytes(site)
        index_kb = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1000
        rows.append((size, mine, theirs, sum(packed.values()) / 1000, index_kb))
        print(size, "done", flush=True)
    lines = [
        "Bytes to show the first 20 results (KB): the reader's index raw / gzip, and Pagefind 1.5.2 (extended), "
        "same paragraphs.",
        "",
        "| sources | query | reader raw | reader gzip | Pagefind | Pagefind hits | reader hits |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, mine, theirs, _, _ in rows:
        for q in QUERIES:
            lines.append(
                f"| {size} | {q} | {mine[q][0] / 1000:.0f} | {mine[q][1] / 1000:.0f} | {theirs[q][0] / 1000:.0f} "
                f"| {theirs[q][1]} | {mine[q][2]} |"
            )
    lines.append("")
    lines.append(
        "Whole index (KB, compressed): "
        + "; ".join(
            f"{size} sources: reader {mine_kb:,.0f}, Pagefind {pf_kb:,.0f}" for size, _, _, mine_kb, pf_kb in rows
        )
    )
    text = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pagefind.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
