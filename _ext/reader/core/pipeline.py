"""Ingest every seed of a project and produce the generated pages (pure Python).

Nothing is written until every seed has been ingested and rendered: a bad seed
stops the build with a clear error and leaves every committed page as it was.
"""

from __future__ import annotations

import json
import os
import pickle
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path

from .anchors import AnchorError, Lock, LockError, assign, label_of, normalise
from .cache import NO_CACHE, BuildCache, content_key
from .errors import SeedError
from .glossary import Entry, Matcher, collisions, load_glossary
from .inputs import check_block_sizes, check_seed_file, check_seed_size
from .model import (
    HEADING_KINDS,
    Document,
    date_key,
    paragraph_label,
    paragraph_ref,
    reading_order,
    split_paragraph_ref,
)
from .occurrence import find_all, nth_occurrence
from .parallels import Passage, diff_ops, diff_pairs, elide_ops, index_parallels
from .records import Annotation, ClusterMember, ListedPlace, ParallelItem, ParallelMargin, Place
from .render import (
    DEFAULT_CITATION,
    GENERATED_MARK,
    GLOSSARY_PAGE,
    MARGINS_DIR,
    format_date,
    page_path,
    render_collection,
    render_glossary,
    render_margins,
    render_page,
    render_parallels,
)
from .review import REVIEW_PAGE, render_review
from .safewrite import build_lock, remove_debris, write_atomic
from .segment import ingest
from .sidecar import load_sidecar, sidecar_path

COLLECTION_PAGE = "_collection.md"
LOCK_DIR = "anchors"  # the committed anchor lock, one file per source


@dataclass
class Collection:
    root: Path
    seeds_dir: Path
    pages_dir: Path
    docs: list[Document]  # in reading order
    seed_paths: dict[str, Path]  # slug -> seed file
    glossary: list[Entry] = field(default_factory=list)
    glossary_path: Path | None = None
    # entry id -> [(slug, anchor id, number, count)] in reading order
    concordance: dict[str, list[tuple[str, str, str, int]]] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (location, message)
    parallel_clusters: list[list[ClusterMember]] = field(default_factory=list)
    _by_slug: dict[str, Document] = field(default_factory=dict, repr=False, compare=False)

    def doc(self, slug: str) -> Document | None:
        """The source ``slug``: one dictionary, not a scan of every source per page (issue 18)."""
        if len(self._by_slug) != len(self.docs):
            self._by_slug = {d.slug: d for d in self.docs}
        return self._by_slug.get(slug)


