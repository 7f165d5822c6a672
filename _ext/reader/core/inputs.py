"""Checks on every file a contributor can commit, before anything is written.

Each failure is a ``SeedError`` naming the file, the key or line, and what is
allowed.  What passes here is safe to hand to the renderers (which still escape
everything: text is data, never markup).
"""

from __future__ import annotations

import codecs
import datetime as _dt
import os
import re
import stat
from pathlib import Path

from .errors import SeedError

# C0 controls other than tab and line feed, DEL, and the C1 block (U+0080–U+009F):
# invisible, and YAML (MyST's front matter) refuses them.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_ALLOWED = "printable text (tabs and line breaks allowed; no control characters U+0000–U+001F, U+007F–U+009F)"

# Pages the build generates beside the sources (source/<slug>.html) or at the
# site root, whose names a source's slug must not take.
RESERVED_SLUGS = frozenset(
    {
        "glossary",
        "parallels",
        "index",
        "genindex",
        "search",
        "searchindex",
        "objects",
        "anchors",
        "variant-review",
        "py-modindex",
    }
)


def check_text(path: Path | str, where: str, value: str) -> str:
    """A text value from a sidecar, glossary or override file: no control characters."""
    bad = CONTROL.search(value)
    if bad:
        raise SeedError(
            path,
            where,
            f"control character U+{ord(bad.group()):04X} at character {bad.start() + 1}; allowed: {CONTROL_ALLOWED}",
        )
    return value


def check_strings(path: Path | str, where: str, value) -> None:
    """Every string inside a parsed TOML value (tables, arrays), with its key path."""
    if isinstance(value, str):
        check_text(path, where, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_strings(path, f"{where}.{key}" if where else f"key {key}", item)
    elif isinstance(value, list):
        for i, item in enumerate(value, 1):
            check_strings(path, f"{where}[{i}]", item)


RESERVED_PATTERN = re.compile(r"parallels-\d+")  # the parallels page's further pages


def slug_problem(slug: str) -> str | None:
    """Why a slug cannot be used (it names a page the build generates), or None."""
    if slug in RESERVED_SLUGS or RESERVED_PATTERN.fullmatch(slug):
        names = ", ".join([*sorted(RESERVED_SLUGS), "parallels-<n>"])
        return f"{slug!r} is the name of a page the build generates; not allowed: {names}"
    return None


def date_problem(value: str) -> str | None:
    """Why YYYY, YYYY-MM or YYYY-MM-DD is not a real day of the calendar, or None."""
    parts = [int(p) for p in value.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        return f"bad value {value!r}: no such date ({exc}); allowed: a real date YYYY, YYYY-MM or YYYY-MM-DD"
    return None


def check_seed_file(seeds_dir: Path, path: Path) -> None:
    """A seed or sidecar is a regular file inside the seeds directory: a symlink
    could publish any file of the machine (``/etc/passwd``), a FIFO would hang."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise SeedError(path, None, f"cannot read: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise SeedError(
            path,
            None,
            f"is a symbolic link (to {os.readlink(path)}); allowed: regular files inside {seeds_dir.name}/ "
            "(copy the text in instead)",
        )
    if not stat.S_ISREG(info.st_mode):
        raise SeedError(path, None, f"is not a regular file; allowed: regular files inside {seeds_dir.name}/")
    if path.resolve().parent != seeds_dir.resolve():
        raise SeedError(path, None, f"lies outside {seeds_dir}; allowed: regular files inside {seeds_dir.name}/")


def read_toml_text(path: Path) -> str:
    """A TOML file as text: UTF-8, with or without a byte-order mark."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # accepted: editors on Windows write one
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SeedError(path, "byte 0", "UTF-16 byte-order mark; allowed: UTF-8 (with or without BOM)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(path, f"byte {exc.start}", "not UTF-8; allowed: UTF-8 (with or without BOM)") from None


# Size limits: far above any real source (the longest paragraph of the five
# seeds has 745 characters), low enough that the build stays fast; a sidecar
# raises them for a source that needs it.
MAX_BYTES = 4_000_000
MAX_BLOCK_CHARS = 20_000
MAX_BLOCKS = 10_000


def check_seed_size(seed: Path, size: int, meta: dict, sidecar: Path) -> None:
    limit = meta.get("max_bytes", MAX_BYTES)
    if size > limit:
        raise SeedError(
            seed,
            None,
            f"{size:,} bytes; the limit is {limit:,} (a larger seed makes every build slow: split it, "
            f"or raise source.max_bytes in {sidecar.name})",
        )


def check_block_sizes(doc, seed: Path, sidecar: Path) -> None:
    most = doc.meta.get("max_blocks", MAX_BLOCKS)
    if len(doc.blocks) > most:
        raise SeedError(
            seed,
            None,
            f"{len(doc.blocks):,} blocks; the limit is {most:,} (each is an element of the page: split the "
            f"source, or raise source.max_blocks in {sidecar.name})",
        )
    limit = doc.meta.get("max_block_chars", MAX_BLOCK_CHARS)
    for block in doc.blocks:
        if len(block.text) > limit:
            raise SeedError(
                seed,
                f"line {block.first_line}"
                if block.first_line == block.last_line
                else f"lines {block.first_line}-{block.last_line}",
                f"a {block.kind} of {len(block.text):,} characters; the limit is {limit:,} (usually text "
                f"extracted without line breaks: check the seed, or raise source.max_block_chars in {sidecar.name})",
            )
