"""Every input a contributor can commit is checked before anything is written:
the error names the file, the key or line, and what is allowed; the pages
already generated stay as they were."""

from __future__ import annotations

import codecs
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.errors import SeedError
from reader.core.inputs import CONTROL, RESERVED_SLUGS
from reader.core.pipeline import generate
from reader.core.render import _yaml_value

ROOTS = Path(__file__).parent / "roots"
SIDECAR = '[source]\nslug = "one"\nkind = "article"\nauthor = "作者乙"\n'


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", root)
    generate(root)
    return root


def generated(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for top in ("source", "anchors")
        for p in sorted((root / top).rglob("*"))
        if p.is_file()
    }


def fails(root: Path, pattern: str) -> SeedError:
    before = generated(root)
    with pytest.raises(SeedError) as info:
        generate(root)
    assert re.search(pattern, str(info.value)), str(info.value)
    assert generated(root) == before  # nothing written
    return info.value


def test_c1_control_character_in_a_seed_title_names_the_seed_line(project):
    seed = project / "seeds" / "one.txt"
    seed.write_text("简单\u0085标题\n\n作者乙\n\n这是一个简单的段落。\n", encoding="utf-8")
    fails(project, r"seeds/one\.txt: line 1: control character U\+0085 at column 3.*allowed")


def test_c1_control_character_in_a_sidecar_value_names_the_key(project):
    (project / "seeds" / "one.toml").write_text(SIDECAR + 'origin = "出处\u009b"\n', encoding="utf-8")
    fails(project, r"seeds/one\.toml: key source\.origin: control character U\+009B at character 3; allowed")


def test_control_character_in_an_override_names_it(project):
    (project / "seeds" / "one.toml").write_text(
        SIDECAR + '\n[[correction]]\nfind = "简单"\nreplace = "简\\u0007单"\nnote = "x"\n', encoding="utf-8"
    )
    fails(project, r"key correction\[1\]\.replace: control character U\+0007")


@pytest.mark.parametrize("slug", [*sorted(RESERVED_SLUGS), "parallels-2", "parallels-17"])
def test_slug_of_a_generated_page_is_refused(project, slug):
    (project / "seeds" / "one.toml").write_text(SIDECAR.replace('"one"', f'"{slug}"'), encoding="utf-8")
    fails(project, rf"seeds/one\.toml: key source\.slug: '{slug}' is the name of a page the build generates")


def test_symlinked_seed_is_refused(project, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("机密标题\n\n机密内容。\n", encoding="utf-8")
    os.symlink(outside, project / "seeds" / "two.txt")
    shutil.copy(project / "seeds" / "one.toml", project / "seeds" / "two.toml")
    fails(project, r"seeds/two\.txt: is a symbolic link \(to .*secret\.txt\); allowed: regular files inside seeds/")


def test_symlinked_sidecar_is_refused(project, tmp_path):
    real = tmp_path / "elsewhere.toml"
    shutil.move(project / "seeds" / "one.toml", real)
    os.symlink(real, project / "seeds" / "one.toml")
    fails(project, r"seeds/one\.toml: is a symbolic link")


def test_seed_that_is_not_a_regular_file_is_refused(project):
    os.mkfifo(project / "seeds" / "two.txt")  # reading it would hang the build
    fails(project, r"seeds/two\.txt: is not a regular file")


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "2023-02-29", "2024-00", "0000"])
def test_impossible_dates_are_refused(project, date):
    (project / "seeds" / "one.toml").write_text(SIDECAR + f'date = "{date}"\n', encoding="utf-8")
    fails(project, rf"key source\.date: bad value '{date}': no such date .*allowed: a real date")


def test_real_dates_pass(project):
    for date in ("2024-02-29", "2024-12", "1949"):
        (project / "seeds" / "one.toml").write_text(SIDECAR + f'date = "{date}"\n', encoding="utf-8")
        generate(project)


def test_sidecar_with_a_utf8_bom_is_accepted(project):
    before = generated(project)
    sidecar = project / "seeds" / "one.toml"
    sidecar.write_bytes(codecs.BOM_UTF8 + sidecar.read_bytes())
    generate(project)
    assert generated(project) == before


