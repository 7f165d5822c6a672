"""Citable anchors that never move: the matcher on small cases, edit scenarios on
a real seed, aliases in the page, the manifest, intersphinx, link integrity."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from rapidfuzz import fuzz

from reader.core.anchors import AnchorError, Lock, assign, checksum, normalise
from reader.core.errors import SeedError
from reader.core.model import reading_order
from reader.core.pipeline import generate, load_collection, publish

DATA = Path(__file__).parent / "data" / "anchors"
ROOT = Path(__file__).resolve().parent.parent
SEED = "000_c858e1b4996ba25d"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


def _lock(texts: list[str]) -> Lock:
    return assign(None, [("paragraph", t) for t in texts])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matcher_case(case):
    new = assign(_lock(case["old"]), [("paragraph", t) for t in case["new"]])
    assert [a.id for a in new.anchors] == case["ids"]
    assert {a.id: [a.to, a.reason] for a in new.aliases} == case["aliases"]


def test_retired_ids_are_never_reused_and_aliases_follow_later_edits():
    # (distinct texts: near-identical toy paragraphs would rightly count as edits of each other)
    texts = ["春天来了，万物复苏。", "科技创新是核心要素。", "产业升级需要时间。", "人才是第一资源啊。"]
    round1 = assign(_lock(texts), [("paragraph", t) for t in [texts[0], texts[1], texts[3]]])
    assert {a.id: a.to for a in round1.aliases} == {"p3": "p2"}
    # p2 goes too: p3's alias follows it to p1; a new block after p1 is p1a, never p2 or p3.
    round2 = assign(round1, [("paragraph", t) for t in [texts[0], "全新的一段内容，与众不同。", texts[3]]])
    ids = [a.id for a in round2.anchors]
    assert ids == ["p1", "p1a", "p4"]
    assert {a.id: a.to for a in round2.aliases} == {"p3": "p1", "p2": "p1"}


def test_a_source_with_nothing_left_is_an_error():
    with pytest.raises(AnchorError, match="p1 would disappear"):
        assign(_lock(["甲段文字很长很长。"]), [])


def test_checksum_ignores_whitespace_only():
    assert checksum("甲 乙\n丙") == checksum("甲乙丙")
    assert checksum("甲乙丙") != checksum("甲乙丁")


# ---------------------------------------------------------------- edit scenarios on a real seed


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copy(ROOT / "seeds" / f"{SEED}.txt", tmp_path / "seeds" / f"{SEED}.txt")
    # The sidecar without its annotations: they point into the other sources.
    full = (ROOT / "seeds" / f"{SEED}.toml").read_text(encoding="utf-8")
    sidecar = full.split("# Margin annotations")[0] + full[full.index("[[reviewed]]") :]
    sidecar = sidecar.replace('status = "published"', 'status = "draft"')
    (tmp_path / "seeds" / f"{SEED}.toml").write_text(sidecar, encoding="utf-8")
    publish(tmp_path, "neizai-yaoqiu")
    # The edits below change the text the review entries point at: drop them (the
    # pipeline needs none; only the Sphinx build warns about unreviewed decisions).
    path = tmp_path / "seeds" / f"{SEED}.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("[[reviewed]]")], encoding="utf-8")
    return tmp_path


def _state(root: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    coll, _ = generate(root)
    lock = coll.docs[0].lock["paragraphs"]
    live = {a["id"]: a["text"] for a in lock["anchors"]}
    aliases = {a["id"]: (a["to"], a["reason"]) for a in lock["aliases"]}
    return live, aliases


def _edit_seed(root: Path, old: str, new: str) -> None:
    path = root / "seeds" / f"{SEED}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _sidecar_append(root: Path, toml: str) -> None:
    with (root / "seeds" / f"{SEED}.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + toml + "\n")


def similarity(a: str, b: str) -> float:
    """How alike two texts are as a whole (0–1): rapidfuzz's normalised Indel similarity."""
    a, b = normalise(a), normalise(b)
    return fuzz.ratio(a, b) / 100 if a and b else 0.0


