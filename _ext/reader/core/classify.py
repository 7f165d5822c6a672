"""What each block is (title, byline, heading, paragraph …), and its text."""

from __future__ import annotations

from .breaks import Group, is_indented_start
from .columns import Columns
from .frontmatter import meta_kind, meta_lead
from .lines import BYLINE_RE, MAX_HEADING, SENTENCE_INSIDE, UNWRAPPED, Line, end_class, pattern_kind
from .model import Block
from .review import Decision
from .sidecar import Sidecar
from .text import respace, width


def mark_header(flow: list[Line], sidecar: Sidecar, cols: Columns) -> None:
    """Title (up to three short unpunctuated lines) and byline at the top."""
    if any(line.forced == "title" for line in flow):
        return
    refs = sorted(line.w for line in flow if line.end != "closing" and not pattern_kind(line.text))
    # The widest common measure (a high percentile: columns may differ).
    body = refs[int(0.8 * (len(refs) - 1))] if refs else None
    limit = 0.85 * body if body and body <= UNWRAPPED else MAX_HEADING
    author = "".join(sidecar.meta.get("author", "").split())
    k = 0
    while k < len(flow) and flow[k].forced:
        k += 1
    title_lines = []
    while k < len(flow) and len(title_lines) < 4:
        line = flow[k]
        # A title may end with a question or an exclamation mark (and then ends there).
        asks = (
            line.text.endswith(("？", "！", "?", "!"))
            and line.w < max(limit, MAX_HEADING)
            and not SENTENCE_INSIDE.search(line.text[:-1])
        )
        if (
            line.forced
            or line.end == "continuing"
            or line.end == "closing"
            and not line.text.endswith(("”", "」"))
            and not asks
        ):
            break
        if is_byline(line.text, author) or pattern_kind(line.text) or meta_lead(line.text):
            break
        if title_lines and (line.w >= limit or is_indented_start(flow, cols, k)):
            break
        if not title_lines and line.w >= max(limit, MAX_HEADING):
            break
        title_lines.append(line)
        k += 1
        if asks:
            break
    if not title_lines:
        return
    for line in title_lines:
        line.forced, line.forced_id = "title", -1
    if k < len(flow) and is_byline(flow[k].text, author):
        flow[k].forced, flow[k].forced_id = "byline", -2


def is_byline(text: str, author: str) -> bool:
    flat = "".join(text.split())
    return bool(BYLINE_RE.match(text)) or (bool(author) and flat == author)


def classify(groups: list[Group], forced_para_lines, index_of, decisions: list | None = None) -> list[Block]:
    out: list[Group] = []
    for g in groups:
        first = g.lines[0]
        forced = first.forced
        if any(index_of.get(id(line)) in forced_para_lines for line in g.lines):
            g.kind = "paragraph"
        elif forced:
            g.kind = forced
            if first.level:
                g.level = first.level
        else:
            kind = pattern_kind(first.text)
            joined = "".join(line.text for line in g.lines)
            if kind:
                g.kind = kind
            elif (
                end_class(joined) == "open"
                and width(joined) <= MAX_HEADING
                and len(g.lines) <= 3
                and not SENTENCE_INSIDE.search(joined)
            ):
                g.kind = "heading"
                if decisions is not None:
                    decisions.append(heading_decision(g))
            else:
                g.kind = "paragraph"
                lead = meta_lead(first.text)
                if lead and decisions is not None:
                    decisions.append(
                        Decision(
                            first.no,
                            "电头留在段首",
                            "一段中既有著录信息又有正文（新闻体例电头与正文连排）",
                            "break",
                            snippet=f"start:{len(''.join(lead.split()))}",
                        )
                    )
        out.append(g)
    # Consecutive bracketed labels are a table of contents, not section heads.
    merged: list[Group] = []
    for g in out:
        # Only blank lines between, on the same page: a list, not two sections.
        adjacent = merged and g.first - merged[-1].last <= 2 and g.lines[0].page == merged[-1].lines[-1].page
        if g.kind == "label" and adjacent and merged[-1].kind in ("label", "list"):
            prev = merged[-1]
            prev.kind = "list"
            prev.lines = prev.lines + g.lines
            continue
        merged.append(g)
    blocks: list[Block] = []
    in_label = False
    for g in merged:
        if g.kind == "label":
            in_label = True
        kind = g.kind
        if kind in ("figure", "list", "colophon"):
            text = "\n".join(line.text for line in g.lines)
        else:
            text = join_lines(g.lines)
            if kind == "byline" or (kind == "dateline" and meta_kind(text)):
                text = " ".join(text.split())  # printed as is: 文 ◆ 作者, 2024年3月5日 08:15
            else:
                text = respace(text, keep_headline_spaces=kind in ("title", "heading", "label"))
        level = g.level
        if kind == "label":
            level = 1
        elif kind == "heading" and not level:
            level = 2 if in_label else 1
        blocks.append(
            Block(
                kind=kind,
                text=text,
                first_line=g.first,
                last_line=g.last,
                level=level,
                sources=[(line.no, line.text) for line in g.lines],
            )
        )
    return blocks


def join_lines(lines: list[Line]) -> str:
    # One join at the end: repeated += copied the block once per line (quadratic).
    parts = [lines[0].text]
    last = lines[0].text[-1:]
    for line in lines[1:]:
        # Lines join without spaces, except two ASCII words split by a wrap.
        if last.isascii() and last.isalnum() and line.text[:1].isascii() and line.text[:1].isalpha():
            parts.append(" ")
        parts.append(line.text)
        last = line.text[-1:] or last
    return "".join(parts)


def number(blocks: list[Block]) -> None:
    p = s = 0
    for block in blocks:
        if block.citable:
            p += 1
            block.id, block.number = f"p{p}", str(p)
        elif block.kind in ("heading", "label"):
            s += 1
            block.id = f"s{s}"


def heading_decision(g: Group) -> Decision:
    """A short unpunctuated line taken as a heading is a guess an editor should check."""
    if len(g.lines) > 1:
        return Decision(
            g.lines[0].no,
            f"标题跨 {len(g.lines)} 行",
            "几行无标点的短行，一行不长于上一行，读作折行的一个标题",
            "break",
            snippet="end",
        )
    return Decision(
        g.lines[0].no,
        "小标题",
        "无句读标点的短行，读作小标题",
        "paragraph",
        snippet="start",
    )
