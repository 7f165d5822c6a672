"""A corpus of re-laid-out seeds with front and back matter, for measuring the segmenter.

Each layout takes one seed's own blocks (the golden segmentation) and prints them
as a new source would arrive: a title that may end in ？ or ！, author, dateline
and source lines under it, an author note, editor lines and a URL after the
text, hard wraps at 24–38 columns, indented (spaces or two U+3000) or
unindented paragraphs, page numbers, print-to-PDF headers and footers with a
page counter, running headers, two-column pages, and stray short lines.

``python tests/corpus.py`` writes ``tests/data/layouts/<seed>-<layout>.txt``
with ``.expected.tsv`` (kind TAB text; kind ``stray`` for lines a new editor
would have to decide about) and ``.toml``; ``tests/test_corpus.py`` checks that
the committed files are what this module generates, and measures them.
"""

from __future__ import annotations

import random
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "_ext"))

from reader.core.text import width as em_width  # noqa: E402

DATA = HERE / "data"
OUT = DATA / "layouts"
SEEDS = HERE.parent / "seeds"
NO_LINE_START = set("，。、；：？！”’）》〉」』…")
NAMES = ["王晓明", "李建华", "陈思远", "刘晓燕", "赵国庆", "孙立新", "周文静", "吴海涛"]
PLACES = ["北京", "上海", "杭州", "成都", "武汉", "广州"]
ORIGINS = ["人民网－人民日报", "新华网", "光明网", "《求是》2024年第6期", "中国经济网"]

# name -> (widths cycling by page, lines a page, indent, front matter, back matter, furniture, strays)
LAYOUTS = {
    "news-30": ([30], 26, "spaces", True, False, "numbers", False),
    "web-26": ([26], 24, "u3000", True, True, "browser", False),
    "unindented-34": ([34], 28, "none", True, True, "numbers", False),
    "columns-24-38": ([24, 38], 22, "spaces", True, False, "running", False),
    "stray-28": ([28], 25, "spaces", False, True, "numbers", True),
    "unindented-web-36": ([36], 30, "none", True, True, "browser", True),
}


def golden_blocks(seed: str) -> list[tuple[str, str]]:
    rows = []
    joiners = {"figure": " / ", "colophon": " / ", "list": " | "}
    for row in (DATA / "golden" / f"{seed}.tsv").read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        kind, _lines, text = row.split("\t", 2)
        if kind != "furniture":
            rows.append((kind, text.replace(joiners[kind], "\n") if kind in joiners else text))
    return rows


def wrap(text: str, first: float, rest: float) -> list[str]:
    lines, current, limit = [], "", first
    for ch in text:
        if current and em_width(current + ch) > limit and ch not in NO_LINE_START and " " not in (ch, current[-1]):
            lines.append(current)
            current, limit = "", rest
        current += ch
    if current:
        lines.append(current)
    return lines


def front_matter(rng: random.Random) -> list[tuple[str, str]]:
    name, place = rng.choice(NAMES), rng.choice(PLACES)
    m, d, hh, mm = rng.randint(1, 12), rng.randint(1, 28), rng.randint(6, 22), rng.randint(0, 59)
    y = rng.choice([2023, 2024, 2025])
    out = []
    byline = rng.choice([f"作者：{name}", f"文/{name}", f"本报记者 {name} {rng.choice(NAMES)}", f"{name} 撰文"])
    dateline = rng.choice(
        [
            f"新华社{place}{m}月{d}日电",
            f"本报{place}{m}月{d}日电",
            f"{y}年{m}月{d}日",
            f"{y}年{m:02d}月{d:02d}日 {hh:02d}:{mm:02d}",
            f"发布时间：{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
            f"{y}年{m:02d}月{d:02d}日{hh:02d}:{mm:02d} 来源：{rng.choice(ORIGINS)}",
        ]
    )
    parts = [("byline", byline), ("dateline", dateline)]
    if "来源" not in dateline and rng.random() < 0.7:
        parts.append(("source", f"来源：{rng.choice(ORIGINS)}"))
    rng.shuffle(parts)
    out += parts
    return out


def back_matter(rng: random.Random) -> list[tuple[str, str]]:
    name = rng.choice(NAMES)
    out = []
    if rng.random() < 0.6:
        out.append(("byline", rng.choice(["（作者为中国社会科学院经济研究所研究员）", f"（{name}为中央党校教授）"])))
    out.append(
        ("colophon", rng.choice([f"责任编辑：{name}", f"【纠错】 【责任编辑：{name}】", f"（责任编辑：{name}）"]))
    )
    return out


