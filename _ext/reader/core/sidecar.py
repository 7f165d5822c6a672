"""The editorial sidecar beside each seed (``seeds/<name>.toml``): load and validate.

Everything editorial about a seed lives here, never in the raw file.  The schema
is small and explicit so that an unknown key or a bad value is an error naming
the file, the key and what is allowed.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, PlainValidator, WithJsonSchema, model_validator

from .errors import SeedError
from .inputs import check_strings, date_problem, read_toml_text, slug_problem
from .model import PARAGRAPH_REF
from .tomlschema import Text, TomlModel, invalid, non_empty_text, validate

SOURCE_KINDS = {
    "speech": "讲话",
    "excerpts": "论述摘编",
    "commentary": "理论文章",
    "booklet": "学习资料",
    "article": "背景文章",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

SOURCE_STATUSES = ("draft", "published")
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
ANNOTATION_KINDS = {
    "note": "an editorial note",
    "correction": "a corrected reading: `phrase` is the corrected text, `original` what was printed",
    "source": "the source, date or occasion of the paragraph",
    "xref": 'a cross-reference to another paragraph: `target` = "<slug>#p12"',
}
ANCHOR_PATTERN = r"^p\d+[a-z]*$"
URL_PATTERN = r"^https?://[^\s]+$"
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


# ---------------------------------------------------------------- the file's schema
# What an editor may write, declared once: the loader, its messages and the
# exported JSON Schema (schemas/sidecar.schema.json) all come from these models.


def _date_text(value):
    # TOML has date literals (date = 2024-01-31): the same as the quoted form.
    return value.isoformat() if isinstance(value, _dt.date) else value


def _text_or_number(value) -> str:
    # issue = 11 and issue = "11" are the same; the page and citations show text.
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        value = str(value)
    return non_empty_text(value)


def _real_date(value: str) -> str:
    problem = date_problem(value)
    if problem:
        raise invalid(problem)
    return value


def _free_slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise invalid(problem)
    return value


def _known_codec(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise invalid(f"unknown encoding {value!r}") from None
    return value


Count = Annotated[int, Field(ge=1)]  # an occurrence, a limit: 1, 2, 3…
DateText = Annotated[
    str,
    BeforeValidator(_date_text),
    Field(pattern=DATE_RE.pattern),
    AfterValidator(_real_date),
    WithJsonSchema({"type": "string", "pattern": DATE_RE.pattern}),
]
TextOrNumber = Annotated[
    str,
    PlainValidator(_text_or_number),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": "integer", "minimum": 1}]}),
]
NTH = "which occurrence of the snippet, when it occurs more than once (1-based)"


class SourceTable(TomlModel):
    """A table of source metadata: [source] with at least slug and kind."""

    slug: Annotated[str, Field(pattern=SLUG_RE.pattern), AfterValidator(_free_slug)] = Field(
        description="lowercase ASCII words joined by hyphens (the page URL: source/<slug>.html)"
    )
    author: Text = Field(None, description="text")
    date: DateText = Field(None, description="a date YYYY, YYYY-MM or YYYY-MM-DD")
    date_note: Text = Field(None, description="text")
    kind: Literal[tuple(SOURCE_KINDS)] = Field(description="one of " + ", ".join(SOURCE_KINDS))
    origin: Text = Field(None, description="text (where the text was published)")
    occasion: Text = Field(None, description="text")
    title: Text = Field(
        None,
        description="text (the title for the page and citations; replaces a printed title, which stays in the record)",
    )
    short_title: Text = Field(None, description="text (a short name for margins and running heads, e.g. 摘编)")
    encoding: Annotated[Text, AfterValidator(_known_codec)] = Field(
        None, description='a Python codec name, e.g. "gb18030"'
    )
    order: int = Field(None, description="an integer (order on the landing page among sources of the same date)")
    summary: Text = Field(None, description="text (one sentence for the landing page card)")
    status: Literal[SOURCE_STATUSES] = Field(
        None,
        description="draft (the default: provisional paragraph numbers, no lock) or published (numbers locked forever)",
    )
    max_bytes: Count = Field(
        None, description="a positive integer: the largest seed file accepted, in bytes (default 4000000)"
    )
    max_block_chars: Count = Field(
        None, description="a positive integer: the longest block accepted, in characters (default 20000)"
    )
    max_blocks: Count = Field(
        None, description="a positive integer: the most blocks (paragraphs, headings…) accepted (default 10000)"
    )
    # Where the text was published, each in its own field so that a citation puts
    # it in its right place (issue 19): `date` is the date of the speech or event.
    journal: Text = Field(
        None, description="text (the periodical, newspaper or website the text appeared in, e.g. 求是)"
    )
    published: DateText = Field(None, description="a date YYYY, YYYY-MM or YYYY-MM-DD (when that publication appeared)")
    issue: TextOrNumber = Field(
        None, description='text or an integer (the issue within the year, e.g. 11 for 2024年第11期; "NO.106")'
    )
    pages: TextOrNumber = Field(
        None, description='text or an integer (page or page range in the publication, e.g. "4-9")'
    )
    publisher: Text = Field(None, description="text (the publisher, e.g. 求是杂志社)")
    url: str = Field(None, pattern=URL_PATTERN, description="an http(s) URL of the original")


class OverrideEntry(TomlModel):
    """An [[override]]: a segmentation decision, anchored on snippets of the text."""

    action: Literal[tuple(OVERRIDE_ACTIONS)] = Field(description="one of " + ", ".join(OVERRIDE_ACTIONS))
    at: Text = Field(None, description="a snippet of the text, unique in the seed")
    start: Text = Field(None, alias="from", description="a snippet in the first line of the range")
    end: Text = Field(None, alias="to", description="a snippet in the last line of the range")
    nth: Count = Field(None, description=NTH)
    level: Annotated[int, Field(ge=1, le=2)] = Field(None, description="heading level 1 or 2")
    reason: str = Field("", description="text: why (shown in the editorial record)")

    @model_validator(mode="after")
    def _snippets(self):
        action = self.action
        ranged = action in ("title", "figure", "colophon") or (action in KIND_ACTIONS and self.at is None)
        if ranged and not (self.start and self.end):
            raise invalid(f"action {action!r} needs `from` and `to` snippets")
        if not ranged and not self.at:
            raise invalid(f"action {action!r} needs an `at` snippet")
        if action == "furniture" and not self.reason:
            raise invalid("a furniture override needs a `reason`")
        return self


class CorrectionEntry(TomlModel):
    """A [[correction]]: the text as ingested, corrected, with the reason shown to readers."""

    find: Text = Field(description="the text as ingested (a snippet, unique in the seed)")
    replace: str = Field(description="the corrected text")
    note: Text = Field(description="text: why (shown to readers)")
    nth: Count = Field(None, description="which occurrence of `find`, when it occurs more than once (1-based)")

    @model_validator(mode="after")
    def _changes_something(self):
        if self.find == self.replace:
            raise invalid("is the same as `find`", "replace")
        return self


class AnnotationEntry(TomlModel):
    """An [[annotation]]: a margin note on a paragraph."""

    at: str = Field(pattern=ANCHOR_PATTERN, description='the paragraph anchor, e.g. "p12"')
    kind: Literal[tuple(ANNOTATION_KINDS)] = Field(description="one of " + ", ".join(ANNOTATION_KINDS))
    text: Text = Field(description="the annotation")
    phrase: Text = Field("", description="an exact phrase inside the paragraph, marked in the text (optional)")
    nth: Count = Field(None, description="which occurrence of `phrase` (1-based), when it occurs more than once")
    original: Text = Field("", description='for kind = "correction": the original reading')
    target: Text = Field("", description='for kind = "xref": <slug>#p12')

    @model_validator(mode="after")
    def _kind_needs(self):
        if self.kind == "correction" and not (self.phrase and self.original):
            raise invalid("a correction needs `phrase` (the corrected text) and `original`")
        if self.kind == "xref" and not PARAGRAPH_REF.fullmatch(self.target):
            raise invalid(f"bad value {self.target!r}; allowed: <slug>#p12 (another paragraph)", "target")
        return self


class ReviewedEntry(TomlModel):
    """A [[reviewed]]: an uncertain segmentation decision an editor checked (`make check`)."""

    at: Text = Field(description="a snippet of the line the decision is about (see `make check`)")
    nth: Count = Field(None, description=NTH)
    note: Text = Field("", description="text: what the editor checked (optional)")


class SidecarFile(TomlModel):
    """The editorial sidecar of a seed (seeds/<name>.toml): everything editorial about it."""

    source: SourceTable = Field(description="a table of source metadata")
    override: list[OverrideEntry] = Field([], description="an array of tables [[override]]")
    correction: list[CorrectionEntry] = Field([], description="an array of tables [[correction]]")
    annotation: list[AnnotationEntry] = Field([], description="an array of tables [[annotation]]")
    reviewed: list[ReviewedEntry] = Field(
        [], description="an array of tables [[reviewed]] (uncertain decisions an editor checked)"
    )


# ---------------------------------------------------------------- loading


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
    if not isinstance(data.get("source"), dict):
        raise SeedError(path, "table [source]", "missing: add [source] with slug and kind")
    model = validate(path, SidecarFile, data)
    source = model.source
    # The keys as written, in the file's order (the page's front matter follows it).
    meta = {key: getattr(source, key) for key in data["source"]}
    return Sidecar(
        path=path,
        meta=meta,
        overrides=[
            Override(i, o.action, o.at, o.start, o.end, o.nth, o.level, o.reason)
            for i, o in enumerate(model.override, 1)
        ],
        corrections=[CorrectionSpec(i, c.find, c.replace, c.note, c.nth) for i, c in enumerate(model.correction, 1)],
        annotations=[
            AnnotationSpec(i, a.at, a.kind, a.text, a.phrase, a.nth, a.original, a.target)
            for i, a in enumerate(model.annotation, 1)
        ],
        reviewed=[ReviewedSpec(i, r.at, r.nth, r.note) for i, r in enumerate(model.reviewed, 1)],
    )
