"""Hugo content files: front matter in TOML (`+++`), YAML (`---`) or JSON (`{`), and body."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from ssg.content.dates import DateError, parse_date
from ssg.content.frontmatter import YamlFloat, YamlInt, load_yaml
from ssg.errors import ContentError
from ssg.importers.hugo.config import toml_error_line

CONTENT_SUFFIXES = (".md", ".markdown")
# Hugo's default front-matter date order: `date` falls back to these, in turn.
DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
LASTMOD_KEYS = ("lastmod", "modified")
PUBLISH_KEYS = ("publishdate", "pubdate", "published", "date")
EXPIRY_KEYS = ("expirydate", "unpublishdate")


@dataclass(frozen=True, slots=True)
class ContentFile:
    """One content file of the old site, read."""

    rel: PurePosixPath  # relative to content/
    shown: str  # relative to the old site: `content/posts/x.md`
    front: dict[str, Any]  # keys as written
    body: str
    body_line: int  # 1-based line of the old file where `body` starts
    header: str  # the front matter's text, fences included, to find a key's line

    def get(self, key: str) -> Any:
        """A front-matter value by Hugo's case-insensitive key, or None."""
        for name, value in self.front.items():
            if name.lower() == key:
                return value
        return None

    def line_of(self, key: str) -> int:
        """The line of `key:` / `key =` / `"key":` in the front matter (1 if not found)."""
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*[:=]", re.IGNORECASE | re.MULTILINE)
        match = pattern.search(self.header)
        return self.header.count("\n", 0, match.start()) + 1 if match else 1


def read_content_file(content_dir: Path, rel: PurePosixPath) -> ContentFile:
    """Read and split one file; a ContentError (located) when its front matter is bad."""
    shown = f"content/{rel.as_posix()}"
    text = (content_dir / rel).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    front, body, body_line = split_front_matter(shown, text)
    return ContentFile(rel, shown, front, body, body_line, text[: len(text) - len(body)])


def split_front_matter(shown: str, text: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, the body's first line) of a Hugo content file."""
    if text.startswith("+++\n"):
        return _fenced(shown, text, "+++", _toml)
    if text.startswith("---\n"):
        return _fenced(shown, text, "---", _yaml)
    if text.startswith("{"):
        return _json(shown, text)
    return {}, text, 1


def _fenced(shown: str, text: str, fence: str, load: Any) -> tuple[dict[str, Any], str, int]:
    match = re.compile(rf"^{re.escape(fence)}[ \t]*$", re.MULTILINE).search(text, len(fence) + 1)
    if match is None:
        raise ContentError(shown, f"front matter opened with {fence} is never closed", 1)
    data = load(shown, text[len(fence) + 1 : match.start()])
    end = match.end() + 1 if match.end() < len(text) else match.end()
    return data, text[end:], text.count("\n", 0, end) + 1


def _toml(shown: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r" \(at line \d+, column \d+\)", "", str(exc))
        raise ContentError(shown, f"invalid TOML: {message}", toml_error_line(exc) + 1) from None


def _yaml(shown: str, text: str) -> dict[str, Any]:
    data = load_yaml(PurePosixPath(shown), text)
    return {key: _plain_value(value) for key, value in data.items()}


def _plain_value(value: Any) -> Any:
    """ssg's YAML numbers as plain ones, so they can be written out again."""
    if isinstance(value, YamlInt):
        return int(value)
    if isinstance(value, YamlFloat):
        return float(value)
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    return value


def _json(shown: str, text: str) -> tuple[dict[str, Any], str, int]:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise ContentError(shown, f"invalid JSON front matter: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict):
        raise ContentError(shown, "JSON front matter must be an object", 1)
    if text[end : end + 1] == "\n":
        end += 1
    return data, text[end:], text.count("\n", 0, end) + 1


def front_date(file: ContentFile, keys: tuple[str, ...], tz: tzinfo) -> tuple[datetime | None, str]:
    """The first of `keys` set in the front matter, as a date (offset-less ones in `tz`,
    as Hugo reads them), and the key it came from; a ContentError when it is not a date."""
    for key in keys:
        value = file.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, time):  # a TOML local time alone: not a date
            raise ContentError(file.shown, f"{key}: {value} is a time without a date",
                               file.line_of(key))  # fmt: skip
        try:
            if isinstance(value, date) and not isinstance(value, datetime):
                return datetime.combine(value, time(), tzinfo=tz), key
            return parse_date(value, tz), key
        except DateError as exc:
            raise ContentError(file.shown, f"{key}: {exc}", file.line_of(key)) from None
    return None, ""
