"""Sphinx builds: seed text is data, never markup; bad input gives clear errors and
leaves every committed page as it was."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.segment import ingest

ROOTS = Path(__file__).parent / "roots"


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.sphinx("html", testroot="hostile", freshenv=True)
def test_hostile_seed_renders_literally(app):
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "source" / "hostile.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("div.body") or soup.body
    doc = ingest(Path(app.srcdir) / "seeds" / "hostile.txt")
    page_text = squash(article.get_text())
    for block in doc.blocks:
        assert squash(block.text) in page_text, block.kind
    for block in doc.citable_blocks():
        element = soup.find(id=block.id)
        assert squash(element.get_text()) == squash(block.text)
    # Nothing was interpreted: no injected elements, no include, no substitution, no role.
    assert "alert" not in "".join(str(s) for s in soup.find_all("script"))
    assert not soup.find("iframe") and not soup.find("img", src="x.png") and not soup.find("img", src="x")
    assert not article.find("b") and not article.find("em") and not article.find("strong")
    assert not article.find("i")
    assert "SUBSTITUTED" not in html
    assert "myst_substitutions" not in html  # ../conf.py was not included
    assert not soup.find(class_="math")
    assert not soup.find(id="p99") and not soup.find(id="label")
    # Metadata and the landing card escape their values too.
    assert "出处<script>alert(4)</script>*星*`码`{ref}`y`|竖线\\反斜杠" in squash(article.get_text())
    index = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "摘要<b>粗</b>[链接](http://x){{secret}}" in squash(index.get_text())
    assert not index.select_one("div.body b")
    # The correction's note is an attribute value, escaped.
    corr = soup.select_one("span.reader-corr")
    assert corr["data-original"] == "结尾一段：" and "<script>alert(5)</script>" in corr["title"]


def _minimal(tmp_path: Path) -> Path:
    dest = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", dest)
    return dest


def _build(make_app, srcdir: Path):
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    return app


def _pages(srcdir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((srcdir / "source").glob("*.md"))}


BAD_INPUTS = {
    "empty seed": (lambda d: (d / "seeds" / "one.txt").write_bytes(b""), r"seeds/one.txt: the seed is empty"),
    "binary seed": (
        lambda d: (d / "seeds" / "one.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"),
        r"seeds/one.txt: byte 8: binary data",
    ),
    "undecodable bytes": (
        lambda d: (d / "seeds" / "one.txt").write_bytes("简单标题\n\n内容".encode() + b"\xc3\x28"),
        r"seeds/one.txt: byte 20: cannot decode as utf-8",
    ),
    "missing sidecar": (lambda d: (d / "seeds" / "one.toml").unlink(), r"seeds/one.toml: missing sidecar for one.txt"),
    "malformed sidecar": (
        lambda d: (d / "seeds" / "one.toml").write_text('[source\nslug = "one"\n', encoding="utf-8"),
        r"seeds/one.toml: malformed TOML: .*line 1",
    ),
    "unknown key": (
        lambda d: (d / "seeds" / "one.toml").write_text(
            '[source]\nslug = "one"\nkind = "article"\nautor = "x"\n', encoding="utf-8"
        ),
        r"seeds/one.toml: key source.autor: unknown key; allowed: slug, author",
    ),
    "bad value": (
        lambda d: (d / "seeds" / "one.toml").write_text('[source]\nslug = "one"\nkind = "novel"\n', encoding="utf-8"),
        r"seeds/one.toml: key source.kind: bad value 'novel'; allowed: one of speech, excerpts",
    ),
    "duplicate slug": (
        lambda d: (
            shutil.copy(d / "seeds" / "one.txt", d / "seeds" / "two.txt"),
            shutil.copy(d / "seeds" / "one.toml", d / "seeds" / "two.toml"),
        ),
        r"seeds/two.toml: key source.slug: duplicate slug 'one': also used by one.toml",
    ),
    "absent snippet": (
        lambda d: (
            (d / "seeds" / "one.toml")
            .open("a", encoding="utf-8")
            .write('\n[[override]]\naction = "break"\nat = "不存在"\n')
        ),
        r"seeds/one.toml: override #1 \(action = \"break\"\): snippet '不存在' not found",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_a_clear_error_and_keeps_pages(make_app, tmp_path, case):
    srcdir = _minimal(tmp_path)
    _build(make_app, srcdir)
    before = _pages(srcdir)
    assert "one.md" in before
    breaker, message = BAD_INPUTS[case]
    breaker(srcdir)
    app = _build(make_app, srcdir)
    warnings = app.warning.getvalue()
    assert "ERROR: Seed error:" in warnings
    assert re.search(message, warnings), warnings
    assert "Traceback" not in warnings
    assert _pages(srcdir) == before  # nothing already generated is lost


def test_bad_input_on_the_command_line_has_no_traceback(tmp_path):
    srcdir = _minimal(tmp_path)
    (srcdir / "seeds" / "one.toml").write_text('[source]\nslug = "one"\nkind = "novel"\n', encoding="utf-8")
    ext = Path(__file__).parent.parent / "_ext"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", str(srcdir), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ext), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "ERROR: Seed error:" in result.stderr
    assert "seeds/one.toml: key source.kind: bad value 'novel'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_word_the_reader_block_line_does_not_know_is_a_clear_error(make_app, tmp_path):
    """The directive's line holds key=value words (issue 18 moved the short options
    there): an unknown one in a hand-edited page is an error naming the page and
    the word, and the block's text is not lost from the rest of the page."""
    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", srcdir)
    (srcdir / "extra.md").write_text(
        "---\norphan: true\n---\n# 另一页\n\n"
        "```{reader-block} paragraph id=p1 colour=red\n一段文字\n```\n\n"
        "```{reader-block} paragraph id=p2 n=2 lines=3\n第二段文字\n```\n",
        encoding="utf-8",
    )
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    warnings = app.warning.getvalue()
    assert "extra.md" in warnings and "'colour=red' is not one of id=..., n=..., lines=..., margin=..." in warnings
    page = BeautifulSoup((app.outdir / "extra.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("#p2").get_text() == "第二段文字"
    assert page.select_one("#p2").find_previous(class_="reader-pnum").get_text() == "2"


@pytest.mark.parametrize("variant", ["hans", "hant"])
def test_a_reading_pages_front_matter_is_its_metadata_in_either_variant(make_app, tmp_path, variant):
    """The reader reads its own front matter (MyST parsed its YAML twice per
    page): the page's metadata is what the YAML says, in the variant's
    characters (the traditional PDF's running heads said 学习资料, simplified),
    and MyST sees blank lines, so that every later line keeps its number."""
    import yaml

    from reader.core.variant import Converter
    from reader.state import reader_state

    srcdir = tmp_path / "minimal"
    shutil.copytree(ROOTS / "test-minimal", srcdir)
    seen = {}
    app = make_app("latex", srcdir=srcdir, freshenv=True, confoverrides={"reader_variant": variant}, status=None)
    app.connect("source-read", lambda app, docname, source: seen.setdefault(docname, source[0]), priority=900)
    app.build()
    assert app.warning.getvalue() == ""
    page = (srcdir / "source" / "one.md").read_text(encoding="utf-8")
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["reader-short-title"] and front["reader-cite"]
    convert = reader_state(app).in_variant
    metadata = {key: value for key, value in app.env.metadata["source/one"].items() if key.startswith("reader-")}
    assert metadata == {key: convert(str(value)) for key, value in front.items()}
    if variant == "hant":  # converted, and nothing simplified left
        assert metadata["reader-short-title"] == "簡單標題"
        assert all(Converter("s2tw").convert(value) == value for value in metadata.values())
    assert seen["source/one"].splitlines() == [
        "" if n < page.index("---\n", 4) + 4 else line for n, line in _line_starts(page)
    ]
    head = re.search(r"\\readerrunninghead\{.*?\}\{(.*?)\}", (app.outdir / "minimal.tex").read_text())
    assert head.group(1) == convert(front["reader-short-title"])


def _line_starts(text: str):
    start = 0
    for line in text.splitlines():
        yield start, line
        start += len(line) + 1


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"reader-[a-z]{1,8}", fullmatch=True),
        st.one_of(st.text(), st.sampled_from(["draft", "published"])),
        min_size=1,
        max_size=5,
    )
)
def test_the_front_matter_the_reader_writes_reads_back_as_yaml_reads_it(values):
    """Any value (quotes, colons, line breaks, control and separator characters,
    lone surrogates) comes back from the reader's own reading of its front
    matter as YAML (MyST's reading) gives it, and the reading ends where YAML's
    front matter does."""
    import yaml

    from reader.core.render import _yaml_value, parse_front_matter

    lines = [
        f"{key}: {value if value in ('draft', 'published') else _yaml_value(value)}" for key, value in values.items()
    ]
    front = "---\n" + "".join(line + "\n" for line in lines) + "---\n"
    assert parse_front_matter(front + "\n# 标题\n") == (values, len(front))
    assert yaml.safe_load("\n".join(lines)) == values
