"""One declarative validator for every TOML file people edit (pydantic 2 models).

Each file is described by a model (``sidecar.SidecarFile``, ``glossary.GlossaryFile``,
``variant.OverridesFile``, ``variant.StyleFile``): the keys, their types and what
is allowed (the field ``description``, which is also what an editor shows from
the exported JSON Schema, ``make schemas``).  ``validate`` turns pydantic's
errors into the project's ``SeedError`` naming the file, the entry and key
(``override #2: key action``), what was found and what is allowed, so a raw
``ValidationError`` never reaches an editor.

Rules the JSON Schema cannot say (a real calendar date, a known codec, two keys
of an entry that must agree) are validators raising ``invalid(...)``: the same
message path, with the key they concern.

Why pydantic rather than hand-written dataclass validators: the schema, the
checks and the editor's JSON Schema come from one declaration (a dataclass
validator would need its own schema exporter).  Cost, measured in CPU time on
500 sidecars: validation 30 ms (the hand-written checks took 27 ms, reading and
parsing the TOML 175 ms); importing pydantic and building the models adds about
70 ms once per build.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError, WithJsonSchema
from pydantic_core import PydanticCustomError

from .errors import SeedError

# A value shown in a message is cut here: a whole paragraph pasted into the
# wrong key would bury the message.
SHOWN_CHARS = 60
# Further problems of one file listed after the first one (each on its own line).
MORE_SHOWN = 5


class TomlModel(BaseModel):
    """A table of a TOML file: unknown keys are errors, no silent coercion
    ("3" is not a number, 1 is not text)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False, frozen=True)


def invalid(message: str, *key: str | int) -> PydanticCustomError:
    """An error of a validator; ``key`` is the place inside the table being
    validated (``invalid("is the same as `find`", "replace")``)."""
    return PydanticCustomError("reader", "{message}", {"message": message, "key": key})


def first_repeat(values) -> tuple[int, int] | None:
    """(index, index of its first occurrence) of the first value seen before, or None:
    for validators of keys that must be unique in an array of tables."""
    seen: dict[Any, int] = {}
    for i, value in enumerate(values):
        if value in seen:
            return i, seen[value]
        seen[value] = i
    return None


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def non_empty_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"must be a non-empty string, got {shown(value)}")
    return value


# Text that must say something (a snippet, a note): not blank.
Text = Annotated[str, PlainValidator(non_empty_text), WithJsonSchema({"type": "string", "pattern": r"\S"})]


def validate(path: Path | str, model: type[TomlModel], data: dict) -> TomlModel:
    """``data`` (a parsed TOML document) checked against ``model``; a ``SeedError``
    naming the file and the first problem (the next ones on further lines)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _seed_error(path, model, exc) from None


def _seed_error(path, model: type[TomlModel], exc: ValidationError) -> SeedError:
    # An unknown key first: a misspelt key is also reported as a missing one, and
    # the misspelling is the thing to fix.
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    problems = [_problem(model, e) for e in errors]
    where, message = problems[0]
    more = [f"{path}: {w}: {m}" if w else f"{path}: {m}" for w, m in problems[1 : 1 + MORE_SHOWN]]
    if len(problems) > 1 + MORE_SHOWN:
        more.append(f"{path}: … and {len(problems) - 1 - MORE_SHOWN} more")
    return SeedError(path, where, "\n".join([message, *more]))


def _problem(model: type[TomlModel], error: dict) -> tuple[str | None, str]:
    loc = tuple(error["loc"]) + tuple((error.get("ctx") or {}).get("key", ()))
    kind = error["type"]
    if kind == "reader":
        return place(loc), error["ctx"]["message"]
    if kind == "extra_forbidden":
        allowed = allowed_keys(_model_at(model, loc[:-1]))
        message = f"unknown key; allowed: {', '.join(allowed)}"
        guess = difflib.get_close_matches(str(loc[-1]), [a.strip("[]") for a in allowed], n=1, cutoff=0.6)
        return place(loc), message + (f"; did you mean {guess[0]!r}?" if guess else "")
    description = _description(model, loc)
    if kind == "missing":
        return place(loc), f"missing; allowed: {description}"
    message = f"bad value {shown(error['input'])}; allowed: {description}"
    if kind == "literal_error" and isinstance(error["input"], str):
        choices = [str(c) for c in typing.get_args(_annotation(model, loc))]
        guess = difflib.get_close_matches(error["input"], choices, n=1, cutoff=0.6)
        message += f"; did you mean {guess[0]!r}?" if guess else ""
    return place(loc), message


def place(loc: tuple) -> str | None:
    """``("override", 1, "action")`` → ``override #2: key action``;
    ``("source", "kind")`` → ``key source.kind``; deeper lists as ``[n]`` (1-based)."""
    if not loc:
        return None
    if len(loc) > 1 and isinstance(loc[1], int):
        rest = _dotted(loc[2:])
        return f"{loc[0]} #{loc[1] + 1}" + (f": key {rest}" if rest else "")
    return f"key {_dotted(loc)}"


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _field_model(annotation) -> type[TomlModel] | None:
    """The model inside ``X``, ``list[X]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _field_model(arg)
            if found:
                return found
    return None


