"""The site's settings: declared once in `Config`, read and validated by `load_config`."""

from __future__ import annotations

import dataclasses
import difflib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ssg.errors import ConfigError

CONFIG_FILE = "config.yaml"


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs to know, validated; paths are absolute."""

    site_dir: Path
    # Site identity, shown by layouts and feeds.
    title: str = "ssg site"
    description: str = ""
    author: str = ""
    # Absolute URL of the published site; its path part prefixes every link.
    base_url: str = "/"
    # "ja" (default) or "en": date formats, reading-time wording, <html lang>.
    language: str = "ja"
    # IANA zone for dates written without an offset, and for URL date parts.
    timezone: str = "Asia/Tokyo"
    # Posts per list page (home, tag, category).
    paginate: int = 10
    # Jekyll-style pattern for post URLs.
    permalink: str = "/:year/:month/:day/:slug/"
    # Explicit ASCII slugs for taxonomy terms, e.g. {"半導体": "semiconductor"}.
    taxonomy_slugs: Mapping[str, str] = field(default_factory=dict)
    # Raw HTML in Markdown passes through (the writer owns the site) unless False.
    raw_html: bool = True
    # Reading speed for Japanese (characters/minute) and Latin text (words/minute).
    reading_chars_per_minute: int = 500
    reading_words_per_minute: int = 200
    # Longest automatic excerpt, in characters.
    excerpt_length: int = 120
    # Also emit /YYYY/MM/ archive pages besides the yearly ones.
    monthly_archives: bool = True
    # Number of posts in the Atom feed.
    feed_limit: int = 20
    # Free-form values for layouts: {{ site.config.extra.whatever }}.
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Folders, relative to the site in config.yaml, absolute here.
    content_dir: Path = Path("content")
    layouts_dir: Path = Path("layouts")
    static_dir: Path = Path("static")
    data_dir: Path = Path("data")
    output_dir: Path = Path("output")
    # Set by the command line, not config.yaml.
    include_drafts: bool = False
    include_future: bool = False
    # "Now" for the future-post cut-off and the footer; injected so tests are deterministic.
    build_time: datetime | None = None

    @property
    def config_path(self) -> Path:
        return self.site_dir / CONFIG_FILE

    @property
    def tz(self) -> tzinfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def now(self) -> datetime:
        return self.build_time or datetime.now(self.tz)


# Keys config.yaml may set, with the type each must have.
_FILE_KEYS: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "author": str,
    "base_url": str,
    "language": str,
    "timezone": str,
    "paginate": int,
    "permalink": str,
    "taxonomy_slugs": dict,
    "raw_html": bool,
    "reading_chars_per_minute": int,
    "reading_words_per_minute": int,
    "excerpt_length": int,
    "monthly_archives": bool,
    "feed_limit": int,
    "extra": dict,
    "content_dir": str,
    "layouts_dir": str,
    "static_dir": str,
    "data_dir": str,
    "output_dir": str,
}
_PATH_KEYS = ("content_dir", "layouts_dir", "static_dir", "data_dir", "output_dir")
_POSITIVE_KEYS = (
    "paginate",
    "reading_chars_per_minute",
    "reading_words_per_minute",
    "excerpt_length",
    "feed_limit",
)


def load_config(site_dir: Path, **overrides: Any) -> Config:
    """Read `site_dir/config.yaml`, check every key, and return a Config.

    `overrides` are command-line values (output_dir, base_url, include_drafts, ...);
    they win over the file. All problems are reported together in one ConfigError.
    """
    site_dir = site_dir.resolve()
    path = site_dir / CONFIG_FILE
    raw = read_config_file(path)
    problems = check_config_values(raw)
    if isinstance(overrides.get("base_url"), str):  # --base-url gets the file's checks too
        problems += [
            f"--base-url: {p}" for p in _check_semantics({"base_url": overrides["base_url"]})
        ]
    if problems:
        raise ConfigError(path, problems)
    values = dict(raw)
    if "taxonomy_slugs" in values:  # YAML reads `2025: y2025` with a number as the key
        values["taxonomy_slugs"] = {str(k): v for k, v in values["taxonomy_slugs"].items()}
    for key in _PATH_KEYS:
        if key in values:
            values[key] = Path(values[key])
    values.update({k: v for k, v in overrides.items() if v is not None})
    config = Config(site_dir=site_dir, **values)
    return dataclasses.replace(config, **_absolute_dirs(config))


def read_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(path, ["not found; is this the site folder? (use -s SITE_DIR)"])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(path, [f"invalid YAML: {exc.problem}"], line) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot read: {exc}"]) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(path, ["must be a mapping of keys to values"])
    return raw


def check_config_values(raw: Mapping[str, Any]) -> list[str]:
    """Every problem with the file's keys and values, as readable sentences."""
    problems = []
    for key, value in raw.items():
        if key not in _FILE_KEYS:
            problems.append(_unknown_key_message(str(key)))
            continue
        expected = _FILE_KEYS[key]
        # bool is an int in Python; a paginate of `true` is still wrong.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problems.append(f"'{key}' must be {_type_name(expected)}, got {value!r}")
        elif key in _POSITIVE_KEYS and value < 1:
            problems.append(f"'{key}' must be at least 1, got {value}")
    problems += _check_semantics(raw)
    return problems


def _check_semantics(raw: Mapping[str, Any]) -> list[str]:
    problems = []
    zone = raw.get("timezone")
    if isinstance(zone, str):
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(f"'timezone' {zone!r} is not an IANA time zone (e.g. Asia/Tokyo)")
    lang = raw.get("language")
    if isinstance(lang, str) and lang not in ("ja", "en"):
        problems.append(f"'language' must be 'ja' or 'en', got {lang!r}")
    base_url = raw.get("base_url")
    if isinstance(base_url, str) and not _is_base_url(base_url):
        problems.append(f"'base_url' must be an absolute URL such as https://example.com/ "
                        f"or a path starting with '/', got {base_url!r}")  # fmt: skip
    permalink = raw.get("permalink")
    if isinstance(permalink, str) and not permalink.startswith("/"):
        problems.append(f"'permalink' must start with '/', got {permalink!r}")
    slugs = raw.get("taxonomy_slugs")
    if isinstance(slugs, dict) and not all(isinstance(v, str) for v in slugs.values()):
        problems.append("'taxonomy_slugs' must map term names to slug strings")
    return problems


def _is_base_url(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return value.startswith("/") and not value.startswith("//")


def _unknown_key_message(key: str) -> str:
    close = difflib.get_close_matches(key, _FILE_KEYS, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint}"


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", dict: "a mapping"}
    return names.get(expected, str(expected))  # type: ignore[arg-type]


def _absolute_dirs(config: Config) -> dict[str, Path]:
    return {key: (config.site_dir / getattr(config, key)).resolve() for key in _PATH_KEYS}