def _lands_on_same_text(before: dict[str, str], live: dict[str, str], aliases: dict) -> None:
    """Every previously live anchor still leads to its text (or says it was removed)."""
    for anchor_id, text in before.items():
        if anchor_id in live:
            assert similarity(text, live[anchor_id]) >= 0.6 or "".join(text.split()) in "".join(
                live[anchor_id].split()
            ), anchor_id
        else:
            target, reason = aliases[anchor_id]
            assert target in live
            if reason == "merged":
                assert "".join(text.split()) in "".join(live[target].split())


def test_edit_scenarios_on_a_real_seed(project):
    live0, aliases0 = _state(project)
    assert list(live0) == [f"p{n}" for n in range(1, 14)] and not aliases0
    history = dict(live0)

    # 1. A typo fixed in a re-extraction: every id stays.
    _edit_seed(project, "掣肘经济社会高质量发展", "掣肘经济社会的高质量发展")
    live, aliases = _state(project)
    assert list(live) == list(live0) and "的高质量发展" in live["p3"]
    _lands_on_same_text(history, live, aliases)

    # 2. An editorial correction in the sidecar: every id stays.
    _sidecar_append(project, '[[correction]]\nfind = "谈一些认识"\nreplace = "谈几点认识"\nnote = "测试"')
    live, aliases = _state(project)
    assert list(live) == list(live0) and "谈几点认识" in live["p4"]

    # 3. A paragraph split in two: the first part keeps p5, the second is p5a.
    _sidecar_append(project, '[[override]]\naction = "break"\nat = "和未来产业，加快形成新质生产力。"')
    live, aliases = _state(project)
    assert live["p5"].endswith("加快形成新质生产力。") and live["p5a"].startswith("12月中旬")
    assert list(live) == ["p1", "p2", "p3", "p4", "p5", "p5a"] + [f"p{n}" for n in range(6, 14)]
    history.update(live)
    previous = list(live)

    # 4. A new paragraph inserted between p6 and p7: p6a, nothing renumbered.
    _edit_seed(
        project,
        "关键在质优，本质是先进生产力。\n",
        "关键在质优，本质是先进生产力。\n\n这是新插入的一段文字，用来测试插入。\n",
    )
    live, aliases = _state(project)
    assert live["p6a"] == "这是新插入的一段文字，用来测试插入。"
    assert [i for i in live if i != "p6a"] == previous
    assert list(live).index("p6a") == list(live).index("p6") + 1
    _lands_on_same_text(history, live, aliases)
    history.update(live)

    # 5. Two paragraphs merged: p7 keeps its id, p8 becomes an alias of p7.
    _sidecar_append(project, '[[override]]\naction = "join"\nat = "推动新质生产力加快发展。"\nnth = 1')
    live, aliases = _state(project)
    assert "p8" not in live and aliases["p8"] == ("p7", "merged")
    assert live["p7"].endswith("培育发展新质生产力的新动能。")
    _lands_on_same_text(history, live, aliases)

    # 6. A paragraph deleted from the source: p10 leads to p9, marked removed.
    raw = (project / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
    start, end = raw.index("第三，着力推进"), raw.index("第四，扎实推进")
    (project / "seeds" / f"{SEED}.txt").write_text(raw[:start] + raw[end:], encoding="utf-8")
    live, aliases = _state(project)
    assert "p10" not in live and aliases["p10"] == ("p9", "removed")
    _lands_on_same_text(history, live, aliases)

    # 7. The reverse: an ingestion change joins p5 and p5a again: p5 keeps its id, p5a leads there.
    toml = (project / "seeds" / f"{SEED}.toml").read_text(encoding="utf-8")
    toml = toml.replace('[[override]]\naction = "break"\nat = "和未来产业，加快形成新质生产力。"', "")
    (project / "seeds" / f"{SEED}.toml").write_text(toml, encoding="utf-8")
    live, aliases = _state(project)
    assert "p5a" not in live and aliases["p5a"] == ("p5", "merged")
    assert "12月中旬" in live["p5"]
    # Every id ever published is still a live anchor or an alias to one.
    for anchor_id in history:
        assert anchor_id in live or aliases[anchor_id][0] in live
    _lands_on_same_text(history, live, aliases)

    # The pages carry the aliases: old links land on the right block.
    page = (project / "source" / "neizai-yaoqiu.md").read_text(encoding="utf-8")
    assert re.search(r'aliases: ".*\\"p8\\", \\"reason\\": \\"merged', page)
    assert re.search(r'aliases: ".*\\"p10\\", \\"reason\\": \\"removed', page)


def test_removing_a_published_source_is_an_error(project):
    generate(project)
    (project / "seeds" / f"{SEED}.txt").rename(project / "seeds" / "gone.bak")
    (project / "seeds" / f"{SEED}.toml").rename(project / "seeds" / "gone.toml.bak")
    shutil.copy(ROOT / "tests" / "roots" / "test-minimal" / "seeds" / "one.txt", project / "seeds" / "one.txt")
    shutil.copy(ROOT / "tests" / "roots" / "test-minimal" / "seeds" / "one.toml", project / "seeds" / "one.toml")
    with pytest.raises(SeedError, match=r"neizai-yaoqiu.lock.json: source 'neizai-yaoqiu' has published anchors"):
        load_collection(project)


def test_alias_targets_in_the_built_page(make_app, tmp_path):
    """A lock with a merged and a removed paragraph: both old ids are in the page."""
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    publish(srcdir, "one")
    seed = srcdir / "seeds" / "one.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n第三个段落，稍后会被删除。\n", encoding="utf-8")
    generate(srcdir)
    seed.write_text(seed.read_text(encoding="utf-8").replace("\n第三个段落，稍后会被删除。\n", ""), encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "source" / "one.html").read_text(encoding="utf-8"), "html.parser")
    removed = soup.find(id="p2a")  # appended after p2, then removed
    assert "reader-removed" in removed["class"] and "原第2a段已删除" in removed.get_text()
    assert removed.find_next_sibling("p")["id"] == "p2"


