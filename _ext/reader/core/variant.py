"""Traditional-Chinese conversion with translator overrides, and the review of every
ambiguous conversion (pure Python; OpenCC does the conversion).

Overrides (``variant/overrides.toml``) win over OpenCC: the text is cut at every
override match (leftmost-longest, one pass), the matched spans take the
translator's form and are never handed to OpenCC (which would convert 了 in
指明了 again), the rest is converted by OpenCC.  s2tw, s2t and s2hk map code
point to code point, so converted text aligns with the source character by
character; overrides must keep that length.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, model_validator

from .errors import SeedError
from .glossary import Entry, Matcher
from .inputs import read_toml_text
from .tomlschema import Text, TomlModel, first_repeat, invalid, validate

CONFIGS = {
    "s2tw": "Taiwan standard characters (default)",
    "s2hk": "Hong Kong standard characters",
    "s2t": "OpenCC's own traditional forms (not a regional standard)",
}
# Taiwan quotation marks (教育部《重訂標點符號手冊》): “ ” → 「 」, ‘ ’ → 『 』 (nesting kept).
QUOTES = {"tw": str.maketrans("“”‘’", "「」『』"), "keep": None}


@dataclass
class Phrase:
    simplified: str
    traditional: str
    note: str = ""
    origin: str = "override"  # override | style | paragraph (a translator's paragraph from the .po)


@dataclass
class Checked:
    char: str
    context: str
    note: str = ""


@dataclass
class OverrideTable:
    path: Path | None = None
    phrases: list[Phrase] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)


class PhraseEntry(TomlModel):
    """A [[phrase]]: a simplified phrase and its traditional form, applied before OpenCC."""

    simplified: Text = Field(description="the simplified phrase")
    traditional: Text = Field(description="its traditional form (as many characters as `simplified`)")
    note: str = Field("", description="why")

    @model_validator(mode="after")
    def _same_length(self):
        if len(self.simplified) != len(self.traditional):
            raise invalid(
                f"{self.traditional!r} must have as many characters as {self.simplified!r} "
                "(conversion is character by character)",
                "traditional",
            )
        return self


class CheckedEntry(TomlModel):
    """A [[checked]]: an occurrence of an ambiguous character a reviewer has checked."""

    char: Text = Field(description="the ambiguous simplified character")
    context: Text = Field(description="a simplified snippet containing it (whitespace ignored)")
    note: str = Field("", description="what was decided")

    @model_validator(mode="after")
    def _char_in_context(self):
        if len(self.char) != 1 or self.char not in self.context:
            raise invalid("must contain `char`, a single character", "context")
        return self


class OverridesFile(TomlModel):
    """Translator overrides for the traditional variant (variant/overrides.toml)."""

    phrase: list[PhraseEntry] = Field([], description="an array of tables [[phrase]]: overrides that win over OpenCC")
    checked: list[CheckedEntry] = Field([], description="an array of tables [[checked]]: reviewed occurrences")

    @model_validator(mode="after")
    def _unique_phrases(self):
        repeat = first_repeat(phrase.simplified for phrase in self.phrase)
        if repeat:
            i, first = repeat
            simplified = self.phrase[i].simplified
            raise invalid(f"{simplified!r} is already phrase #{first + 1}", "phrase", i, "simplified")
        return self


class StyleEntry(TomlModel):
    """A [[style]]: a word whose Taiwan form the house style fixes."""

    simplified: Text = Field(description="the simplified word")
    traditional: Text = Field(description="its form in the house style")
    opencc: str = Field("", description="what OpenCC writes")
    note: str = Field("", description="why")

    @model_validator(mode="after")
    def _same_length(self):
        if len(self.simplified) != len(self.traditional):
            raise invalid("must have as many characters as `simplified`", "traditional")
        return self


class StyleFile(TomlModel):
    """The house style of the traditional variant (variant/house-style.toml)."""

    style: list[StyleEntry] = Field([], description="an array of tables [[style]]")


def _read(path: Path, model: type[TomlModel]):
    try:
        data = tomllib.loads(read_toml_text(path))  # not UTF-8: an error naming the byte
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(path, None, f"malformed TOML: {exc}") from None
    return validate(path, model, data)


def load_overrides(path: Path) -> OverrideTable:
    if not path.exists():
        return OverrideTable(path)
    model = _read(path, OverridesFile)
    return OverrideTable(
        path,
        [Phrase(p.simplified, p.traditional, p.note) for p in model.phrase],
        [Checked(c.char, "".join(c.context.split()), c.note) for c in model.checked],
    )


def load_style(path: Path) -> list[Phrase]:
    """The house-style table (``variant/house-style.toml``)."""
    if not path.exists():
        return []
    return [Phrase(s.simplified, s.traditional, s.note, "style") for s in _read(path, StyleFile).style]


class Converter:
    """Simplified → traditional, overrides first."""

    def __init__(
        self,
        config: str = "s2tw",
        table: OverrideTable | None = None,
        by_words: bool = False,
        style: list[Phrase] = (),
        quotes: str = "keep",
        paragraphs: list[Phrase] = (),
    ):
        import opencc

        if config not in CONFIGS:
            raise ValueError(f"unknown OpenCC config {config!r}; allowed: {', '.join(CONFIGS)}")
        self.config = config
        self.table = table or OverrideTable()
        self._cc = opencc.OpenCC(config)
        # by_words: convert one jieba word at a time, so that no OpenCC phrase
        # matches across a word boundary (see variant_risk; measured in README).
        self.by_words = by_words
        if quotes not in QUOTES:
            raise ValueError(f"unknown quotation style {quotes!r}; allowed: {', '.join(QUOTES)}")
        self._quotes = QUOTES[quotes]
        # Precedence for the same simplified text: a translator's paragraph, an
        # override, the house style.  Different texts: leftmost-longest.
        phrases: dict[str, Phrase] = {}
        for phrase in [*style, *self.table.phrases, *paragraphs]:
            phrases[phrase.simplified] = phrase
        self.phrases = list(phrases.values())
        self._by_id = {f"o{i}": p for i, p in enumerate(self.phrases)}
        entries = [Entry(k, p.simplified, "") for k, p in self._by_id.items()]
        self._matcher = Matcher(entries) if entries else None

    def spans(self, text: str) -> list[tuple[int, int, Phrase]]:
        if not self._matcher:
            return []
        return [(s, e, self._by_id[k]) for s, e, k in self._matcher.find_all(text)]

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one converter per build, texts repeat (titles, nav)
    def convert(self, text: str) -> str:
        if not text:
            return text
        out, pos = [], 0
        for start, end, phrase in self.spans(text):
            if start > pos:
                out.append(self.machine(text[pos:start]))
            out.append(phrase.traditional)
            pos = end
        if pos < len(text):
            out.append(self.machine(text[pos:]))
        result = "".join(out)
        return result.translate(self._quotes) if self._quotes else result

    def opencc(self, text: str) -> str:
        """Plain OpenCC, no overrides."""
        return self._cc.convert(text)

    def machine(self, text: str) -> str:
        """The machine conversion of text no override covers."""
        if self.by_words and len(text) > 1:
            from .variant_risk import word_by_word

            converted = word_by_word(text, self._cc.convert)
            if len(converted) == len(text):
                return converted
        return self._cc.convert(text)


def with_translations(make, paragraphs) -> Converter:
    """``make(paragraphs)`` builds a converter; the translators' paragraphs apply only
    where they differ from the machine (one that says what OpenCC says is no override)."""
    machine = make(())
    own = [p for p in paragraphs if p.traditional != machine.convert(p.simplified)]
    return make(own) if own else machine


def opencc_dir() -> Path:
    import opencc

    return Path(opencc.__file__).parent


@functools.lru_cache(maxsize=8)
def dump_table(name: str) -> dict[str, list[str]]:
    """An installed OpenCC ``.ocd2`` table as {key: candidates} (first = default),
    read once per process with the wheel's own ``opencc_dict`` tool."""
    base = opencc_dir()
    tool = base / "clib" / "bin" / "opencc_dict"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "table.txt"
        env = dict(os.environ)
        env["LD_LIBRARY_PATH"] = f"{base / 'clib' / 'lib64'}:{env.get('LD_LIBRARY_PATH', '')}"
        subprocess.run(
            [str(tool), "-i", str(base / "clib" / "share" / "opencc" / name), "-o", str(out)]
            + ["-f", "ocd2", "-t", "text"],
            check=True,
            capture_output=True,
            env=env,
        )
        table = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            table[key] = values.split()
    return table


