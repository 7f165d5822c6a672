"""The front end's interface strings come from one table per language
(variant/interface.toml, sent to the scripts as window.READER_STRINGS and to the
stylesheet as --reader-css-* custom properties): no Chinese written into the
scripts or into a CSS ``content``, every key a script asks for is in the table,
the variant is decided once, and the margin's breakpoint is written only in the
stylesheet."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reader.core.interface import css_properties, css_string

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "_ext" / "reader" / "static"
SCRIPTS = ["reader.js", "reader-comfort.js", "reader-cite.js", "reader-search.js"]
ALL_SCRIPTS = sorted(p.name for p in STATIC.glob("*.js"))  # a new script is checked too
MESSAGES = tomllib.loads((ROOT / "variant" / "interface.toml").read_text(encoding="utf-8"))["messages"]
BUILD_KEYS = {"variant", "variant-name", "variant-lang"}  # added by the build (interface.reader_strings)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def code_of(name: str) -> str:
    """A script or stylesheet without its comments (which may quote Chinese)."""
    text = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"(?m)(^|[\s;{}(,])//[^\n]*", r"\1", text)


def test_no_chinese_in_the_scripts():
    assert set(SCRIPTS) < set(ALL_SCRIPTS)
    for name in ALL_SCRIPTS:
        found = [m.group() for m in re.finditer(r"\"[^\"\n]*\"|'[^'\n]*'", code_of(name)) if CJK.search(m.group())]
        assert found == [], name


def test_no_chinese_in_stylesheet_content():
    for name in ("reader.css", "margin.css"):
        contents = re.findall(r"content:\s*([^;]*);", code_of(name))
        assert contents and not [c for c in contents if CJK.search(c)], name


def test_every_key_a_script_asks_for_is_in_the_table():
    asked = set()
    for name in SCRIPTS:
        code = code_of(name)
        asked |= set(re.findall(r"\b(?:readerText|ui\.t|ui\(\)\.t)\(\"([a-z-]+)\"", code))
        if name == "reader-search.js":  # t("name") there is the table's search-<name>
            asked |= {"search-" + key for key in re.findall(r"\bt\(\"([a-z-]+)\"[,)]", code)}
        elif name == "reader-cite.js":
            asked |= set(re.findall(r"\bt\(\"([a-z-]+)\"[,)]", code))
        asked |= {
            key for pair in re.findall(r"\[\"[a-z]+\", \"([a-z-]+)\"\]", code) for key in [pair] if "-" in pair
        }  # the settings' (value, label) pairs
    assert len(asked) > 30
    assert sorted(asked - set(MESSAGES) - BUILD_KEYS) == []
    # and every message is used: by a script, or by the stylesheet (css-*)
    css = code_of("reader.css") + code_of("margin.css")
    drawn = {key for key in MESSAGES if key.startswith("css-") and f"var(--reader-{key})" in css}
    assert sorted(set(MESSAGES) - asked - drawn) == []


def test_the_variant_is_decided_once():
    # The build says which variant a page is (READER_STRINGS.variant); no script guesses from lang.
    for name in SCRIPTS:
        assert "zh-Hant/" not in code_of(name) and "/^zh-Hant" not in code_of(name), name
    assert code_of("reader.js").count("READER_STRINGS || {}).variant") == 1


def test_the_breakpoint_is_written_in_the_stylesheet_only():
    for name in SCRIPTS:
        assert not re.search(r"\b1[12]\d\d(\.\d+)?px", code_of(name)), name
        assert "matchMedia" not in code_of(name), name
    css = code_of("margin.css")
    assert css.count("(min-width: 1200px)") == 2  # the wide layout, and its complement (not all and …)
    assert "--reader-margin-layout: narrow" in css


def css_unescape(token: str) -> str:
    """The text of a CSS string token, read the way CSS Syntax 3 reads it."""
    assert token[0] == token[-1] == '"'
    body = token[1:-1]
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            m = re.match(r"[0-9a-fA-F]{1,6} ?", body[i + 1 :])
            assert m, body
            out.append(chr(int(m.group().strip(), 16)))
            i += 1 + len(m.group())
        else:
            assert body[i] not in '"\n<>', body  # nothing that ends the string or the <style>
            out.append(body[i])
            i += 1
    return "".join(out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40))
def test_a_css_string_holds_any_text(text):
    assert css_unescape(css_string(text)) == text
    assert "</" not in css_properties({"css-x": text})


def test_css_string_cases():
    assert css_string("原作“") == '"原作“"'
    assert css_string('a"b') == '"a\\22 b"'
    assert css_properties({"css-cite": "引用", "close": "关闭"}) == ':root{--reader-css-cite:"引用";}'