STRAYS = ["资料图片", "图1 新质生产力示意图", "点击查看大图", "扫码阅读全文", "（图片来源：新华社）"]
TAIL = [
    "扫描二维码",
    "关注我们",
    "学习强国号",
    "编辑部",
    "联系电话：",
    "投稿邮箱",
    "更多精彩内容请关注学习强",
    "国”学习平台",
]


def make_blocks(seed: str, layout: str, rng: random.Random) -> list[tuple[str, str]]:
    _w, _pl, _indent, front, back, _furn, strays = LAYOUTS[layout]
    blocks = golden_blocks(seed)
    out: list[tuple[str, str]] = []
    k = 0
    if blocks and blocks[0][0] == "title":
        title = blocks[0][1]
        if front and rng.random() < 0.5 and title[-1] not in "？！”":
            title += rng.choice("？！")
        out.append(("title", title))
        k = 1
        while k < len(blocks) and blocks[k][0] == "byline":
            out.append(blocks[k])
            k += 1
        if front:
            out += front_matter(rng)
    body = blocks[k:]
    if strays:
        paras = [i for i, (kind, _t) in enumerate(body) if kind == "paragraph"]
        for i in sorted(rng.sample(paras[1:], min(3, max(0, len(paras) - 1))), reverse=True):
            body.insert(i, ("stray", rng.choice(STRAYS)))
    out += body
    if back:
        out += back_matter(rng)
    if strays:
        out += [("stray", t) for t in TAIL]
    return out