@functools.lru_cache(maxsize=1)
def ambiguous_characters() -> dict[str, list[str]]:
    """Simplified characters that OpenCC's own STCharacters table maps to more than
    one traditional character (read from the installed OpenCC, first = default)."""
    return {k: v for k, v in dump_table("STCharacters.ocd2").items() if len(k) == 1 and len(v) > 1}


@dataclass
class ReviewRow:
    char: str
    chosen: str
    alternatives: list[str]
    before: str
    after: str
    slug: str
    anchor: str
    label: str  # where, for people: 《title》第N段
    by_override: bool
    checked: bool
    decided_by: str = ""  # override, style, paragraph (a translator's), or "" (OpenCC)
    risk: str = ""  # "suspect": OpenCC's phrase crosses a word boundary here (variant_risk)
    suggestion: str = ""  # the form the words give
    override: tuple[str, str] | None = None  # a ready [[phrase]] for the override file

    @property
    def decision(self) -> str:
        """Who decided the form: override, style, paragraph, checked or opencc."""
        return self.decided_by or ("checked" if self.checked else "opencc")

    @property
    def override_line(self) -> str:
        if not self.override:
            return ""
        simplified, traditional = self.override
        return f'[[phrase]] simplified = "{simplified}" traditional = "{traditional}"'