def seed_files(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise SeedError(seeds_dir, None, "seeds directory not found")
    seeds = sorted(p for p in seeds_dir.iterdir() if p.suffix == ".txt")
    for path in sorted(p for p in seeds_dir.iterdir() if p.suffix in (".txt", ".toml")):
        check_seed_file(seeds_dir, path)
    for sidecar in sorted(seeds_dir.glob("*.toml")):
        if not sidecar.with_suffix(".txt").exists():
            raise SeedError(sidecar, None, f"sidecar without a seed: {sidecar.with_suffix('.txt').name} is missing")
    if not seeds:
        raise SeedError(seeds_dir, None, "no seeds (*.txt) found")
    return seeds


# A margin stays the same size however often its paragraph is quoted (issue 18):
MAX_COPIES = 5  # places named for one wording shown (the rest are counted: "等 N 处")
MAX_LISTED = 10  # places named in the "另有 N 处" list of the other wordings (the rest counted)
DEFAULT_PARALLELS = {"threshold": 0.2, "min_chars": 24, "shown": 3, "cluster": 0.5}


def load_collection(
    root: Path,
    seeds: str = "seeds",
    pages: str = "source",
    glossary: str = "glossary/terms.toml",
    parallels: dict | None = None,
    cache: BuildCache = NO_CACHE,
    on_collected: Callable[[Collection], None] | None = None,
) -> Collection:
    """Every source ingested and checked, with its annotations, glossary entries
    and parallels.  ``on_collected(coll)`` is called once the sources, their
    annotations and the glossary are in, before the parallels are measured
    (the search index starts from there, beside the rest)."""
    root = Path(root)
    cache = own_cache(cache)  # the workers' documents go through it
    seeds_dir, pages_dir = root / seeds, root / pages
    docs, paths = [], {}
    seeds = seed_files(seeds_dir)
    read = ingest_beside(seeds, cache)
    for seed in seeds:
        sidecar, key = read.get(seed) or (load_sidecar(seed), None)
        slug = sidecar.meta["slug"]
        if slug in paths:
            raise SeedError(
                sidecar.path,
                "key source.slug",
                f"duplicate slug {slug!r}: also used by {sidecar_path(paths[slug]).name}",
            )
        paths[slug] = seed
        doc = ingest_cached(seed, sidecar, cache, key)
        apply_lock(doc, root / LOCK_DIR / f"{slug}.lock.json")
        docs.append(doc)
    check_orphan_locks(root, paths)
    coll = Collection(root, seeds_dir, pages_dir, reading_order(docs), paths)
    attach_annotations(coll)
    if glossary and (root / glossary).exists():
        add_glossary(coll, root / glossary, cache)
    if on_collected:
        on_collected(coll)
    attach_parallels(coll, {**DEFAULT_PARALLELS, **(parallels or {})}, cache)
    return coll


def own_cache(cache: BuildCache) -> BuildCache:
    """``cache``, or without one (``NO_CACHE``, which keeps nothing) one in memory
    for this call: a value is still computed once per call."""
    return BuildCache(None) if cache is NO_CACHE else cache


def ingestion_key(seed: Path, sidecar) -> str:
    """The cache key of a seed's ingestion (its bytes and its sidecar's), once its size is checked."""
    data = seed.read_bytes()
    check_seed_size(seed, len(data), sidecar.meta, sidecar.path)
    return content_key(data, sidecar.path.read_bytes() if sidecar.path.exists() else b"")


def ingest_cached(seed: Path, sidecar, cache: BuildCache, key: str | None = None) -> Document:
    """Ingest a seed, or take it from the cache when neither it nor its sidecar
    changed (``key``: its ``ingestion_key``, when already computed)."""
    key = key or ingestion_key(seed, sidecar)
    stored = cache.get("ingest", key)
    if stored is not None:
        return pickle.loads(stored)
    doc = ingest(seed, sidecar)
    check_block_sizes(doc, seed, sidecar.path)
    cache.put("ingest", key, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    return doc


# Seeds are ingested in worker processes when at least this many are not in the
# cache (a clean build of a collection): below it a pool costs more than it saves.
INGEST_BESIDE_MIN = 16


def ingest_beside(seeds: list[Path], cache: BuildCache, minimum: int | None = None) -> dict[Path, tuple]:
    """The seeds the cache does not hold, ingested in worker processes (one per
    core) into the cache, where ``ingest_cached`` then finds them.  Only what
    succeeds is stored: a seed that fails, in its sidecar, its size or its
    ingestion, is left to ``load_collection``'s own pass, which raises its error
    in the seeds' order, as a build without workers does.  Returns the seeds it
    read, with their sidecars and cache keys, for that pass not to read them again."""
    from concurrent.futures import ProcessPoolExecutor

    from .background import can_fork, usable_cores

    if not can_fork():
        return {}
    read = {}
    for seed in seeds:
        try:
            sidecar = load_sidecar(seed)
            read[seed] = (sidecar, ingestion_key(seed, sidecar))
        except SeedError:
            continue
    todo = [(seed, sidecar, key) for seed, (sidecar, key) in read.items() if not cache.holds("ingest", key)]
    if len(todo) < (INGEST_BESIDE_MIN if minimum is None else minimum):
        return read
    import multiprocessing

    workers = usable_cores()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        stored = pool.map(
            _ingested, [(seed, sidecar) for seed, sidecar, _ in todo], chunksize=max(1, len(todo) // (4 * workers))
        )
        for (_, _, key), blob in zip(todo, stored, strict=True):
            if blob is not None:
                cache.put("ingest", key, blob)
    return read


def _ingested(job: tuple[Path, object]) -> bytes | None:
    """In a worker: the seed's document as the cache stores it, or None when it fails."""
    seed, sidecar = job
    try:
        doc = ingest(seed, sidecar)
        check_block_sizes(doc, seed, sidecar.path)
    except Exception:  # noqa: BLE001 - raised again, with its place, by the build's own pass
        return None
    return pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)


def attach_annotations(coll: Collection) -> None:
    """Check every sidecar annotation against the anchors, and place it."""
    by_slug = {d.slug: d for d in coll.docs}

    def resolve(doc: Document, anchor: str) -> str | None:
        live = {b.id for b in doc.citable_blocks()}
        if anchor in live:
            return anchor
        for target, aliases in doc.aliases.items():
            if any(a.id == anchor for a in aliases):
                return target
        return None

    for doc in coll.docs:
        blocks = {b.id: b for b in doc.citable_blocks()}
        doc.annotations = {}
        for spec in doc.annotation_specs:
            anchor = resolve(doc, spec.at)
            if anchor is None:
                raise SeedError(doc.sidecar_path, spec.where, f"no paragraph {spec.at} in {doc.slug}")
            block = blocks[anchor]
            item = Annotation(kind=spec.kind, text=spec.text)
            if spec.phrase:
                hits = find_all(block.text, spec.phrase)

                def fail(problem: str, doc=doc, spec=spec, anchor=anchor, hits=hits) -> SeedError:
                    what = {
                        "missing": f"not found in {paragraph_ref(doc.slug, anchor)}",
                        "ambiguous": f"occurs {len(hits)} times; add nth",
                    }.get(problem, f"occurs only {len(hits)} times")
                    return SeedError(doc.sidecar_path, spec.where, f"phrase {spec.phrase!r} {what}")

                item["phrase"], item["at"] = spec.phrase, nth_occurrence(hits, spec.nth, fail)
            if spec.original:
                item["original"] = spec.original
            if spec.target:
                slug, target = split_paragraph_ref(spec.target)
                other = by_slug.get(slug)
                live = resolve(other, target) if other else None
                if live is None:
                    raise SeedError(doc.sidecar_path, spec.where, f"target {spec.target} does not exist")
                number = next(b.number for b in other.citable_blocks() if b.id == live)
                item["target"] = paragraph_label(slug, live)
                item["target_label"] = f"《{other.title}》第{number}段"
            doc.annotations.setdefault(anchor, []).append(item)


def attach_parallels(
    coll: Collection, options: dict, cache: BuildCache = NO_CACHE, shared_margins: bool = True
) -> None:
    """Reuse between paragraphs of all sources: the strongest few beside each
    paragraph with the differences marked, and the clusters of strong reuse.
    ``shared_margins=False``: every paragraph's margin made for it alone (the
    tests hold the margins made once per signature to these)."""
    cache = own_cache(cache)  # a diff shown beside many copies is computed once
    passages, where = [], []
    for doc in coll.docs:
        doc.parallels = {}
        for block in doc.citable_blocks():
            if block.kind == "paragraph" or block.kind == "note":
                passages.append(Passage((doc.slug, block.id), block.text))
                where.append((doc, block))
    index = index_parallels(passages, options["threshold"], options["min_chars"], cache)
    position = {p.key: i for i, p in enumerate(passages)}
    facts: dict[str, tuple[str, str]] = {}  # slug -> (short title, date): once per source, not per mention
    # A paragraph is named in many margins, and a pair of wordings compared beside
    # every copy: each is made once and shared by the margins (issue 18; nothing
    # changes them: the traditional build converts copies).
    places: dict[tuple[str, str], Place] = {}
    comparisons: dict[tuple[str, str], list] = {}

    def place(key) -> Place:
        if key in places:
            return places[key]
        other_doc, other_block = where[position[key]]
        slug = other_doc.slug
        if slug not in facts:
            date = format_date(other_doc.meta["date"]) if other_doc.meta.get("date") else ""
            facts[slug] = (other_doc.short_title, date)
        title, date = facts[slug]
        places[key] = Place(
            ref=paragraph_label(slug, other_block.id), title=title, date=date, number=other_block.number
        )
        return places[key]

    def comparison(a: str, b: str) -> list:
        if (a, b) not in comparisons:
            comparisons[(a, b)] = elide_ops(cached_diff(a, b, cache))
        return comparisons[(a, b)]

    # Copies of one wording (the same text) have the same margin, but for the
    # first few of them, which the others' margins name (a paragraph is never
    # named in its own): the margin is made once per signature (issue 18: a
    # passage quoted by every source made as many margins).
    head = max(MAX_COPIES, MAX_LISTED)
    rank = {i: r for members in index.members for r, i in enumerate(members)}

    def signature(i: int) -> tuple:
        own = i if rank[i] < head or not shared_margins else None
        return (index.wording_of[i], where[i][1].text, own)

    signatures = [signature(i) for i in range(len(where))]
    first_of: dict[tuple, int] = {}
    for i, sig in enumerate(signatures):
        first_of.setdefault(sig, i)
    # What each margin shows first, then the comparisons it needs that the cache
    # lacks, made together (in worker processes for many: issue 18).
    # One entry per other wording: identical copies are one entry with their places.
    # Each wording's places are capped (MAX_LISTED), so a passage quoted by
    # every source costs the same as one quoted twice (issue 18).
    shown_of = {i: index.strongest_wordings_capped(i, options["shown"], MAX_COPIES) for i in first_of.values()}
    needed = {}
    for i, shown in shown_of.items():
        for copies, _total in shown:
            pair = (where[i][1].text, where[position[copies[0].other]][1].text)
            if pair not in needed and not cache.holds("diff", content_key(*pair)):
                needed[pair] = None
    for pair, ops in zip(needed, diff_pairs(list(needed)), strict=True):
        cache.put("diff", content_key(*pair), ops)

    def margin_of(i: int) -> ParallelMargin | None:
        """Passage i's margin: the wordings shown with their differences, then how
        many more passages share its text, the first MAX_LISTED of them named."""
        shown = shown_of[i]
        if not shown:
            return None
        text = where[i][1].text
        margin = ParallelMargin(shown=[])
        for copies, total in shown:  # the differences only for what is shown
            first = copies[0]
            other_doc, other_block = where[position[first.other]]
            margin.shown.append(
                ParallelItem(
                    **place(first.other),
                    slug=other_doc.slug,
                    anchor=other_block.id,
                    shared=round(first.shared_this, 2),
                    ops=comparison(text, other_block.text),
                    copies=[place(c.other) for c in copies[1:MAX_COPIES]],
                    more_copies=max(0, total - MAX_COPIES),
                )
            )
        more = index.count(i) - sum(total for _copies, total in shown)
        if more > 0:
            listed = index.others_after(i, len(shown), MAX_LISTED)
            margin.more = more
            margin.more_places = [ListedPlace(**place(p.other), shared=round(p.shared_this, 2)) for p in listed]
        return margin

    margins: dict[int, ParallelMargin | None] = {}
    for i, (doc, block) in enumerate(where):
        made = first_of[signatures[i]]  # the passage whose margin this one's is
        if made not in margins:
            margins[made] = margin_of(made)
        if margins[made] is not None:
            doc.parallels[block.id] = margins[made]
    coll.parallel_clusters = []
    for group in index.clusters(options["cluster"]):
        members = [where[position[key]] for key in group]
        # In time order (a date known only to the month after that month's exact
        # dates, as everywhere else), then in reading order.
        members.sort(
            key=lambda m: (date_key(m[0].meta.get("date", "")), m[0].meta.get("order", 0), m[0].slug, m[1].number or 0)
        )
        coll.parallel_clusters.append(
            [
                ClusterMember(
                    ref=paragraph_label(doc.slug, block.id),
                    title=doc.title,
                    date=doc.meta.get("date", ""),
                    number=block.number,
                    text=block.text,
                )
                for doc, block in members
            ]
        )
    coll.parallel_clusters.sort(key=lambda c: (date_key(c[0]["date"]), c[0]["ref"]))


def add_glossary(coll: Collection, path: Path, cache: BuildCache = NO_CACHE) -> None:
    """Load the glossary, count every entry in every citable block, check its anchors."""
    cache = own_cache(cache)  # a paragraph quoted again is counted once
    if GLOSSARY_PAGE[:-3] in coll.seed_paths:
        raise SeedError(path, None, f"the slug {GLOSSARY_PAGE[:-3]!r} is taken by the glossary page")
    coll.glossary, coll.glossary_path = load_glossary(path), path
    matcher = None
    version = content_key(path.read_bytes())
    concordance: dict[str, list] = {e.id: [] for e in coll.glossary}
    for doc in coll.docs:
        for block in doc.citable_blocks():
            key = content_key(version, block.text)
            counts = cache.get("glossary", key)
            if counts is None:
                matcher = matcher or Matcher(coll.glossary)
                counts = {}
                for _start, _end, entry_id in matcher.find_all(block.text):
                    counts[entry_id] = counts.get(entry_id, 0) + 1
                cache.put("glossary", key, counts)
            for entry_id, count in counts.items():
                concordance[entry_id].append((doc.slug, block.id, block.number, count))
    coll.concordance = concordance
    anchors = {
        d.slug: {b.id for b in d.citable_blocks()} | {a.id for al in d.aliases.values() for a in al} for d in coll.docs
    }
    for entry in coll.glossary:
        if entry.defined_in:
            slug, anchor = split_paragraph_ref(entry.defined_in)
            if anchor not in anchors.get(slug, set()):
                raise SeedError(path, f"term {entry.id}: key defined_in", f"no paragraph {entry.defined_in}")
        if not concordance[entry.id]:
            coll.warnings.append(
                (_line_of(path, f'"{entry.id}"'), f"glossary entry {entry.id!r} ({entry.term}) occurs in no source")
            )
    for collision in collisions(coll.glossary):
        coll.warnings.append((_line_of(path, f'"{collision.form}"', last=True), collision.message))


def _line_of(path: Path, needle: str, last: bool = False) -> str:
    """``path:line`` of the (first or last) line containing needle, for warnings."""
    found = 1
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            found = no
            if not last:
                break
    return f"{path}:{found}"


LOCK_KEYS = ("source", "paragraphs", "headings")


def read_lock(path: Path, slug: str) -> tuple[Lock, Lock] | None:
    """The committed lock of a source, validated: a malformed or hand-edited lock is
    an error naming the file and the entry, never a traceback, and nothing is written."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SeedError(path, None, f"malformed anchor lock: {exc}") from None
    try:
        if not isinstance(data, dict):
            raise LockError("", "a lock is a JSON object")
        for key in data:
            if key not in LOCK_KEYS:
                raise LockError(f"key {key}", f"unknown key; allowed: {', '.join(LOCK_KEYS)}")
        if data.get("source") != slug:
            raise LockError("key source", f"is {data.get('source')!r}, but this is the lock of {slug!r}")
        if "paragraphs" not in data:
            raise LockError("", "no 'paragraphs' table")
        return (
            Lock.from_json(data["paragraphs"], "p", "paragraphs"),
            Lock.from_json(data.get("headings", {}), "s", "headings"),
        )
    except LockError as exc:
        raise SeedError(
            path,
            exc.where or None,
            f"invalid anchor lock: {exc.message} (restore it from version control: git checkout -- {LOCK_DIR}/{path.name})",
        ) from None


def apply_lock(doc: Document, path: Path) -> None:
    """Give the blocks their ids: provisional ones for a draft, permanent ones from the
    lock for a published source (new ids for new blocks, aliases for retired ones)."""
    status = doc.meta.get("status", "draft")
    locks = read_lock(path, doc.slug)
    if status == "draft" and locks is not None:
        raise SeedError(
            path,
            f"source {doc.slug}",
            'this source has published anchors, but its sidecar says status = "draft": '
            'set status = "published" in [source] (published numbers cannot become provisional again)',
        )
    if status == "published" and locks is None:
        raise SeedError(
            path,
            f"source {doc.slug}",
            "the source is published but its anchor lock is missing, so every citation of it would move: "
            f"restore the lock from version control (git checkout -- {LOCK_DIR}/{path.name}; if it was "
            f"deleted in a commit, git log --diff-filter=D -- {LOCK_DIR}/{path.name} names it, then "
            f"git checkout <commit>^ -- {LOCK_DIR}/{path.name})",
        )
    citable = doc.citable_blocks()
    headings = [b for b in doc.blocks if b.kind in HEADING_KINDS]
    p_old, s_old = locks if locks else (None, None)
    try:
        p_lock = assign(p_old, [(b.kind, b.text) for b in citable], "p")
        s_lock = assign(s_old, [(b.kind, b.text) for b in headings], "s")
    except AnchorError as exc:
        raise SeedError(path, f"source {doc.slug}", str(exc)) from None
    if p_old is not None and status == "published":
        record_history(p_old, p_lock)
    for block, anchor in zip(citable, p_lock.anchors, strict=True):
        block.id, block.number = anchor.id, label_of(anchor.id)
    for block, anchor in zip(headings, s_lock.anchors, strict=True):
        block.id = anchor.id
    doc.aliases = {}
    for alias in p_lock.aliases + s_lock.aliases:
        doc.aliases.setdefault(alias.to, []).append(alias)
    # A draft's numbers are provisional: nothing is locked until it is published.
    doc.lock = {"source": doc.slug, "paragraphs": p_lock.to_json(), "headings": s_lock.to_json()}
    doc.draft = status == "draft"


def history_date() -> str:
    """The day a changed wording is recorded: ``SOURCE_DATE_EPOCH`` (reproducible
    builds) or today, in UTC."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def record_history(old: Lock, new: Lock) -> None:
    """Each published anchor keeps its earlier wordings: when the text an id carries
    changed since the lock was written, the old wording joins its history, dated."""
    before = {a.id: a for a in old.anchors}
    for anchor in new.anchors:
        previous = before.get(anchor.id)
        if previous is None:
            continue
        anchor.history = list(previous.history)
        if normalise(previous.text) != normalise(anchor.text):
            anchor.history.append({"date": history_date(), "checksum": previous.checksum, "text": previous.text})


def cached_diff(a: str, b: str, cache: BuildCache) -> list:
    key = content_key(a, b)
    ops = cache.get("diff", key)
    if ops is None:
        ops = diff_ops(a, b)
        cache.put("diff", key, ops)
    return ops


def check_orphan_locks(root: Path, paths: dict[str, Path]) -> None:
    for lock in sorted((root / LOCK_DIR).glob("*.lock.json")):
        slug = lock.name[: -len(".lock.json")]
        if slug not in paths:
            raise SeedError(
                lock,
                None,
                f"source {slug!r} has published anchors but no seed: its anchors would disappear "
                "(restore the seed, or delete the lock deliberately)",
            )


def lock_text(doc: Document) -> str:
    """One anchor per line, so a change of ingestion reads as a short diff."""

    def table(entries: list[dict]) -> str:
        if not entries:
            return "[]"
        rows = ",\n".join("   " + json.dumps(e, ensure_ascii=False) for e in entries)
        return "[\n" + rows + "\n  ]"

    parts = [f' "source": {json.dumps(doc.slug)}']
    for key in ("paragraphs", "headings"):
        lock = doc.lock[key]
        parts.append(
            f' "{key}": {{\n  "anchors": {table(lock["anchors"])},\n  "aliases": {table(lock["aliases"])},\n'
            f'  "seal": {json.dumps(lock["seal"])}\n }}'
        )
    return "{\n" + ",\n".join(parts) + "\n}\n"


def render_outputs(coll: Collection, citation: str = DEFAULT_CITATION) -> dict[Path, str]:
    """Every generated file's text: each source's (``source_outputs``), then the collection's."""
    outputs = {}
    for doc in coll.docs:
        outputs.update(source_outputs(coll, doc, citation))
    outputs.update(collection_outputs(coll))
    return outputs


def source_outputs(coll: Collection, doc: Document, citation: str) -> dict[Path, str]:
    """A source's reading page and its margins file."""
    seed = coll.seed_paths[doc.slug]
    seed_rel = seed.relative_to(coll.root).as_posix()
    sidecar_rel = sidecar_path(seed).relative_to(coll.root).as_posix()
    page, margins = source_paths(coll, doc)
    return {page: render_page(doc, seed_rel, sidecar_rel, citation), margins: render_margins(doc)}


def collection_outputs(coll: Collection) -> dict[Path, str]:
    """The pages made of the whole collection (parallels, glossary, list, editors'
    review) and the published sources' anchor locks."""
    outputs = {}
    for name, page in render_parallels(coll).items():
        outputs[coll.pages_dir / name] = page
    if coll.glossary_path:
        glossary_rel = coll.glossary_path.relative_to(coll.root).as_posix()
        outputs[coll.pages_dir / GLOSSARY_PAGE] = render_glossary(coll, glossary_rel)
    outputs[coll.pages_dir / COLLECTION_PAGE] = render_collection(coll.docs, glossary=bool(coll.glossary_path))
    seed_rel = {slug: path.relative_to(coll.root).as_posix() for slug, path in coll.seed_paths.items()}
    outputs[coll.pages_dir / REVIEW_PAGE] = render_review(coll.docs, seed_rel)
    for doc in coll.docs:
        if not doc.draft:
            outputs[coll.root / LOCK_DIR / f"{doc.slug}.lock.json"] = lock_text(doc)
    return outputs


def is_generated(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return GENERATED_MARK in head


def stale_pages(coll: Collection, outputs: Container[Path]) -> list[Path]:
    """Generated pages whose seed is gone (``outputs``: the paths the build generates)."""
    if not coll.pages_dir.is_dir():
        return []
    pages = [p for p in coll.pages_dir.glob("*.md") if p not in outputs and is_generated(p)]
    return pages + [p for p in (coll.pages_dir / MARGINS_DIR).glob("*.json") if p not in outputs]


# Sources from which their pages are rendered and written in worker processes,
# one per core (a page takes about three milliseconds; the pool some hundredths
# of a second).
WRITE_BESIDE_MIN = 200


def write_outputs(coll: Collection, citation: str = DEFAULT_CITATION, beside: bool | None = None) -> list[Path]:
    """Write what ``render_outputs`` makes and the files hold not (atomically, so no
    page is ever half-written), remove the generated files no source makes any
    more; return the changed paths.  The sources' pages from ``WRITE_BESIDE_MIN``
    sources (or when ``beside`` says so) in worker processes, each writing its
    own (issue 18: rendering was a fifth of the generation at 2,000 sources, and
    their margins, 70 MB of text there, are not worth sending back)."""
    from .background import in_shares

    beside = len(coll.docs) >= WRITE_BESIDE_MIN if beside is None else beside
    shares = in_shares(_write_sources, list(range(len(coll.docs))), beside, shared=(coll, citation))
    changed = [path for paths in shares for path in paths]
    outputs = collection_outputs(coll)
    changed += write_changed(outputs)
    made = set(outputs)
    for doc in coll.docs:
        made.update(source_paths(coll, doc))
    for path in stale_pages(coll, made):
        path.unlink()
        changed.append(path)
    return changed


def source_paths(coll: Collection, doc: Document) -> tuple[Path, Path]:
    """The files ``source_outputs`` makes for a source, its page and its margins (without rendering them)."""
    return coll.pages_dir / page_path(doc), coll.pages_dir / MARGINS_DIR / f"{doc.slug}.json"


def _write_sources(shared: tuple[Collection, str], share: list[int]) -> list[list[Path]]:
    """A share of the sources (their places in the reading order): each one's files written where they changed."""
    coll, citation = shared
    return [write_changed(source_outputs(coll, coll.docs[k], citation)) for k in share]


def write_changed(outputs: dict[Path, str]) -> list[Path]:
    """Write each file whose text changed; return them."""
    changed = []
    for path, text in outputs.items():
        if path.exists() and path.read_bytes() == text.encode("utf-8"):
            continue  # unchanged pages keep their mtime: incremental builds stay incremental
        write_atomic(path, text)
        changed.append(path)
    return changed


def generate(
    root: Path,
    seeds: str = "seeds",
    pages: str = "source",
    citation: str = DEFAULT_CITATION,
    glossary: str = "glossary/terms.toml",
    parallels: dict | None = None,
    cache_path: Path | None = None,
    on_wait: Callable[[], None] | None = None,
    on_collected: Callable[[Collection], None] | None = None,
) -> tuple[Collection, list[Path]]:
    """Ingest, check and render everything, then write what changed.  Under the
    checkout's build lock: a second build waits (``on_wait`` is told), and the
    debris of a killed build is removed before anything is read."""
    root = Path(root)
    with build_lock(root, on_wait):
        remove_debris([root / pages, root / pages / MARGINS_DIR, root / LOCK_DIR])
        cache = BuildCache(cache_path)
        coll = load_collection(root, seeds, pages, glossary, parallels, cache, on_collected)
        changed = write_outputs(coll, citation)
        cache.save()
    return coll, changed


def publish(root: Path, slug: str, seeds: str = "seeds", pages: str = "source") -> Path:
    """Publish a draft: lock the numbers it shows now (write ``anchors/<slug>.lock.json``),
    mark the sidecar ``status = "published"`` and regenerate the pages."""
    root = Path(root)
    coll = load_collection(root, seeds, pages)
    doc = next((d for d in coll.docs if d.slug == slug), None)
    if doc is None:
        known = ", ".join(d.slug for d in coll.docs)
        raise SeedError(root / seeds, None, f"no source with slug {slug!r} (sources: {known})")
    sidecar = sidecar_path(coll.seed_paths[slug])
    if not doc.draft:
        raise SeedError(sidecar, "key source.status", f"{slug!r} is already published")
    unreviewed = [d for d in doc.review if not d.reviewed]
    if unreviewed:
        first = unreviewed[0]
        raise SeedError(
            coll.seed_paths[slug],
            f"line {first.line}",
            f"{len(unreviewed)} uncertain segmentation decision(s) not reviewed yet (make check): "
            "decide each with an override or a [[reviewed]] entry, then publish",
        )
    lock = root / LOCK_DIR / f"{slug}.lock.json"
    write_atomic(lock, lock_text(doc))
    sidecar.write_text(set_status(sidecar.read_text(encoding="utf-8"), "published"), encoding="utf-8")
    generate(root, seeds, pages)
    return lock


def set_status(toml: str, status: str) -> str:
    """The sidecar with ``status`` set in its [source] table (a text edit: comments stay)."""
    line = f'status = "{status}"'
    pattern = re.compile(r"^status\s*=.*$", re.M)
    head, sep, rest = toml.partition("[source]")
    if not sep:
        raise ValueError("no [source] table")
    end = re.search(r"^\[", rest, re.M)
    table, tail = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
    if pattern.search(table):
        table = pattern.sub(line, table, count=1)
    else:
        table = "\n" + line + table
    return head + sep + table + tail


def out_of_date(root: Path, seeds: str = "seeds", pages: str = "source") -> list[Path]:
    """Committed pages and locks that differ from what the build would generate (for the tests)."""
    coll = load_collection(root, seeds, pages)
    outputs = render_outputs(coll)
    bad = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    return bad + stale_pages(coll, outputs)
