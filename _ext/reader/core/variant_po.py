"""The translators' side of the traditional variant (pure Python, no Sphinx):

- the review status of each paragraph (``variant/review-status.toml``, edited by
  translators or by ``make review-ok``): *machine* (nobody reviewed it),
  *reviewed* (the simplified checksum matches the one recorded at review), or
  *changed* (the simplified text changed since);
- a gettext catalogue per source (``locale/zh_TW/LC_MESSAGES/<slug>.po``), one
  entry per paragraph: msgctxt the anchor, msgid the simplified text, msgstr the
  current traditional text, ``#, fuzzy`` for suspects and changed paragraphs;
  a translator's msgstr comes back as a paragraph-level override.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .anchors import checksum
from .errors import SeedError

STATES = {"machine": "機器轉換", "reviewed": "已審閱", "changed": "審閱後原文已改"}


@dataclass
class Reviewed:
    source: str
    anchor: str
    checksum: str
    note: str = ""


def load_status(path: Path) -> dict[tuple[str, str], Reviewed]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(path, None, f"malformed TOML: {exc}") from None
    out = {}
    for i, item in enumerate(data.get("reviewed", []), 1):
        for key in ("source", "anchor", "checksum"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise SeedError(path, f"reviewed #{i}: key {key}", "missing (source slug, anchor, checksum)")
        out[item["source"], item["anchor"]] = Reviewed(
            item["source"], item["anchor"], item["checksum"], item.get("note", "")
        )
    return out


def state(status: dict, slug: str, anchor: str, text: str) -> str:
    entry = status.get((slug, anchor))
    if entry is None:
        return "machine"
    return "reviewed" if entry.checksum == checksum(text) else "changed"


def mark_reviewed(path: Path, docs, slug: str, anchors: list[str], note: str = "") -> list[str]:
    """Record paragraphs as reviewed with their current checksum (``make review-ok``)."""
    doc = next((d for d in docs if d.slug == slug), None)
    if doc is None:
        raise SeedError(path, f"source {slug}", f"no such source; known: {', '.join(d.slug for d in docs)}")
    blocks = {b.id: b for b in doc.blocks if b.id}
    status = load_status(path)
    done = []
    for anchor in anchors:
        anchor = anchor if anchor.startswith(("p", "s")) else f"p{anchor}"
        if anchor not in blocks:
            raise SeedError(path, f"{slug} {anchor}", "no such paragraph")
        status[slug, anchor] = Reviewed(slug, anchor, checksum(blocks[anchor].text), note)
        done.append(anchor)
    write_status(path, status)
    return done


def write_status(path: Path, status: dict) -> None:
    lines = [
        "# Review status of the traditional variant, per paragraph: a paragraph listed here",
        "# was reviewed when its simplified text had this checksum (make review-ok SOURCE=… P=…).",
        "# The side-by-side pages of the traditional build (variant-review/<slug>.html) show",
        "# each paragraph as machine-converted, reviewed, or changed since review.",
        "",
    ]
    for (_slug, _anchor), r in sorted(status.items(), key=lambda kv: (kv[0][0], _anchor_key(kv[0][1]))):
        lines += ["[[reviewed]]", f'source = "{r.source}"', f'anchor = "{r.anchor}"', f'checksum = "{r.checksum}"']
        if r.note:
            lines.append("note = " + _toml_string(r.note))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _anchor_key(anchor: str):
    digits = "".join(ch for ch in anchor if ch.isdigit())
    return (anchor[0], int(digits or 0), anchor)


# ---------------------------------------------------------------- gettext


@dataclass
class Entry:
    anchor: str  # msgctxt
    simplified: str  # msgid
    traditional: str  # msgstr
    fuzzy: bool = False
    reference: str = ""
    previous: str = ""  # the msgid the translation was made for, when it changed


def read_po(path: Path) -> list[Entry]:
    from babel.messages.pofile import read_po as babel_read

    try:
        with path.open("rb") as fh:
            catalog = babel_read(fh, abort_invalid=True)
    except Exception as exc:  # babel raises its own PoFileError, and ValueError on bad syntax
        raise SeedError(path, None, f"not a valid gettext catalogue: {exc}") from None
    out = []
    for message in catalog:
        if not message.id:
            continue
        previous = message.previous_id[0] if message.previous_id else _previous_msgid(message.user_comments)
        out.append(Entry(message.context or "", message.id, message.string or "", message.fuzzy, "", previous))
    return out


def _previous_msgid(comments: list[str]) -> str:
    """The ``#| msgid "…"`` line (babel reads it as a user comment)."""
    from babel.messages.pofile import unescape

    for comment in comments:
        if comment.startswith("| msgid "):
            return unescape(comment[len("| msgid ") :].strip())
    return ""


