"""The TOML files people edit (sidecars, glossary, overrides, house style): one
declarative validator (core/tomlschema.py) and the JSON Schema exported for editors.

Invariants, checked on generated documents (Hypothesis) as well as listed ones:
- a valid document loads, and the exported JSON Schema accepts it (an editor
  never shows an error the build would not make);
- a document with an unknown key, a missing required key or a value of a type
  no key allows is refused with the project's ``SeedError``, naming the file and
  the place (never a raw pydantic/Key/Type error), and the JSON Schema refuses
  it too;
- the committed ``schemas/*.schema.json`` are what ``make schemas`` writes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.cli import main as cli_main
from reader.core.errors import SeedError
from reader.core.glossary import load_glossary
from reader.core.inputs import RESERVED_SLUGS
from reader.core.sidecar import ANNOTATION_KINDS, KIND_ACTIONS, OVERRIDE_ACTIONS, SOURCE_KINDS, load_sidecar
from reader.core.tomlschema import schema_texts
from reader.core.variant import load_overrides, load_style

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# ---------------------------------------------------------------- TOML writer (inline tables: one line a key)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # A JSON string is a TOML basic string, except that TOML also escapes DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_document(data: dict) -> str:
    return "".join(f"{toml_value(key)} = {toml_value(value)}\n" for key, value in data.items())


# ---------------------------------------------------------------- a JSON Schema checker (the subset pydantic writes)


def schema_errors(schema: dict, value, node: dict | None = None, where: str = "") -> list[str]:
    """Independent of pydantic: what an editor's JSON Schema validator would say
    (TOML dates are strings to it, as in taplo)."""
    node = schema if node is None else node
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if isinstance(value, dt.date):
        value = value.isoformat()
    if "anyOf" in node:
        options = [schema_errors(schema, value, option, where) for option in node["anyOf"]]
        return [] if any(not o for o in options) else [f"{where}: no option of anyOf"]
    kind = node.get("type")
    python = {"string": str, "integer": int, "object": dict, "array": list}
    if kind and (not isinstance(value, python[kind]) or (kind == "integer" and isinstance(value, bool))):
        return [f"{where}: not {kind}"]
    out = []
    if "enum" in node and value not in node["enum"]:
        out.append(f"{where}: not in enum")
    if "pattern" in node and not re.search(node["pattern"], value):
        out.append(f"{where}: pattern")
    if "minimum" in node and value < node["minimum"]:
        out.append(f"{where}: minimum")
    if "maximum" in node and value > node["maximum"]:
        out.append(f"{where}: maximum")
    if kind == "object":
        props = node.get("properties", {})
        out += [f"{where}.{k}: required" for k in node.get("required", []) if k not in value]
        if node.get("additionalProperties") is False:
            out += [f"{where}.{k}: additional" for k in value if k not in props]
        for key, item in value.items():
            if key in props:
                out += schema_errors(schema, item, props[key], f"{where}.{key}")
    if kind == "array":
        for i, item in enumerate(value):
            out += schema_errors(schema, item, node.get("items", {}), f"{where}[{i}]")
    return out


# ---------------------------------------------------------------- valid documents

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(str.strip)
count = st.integers(1, 50)
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True).filter(lambda s: s not in RESERVED_SLUGS)
anchor = st.from_regex(r"p[1-9][0-9]{0,2}[a-z]?", fullmatch=True)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
date_value = st.one_of(
    dates,
    dates.map(lambda d: d.isoformat()),
    dates.map(lambda d: d.isoformat()[:7]),
    dates.map(lambda d: d.isoformat()[:4]),
)


def optional(**strategies):
    """A table with any subset of these keys."""
    return st.fixed_dictionaries({}, optional=strategies)


source_table = st.builds(
    lambda required, extra: {**required, **extra},
    st.fixed_dictionaries({"slug": slug, "kind": st.sampled_from(sorted(SOURCE_KINDS))}),
    optional(
        author=text,
        date=date_value,
        date_note=text,
        origin=text,
        occasion=text,
        title=text,
        short_title=text,
        encoding=st.sampled_from(["utf-8", "gb18030", "gbk", "big5"]),
        order=st.integers(-5, 50),
        summary=text,
        status=st.sampled_from(["draft", "published"]),
        max_bytes=count,
        max_block_chars=count,
        max_blocks=count,
        journal=text,
        published=date_value,
        issue=st.one_of(count, text),
        pages=st.one_of(count, text),
        publisher=text,
        url=st.from_regex(r"https?://[a-z]{1,8}\.org/[a-z0-9]{0,6}", fullmatch=True),
    ),
)


@st.composite
def override_entry(draw):
    action = draw(st.sampled_from(sorted(OVERRIDE_ACTIONS)))
    entry = {"action": action}
    ranged = action in ("title", "figure", "colophon") or (action in KIND_ACTIONS and draw(st.booleans()))
    if ranged:
        entry.update({"from": draw(text), "to": draw(text)})
    else:
        entry["at"] = draw(text)
    entry.update(draw(optional(nth=count, level=st.integers(1, 2), reason=text)))
    if action == "furniture":
        entry["reason"] = draw(text)
    return entry


@st.composite
def correction_entry(draw):
    find = draw(text)
    replace = draw(st.one_of(st.just(""), text).filter(lambda r: r != find))
    return {"find": find, "replace": replace, "note": draw(text), **draw(optional(nth=count))}


@st.composite
def annotation_entry(draw):
    kind = draw(st.sampled_from(sorted(ANNOTATION_KINDS)))
    entry = {"at": draw(anchor), "kind": kind, "text": draw(text), **draw(optional(phrase=text, nth=count))}
    if kind == "correction":
        entry.update({"phrase": draw(text), "original": draw(text)})
    if kind == "xref":
        entry["target"] = draw(slug) + "#" + draw(anchor)
    return entry


reviewed_entry = st.builds(lambda at, extra: {"at": at, **extra}, text, optional(nth=count, note=text))

sidecar_doc = st.builds(
    lambda source, arrays: {"source": source, **arrays},
    source_table,
    optional(
        override=st.lists(override_entry(), max_size=3),
        correction=st.lists(correction_entry(), max_size=3),
        annotation=st.lists(annotation_entry(), max_size=3),
        reviewed=st.lists(reviewed_entry, max_size=3),
    ),
)

term_entry = st.builds(
    lambda required, extra: {**required, **extra},
    st.fixed_dictionaries({"id": slug, "term": text, "definition": text, "pinyin": text}),
    optional(
        variants=st.lists(text, max_size=3),
        english=st.text(max_size=8).filter(lambda s: not re.search(r"[\x00-\x1f\x7f-\x9f]", s)),
        defined_in=st.one_of(st.just(""), st.builds(lambda s, a: f"{s}#{a}", slug, anchor)),
    ),
)
glossary_doc = optional(term=st.lists(term_entry, max_size=4, unique_by=lambda e: e["id"]))


@st.composite
def phrase_entry(draw):
    simplified = draw(text)
    traditional = draw(st.text(st.sampled_from("發展傳統製造"), min_size=len(simplified), max_size=len(simplified)))
    return {"simplified": simplified, "traditional": traditional, **draw(optional(note=text))}


@st.composite
def checked_entry(draw):
    char = draw(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")))
    return {"char": char, "context": draw(text) + char + draw(text), **draw(optional(note=text))}


overrides_doc = optional(
    phrase=st.lists(phrase_entry(), max_size=4, unique_by=lambda e: e["simplified"]),
    checked=st.lists(checked_entry(), max_size=3),
)
style_doc = optional(
    style=st.lists(phrase_entry().map(lambda e: {**e, "opencc": e["traditional"]}), max_size=3),
)


def load_sidecar_doc(tmp: Path, data: dict):
    seed = tmp / "x.txt"
    (tmp / "x.toml").write_text(toml_document(data), encoding="utf-8")
    return load_sidecar(seed)


def load_file(loader, name):
    def load(tmp: Path, data: dict):
        path = tmp / name
        path.write_text(toml_document(data), encoding="utf-8")
        return loader(path)

    return load


FILES = {
    # schema file: (valid documents, loader, the file the message must name)
    "sidecar.schema.json": (sidecar_doc, load_sidecar_doc, "x.toml"),
    "glossary.schema.json": (glossary_doc, load_file(load_glossary, "terms.toml"), "terms.toml"),
    "overrides.schema.json": (overrides_doc, load_file(load_overrides, "overrides.toml"), "overrides.toml"),
    "house-style.schema.json": (style_doc, load_file(load_style, "house-style.toml"), "house-style.toml"),
}


# ---------------------------------------------------------------- invalid documents: one sure mistake


def tables(data: dict, where=()):
    """Every table of the document with its path: (path, table)."""
    yield where, data
    for key, value in data.items():
        if isinstance(value, dict):
            yield from tables(value, (*where, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from tables(item, (*where, key, i))


# No key of any of the files takes a float, a boolean, or a table inside an entry.
NEVER_ALLOWED = st.one_of(st.floats(allow_nan=False), st.booleans(), st.just({"x": 1}))


@st.composite
def broken(draw, valid, schema):
    data = draw(valid)
    places = list(tables(data))
    where, table = draw(st.sampled_from(places))
    required = _required(schema, where)
    mistakes = ["unknown key"] + (["wrong type"] if table else []) + (["missing key"] if required else [])
    mistake = draw(st.sampled_from(mistakes))
    if mistake == "unknown key":
        key = draw(st.from_regex(r"[a-z_]{1,10}", fullmatch=True))
        assume(key not in _properties(schema, where))
        table[key] = draw(st.one_of(text, count))
    elif mistake == "wrong type":
        key = draw(st.sampled_from(sorted(table)))
        table[key] = draw(NEVER_ALLOWED)
    else:
        key = draw(st.sampled_from(required))
        del table[key]
    return data, mistake, where, key


def _node(schema: dict, where: tuple) -> dict:
    node = schema
    for part in where:
        if isinstance(part, int):
            node = node["items"]
        else:
            node = node["properties"][part]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _properties(schema, where) -> dict:
    return _node(schema, where).get("properties", {})


def _required(schema, where) -> list:
    return _node(schema, where).get("required", [])


def committed(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_valid_document_loads_and_the_schema_accepts_it(name, tmp_path):
    valid, load, _ = FILES[name]
    schema = committed(name)

    @PROPERTY
    @given(valid)
    def check(data):
        assert schema_errors(schema, data) == []
        load(tmp_path, data)

    check()


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_broken_document_is_refused_naming_the_file_and_the_place(name, tmp_path):
    valid, load, file = FILES[name]
    schema = committed(name)

    @PROPERTY
    @given(broken(valid, schema))
    def check(case):
        data, mistake, where, key = case
        assert schema_errors(schema, data), f"the JSON Schema accepts a document with a {mistake}"
        with pytest.raises(SeedError) as raised:
            load(tmp_path, data)
        error = raised.value
        assert error.path.endswith(file) and str(error).startswith(str(tmp_path / file))
        if where and isinstance(where[-1], int):
            assert error.where.startswith(f"{where[-2]} #{where[-1] + 1}"), error
        if key != "source" or mistake == "unknown key":  # a lost [source] is named as such
            assert key in str(error), error

    check()


def _all_keys(schema: dict) -> list[str]:
    nodes = [schema, *schema.get("$defs", {}).values()]
    return sorted({key for node in nodes for key in node.get("properties", {})})


def anything(schema: dict):
    """Any TOML document, its keys mostly the file's own (so the validator gets deep)."""
    key = st.one_of(st.sampled_from(_all_keys(schema)), st.text(max_size=6))
    scalar = st.one_of(text, st.text(max_size=4), st.integers(-3, 3), st.booleans(), st.floats(allow_nan=False), dates)
    return st.dictionaries(
        key,
        st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(key, inner, max_size=4)),
        max_size=5,
    )


