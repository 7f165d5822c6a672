"""Synthetic corpora for the benchmark: sources of about 3,000 characters built
from the real seeds' paragraphs and headings (so glossary terms and parallel
passages occur as in a real collection), laid out like PDF extractions (hard
wraps at varying widths, page numbers, running headers), each with a sidecar."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT))

from tests.layout import typeset  # noqa: E402
from tests.util import read_expected  # noqa: E402

KINDS = ["speech", "excerpts", "commentary", "booklet", "article"]
HEADERS = [None, "新质生产力文献读本", "学习参考 内部资料", "某某大学学习材料                NO.9"]
WIDTHS = [[26], [28], [33], [35], [14, 31], [28, 20], [41]]


def pool() -> tuple[list[str], list[str]]:
    paragraphs, headings = [], []
    for path in sorted((ROOT / "tests" / "data" / "golden").glob("*.tsv")):
        for kind, _lines, text in read_expected(path, {}):
            if kind == "paragraph" and len(text) > 40:
                paragraphs.append(text)
            elif kind == "heading" and 4 <= len(text) <= 20:
                headings.append(text)
    return paragraphs, headings


def source_blocks(rng: random.Random, paragraphs: list[str], headings: list[str], size: int = 3000):
    blocks = [("title", f"关于{rng.choice(headings)}的第{rng.randint(1, 999)}篇文章")]
    length = 0
    while length < size:
        if rng.random() < 0.15:
            blocks.append(("heading", rng.choice(headings)))
        text = rng.choice(paragraphs)
        if rng.random() < 0.5:
            # Real collections quote with small edits: drop or repeat a clause.
            clauses = text.split("，")
            if len(clauses) > 3:
                k = rng.randrange(1, len(clauses) - 1)
                clauses = clauses[:k] + clauses[k + 1 :] if rng.random() < 0.5 else clauses
                text = "，".join(clauses)
        blocks.append(("paragraph", text))
        length += len(text)
    return blocks


def make_corpus(dest: Path, n: int, seed: int = 1, chars: int = 3000) -> Path:
    """A project like the real one, with n synthetic sources of about ``chars`` characters."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "seeds").mkdir(parents=True)
    for name in ("conf.py", "index.md"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "_ext", dest / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "glossary").mkdir()
    # The glossary without its pointers into the real sources.
    terms = (ROOT / "glossary" / "terms.toml").read_text(encoding="utf-8")
    terms = "\n".join(line for line in terms.splitlines() if not line.startswith("defined_in"))
    (dest / "glossary" / "terms.toml").write_text(terms + "\n", encoding="utf-8")
    (dest / "variant").mkdir()
    shutil.copy(ROOT / "variant" / "overrides.toml", dest / "variant" / "overrides.toml")
    rng = random.Random(seed)
    paragraphs, headings = pool()
    for i in range(1, n + 1):
        blocks = source_blocks(rng, paragraphs, headings, chars)
        raw = typeset(blocks, rng.choice(WIDTHS), rng.randint(20, 30), rng.choice(HEADERS), rng)
        stem = f"{i:04d}_synthetic"
        (dest / "seeds" / f"{stem}.txt").write_text(raw, encoding="utf-8")
        (dest / "seeds" / f"{stem}.toml").write_text(
            "[source]\n"
            f'slug = "s{i:04d}"\n'
            f'kind = "{rng.choice(KINDS)}"\n'
            f'author = "作者{i % 37}"\n'
            f'date = "20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"\n'
            f"order = {i}\n",
            encoding="utf-8",
        )
    return dest


if __name__ == "__main__":
    make_corpus(Path(sys.argv[1]), int(sys.argv[2]))
