"""The parallels page lists a passage's wordings in time order, with a date known
only to the month after that month's exact dates (as the landing page and the
glossary do)."""

from __future__ import annotations

from pathlib import Path

from reader.core.pipeline import load_collection

SHARED = "发展新质生产力是推动高质量发展的内在要求和重要着力点，必须继续做好创新这篇大文章，推动新质生产力加快发展。"
OWN = [
    "科技创新能够催生新产业、新模式、新动能，是发展新质生产力的核心要素。",
    "要及时将科技创新成果应用到具体产业和产业链上。",
    "绿色发展是高质量发展的底色。",
]


def _source(seeds: Path, n: int, slug: str, date: str) -> None:
    (seeds / f"00{n}_{slug}.txt").write_text(f"标题{n}\n\n{OWN[n]}\n\n{SHARED}\n", encoding="utf-8")
    (seeds / f"00{n}_{slug}.toml").write_text(
        f'[source]\nslug = "{slug}"\nkind = "article"\ndate = "{date}"\n', encoding="utf-8"
    )


def test_month_only_date_sorts_after_that_months_exact_dates(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # File order differs from time order on purpose.
    _source(seeds, 0, "month", "2024-02")
    _source(seeds, 1, "exact", "2024-02-15")
    _source(seeds, 2, "early", "2024-01-20")
    coll = load_collection(tmp_path, glossary="none.toml")
    (cluster,) = coll.parallel_clusters
    assert [m["ref"].split("-p")[0] for m in cluster] == ["early", "exact", "month"]