# ---------------------------------------------------------------- the published site


def test_manifest_lists_every_anchor(site):
    manifest = json.loads((Path(site.outdir) / "anchors.json").read_text(encoding="utf-8"))
    coll = load_collection(ROOT)
    assert [s["slug"] for s in manifest["sources"]] == [d.slug for d in reading_order(coll.docs)]
    for source, doc in zip(manifest["sources"], reading_order(coll.docs), strict=True):
        assert source["title"] == doc.title and source["url"] == f"source/{doc.slug}.html"
        blocks = doc.citable_blocks()
        assert [a["id"] for a in source["anchors"]] == [b.id for b in blocks]
        for anchor, block in zip(source["anchors"], blocks, strict=True):
            assert anchor["checksum"] == checksum(block.text)
            assert anchor["text"] == block.text and anchor["number"] == block.number
            assert anchor["url"] == f"source/{doc.slug}.html#{block.id}"


def test_copy_citation_data(site):
    soup = BeautifulSoup((Path(site.outdir) / "source/neizai-yaoqiu.html").read_text(encoding="utf-8"), "html.parser")
    button = soup.select_one("button.reader-cite[data-anchor=p12]")
    assert button["data-cite"] == (
        # the speech date beside the title, the issue in its place (issue 19)
        "习近平：《发展新质生产力是推动高质量发展的内在要求和重要着力点》（2024年1月31日），《求是》2024年第11期，第12段。{url}"
    )
    assert button["aria-label"] == "复制第12段的引文"


def test_every_internal_link_resolves(site):
    out = Path(site.outdir)
    pages = {p.relative_to(out).as_posix(): p for p in out.rglob("*.html")}
    ids = {}
    for name, path in pages.items():
        ids[name] = set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
    checked = 0
    for name, path in pages.items():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for a in soup.find_all("a", href=True):
            if "reader-variant-link" in a.get("class", []):
                continue  # the other variant's site: checked by the variant tests
            if "reader-download" in a.get("class", []) and a["href"].startswith("../"):
                continue  # the PDFs and EPUBs published beside the site: tests/test_citing.py
            url = urlparse(a["href"])
            if url.scheme or a["href"].startswith(("mailto:", "javascript:")):
                continue
            target = (Path(name).parent / unquote(url.path)).as_posix() if url.path else name
            target = str(Path(target)).replace("\\", "/")
            parts = []
            for part in target.split("/"):
                if part == "..":
                    parts.pop()
                elif part not in ("", "."):
                    parts.append(part)
            target = "/".join(parts)
            if target.endswith("/") or not target.endswith(".html"):
                assert (out / target).exists(), f"{name}: {a['href']}"
                continue
            assert target in pages, f"{name}: broken link {a['href']}"
            if url.fragment:
                assert url.fragment in ids[target], f"{name}: missing anchor {a['href']}"
            checked += 1
    assert checked > 100