@pytest.mark.parametrize("name", sorted(FILES))
def test_any_document_loads_or_is_refused_naming_the_file(name, tmp_path):
    """Never a raw pydantic ValidationError, KeyError or TypeError: a SeedError naming the file, or a load."""
    _, load, file = FILES[name]
    schema = committed(name)

    @PROPERTY
    @given(anything(schema))
    def check(data):
        try:
            load(tmp_path, data)
        except SeedError as error:
            assert str(error).startswith(str(tmp_path / file) + ": "), error
            assert error.message.strip()
        else:
            assert schema_errors(schema, data) == [], "the JSON Schema refuses a document the build accepts"

    check()


LISTED = [
    # (file, document, expected message)
    ("x.toml", {"source": {"slug": "x", "kind": "speech", "autor": "甲"}}, r"key source\.autor: unknown key; allowed: slug, author.*did you mean 'author'\?"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech"}, "overide": []}, r"key overide: unknown key; allowed: \[source\], \[\[override\]\].*did you mean 'override'"),
    ("x.toml", {"source": {"slug": "x", "kind": "speach"}}, r"key source\.kind: bad value 'speach'; allowed: one of speech, .*; did you mean 'speech'\?"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech"}, "override": [{"action": "brake", "at": "甲"}]}, r"override #1: key action: bad value 'brake'; allowed: one of break, join, .*; did you mean 'break'\?"),
    # Counter-examples: the hand-written checks' `$` matched before a final line break.
    ("x.toml", {"source": {"slug": "abc\n", "kind": "speech"}}, r"key source\.slug: bad value 'abc\\n'; allowed: lowercase ASCII"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech", "date": "2024\n"}}, r"key source\.date: bad value '2024\\n'; allowed: a date"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech"}, "annotation": [{"at": "p1", "kind": "xref", "text": "t", "target": "y#p2\n"}]}, r"annotation #1: key target: bad value 'y#p2\\n'"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech", "order": "3"}}, r"key source\.order: bad value '3'; allowed: an integer"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech", "max_bytes": 1.5}}, r"key source\.max_bytes: bad value 1\.5; allowed: a positive integer"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech"}, "override": {"action": "break"}}, r"key override: bad value .*allowed: an array of tables \[\[override\]\]"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech"}, "override": [{"action": "break", "at": "甲", "levle": 1}]}, r"override #1: key levle: unknown key.*did you mean 'level'"),
    ("x.toml", {"source": {"slug": "x", "kind": "speech"}, "correction": [{"find": "甲", "replace": "甲", "note": "n"}]}, r"correction #1: key replace: is the same as `find`"),
    ("x.toml", {"source": {"kind": "speech"}}, r"key source\.slug: missing; allowed: lowercase ASCII"),
    ("x.toml", {"override": []}, r"table \[source\]: missing: add \[source\] with slug and kind"),
    ("terms.toml", {"term": [{"id": "a", "term": "甲", "definition": "d"}, {"id": "a", "term": "乙", "definition": "d"}]}, r"term #2: key id: duplicate id 'a' \(also term #1\)"),
    ("terms.toml", {"term": [{"id": "a", "term": "甲", "definition": "d", "variants": ["乙", ""]}]}, r"term #1: key variants\[2\]: must be a non-empty string, got ''"),
    ("terms.toml", {"terms": []}, r"key terms: unknown key; allowed: \[\[term\]\]; did you mean 'term'"),
    ("overrides.toml", {"phrase": [{"simplified": "发展", "traditional": "發展"}, {"simplified": "发展", "traditional": "發展"}]}, r"phrase #2: key simplified: '发展' is already phrase #1"),
    ("overrides.toml", {"checked": [{"char": "干", "context": "乾杯"}]}, r"checked #1: key context: must contain `char`"),
    ("overrides.toml", {"phrase": [{"simplified": "发展", "traditional": "發展", "note": 3}]}, r"phrase #1: key note: bad value 3; allowed: why"),
]  # fmt: skip


