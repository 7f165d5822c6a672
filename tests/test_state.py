"""The reader's build state (issue 21a): one typed object per build, reached
through one accessor, made by one start-up sequence; settings in one table."""

from __future__ import annotations

import ast
import pickle
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "_ext" / "reader"


def _copy(tmp_path: Path, name: str) -> Path:
    src = tmp_path / name
    shutil.copytree(ROOT / "tests" / "roots" / f"test-{name}", src)
    return src


def test_no_state_read_off_the_app():
    found = [
        f"{path.relative_to(ROOT)}:{no}"
        for path in sorted(EXTENSION.rglob("*.py"))
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "getattr(app" in line or "app.reader_" in line
    ]
    assert not found


def test_no_module_keeps_build_state_in_a_global():
    """A module-level empty dict, list or set is a place to keep state between
    calls (the glossary's linkers once were); constants are never empty."""
    found = []
    for path in sorted(EXTENSION.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(value, ast.Dict):
                empty = not value.keys
            elif isinstance(value, (ast.List, ast.Set)):
                empty = not value.elts
            else:
                empty = (
                    isinstance(value, ast.Call)
                    and getattr(value.func, "id", "") in ("dict", "list", "set")
                    and not value.args
                )
            if empty:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found


def test_the_state_is_one_object_never_pickled(make_app, tmp_path):
    from reader.state import ReaderState, reader_state

    # (reader_hant_quotes is read by the traditional build only: not checked here)
    app = make_app("html", srcdir=_copy(tmp_path, "minimal"), confoverrides={"reader_hant_quotes": "curly"})
    app.build()
    assert "must be one of" not in app.warning.getvalue()
    state = reader_state(app)
    assert isinstance(state, ReaderState)
    assert reader_state(app.env) is state and reader_state(app.builder) is state and reader_state(app.config) is state
    assert state.collection is not None and [d.slug for d in state.collection.docs]
    assert state.pages_dir == "source" and state.slug_of("source/x") == "x" and state.slug_of("index") is None
    assert state.convert is None and state.in_variant("发展") == "发展"  # the simplified build
    # Sphinx pickles the environment with its config: the state stays out.
    assert not [k for k in pickle.loads(pickle.dumps(app.config)).__dict__ if "reader_state" in k]


TRADITIONAL = {
    "reader_variant": "hant",
    "language": "zh_TW",
    "reader_house_style": str(ROOT / "variant" / "house-style.toml"),
    "reader_interface_file": str(ROOT / "variant" / "interface.toml"),
}


@pytest.mark.parametrize(
    ("conf", "after"),
    [
        # No fallback: the value is kept (an unknown variant is the simplified build).
        ({"reader_glossary_link": "sometimes", "reader_variant": "latin"}, {}),
        (
            {**TRADITIONAL, "reader_hant_quotes": "curly", "reader_opencc_config": "s2twp"},
            {
                "reader_hant_quotes": "tw",
                "reader_opencc_config": "s2tw",
            },
        ),
    ],
    ids=["simplified", "traditional"],
)
def test_a_setting_outside_its_choices_warns(make_app, tmp_path, conf, after):
    from reader.settings import SETTINGS
    from reader.state import reader_state

    app = make_app("html", srcdir=_copy(tmp_path, "variant"), confoverrides=conf)
    warnings = app.warning.getvalue()
    choices = {s.name: s.choices for s in SETTINGS if s.choices}
    for name, value in conf.items():
        if name in choices and value not in choices[name]:
            assert f"{name} must be one of" in warnings and f"not {value!r} [reader.config]" in warnings
            assert getattr(app.config, name) == after.get(name, value)
    assert warnings.count("must be one of") == 2
    state = reader_state(app)
    if conf.get("reader_variant") == "hant":
        assert state.converter is not None and state.in_variant("发展") == "發展"
        assert state.interface.messages  # loaded from the table
    else:
        assert state.converter is None


def test_every_setting_is_registered_once_from_the_table(make_app, tmp_path):
    from reader.settings import SETTINGS

    app = make_app("html", srcdir=_copy(tmp_path, "minimal"))
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    registered = {name for name in app.config._options if name.startswith("reader_")}
    assert registered == set(names)
    for s in SETTINGS:
        assert app.config._options[s.name].default == s.default
        assert not s.choices or s.default in s.choices
    # The reader's config-inited and builder-inited work is one explicit sequence
    # each (reader.configure, reader.start), not handlers ordered by priority.
    for event, name in (("config-inited", "configure"), ("builder-inited", "start")):
        ours = [
            listener.handler.__qualname__
            for listener in app.events.listeners[event]
            if getattr(listener.handler, "__module__", "").startswith("reader")
        ]
        assert ours == [name], (event, ours)