def write_po(path: Path, slug: str, entries: list[Entry], language: str = "zh_TW") -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po as babel_write

    catalog = Catalog(
        locale=language,
        project=slug,
        charset="utf-8",
        fuzzy=False,
        header_comment=(
            f"# The traditional text of {slug}, one entry per paragraph (written by make po).\n"
            "# Edit a msgstr (same number of characters) and clear its fuzzy flag; the next\n"
            "# build uses it as a paragraph-level override."
        ),
    )
    for e in entries:
        catalog.add(
            e.simplified,
            e.traditional,
            locations=[(e.reference, None)] if e.reference else (),
            flags=["fuzzy"] if e.fuzzy else (),
            context=e.anchor,
            previous_id=e.previous or (),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        babel_write(fh, catalog, width=0, omit_header=False, sort_output=False, include_previous=True)


def export(docs, converter, status: dict, out_dir: Path, pages_dir: str = "source") -> list[Path]:
    """One catalogue per source: every citable block; suspects and paragraphs
    changed since review (or since the translator's msgstr) are fuzzy."""
    from .variant import ambiguous_characters
    from .variant_risk import risks

    ambiguous = ambiguous_characters()
    written = []
    for doc in docs:
        path = out_dir / f"{doc.slug}.po"
        old = {e.anchor: e for e in read_po(path)} if path.exists() else {}
        entries = []
        for block in doc.blocks:
            if not block.id:
                continue
            text = block.text
            current = converter.convert(text)
            covered = {i for s, e, _p in converter.spans(text) for i in range(s, e)}
            suspect = any(r.index not in covered for r in risks(text, converter.opencc, ambiguous))
            fuzzy = suspect or state(status, doc.slug, block.id, text) == "changed"
            previous = ""
            before = old.get(block.id)
            if before and before.simplified != text and before.traditional:
                # gettext's rule (msgmerge): the old translation stays, fuzzy, with the old msgid.
                current, fuzzy, previous = before.traditional, True, before.simplified
            elif before and before.fuzzy and before.traditional:
                current, fuzzy = before.traditional, True
            elif before and before.traditional:
                # Translated or accepted (fuzzy cleared) by a translator for this very text: it stands.
                current, fuzzy = before.traditional, False
            entries.append(Entry(block.id, text, current, fuzzy, f"{pages_dir}/{doc.slug}.html#{block.id}", previous))
        write_po(path, doc.slug, entries)
        written.append(path)
    return written


@dataclass
class Stale:
    path: Path
    anchor: str
    why: str


def translated_phrases(path: Path) -> list:
    """The translated (non-fuzzy) paragraphs of one catalogue, as phrases that win
    over the other overrides (a msgstr must keep its msgid's length)."""
    from .variant import Phrase

    return [
        Phrase(e.simplified, e.traditional, f"{path.name} {e.anchor}", "paragraph")
        for e in read_po(path)
        if not e.fuzzy and e.traditional and len(e.traditional) == len(e.simplified)
    ]


def paragraph_overrides(docs, catalogues: list[Path], machine) -> tuple[list, list[Stale]]:
    """The translators' paragraphs: non-fuzzy entries whose msgstr differs from the
    machine conversion, as (simplified, traditional); entries whose msgid is no
    longer the paragraph's text are stale (reported, not applied)."""
    blocks = {(d.slug, b.id): b.text for d in docs for b in d.blocks if b.id}
    phrases, stale = [], []
    for path in catalogues:
        slug = path.stem
        for e in read_po(path):
            if e.fuzzy or not e.traditional:
                continue
            text = blocks.get((slug, e.anchor))
            if text is None:
                stale.append(Stale(path, e.anchor, "no such paragraph any more"))
                continue
            if text != e.simplified:
                stale.append(Stale(path, e.anchor, "the simplified paragraph changed since this translation"))
                continue
            if len(e.traditional) != len(text):
                stale.append(Stale(path, e.anchor, "msgstr must have as many characters as msgid"))
                continue
            if e.traditional != machine(text):
                phrases.append((text, e.traditional))
    return phrases, stale