def _fields_by_key(model: type[TomlModel]) -> dict:
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def _model_at(model: type[TomlModel], loc: tuple) -> type[TomlModel]:
    for part in loc:
        if isinstance(part, int):
            continue
        info = _fields_by_key(model).get(part)
        inner = _field_model(info.annotation) if info else None
        if inner is None:
            break
        model = inner
    return model


def _field(model: type[TomlModel], loc: tuple):
    """The field of the nearest key of ``loc`` (None at the top)."""
    keys = [part for part in loc if not isinstance(part, int)]
    return _fields_by_key(_model_at(model, tuple(keys[:-1]))).get(keys[-1]) if keys else None


def _annotation(model: type[TomlModel], loc: tuple):
    info = _field(model, loc)
    return info.annotation if info else None


def _description(model: type[TomlModel], loc: tuple) -> str:
    """What is allowed at ``loc``: the description of the nearest key."""
    if not [part for part in loc if not isinstance(part, int)]:
        return model.__doc__ or ""
    info = _field(model, loc)
    return (info.description if info else None) or "see the file's JSON Schema (schemas/)"


def allowed_keys(model: type[TomlModel]) -> list[str]:
    """The keys of a table as written in TOML: ``[source]``, ``[[override]]``, ``slug``."""
    out = []
    for key, info in _fields_by_key(model).items():
        inner = _field_model(info.annotation)
        if inner is None:
            out.append(key)
        elif typing.get_origin(info.annotation) is list:
            out.append(f"[[{key}]]")
        else:
            out.append(f"[{key}]")
    return out


def json_schema(model: type[TomlModel], title: str) -> dict:
    """The JSON Schema of one file, for editors (taplo / Even Better TOML)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    _tidy(schema)
    schema.pop("title", None)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}


def _tidy(node) -> None:
    # TOML has no null: an optional key is simply absent, so `"default": null`
    # would only confuse an editor's completion.
    if isinstance(node, dict):
        if node.get("default", 0) is None:
            del node["default"]
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def schemas() -> dict[str, dict]:
    """Every exported schema by file name (``schemas/<name>``)."""
    from .glossary import GlossaryFile
    from .sidecar import SidecarFile
    from .variant import OverridesFile, StyleFile

    return {
        "sidecar.schema.json": json_schema(SidecarFile, "Sidecar of a seed (seeds/*.toml)"),
        "glossary.schema.json": json_schema(GlossaryFile, "Glossary (glossary/terms.toml)"),
        "overrides.schema.json": json_schema(OverridesFile, "Translator overrides (variant/overrides.toml)"),
        "house-style.schema.json": json_schema(StyleFile, "House style (variant/house-style.toml)"),
    }


def schema_texts() -> dict[str, str]:
    import json

    return {name: json.dumps(schema, ensure_ascii=False, indent=2) + "\n" for name, schema in schemas().items()}
