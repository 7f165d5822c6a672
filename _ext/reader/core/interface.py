"""The reader's interface strings (pure Python): the English strings of Sphinx
and the theme in Chinese, the reader's own messages, the Taiwan interface
vocabulary (``variant/interface.toml``), and the editorial record's reasons."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SeedError

SECTIONS = ("english", "messages", "taiwan", "taiwan-whole")
# The reasons the segmenter writes into the furniture record (core.segment), in Chinese.
REASONS = {
    "page number": "页码",
    "running header/footer (repeated at page boundaries)": "页眉或页脚（在分页处重复出现）",
    "running header/footer (repeated on every page)": "页眉或页脚（每页重复出现）",
}


# The link to the other variant names it in its own script, with its language tag.
OTHER_VARIANT = {"hans": ("繁體中文", "zh-Hant"), "hant": ("简体中文", "zh-Hans")}
# Messages drawn by the stylesheet (CSS ``content``): ``css-figure`` becomes ``--reader-css-figure``.
CSS_PREFIX = "css-"


def css_string(text: str) -> str:
    """A CSS string token holding ``text`` (safe inside a <style> element)."""
    escaped = "".join(c if c.isalnum() or c in " （）“”「」：，。" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def css_properties(messages: dict[str, str]) -> str:
    """The ``css-*`` messages as custom properties of the root element."""
    rules = [
        f"--reader-{key}:{css_string(text)};" for key, text in sorted(messages.items()) if key.startswith(CSS_PREFIX)
    ]
    return ":root{" + "".join(rules) + "}"


def reason_label(reason: str) -> str:
    return REASONS.get(reason, reason)


@dataclass
class Interface:
    english: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    taiwan: dict[str, str] = field(default_factory=dict)
    taiwan_whole: dict[str, str] = field(default_factory=dict)

    def chinese(self, text: str) -> str | None:
        """The Chinese of an English interface string (surrounding space kept), or None."""
        core = text.strip()
        if not core or core not in self.english:
            return None
        start = text.index(core[0])
        return text[:start] + self.english[core] + text[start + len(core) :]

    def localise(self, text: str, convert) -> str:
        """An interface string for the traditional build: converted, then the Taiwan
        interface vocabulary (whole strings first)."""
        core = text.strip()
        if core in self.taiwan_whole or convert(core) in self._whole_converted(convert):
            form = self.taiwan_whole.get(core) or self._whole_converted(convert)[convert(core)]
            return text.replace(core, form)
        out = convert(text)
        for mainland, taiwan in self._terms(convert):
            out = out.replace(mainland, taiwan)
        return out

    def _terms(self, convert) -> list[tuple[str, str]]:
        cache = self.__dict__.setdefault("_terms_cache", {})
        if id(convert) not in cache:
            pairs = {}
            for mainland, taiwan in self.taiwan.items():
                pairs[convert(mainland)] = taiwan
            cache[id(convert)] = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
        return cache[id(convert)]

    def _whole_converted(self, convert) -> dict[str, str]:
        return {convert(k): v for k, v in self.taiwan_whole.items()}


def load_interface(path: Path) -> Interface:
    if not path.exists():
        return Interface()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(path, None, f"malformed TOML: {exc}") from None
    for key, value in data.items():
        if key not in SECTIONS:
            raise SeedError(path, f"key {key}", f"unknown table; allowed: {', '.join(SECTIONS)}")
        for name, text in value.items():
            if not isinstance(text, str):
                raise SeedError(path, f"{key}: key {name}", "must be a string")
    return Interface(
        data.get("english", {}), data.get("messages", {}), data.get("taiwan", {}), data.get("taiwan-whole", {})
    )
