"""Ingest every seed of a project and produce the generated pages (pure Python).

Nothing is written until every seed has been ingested and rendered: a bad seed
stops the build with a clear error and leaves every committed page as it was.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import SeedError
from .model import Document
from .render import GENERATED_MARK, page_path, render_collection, render_page
from .segment import ingest
from .sidecar import load_sidecar, sidecar_path

COLLECTION_PAGE = "_collection.md"


@dataclass
class Collection:
    root: Path
    seeds_dir: Path
    pages_dir: Path
    docs: list[Document]
    seed_paths: dict[str, Path]  # slug -> seed file


def seed_files(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise SeedError(seeds_dir, None, "seeds directory not found")
    seeds = sorted(p for p in seeds_dir.iterdir() if p.suffix == ".txt")
    for sidecar in sorted(seeds_dir.glob("*.toml")):
        if not sidecar.with_suffix(".txt").exists():
            raise SeedError(sidecar, None, f"sidecar without a seed: {sidecar.with_suffix('.txt').name} is missing")
    if not seeds:
        raise SeedError(seeds_dir, None, "no seeds (*.txt) found")
    return seeds


def load_collection(root: Path, seeds: str = "seeds", pages: str = "source") -> Collection:
    root = Path(root)
    seeds_dir, pages_dir = root / seeds, root / pages
    docs, paths = [], {}
    for seed in seed_files(seeds_dir):
        sidecar = load_sidecar(seed)
        slug = sidecar.meta["slug"]
        if slug in paths:
            raise SeedError(
                sidecar.path,
                "key source.slug",
                f"duplicate slug {slug!r}: also used by {sidecar_path(paths[slug]).name}",
            )
        paths[slug] = seed
        docs.append(ingest(seed, sidecar))
    return Collection(root, seeds_dir, pages_dir, docs, paths)


def render_outputs(coll: Collection) -> dict[Path, str]:
    outputs = {}
    for doc in coll.docs:
        seed = coll.seed_paths[doc.slug]
        seed_rel = seed.relative_to(coll.root).as_posix()
        sidecar_rel = sidecar_path(seed).relative_to(coll.root).as_posix()
        outputs[coll.pages_dir / page_path(doc)] = render_page(doc, seed_rel, sidecar_rel)
    outputs[coll.pages_dir / COLLECTION_PAGE] = render_collection(coll.docs)
    return outputs


def is_generated(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return GENERATED_MARK in head


def stale_pages(coll: Collection, outputs: dict[Path, str]) -> list[Path]:
    """Generated pages whose seed is gone."""
    if not coll.pages_dir.is_dir():
        return []
    return [p for p in coll.pages_dir.glob("*.md") if p not in outputs and is_generated(p)]


def write_outputs(coll: Collection, outputs: dict[Path, str]) -> list[Path]:
    """Write what changed (atomically, so no page is ever half-written); return the changed paths."""
    coll.pages_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for path, text in outputs.items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue  # unchanged pages keep their mtime: incremental builds stay incremental
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".md")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
        changed.append(path)
    for path in stale_pages(coll, outputs):
        path.unlink()
        changed.append(path)
    return changed


def generate(root: Path, seeds: str = "seeds", pages: str = "source") -> tuple[Collection, list[Path]]:
    coll = load_collection(root, seeds, pages)
    outputs = render_outputs(coll)
    return coll, write_outputs(coll, outputs)


def out_of_date(root: Path, seeds: str = "seeds", pages: str = "source") -> list[Path]:
    """Committed pages that differ from what the build would generate (for the tests)."""
    coll = load_collection(root, seeds, pages)
    outputs = render_outputs(coll)
    bad = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    return bad + stale_pages(coll, outputs)