@pytest.mark.parametrize("file, data, message", LISTED, ids=[m[:40] for _, _, m in LISTED])
def test_listed_mistakes(file, data, message, tmp_path):
    loaders = {
        "x.toml": load_sidecar_doc,
        "terms.toml": load_file(load_glossary, "terms.toml"),
        "overrides.toml": load_file(load_overrides, "overrides.toml"),
    }
    with pytest.raises(SeedError, match=rf"^{re.escape(str(tmp_path / file))}: {message}"):
        loaders[file](tmp_path, data)


def test_an_override_file_that_is_not_utf8_is_an_error_naming_the_byte(tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_bytes('[[phrase]]\nsimplified = "发展"\n'.encode("gb18030"))
    with pytest.raises(SeedError, match=r"overrides\.toml: byte \d+: not UTF-8"):
        load_overrides(path)


def test_every_problem_of_a_file_is_listed_one_a_line(tmp_path):
    data = {"source": {"slug": "x", "kind": "novel", "autor": "甲", "order": "1"}}
    with pytest.raises(SeedError) as raised:
        load_sidecar_doc(tmp_path, data)
    lines = str(raised.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["key source.autor", "key source.kind", "key source.order"]
    assert all(line.startswith(str(tmp_path / "x.toml")) for line in lines)


def test_a_long_bad_value_is_cut_in_the_message(tmp_path):
    with pytest.raises(SeedError, match=r"bad value '甲{50,}…; allowed") as raised:
        load_sidecar_doc(tmp_path, {"source": {"slug": "x", "kind": "speech", "order": "甲" * 500}})
    assert len(str(raised.value)) < 300


def test_the_real_files_match_their_schemas():
    import tomllib

    files = {
        "sidecar.schema.json": sorted((ROOT / "seeds").glob("*.toml")),
        "glossary.schema.json": [ROOT / "glossary" / "terms.toml"],
        "overrides.schema.json": [ROOT / "variant" / "overrides.toml"],
        "house-style.schema.json": [ROOT / "variant" / "house-style.toml"],
    }
    for name, paths in files.items():
        assert paths, name
        for path in paths:
            assert schema_errors(committed(name), tomllib.loads(path.read_text(encoding="utf-8"))) == [], path


def test_committed_schemas_are_up_to_date():
    expected = schema_texts()
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(expected)
    for name, text in expected.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, f"schemas/{name} is out of date: run make schemas"


def test_make_schemas_writes_them(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli_main(["schemas"]) == 0
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(schema_texts())
    assert "wrote schemas/sidecar.schema.json" in capsys.readouterr().out
    assert cli_main(["schemas"]) == 0  # nothing to do the second time
    assert capsys.readouterr().out == ""


def test_editors_find_the_schemas():
    """The taplo configuration (read by Even Better TOML) maps each file to its schema."""
    import tomllib

    config = tomllib.loads((ROOT / ".taplo.toml").read_text(encoding="utf-8"))
    mapped = {rule["schema"]["path"]: rule["include"] for rule in config["rule"]}
    assert mapped == {
        "schemas/sidecar.schema.json": ["seeds/*.toml"],
        "schemas/glossary.schema.json": ["glossary/terms.toml"],
        "schemas/overrides.schema.json": ["variant/overrides.toml"],
        "schemas/house-style.schema.json": ["variant/house-style.toml"],
    }
    for path in mapped:
        assert (ROOT / path).is_file()