def test_two_clean_builds_are_identical(tmp_path_factory, project_copy):
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    outs = []
    for n in range(2):
        build = tmp_path_factory.mktemp(f"twice{n}")
        app = SphinxTestApp("html", srcdir=project_copy, builddir=build, status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        outs.append(Path(app.outdir))
    names = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file() and p.suffix in (".html", ".json"))
    assert names
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    for lock in sorted((project_copy / "anchors").glob("*.json")):
        assert lock.read_bytes() == (ROOT / "anchors" / lock.name).read_bytes()


def test_another_project_cites_a_paragraph_through_intersphinx(make_app, tmp_path, site):
    srcdir = tmp_path / "citing"
    shutil.copytree(ROOT / "tests" / "roots" / "test-citing", srcdir)
    inventory = str(Path(site.outdir) / "objects.inv")
    app = make_app(
        "html",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={"intersphinx_mapping": {"reader": ("https://reader.example/", inventory)}},
    )
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a.get_text() for a in soup.find_all("a", class_="reference external")}
    assert "https://reader.example/source/neizai-yaoqiu.html#p6" in links
    assert links["https://reader.example/source/neizai-yaoqiu.html#p6"].startswith("6. 什么是新质生产力")


# ---------------------------------------------------------------- issue 13: cases that broke the promise


def _paragraphs(slug: str) -> list[str]:
    data = json.loads((ROOT / "anchors" / f"{slug}.lock.json").read_text(encoding="utf-8"))
    return [a["text"] for a in data["paragraphs"]["anchors"]]


@pytest.mark.parametrize("slug", ["neizai-yaoqiu", "beijing-ziliao"])
def test_an_insert_before_an_edited_paragraph_does_not_take_its_id(slug):
    texts = _paragraphs(slug)[:7]
    lock = _lock(texts)
    edited = texts[4].replace("，", "、", 1)  # p5 corrected
    assert edited != texts[4]
    new = [*texts[:4], "这是编辑新插入的一段文字，与前后文都不相同。", edited, *texts[5:]]
    ids = [a.id for a in assign(lock, [("paragraph", t) for t in new]).anchors]
    assert ids == ["p1", "p2", "p3", "p4", "p4a", "p5", "p6", "p7"]


def test_insert_delete_and_edit_in_one_rebuild_keep_every_id_on_its_text():
    texts = _paragraphs("xuexi-ziliao")[:6]
    lock = _lock(texts)
    new = [texts[0], "新加的一段。" * 3, texts[1], texts[3].replace("的", "之", 1), texts[4], texts[5]]
    result = assign(lock, [("paragraph", t) for t in new])
    assert [a.id for a in result.anchors] == ["p1", "p1a", "p2", "p4", "p5", "p6"]
    assert {a.id: (a.to, a.reason) for a in result.aliases} == {"p3": ("p2", "removed")}


def test_seven_paragraphs_merged_into_one_keep_the_first_id():
    texts = _paragraphs("beijing-ziliao")
    result = assign(_lock(texts), [("paragraph", "".join(texts))])
    assert [a.id for a in result.anchors] == ["p1"]
    assert {a.id: (a.to, a.reason) for a in result.aliases} == {f"p{n}": ("p1", "merged") for n in range(2, 8)}


def test_a_published_source_without_its_lock_is_an_error(project):
    (project / "anchors" / "neizai-yaoqiu.lock.json").unlink()
    page = (project / "source" / "neizai-yaoqiu.md").read_text(encoding="utf-8")
    with pytest.raises(SeedError, match=r"neizai-yaoqiu.lock.json: source neizai-yaoqiu: the source is published"):
        generate(project)
    assert "git checkout -- anchors/neizai-yaoqiu.lock.json" in _error(project)
    assert (project / "source" / "neizai-yaoqiu.md").read_text(encoding="utf-8") == page  # nothing rewritten


def _error(project: Path) -> str:
    try:
        generate(project)
    except SeedError as exc:
        return str(exc)
    raise AssertionError("no error")


def _edit_lock(project: Path, change) -> None:
    path = project / "anchors" / "neizai-yaoqiu.lock.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _swap_texts(data):
    a, b = data["paragraphs"]["anchors"][2], data["paragraphs"]["anchors"][3]
    a["text"], b["text"] = b["text"], a["text"]


