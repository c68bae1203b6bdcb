"""A Jekyll file's front matter: read as Jekyll reads it, and edited key by key so every
line the writer did not need changed stays as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# Every value as text (Jekyll's `to_s`), with libyaml's parser where PyYAML has it: the
# pure-Python one is most of an import's time.
_TEXT_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_KEY = re.compile(r"^([^\s#'\"-][^:]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s|$)")


def has_front_matter(head: bytes) -> bool:
    """Utils.has_yaml_header?: the file starts with a `---` line."""
    return re.match(rb"\A---\s*\r?\n", head) is not None


@dataclass(slots=True)
class FrontMatter:
    """The front matter as top-level key blocks (a key's line and its indented or list
    continuation lines), and the body after it."""

    blocks: list[tuple[str | None, list[str]]]  # (key or None for comments/blank, lines)
    body: str
    body_line: int  # 1-based line of the file where the body starts
    values: dict[str, Any]  # every value as text (YAML BaseLoader): what Jekyll's to_s gives

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def line_of(self, key: str) -> int | None:
        line = 2
        for name, lines in self.blocks:
            if name == key:
                return line
            line += len(lines)
        return None

    def set(self, key: str, value: Any) -> None:
        """Replace `key`'s block (or add it at the end) with `key: value` in YAML."""
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False,
                                default_flow_style=True, width=1 << 16).strip()  # fmt: skip
        if dumped.startswith("{") and dumped.endswith("}"):
            dumped = dumped[1:-1]
        new = [dumped + "\n"]
        for index, (name, _lines) in enumerate(self.blocks):
            if name == key:
                self.blocks[index] = (key, new)
                break
        else:
            self.blocks.append((key, new))
        self.values[key] = value

    def set_text(self, key: str, text: str) -> None:
        """Set `key:` to `text` written as is (a date keeps its familiar unquoted form)."""
        for index, (name, _lines) in enumerate(self.blocks):
            if name == key:
                self.blocks[index] = (key, [f"{key}: {text}\n"])
                break
        else:
            self.blocks.append((key, [f"{key}: {text}\n"]))
        self.values[key] = text

    def remove(self, key: str) -> None:
        self.blocks = [(name, lines) for name, lines in self.blocks if name != key]
        self.values.pop(key, None)

    def text(self) -> str:
        lines = [line for _name, block in self.blocks for line in block]
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return "---\n" + "".join(lines) + "---\n" + self.body


def read_front_matter(text: str) -> FrontMatter:
    """Split `text` (a whole file); raises yaml.YAMLError for front matter Jekyll could not
    read either."""
    text = text.removeprefix("\ufeff")
    opening = _OPEN.match(text)
    close = _CLOSE.search(text, opening.end()) if opening else None
    if not opening or not close:
        return FrontMatter([], text, 1, {})  # written with front matter, as ssg needs
    yaml_text = text[opening.end() : close.start()]
    after = close.end() + (1 if text[close.end() : close.end() + 1] == "\n" else 0)
    values = yaml.load(yaml_text, Loader=_TEXT_LOADER) or {}  # noqa: S506 (text only)
    if not isinstance(values, dict):
        values = {}
    blocks = _blocks(yaml_text)
    body_line = text.count("\n", 0, after) + 1
    return FrontMatter(blocks, text[after:], body_line, values)


def _blocks(yaml_text: str) -> list[tuple[str | None, list[str]]]:
    blocks: list[tuple[str | None, list[str]]] = []
    for line in yaml_text.splitlines(keepends=True):
        match = _KEY.match(line)
        if match:
            blocks.append((match[1].strip("'\""), [line]))
        elif blocks and blocks[-1][0] is not None and line[:1] in (" ", "\t", "-"):
            blocks[-1][1].append(line)
        else:
            blocks.append((None, [line]))
    return blocks


def as_flag(value: Any) -> bool | None:
    """A YAML 1.1 boolean as Psych reads it (true/yes/on, false/no/off); None otherwise."""
    if not isinstance(value, str):
        return None
    lowered = value.lower()
    if lowered in ("true", "yes", "on", "y"):
        return True
    if lowered in ("false", "no", "off", "n"):
        return False
    return None


def as_list(value: Any) -> list[str]:
    """Jekyll's categories/tags: a list, or a string split on whitespace."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if not isinstance(v, (dict, list))]
    return str(value).split()
