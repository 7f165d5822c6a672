"""Glossary entries and a matcher built for Chinese (pure Python).

Chinese has no word boundaries, so the matcher finds every entry form in one
pass over the text (Aho–Corasick: linear in the text, whatever the number of
terms) and keeps the leftmost-longest matches: 新质生产力 wins over 生产力, and a
term inside a longer one is not matched separately.  Matches never cross a
block (the caller matches one paragraph at a time).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, model_validator

from .errors import SeedError
from .inputs import check_strings, read_toml_text
from .model import PARAGRAPH_REF
from .tomlschema import Text, TomlModel, first_repeat, invalid, validate

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class TermEntry(TomlModel):
    """A [[term]]: one glossary entry."""

    id: str = Field(pattern=ID_RE.pattern, description="stable ASCII id (toneless pinyin joined by hyphens)")
    term: Text = Field(description="the term as written")
    variants: list[Text] = Field([], description="a list of other written forms that link to this entry")
    pinyin: str = Field("", description="pinyin with tone marks (generated when absent)")
    english: str = Field("", description='the rendering used in official English translations, or ""')
    definition: Text = Field(description="a short definition in Chinese")
    defined_in: str = Field(
        "",
        pattern=f"^$|{PARAGRAPH_REF.pattern}",
        description='the paragraph that defines or first states the term: <slug>#p<N>, or ""',
    )


class GlossaryFile(TomlModel):
    """The glossary (glossary/terms.toml): one [[term]] per entry."""

    term: list[TermEntry] = Field([], description="an array of tables [[term]], one per entry")

    @model_validator(mode="after")
    def _unique_ids(self):
        repeat = first_repeat(entry.id for entry in self.term)
        if repeat:
            i, first = repeat
            raise invalid(f"duplicate id {self.term[i].id!r} (also term #{first + 1})", "term", i, "id")
        return self


@dataclass
class Entry:
    id: str
    term: str
    definition: str
    variants: list[str] = field(default_factory=list)
    pinyin: str = ""
    english: str = ""
    defined_in: str = ""

    @property
    def forms(self) -> list[str]:
        return [self.term, *self.variants]


def load_glossary(path: Path) -> list[Entry]:
    try:
        data = tomllib.loads(read_toml_text(path))
    except FileNotFoundError:
        return []
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(path, None, f"malformed TOML: {exc}") from None
    check_strings(path, "", data)
    model = validate(path, GlossaryFile, data)
    return [
        Entry(
            id=item.id,
            term=item.term,
            definition=item.definition.strip(),
            variants=list(item.variants),
            pinyin=item.pinyin or generate_pinyin(item.term),
            english=item.english,
            defined_in=item.defined_in,
        )
        for item in model.term
    ]


def generate_pinyin(term: str) -> str:
    """Pinyin with tone marks, from pypinyin's phrase dictionary."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(term, style=Style.TONE, errors="default"))


@dataclass(frozen=True)
class Collision:
    """A form that belongs to more than one entry (a warning, at the form's line)."""

    form: str
    entry: str  # the later entry's id
    owner: str  # the id of the entry that has the form first

    @property
    def message(self) -> str:
        return f"form {self.form!r} of entry {self.entry!r} is also a form of entry {self.owner!r}"


def collisions(entries: list[Entry]) -> list[Collision]:
    """Forms that belong to more than one entry (each is a warning)."""
    owner: dict[str, str] = {}
    out = []
    for entry in entries:
        for form in entry.forms:
            if form in owner and owner[form] != entry.id:
                out.append(Collision(form, entry.id, owner[form]))
            owner.setdefault(form, entry.id)
    return out


class Matcher:
    """Every form of every entry, found leftmost-longest and without overlaps.

    One regular expression shaped as the forms' trie: at a position the engine
    follows the one branch the next character opens, and a form's optional
    continuation is tried before the form itself, so the match at a position is
    the longest form starting there; ``finditer`` then takes the leftmost and
    goes on after it.  A form shared by several entries belongs to the first.
    (It was an Aho–Corasick automaton stepped character by character in
    Python: a twentieth of reading a page, issue 18.)"""

    def __init__(self, entries: list[Entry]):
        self.owner: dict[str, str] = {}
        for entry in entries:
            for form in entry.forms:
                if form:  # an empty form matches nothing
                    self.owner.setdefault(form, entry.id)
        self.pattern = longest_first_pattern(self.owner) if self.owner else None

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping matches: (start, end, entry id)."""
        if self.pattern is None:
            return []
        owner = self.owner
        return [(m.start(), m.end(), owner[m.group()]) for m in self.pattern.finditer(text)]


def longest_first_pattern(forms) -> re.Pattern:
    """The trie's pattern, or, for forms nested in one another some thousand
    deep (the regular-expression parser recurses once per level), the forms as
    alternatives, longest first: the same matches, tried one by one."""
    try:
        return re.compile(trie_pattern(forms))
    except RecursionError:
        return re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))


def trie_pattern(forms) -> str:
    """A regular expression matching the longest of ``forms`` (non-empty) at a position.

    Built without recursion, and a run of characters that neither branches nor
    ends a form is one literal: a translator's paragraph (the converter's
    phrases) is a form of a thousand characters."""
    end = ""  # the key marking a form's end (no character is empty)
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[end] = {}

    def edges(node: dict) -> list[tuple[str, dict]]:
        """(literal, the node it leads to) for each branch out of ``node``."""
        out = []
        for ch, child in sorted(node.items()):
            if ch == end:
                continue
            literal = [ch]
            while len(child) == 1 and end not in child:
                ((ch, child),) = child.items()
                literal.append(ch)
            out.append((re.escape("".join(literal)), child))
        return out

    # Post-order over the compressed trie: a node's pattern once its children's are made.
    made: dict[int, str] = {}
    stack: list[tuple[dict, list | None]] = [(trie, None)]
    while stack:
        node, branches = stack.pop()
        if branches is None:
            branches = edges(node)
            stack.append((node, branches))
            stack.extend((child, None) for _literal, child in branches)
            continue
        alternatives = [literal + made.pop(id(child)) for literal, child in branches]
        body = (
            ""
            if not alternatives
            else alternatives[0]
            if len(alternatives) == 1
            else "(?:" + "|".join(alternatives) + ")"
        )
        made[id(node)] = f"(?:{body})?" if body and end in node else body
    return made[id(trie)]


def link_positions(matches: list[tuple[int, int, str]], policy: str = "first") -> list[tuple[int, int, str]]:
    """Which matches of one paragraph become links: 'first' per entry, 'all', or 'none'."""
    if policy == "none":
        return []
    if policy == "all":
        return matches
    seen, out = set(), []
    for match in matches:
        if match[2] not in seen:
            seen.add(match[2])
            out.append(match)
    return out