def review_texts(docs):
    """(slug, anchor, label, text) of everything the review covers, in reading order."""
    for doc in docs:
        for block in doc.blocks:
            if block.id:
                where = f"第{block.number}段" if block.citable else "标题"
                yield doc.slug, block.id, f"《{doc.title}》{where}", block.text


def review(docs, converter: Converter, width: int = 8, extra=()) -> list[ReviewRow]:
    """Every occurrence of an ambiguous character in the citable text and headings
    (and in ``extra``: the editors' own texts, as (slug, anchor, label, text)),
    with the suspect ones (``variant_risk``) marked."""
    from .variant_risk import risks

    ambiguous = ambiguous_characters()
    rows = []
    checked = converter.table.checked
    for slug, anchor, label, text in [*review_texts(docs), *extra]:
        converted = converter.convert(text)
        covered: dict[int, str] = {}
        for start, end, phrase in converter.spans(text):
            covered.update(dict.fromkeys(range(start, end), phrase.origin))
        suspects = {r.index: r for r in risks(text, converter.opencc, ambiguous) if r.index not in covered}
        for i, ch in enumerate(text):
            if ch not in ambiguous:
                continue
            before = text[max(0, i - width) : i].replace("\n", " ")
            after = text[i + 1 : i + 1 + width].replace("\n", " ")
            flat = "".join((before + ch + after).split())
            suspect = suspects.get(i)
            rows.append(
                ReviewRow(
                    char=ch,
                    chosen=converted[i] if len(converted) == len(text) else "?",
                    alternatives=ambiguous[ch],
                    before=before,
                    after=after,
                    slug=slug,
                    anchor=anchor,
                    label=label,
                    by_override=covered.get(i) in ("override", "paragraph"),
                    decided_by=covered.get(i, ""),
                    checked=any(c.char == ch and c.context in flat for c in checked),
                    risk="suspect" if suspect else "",
                    suggestion=suspect.suggestion if suspect else "",
                    override=suspect.override(text, converter.opencc(text)) if suspect else None,
                )
            )
    return rows


def unused_phrases(docs, table: OverrideTable, extra=()) -> list[Phrase]:
    """Override phrases that occur nowhere in the sources nor in ``extra`` (the
    editors' texts as given by ``editor_texts``; reported to the translator)."""
    texts = [b.text for d in docs for b in d.blocks] + [item[-1] for item in extra]
    return [p for p in table.phrases if not any(p.simplified in t for t in texts)]


def editor_texts(coll, pages_dir: str = "source"):
    """The editors' own texts as (slug, anchor, label, text): annotations, correction
    notes, glossary terms and definitions; reviewed like the sources."""
    for doc in coll.docs:
        for block in doc.blocks:
            for corr in block.corrections:
                if corr.note:
                    yield doc.slug, block.id, f"《{doc.title}》第{block.number}段校注", corr.note
        for anchor, items in doc.annotations.items():
            number = next((b.number for b in doc.blocks if b.id == anchor), anchor)
            for item in items:
                text = item.get("text", "")
                if text:
                    yield doc.slug, anchor, f"《{doc.title}》第{number}段旁注", text
        if doc.meta.get("summary"):
            yield doc.slug, "", f"《{doc.title}》简介", doc.meta["summary"]
    for entry in coll.glossary:
        yield "glossary", f"term-{entry.id}", f"术语表：{entry.term}", f"{entry.term}：{entry.definition}"
    # The editors' prose of the landing page and of the generated pages' introductions.
    pages = [(coll.root / "index.md", "", "首页")]
    pages += [
        (coll.pages_dir / f"{name}.md", name, label)
        for name, label in (("glossary", "术语表说明"), ("parallels", "平行文本说明"))
    ]
    for path, slug, label in pages:
        if path.is_file():
            prose = _prose(path.read_text(encoding="utf-8"))
            if prose:
                yield slug, "", label, prose


def _prose(markdown: str) -> str:
    """The plain lines of a MyST page before its first directive (no front matter,
    comments, targets, fences)."""
    lines, front = [], markdown.startswith("---")
    for n, line in enumerate(markdown.splitlines()):
        if front:
            front = not (n and line.strip() == "---")
            continue
        if line.startswith(("```", ":::")):
            break
        if line.strip() and not line.startswith(("%", "(", "<")):
            lines.append(line.lstrip("# ").strip())
    return "\n".join(lines)