def _swap_ids(data):
    a, b = data["paragraphs"]["anchors"][2], data["paragraphs"]["anchors"][3]
    a["id"], b["id"] = b["id"], a["id"]


def _set(path: str, value):
    def change(data):
        *parents, last = path.split("/")
        node = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is KeyError:
            del node[last if not last.isdigit() else int(last)]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


def _alias(to: str):
    def change(data):
        data["paragraphs"]["aliases"].append({"id": "p99", "to": to, "reason": "removed", "excerpt": ""})

    return change


HAND_EDITS = {
    "duplicate id": (_set("paragraphs/anchors/9/id", "p9"), r"paragraphs.anchors\[9\]: .*id p9 occurs twice"),
    "texts swapped": (_swap_texts, r"paragraphs.anchors\[2\]: .*checksum of p3 does not match its text"),
    "ids swapped": (_swap_ids, r"paragraphs: .*the seal does not match"),
    "missing key": (_set("paragraphs/anchors/0/text", KeyError), r"paragraphs.anchors\[0\]: .*missing key 'text'"),
    "wrong type": (_set("paragraphs/anchors/1/text", 5), r"paragraphs.anchors\[1\]: .*'text' must be a str, not int"),
    "html in an id": (
        _set("paragraphs/anchors/0/id", '"><img src=x onerror=alert(1)>'),
        r"paragraphs.anchors\[0\]: .*id .* is not of the form",
    ),
    "alias to nothing": (_alias("p404"), r"paragraphs.aliases\[0\]: .*alias p99 leads to 'p404', which is nothing"),
    "not a list": (_set("paragraphs/anchors", {}), r"paragraphs: .*'anchors' and 'aliases' must be lists"),
    "wrong source": (_set("source", "other"), r"key source: .*is 'other'"),
    "unknown key": (_set("paragraphs/anchors/0/colour", "red"), r"unknown key 'colour'"),
}


@pytest.mark.parametrize("name", HAND_EDITS)
def test_a_hand_edited_lock_is_an_error_naming_the_entry(project, name):
    change, message = HAND_EDITS[name]
    before = {p: p.read_bytes() for p in (project / "source").rglob("*") if p.is_file()}
    _edit_lock(project, change)
    lock_bytes = (project / "anchors" / "neizai-yaoqiu.lock.json").read_bytes()
    with pytest.raises(SeedError, match=message) as info:
        generate(project)
    assert "neizai-yaoqiu.lock.json" in str(info.value)
    # Nothing written: the pages and the (bad) lock stay as they were.
    assert {p: p.read_bytes() for p in (project / "source").rglob("*") if p.is_file()} == before
    assert (project / "anchors" / "neizai-yaoqiu.lock.json").read_bytes() == lock_bytes


def test_aliases_leading_to_each_other_are_an_error(project):
    def loop(data):
        data["paragraphs"]["aliases"] += [
            {"id": "p98", "to": "p99", "reason": "merged", "excerpt": ""},
            {"id": "p99", "to": "p98", "reason": "merged", "excerpt": ""},
        ]

    _edit_lock(project, loop)
    with pytest.raises(SeedError, match=r"alias p98 leads to 'p99', which is another alias"):
        generate(project)


# ---------------------------------------------------------------- drafts and publishing