def test_sidecar_in_utf16_is_named(project):
    sidecar = project / "seeds" / "one.toml"
    sidecar.write_bytes(sidecar.read_text(encoding="utf-8").encode("utf-16"))
    fails(project, r"seeds/one\.toml: byte 0: UTF-16 byte-order mark; allowed: UTF-8")


def test_glossary_with_a_bom_and_control_characters(project):
    terms = project / "glossary" / "terms.toml"
    terms.parent.mkdir()
    entry = '[[term]]\nid = "jian-dan"\nterm = "简单"\ndefinition = "定义{}"\npinyin = "jiǎn dān"\n'
    terms.write_bytes(codecs.BOM_UTF8 + entry.format("").encode())
    generate(project)
    terms.write_text(entry.format("\u0090"), encoding="utf-8")
    fails(project, r"glossary/terms\.toml: key term\[1\]\.definition: control character U\+0090")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_front_matter_values_are_exact_yaml(value):
    """Whatever reaches the YAML front matter reads back as the same string."""
    import yaml

    assert yaml.safe_load(_yaml_value(value)) == value


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=20), st.characters(min_codepoint=0x80, max_codepoint=0x9F))
def test_any_control_character_in_a_sidecar_text_is_refused(text, control):
    from reader.core.sidecar import parse_sidecar

    value = text[: len(text) // 2] + control + text[len(text) // 2 :]
    with pytest.raises(SeedError, match=r"key source\.summary: control character"):
        parse_sidecar(Path("seeds/x.toml"), {"source": {"slug": "x", "kind": "article", "summary": value}})
    assert CONTROL.search(value)


def test_a_seed_over_the_size_limit_is_a_clear_error_before_ingestion(project):
    (project / "seeds" / "one.txt").write_text("大标题\n\n" + "字" * 1_400_000 + "。\n", encoding="utf-8")
    fails(project, r"seeds/one\.txt: 4,200,0\d\d bytes; the limit is 4,000,000 .*raise source\.max_bytes in one\.toml")


def test_one_huge_line_is_a_clear_error_the_sidecar_can_lift(project):
    (project / "seeds" / "one.txt").write_text("大标题\n\n" + "这是一句话，" * 5000 + "完。\n", encoding="utf-8")
    fails(project, r"seeds/one\.txt: line 3: a paragraph of 30,002 characters; the limit is 20,000 .*max_block_chars")
    (project / "seeds" / "one.toml").write_text(SIDECAR + "max_block_chars = 40000\n", encoding="utf-8")
    generate(project)
    assert "这是一句话，这是一句话" in (project / "source" / "one.md").read_text(encoding="utf-8")


def test_too_many_blocks_is_a_clear_error_the_sidecar_can_lift(project):
    lines = "\n".join(f"第{i}句。" for i in range(10_001))
    (project / "seeds" / "one.txt").write_text(f"大标题\n\n{lines}\n", encoding="utf-8")
    fails(project, r"seeds/one\.txt: 10,00\d blocks; the limit is 10,000 .*raise source\.max_blocks")
    (project / "seeds" / "one.toml").write_text(SIDECAR + "max_blocks = 20000\n", encoding="utf-8")
    generate(project)


@pytest.mark.parametrize("value", ["0", "-1", '"big"', "true"])
def test_limits_must_be_positive_integers(project, value):
    (project / "seeds" / "one.toml").write_text(SIDECAR + f"max_blocks = {value}\n", encoding="utf-8")
    fails(project, r"key source\.max_blocks: bad value .*allowed: a positive integer")


def test_c1_in_a_title_fails_the_build_naming_the_seed_and_keeps_the_pages(make_app, tmp_path):
    """It failed inside MyST's YAML front matter, naming only the generated page,
    after that page had been overwritten."""
    root = tmp_path / "sphinx"
    shutil.copytree(ROOTS / "test-minimal", root)
    app = make_app("html", srcdir=root, freshenv=True)
    app.build()
    before = generated(root)
    (root / "seeds" / "one.txt").write_text("简单\u0085标题\n\n作者乙\n\n这是一个简单的段落。\n", encoding="utf-8")
    app = make_app("html", srcdir=root, freshenv=True)
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"seeds/one\.txt:1: ERROR: Seed error: control character U\+0085", warnings), warnings
    assert "source/one.md" not in warnings and "Traceback" not in warnings
    assert generated(root) == before