def typeset(blocks, layout: str, rng: random.Random, title: str) -> str:
    widths, page_lines, indent, _f, _b, furniture, _s = LAYOUTS[layout]
    pages: list[list[str]] = [[]]

    def emit(line: str, breakable: bool = True):
        if breakable and len(pages[-1]) >= page_lines:
            pages.append([])
        pages[-1].append(line)

    def width_now() -> int:
        page = len(pages) - 1 + (len(pages[-1]) >= page_lines)
        return widths[page % len(widths)]

    for kind, text in blocks:
        if kind == "title":
            tw = max(8, int(widths[0] * 0.7), -(-len(text) // 4))
            for line in wrap(text, tw, tw):
                emit(line)
        elif kind in ("figure", "list", "colophon") and "\n" in text:
            for line in text.split("\n"):
                emit(line, breakable=False)
        elif kind in ("paragraph", "note"):
            first = True
            current = ""
            lead = "\u3000\u3000" if indent == "u3000" else ""
            for ch in text:
                limit = width_now() - (2 if first and indent != "none" else 0)
                if current and em_width(current + ch) > limit and ch not in NO_LINE_START:
                    emit((lead if first else "") + current)
                    current, first = "", False
                current += ch
            if current:
                emit((lead if first else "") + current)
        elif kind == "label":
            if pages[-1]:
                pages.append([])  # a section of a booklet starts a new page
            emit(text)
        else:
            emit(text)
    total = len(pages)
    stamp = f"2024/{rng.randint(1, 12)}/{rng.randint(1, 28)} {rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"
    url = f"http://theory.people.com.cn/n1/2024/0306/c40531-{rng.randint(10**7, 10**8 - 1)}.html"
    out: list[str] = []
    for p, lines in enumerate(pages, 1):
        if furniture == "browser":
            out.append(f"{stamp} {title[:14]}_人民网")
        elif furniture == "running" and p > 1:
            out.append("新质生产力学习参考")
        out += lines
        if furniture == "browser":
            out.append(f"{url}  {p}/{total}")
        elif furniture == "numbers" and p < total:
            out.append(f"- {p} -")
    return "".join(f"{line}\n\n" for line in out)


def sidecar_text(seed: str) -> str:
    """The seed's sidecar without what only fits the raw file (overrides, corrections, annotations)."""
    data = tomllib.loads((SEEDS / f"{seed}.toml").read_text(encoding="utf-8"))
    src = data["source"]
    lines = ["[source]"]
    for key in ("slug", "kind", "author"):
        if key in src:
            lines.append(f'{key} = "{src[key]}"')
    for ov in data.get("override", []):
        if ov["action"] in ("figure", "colophon"):
            lines += ["", "[[override]]"] + [f'{k} = "{v}"' for k, v in ov.items()]
    return "\n".join(lines) + "\n"


def layouts() -> dict[str, tuple[str, str, str]]:
    """name -> (raw text, expected tsv, sidecar)."""
    out = {}
    for seed_path in sorted((DATA / "golden").glob("*.tsv")):
        seed = seed_path.stem
        for layout in LAYOUTS:
            rng = random.Random(f"{seed}/{layout}")
            blocks = make_blocks(seed, layout, rng)
            raw = typeset(blocks, layout, rng, blocks[0][1])
            joiners = {"figure": " / ", "colophon": " / ", "list": " | "}
            tsv = "".join(f"{kind}\t-\t{text.replace(chr(10), joiners.get(kind, ' / '))}\n" for kind, text in blocks)
            out[f"{seed[:3]}-{layout}"] = (raw, tsv, sidecar_text(seed))
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    for name, (raw, tsv, toml) in layouts().items():
        (OUT / f"{name}.txt").write_text(raw, encoding="utf-8")
        (OUT / f"{name}.expected.tsv").write_text(tsv, encoding="utf-8")
        (OUT / f"{name}.toml").write_text(toml, encoding="utf-8")


def expected_rows(name: str) -> list[tuple[str, str]]:
    rows = [r.split("\t", 2) for r in (OUT / f"{name}.expected.tsv").read_text(encoding="utf-8").splitlines() if r]
    return [
        (k, t.replace(" / ", "\n").replace(" | ", "\n") if k in ("figure", "list", "colophon") else t)
        for k, _l, t in rows
    ]


def names() -> list[str]:
    return sorted(p.name[: -len(".expected.tsv")] for p in OUT.glob("*.expected.tsv"))


def measure_one(name: str, overrides: list[dict] | None = None):
    """(stats, wrong blocks, doc) of one layout; ``overrides`` are added to its sidecar."""
    from collections import Counter

    from reader.core.segment import ingest
    from reader.core.sidecar import load_sidecar, parse_sidecar

    seed = OUT / f"{name}.txt"
    sidecar = load_sidecar(seed)
    if overrides:
        data = tomllib.loads(sidecar.path.read_text(encoding="utf-8"))
        data["override"] = data.get("override", []) + overrides
        sidecar = parse_sidecar(sidecar.path, data)
    doc = ingest(seed, sidecar)
    expected = expected_rows(name)
    stats = Counter()
    got = Counter((b.kind, b.text) for b in doc.blocks)
    want = Counter(e for e in expected if e[0] != "stray")
    strays = {t for k, t in expected if k == "stray"}
    for kind, text in expected:
        if kind == "stray":
            continue
        group = "paragraphs" if kind in ("paragraph", "note") else "other"
        if kind in ("byline", "dateline", "source", "colophon", "title"):
            group = "metadata"
        stats[f"{group}_total"] += 1
        if got[(kind, text)] > 0:
            stats[f"{group}_exact"] += 1
    wrong = []
    for block in doc.blocks:
        key = (block.kind, block.text)
        if want[key] > 0:
            want[key] -= 1
            continue
        rest = "".join(block.text.split())
        for s in sorted(strays, key=len, reverse=True):
            rest = rest.replace("".join(s.split()), "")
        if rest.strip():  # stray lines alone are the editor's to decide
            wrong.append(block)
    return stats, wrong, doc


def listed_decisions(doc, block) -> list:
    """The review report's decisions about a block's lines, or about the break before it."""
    before = max((b.last_line for b in doc.blocks if b.last_line < block.first_line), default=0)
    return [d for d in doc.review if max(before, 1) <= d.line <= block.last_line]


def measure() -> dict:
    """Every committed layout: exact paragraphs and metadata, wrong blocks, and how
    many of those the review report lists."""
    from collections import Counter

    stats = Counter()
    misses = []
    for name in names():
        one, wrong, doc = measure_one(name)
        stats.update(one)
        stats["layouts"] += 1
        stats["wrong_blocks"] += len(wrong)
        for block in wrong:
            if listed_decisions(doc, block):
                stats["wrong_listed"] += 1
            else:
                misses.append((name, block.kind, block.first_line, block.text[:40]))
    stats["misses"] = misses
    return stats


if __name__ == "__main__" and sys.argv[1:] == ["measure"]:
    result = measure()
    for name, kind, line, text in result.pop("misses"):
        print(f"unlisted wrong block: {name}:{line} {kind} {text}")
    print(dict(result))
    sys.exit(0)


if __name__ == "__main__":
    main()
