"""The editorial sidecar beside each seed (``seeds/<name>.toml``): load and validate.

Everything editorial about a seed lives here, never in the raw file.  The schema
is small and explicit so that an unknown key or a bad value is an error naming
the file, the key and what is allowed.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SeedError
from .inputs import check_date, check_slug, check_strings, read_toml_text
from .model import PARAGRAPH_REF

SOURCE_KINDS = {
    "speech": "讲话",
    "excerpts": "论述摘编",
    "commentary": "理论文章",
    "booklet": "学习资料",
    "article": "背景文章",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# key -> (description of what is allowed, validator returning an error text or None)
SOURCE_KEYS = {
    "slug": "lowercase ASCII words joined by hyphens (the page URL: source/<slug>.html)",
    "author": "text",
    "date": "a date YYYY, YYYY-MM or YYYY-MM-DD",
    "date_note": "text",
    "kind": "one of " + ", ".join(SOURCE_KINDS),
    "origin": "text (where the text was published)",
    "occasion": "text",
    "title": "text (the title for the page and citations; replaces a printed title, which stays in the record)",
    "short_title": "text (a short name for margins and running heads, e.g. 摘编)",
    "encoding": 'a Python codec name, e.g. "gb18030"',
    "order": "an integer (order on the landing page among sources of the same date)",
    "summary": "text (one sentence for the landing page card)",
    "status": "draft (the default: provisional paragraph numbers, no lock) or published (numbers locked forever)",
    "max_bytes": "a positive integer: the largest seed file accepted, in bytes (default 4000000)",
    "max_block_chars": "a positive integer: the longest block accepted, in characters (default 20000)",
    "max_blocks": "a positive integer: the most blocks (paragraphs, headings…) accepted (default 10000)",
    # Where the text was published, each in its own field so that a citation puts
    # it in its right place (issue 19): `date` is the date of the speech or event.
    "journal": "text (the periodical, newspaper or website the text appeared in, e.g. 求是)",
    "published": "a date YYYY, YYYY-MM or YYYY-MM-DD (when that publication appeared)",
    "issue": 'text or an integer (the issue within the year, e.g. 11 for 2024年第11期; "NO.106")',
    "pages": 'text or an integer (page or page range in the publication, e.g. "4-9")',
    "publisher": "text (the publisher, e.g. 求是杂志社)",
    "url": "an http(s) URL of the original",
}
SOURCE_STATUSES = ("draft", "published")
REQUIRED_SOURCE_KEYS = ("slug", "kind")

OVERRIDE_ACTIONS = {
    "break": "start a new block right after the snippet `at`",
    "join": "continue the block across the line end after the snippet `at`",
    "title": "lines `from`..`to` are the document title",
    "heading": "the line(s) `from`..`to` (or `at`) form a section heading",
    "byline": "the line(s) `from`..`to` (or `at`) are an author line",
    "dateline": "the line(s) `from`..`to` (or `at`) are a date or dateline",
    "source": "the line(s) `from`..`to` (or `at`) name where the text comes from",
    "paragraph": "the block containing `at` is a paragraph, whatever it looks like",
    "figure": "lines `from`..`to` are diagram text, kept verbatim line by line",
    "colophon": "lines `from`..`to` are closing matter",
    "furniture": "the line containing `at` is page furniture, removed and recorded",
}
OVERRIDE_KEYS = {
    "action": "one of " + ", ".join(OVERRIDE_ACTIONS),
    "at": "a snippet of the text, unique in the seed",
    "from": "a snippet in the first line of the range",
    "to": "a snippet in the last line of the range",
    "nth": "which occurrence of the snippet, when it occurs more than once (1-based)",
    "level": "heading level 1 or 2",
    "reason": "text: why (shown in the editorial record)",
}
CORRECTION_KEYS = {
    "find": "the text as ingested (a snippet, unique in the seed)",
    "replace": "the corrected text",
    "note": "text: why (shown to readers)",
    "nth": "which occurrence of `find`, when it occurs more than once (1-based)",
}
ANNOTATION_KINDS = {
    "note": "an editorial note",
    "correction": "a corrected reading: `phrase` is the corrected text, `original` what was printed",
    "source": "the source, date or occasion of the paragraph",
    "xref": 'a cross-reference to another paragraph: `target` = "<slug>#p12"',
}
ANNOTATION_KEYS = {
    "at": 'the paragraph anchor, e.g. "p12"',
    "kind": "one of " + ", ".join(ANNOTATION_KINDS),
    "text": "the annotation",
    "phrase": "an exact phrase inside the paragraph, marked in the text (optional)",
    "nth": "which occurrence of `phrase` (1-based), when it occurs more than once",
    "original": 'for kind = "correction": the original reading',
    "target": 'for kind = "xref": <slug>#p12',
}
TOP_KEYS = {
    "source": "a table of source metadata",
    "override": "an array of tables [[override]]",
    "correction": "an array of tables [[correction]]",
    "annotation": "an array of tables [[annotation]]",
    "reviewed": "an array of tables [[reviewed]] (uncertain decisions an editor checked)",
}
REVIEWED_KEYS = {
    "at": "a snippet of the line the decision is about (see `make check`)",
    "nth": "which occurrence of the snippet, when it occurs more than once (1-based)",
    "note": "text: what the editor checked (optional)",
}
# Overrides that give lines a kind: `at` (the line) or `from`..`to` (a range).
KIND_ACTIONS = ("heading", "byline", "dateline", "source")


@dataclass
class Override:
    index: int  # 1-based position in the sidecar, for messages
    action: str
    at: str | None = None
    start: str | None = None  # "from"
    end: str | None = None  # "to"
    nth: int | None = None
    level: int | None = None
    reason: str = ""

    @property
    def where(self) -> str:
        return f'override #{self.index} (action = "{self.action}")'


@dataclass
class CorrectionSpec:
    index: int
    find: str
    replace: str
    note: str
    nth: int | None = None

    @property
    def where(self) -> str:
        return f"correction #{self.index}"


@dataclass
class AnnotationSpec:
    index: int
    at: str
    kind: str
    text: str
    phrase: str = ""
    nth: int | None = None
    original: str = ""
    target: str = ""

    @property
    def where(self) -> str:
        return f'annotation #{self.index} (at = "{self.at}")'


@dataclass
class ReviewedSpec:
    index: int
    at: str
    nth: int | None = None
    note: str = ""

    @property
    def where(self) -> str:
        return f"reviewed #{self.index}"


@dataclass
class Sidecar:
    path: Path
    meta: dict
    overrides: list[Override] = field(default_factory=list)
    corrections: list[CorrectionSpec] = field(default_factory=list)
    annotations: list[AnnotationSpec] = field(default_factory=list)
    reviewed: list[ReviewedSpec] = field(default_factory=list)


def sidecar_path(seed_path: Path) -> Path:
    return seed_path.with_suffix(".toml")


def _unknown(path, where, key, allowed: dict):
    # "key source.kind" for tables, "override #2: key actoin" for array entries
    place = f"{where}key {key}" if where.endswith(": ") else f"key {where}{key}"
    raise SeedError(path, place, f"unknown key; allowed: {', '.join(allowed)}")


def _known_keys(path, where: str, item: dict, allowed: dict) -> None:
    for key in item:
        if key not in allowed:
            _unknown(path, f"{where}: ", key, allowed)


def _positive_int(path, where: str, item: dict, key: str, allowed: dict, maximum: int | None = None) -> int | None:
    """An optional 1-based count (nth, level)."""
    if key not in item:
        return None
    value = item[key]
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if not ok or (maximum is not None and value > maximum):
        raise SeedError(path, f"{where}: key {key}", f"bad value {value!r}; allowed: {allowed[key]}")
    return value


def _text(path, where, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SeedError(path, f"key {where}", f"must be a non-empty string, got {value!r}")
    return value


def load_sidecar(seed_path: Path) -> Sidecar:
    path = sidecar_path(seed_path)
    if not path.exists():
        raise SeedError(
            path,
            None,
            f"missing sidecar for {seed_path.name}: every seed needs one with at least "
            "[source] slug and kind (see README, 'Adding a source')",
        )
    try:
        data = tomllib.loads(read_toml_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(path, None, f"malformed TOML: {exc}") from None
    return parse_sidecar(path, data)


def parse_sidecar(path: Path, data: dict) -> Sidecar:
    check_strings(path, "", data)  # no control characters anywhere (YAML front matter refuses them)
    for key in data:
        if key not in TOP_KEYS:
            _unknown(path, "", key, TOP_KEYS)
    source = data.get("source")
    if not isinstance(source, dict):
        raise SeedError(path, "table [source]", "missing: add [source] with slug and kind")
    meta = {}
    for key, value in source.items():
        where = f"source.{key}"
        if key not in SOURCE_KEYS:
            _unknown(path, "source.", key, SOURCE_KEYS)
        if key == "slug":
            if not isinstance(value, str) or not SLUG_RE.match(value):
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
            check_slug(path, value)
        elif key == "kind":
            if value not in SOURCE_KINDS:
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
        elif key in ("date", "published"):
            if isinstance(value, _dt.date):
                value = value.isoformat()
            if not isinstance(value, str) or not DATE_RE.match(value):
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
            check_date(path, f"key {where}", value)
        elif key == "status":
            if value not in SOURCE_STATUSES:
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
        elif key in ("max_bytes", "max_block_chars", "max_blocks"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
        elif key == "order":
            if not isinstance(value, int) or isinstance(value, bool):
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
        elif key in ("issue", "pages"):
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                value = str(value)
            _text(path, where, value)
        elif key == "url":
            if not isinstance(value, str) or not re.match(r"^https?://[^\s]+$", value):
                raise SeedError(path, f"key {where}", f"bad value {value!r}; allowed: {SOURCE_KEYS[key]}")
        elif key == "encoding":
            import codecs

            try:
                codecs.lookup(_text(path, where, value))
            except LookupError:
                raise SeedError(path, f"key {where}", f"unknown encoding {value!r}") from None
        else:
            _text(path, where, value)
        meta[key] = value
    for key in REQUIRED_SOURCE_KEYS:
        if key not in meta:
            raise SeedError(path, f"key source.{key}", f"missing; allowed: {SOURCE_KEYS[key]}")

    overrides = []
    for i, item in enumerate(_array(path, data, "override"), 1):
        where = f"override #{i}"
        _known_keys(path, where, item, OVERRIDE_KEYS)
        action = item.get("action")
        if action not in OVERRIDE_ACTIONS:
            raise SeedError(path, f"{where}: key action", f"bad value {action!r}; allowed: {OVERRIDE_KEYS['action']}")
        ov = Override(index=i, action=action, reason=item.get("reason", ""))
        for key, attr in (("at", "at"), ("from", "start"), ("to", "end")):
            if key in item:
                setattr(ov, attr, _text(path, f"{where}: {key}", item[key]))
        ov.nth = _positive_int(path, where, item, "nth", OVERRIDE_KEYS)
        ov.level = _positive_int(path, where, item, "level", OVERRIDE_KEYS, maximum=2)
        ranged = action in ("title", "figure", "colophon") or (action in KIND_ACTIONS and ov.at is None)
        if ranged and not (ov.start and ov.end):
            raise SeedError(path, where, f"action {action!r} needs `from` and `to` snippets")
        if not ranged and not ov.at:
            raise SeedError(path, where, f"action {action!r} needs an `at` snippet")
        if action == "furniture" and not ov.reason:
            raise SeedError(path, where, "a furniture override needs a `reason`")
        overrides.append(ov)

    corrections = []
    for i, item in enumerate(_array(path, data, "correction"), 1):
        where = f"correction #{i}"
        _known_keys(path, where, item, CORRECTION_KEYS)
        for key in ("find", "replace", "note"):
            if key not in item:
                raise SeedError(path, f"{where}: key {key}", f"missing; allowed: {CORRECTION_KEYS[key]}")
        find = _text(path, f"{where}: find", item["find"])
        replace = item["replace"]
        if not isinstance(replace, str):
            raise SeedError(path, f"{where}: key replace", "must be a string")
        if find == replace:
            raise SeedError(path, f"{where}: key replace", "is the same as `find`")
        nth = _positive_int(path, where, item, "nth", CORRECTION_KEYS)
        corrections.append(CorrectionSpec(i, find, replace, _text(path, f"{where}: note", item["note"]), nth))
    annotations = []
    for i, item in enumerate(_array(path, data, "annotation"), 1):
        where = f"annotation #{i}"
        _known_keys(path, where, item, ANNOTATION_KEYS)
        at = item.get("at")
        if not isinstance(at, str) or not re.match(r"^p\d+[a-z]*$", at):
            raise SeedError(path, f"{where}: key at", f"bad value {at!r}; allowed: {ANNOTATION_KEYS['at']}")
        kind = item.get("kind")
        if kind not in ANNOTATION_KINDS:
            raise SeedError(path, f"{where}: key kind", f"bad value {kind!r}; allowed: {ANNOTATION_KEYS['kind']}")
        spec = AnnotationSpec(i, at, kind, _text(path, f"{where}: text", item.get("text")))
        for key in ("phrase", "original", "target"):
            if key in item:
                setattr(spec, key, _text(path, f"{where}: {key}", item[key]))
        spec.nth = _positive_int(path, where, item, "nth", ANNOTATION_KEYS)
        if kind == "correction" and not (spec.phrase and spec.original):
            raise SeedError(path, where, "a correction needs `phrase` (the corrected text) and `original`")
        if kind == "xref" and not PARAGRAPH_REF.match(spec.target):
            raise SeedError(
                path, f"{where}: key target", f"bad value {spec.target!r}; allowed: {ANNOTATION_KEYS['target']}"
            )
        annotations.append(spec)
    reviewed = []
    for i, item in enumerate(_array(path, data, "reviewed"), 1):
        where = f"reviewed #{i}"
        _known_keys(path, where, item, REVIEWED_KEYS)
        spec = ReviewedSpec(i, _text(path, f"{where}: at", item.get("at")))
        spec.nth = _positive_int(path, where, item, "nth", REVIEWED_KEYS)
        if "note" in item:
            spec.note = _text(path, f"{where}: note", item["note"])
        reviewed.append(spec)
    return Sidecar(
        path=path, meta=meta, overrides=overrides, corrections=corrections, annotations=annotations, reviewed=reviewed
    )


def _array(path, data, key) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SeedError(path, f"key {key}", f"must be {TOP_KEYS[key]}")
    return value