def test_a_new_source_is_a_draft_until_published(tmp_path):
    """Add a source, review it with overrides through several builds, publish it:
    no file is deleted by hand, and the numbers are locked only at publication."""
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", tmp_path / "p")
    root = tmp_path / "p"
    lock = root / "anchors" / "one.lock.json"
    generate(root)
    page = (root / "source" / "one.md").read_text(encoding="utf-8")
    assert not lock.exists() and "reader-status: draft" in page and "草稿" in page
    # Overrides tried freely: the provisional numbers follow the segmentation.
    sidecar = root / "seeds" / "one.toml"
    original = sidecar.read_text(encoding="utf-8")
    coll, _ = generate(root)
    before = [b.id for b in coll.docs[0].citable_blocks()]
    sidecar.write_text(original + '\n[[override]]\naction = "break"\nat = "一个简单的段落，"\n', encoding="utf-8")
    coll, _ = generate(root)
    assert [b.id for b in coll.docs[0].citable_blocks()] == [f"p{n}" for n in range(1, len(before) + 2)]
    sidecar.write_text(original, encoding="utf-8")
    generate(root)
    assert not lock.exists()
    # Published: the lock is written and the draft mark goes.
    publish(root, "one")
    assert lock.exists() and 'status = "published"' in sidecar.read_text(encoding="utf-8")
    page = (root / "source" / "one.md").read_text(encoding="utf-8")
    assert "reader-status: published" in page and "草稿" not in page
    # From now on a new block never takes a published id.
    seed = root / "seeds" / "one.txt"
    seed.write_text("开头新加的一段说明文字，用来测试。\n\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    coll, _ = generate(root)
    assert [b.id for b in coll.docs[0].citable_blocks()] == ["p0a", *before]
    with pytest.raises(SeedError, match="already published"):
        publish(root, "one")


def test_a_draft_with_a_lock_is_an_error(project):
    sidecar = project / "seeds" / f"{SEED}.toml"
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8").replace('status = "published"', 'status = "draft"'), encoding="utf-8"
    )
    with pytest.raises(SeedError, match='has published anchors, but its sidecar says status = "draft"'):
        generate(project)


def test_cli_show_prints_the_ids_the_build_uses(project, capsys, monkeypatch):
    from reader import cli

    _sidecar_append(project, '[[override]]\naction = "break"\nat = "和未来产业，加快形成新质生产力。"')
    monkeypatch.chdir(project)
    assert cli.main(["show", f"seeds/{SEED}.txt"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("neizai-yaoqiu: published")
    assert re.search(r"^paragraph .* p5a +12月中旬", out, re.M)


def test_a_draft_is_marked_in_the_built_page_and_the_manifest(make_app, tmp_path):
    srcdir = tmp_path / "draft"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    soup = BeautifulSoup((app.outdir / "source" / "one.html").read_text(encoding="utf-8"), "html.parser")
    assert "草稿" in soup.select_one(".reader-draft").get_text()
    manifest = json.loads((app.outdir / "anchors.json").read_text(encoding="utf-8"))
    assert manifest["sources"][0]["status"] == "draft" and manifest["sources"][0]["anchors"] == []


def test_more_new_blocks_after_one_anchor_than_two_letters_hold():
    texts = [f"第{i}段新加的文字，各不相同，编号{i}。" for i in range(800)]
    lock = _lock(["开头的一段文字，足够长，不会与后面的混淆。"])
    result = assign(
        lock, [("paragraph", "开头的一段文字，足够长，不会与后面的混淆。")] + [("paragraph", t) for t in texts]
    )
    ids = [a.id for a in result.anchors]
    assert ids[:3] == ["p1", "p1a", "p1b"] and ids[-1] == "p1adt" and len(set(ids)) == len(ids)


class _CountingDict(dict):
    """A domain's table that counts how often it is walked through."""

    walks = 0

    def items(self):
        type(self).walks += 1
        return super().items()


def test_purging_a_page_never_read_does_not_walk_the_collections_labels(make_app, tmp_path):
    """Sphinx purges every page before it reads it; its standard domain's purge
    walks every label of the collection (one per paragraph), which made a clean
    build quadratic.  A page never read is skipped; a page read before loses
    its labels, as in Sphinx."""
    srcdir = tmp_path / "purge"
    shutil.copytree(ROOT / "tests" / "roots" / "test-minimal", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    env, std = app.env, app.env.domains.standard_domain
    assert any(fn == "source/one" for fn, _id, _title in std.labels.values())
    for table in ("labels", "anonlabels", "objects", "progoptions", "terms"):
        std.data[table] = _CountingDict(std.data.get(table, {}))

    def purge(docname: str) -> None:
        app.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)

    before = dict(std.labels)
    purge("source/never-read")
    assert _CountingDict.walks == 0 and dict(std.labels) == before

    purge("source/one")
    assert _CountingDict.walks > 0
    assert not any(fn == "source/one" for fn, _id, _title in std.labels.values())
    assert not any(fn == "source/one" for fn, _id in std.anonlabels.values())

    # A purge Sphinx calls without the event (nothing says the page is new) is whole.
    std.data["labels"]["stray"] = ("source/never-read", "x", "x")
    env.clear_doc("source/never-read")
    assert "stray" not in std.labels
