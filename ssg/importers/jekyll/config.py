"""A Jekyll site's `_config.yml`, read safely, and its front-matter defaults."""

from __future__ import annotations

import fnmatch
import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

import yaml

from ssg.errors import SsgError
from ssg.importers.jekyll.urls import style_to_permalink

# Configuration::DEFAULTS' exclude list (Jekyll 4.3).
DEFAULT_EXCLUDE = (
    ".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/",
)  # fmt: skip
DEFAULT_MARKDOWN_EXT = "markdown,mkdown,mkdn,mkd,md"


@dataclass(frozen=True, slots=True)
class JekyllConfig:
    """What the import needs from `_config.yml`, with Jekyll's defaults filled in."""

    data: Mapping[str, Any]  # the whole file, as safe YAML read it
    permalink_style: str  # `permalink:` as written (default "date")
    posts_permalink: str  # the posts collection's URL template
    timezone: str  # IANA name: `timezone:`, else the machine's zone, as Jekyll does
    tz: tzinfo
    url: str  # `url:` without a trailing slash
    baseurl: str  # `baseurl:` with a leading and no trailing slash ("" for none)
    paginate: int | None
    paginate_path: str
    exclude: tuple[str, ...]
    include: tuple[str, ...]
    plugins: tuple[str, ...]
    markdown_exts: tuple[str, ...]  # with dots: (".md", ".markdown", ...)
    future: bool
    defaults: tuple[Mapping[str, Any], ...] = field(default=())


def read_jekyll_config(source: Path) -> JekyllConfig:
    path = source / "_config.yml"
    if not path.is_file():
        path = source / "_config.yaml"
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as exc:
            raise SsgError(f"{path}: not valid YAML: {exc}") from None
        data = loaded if isinstance(loaded, dict) else {}
    style = str(data.get("permalink") or "date")
    collections = data.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    posts_permalink = posts.get("permalink") if isinstance(posts, dict) else None
    zone = str(data.get("timezone") or machine_timezone())
    exts = str(data.get("markdown_ext") or DEFAULT_MARKDOWN_EXT)
    return JekyllConfig(
        data=data,
        permalink_style=style,
        posts_permalink=str(posts_permalink or style_to_permalink(style)),
        timezone=zone,
        tz=_zone(zone),
        url=str(data.get("url") or "").rstrip("/"),
        baseurl=("/" + str(data.get("baseurl") or "").strip("/")).rstrip("/"),
        paginate=_int(data.get("paginate")),
        paginate_path=str(data.get("paginate_path") or "/page:num"),
        exclude=(*DEFAULT_EXCLUDE, *_strings(data.get("exclude"))),
        include=(".htaccess", *_strings(data.get("include"))),
        plugins=(*_strings(data.get("plugins")), *_strings(data.get("gems"))),
        markdown_exts=tuple("." + e.strip() for e in exts.split(",") if e.strip()),
        future=data.get("future") is True,
        defaults=tuple(d for d in data.get("defaults") or () if isinstance(d, dict)),
    )


def machine_timezone() -> str:
    """The zone Ruby's Time#localtime uses when `timezone:` is not set: TZ, else the
    system's (/etc/timezone, /etc/localtime's link), else UTC."""
    if os.environ.get("TZ"):
        return os.environ["TZ"].lstrip(":")
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or "UTC"
    except OSError:
        pass
    try:
        return os.readlink("/etc/localtime").split("zoneinfo/", 1)[1]
    except (OSError, IndexError):
        return "UTC"


def _zone(name: str) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SsgError(f"_config.yml: timezone {name!r} is not an IANA zone name") from None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def front_matter_defaults(config: JekyllConfig, relative_path: str, kind: str) -> dict[str, Any]:
    """FrontmatterDefaults#all: the `defaults:` values whose scope (path, type) takes this
    file (`kind` is posts, drafts or pages); a narrower path, then a named type, wins."""
    matching = []
    for entry in config.defaults:
        scope = entry.get("scope") or {}
        values = entry.get("values")
        if not isinstance(scope, dict) or not isinstance(values, dict):
            continue
        scope_path = str(scope.get("path") or "").strip("/")
        scope_type = scope.get("type")
        if scope_type and scope_type != kind:
            continue
        if not _path_in_scope(relative_path, scope_path):
            continue
        matching.append((len(scope_path.split("/")) if scope_path else 0, bool(scope_type), values))
    merged: dict[str, Any] = {}
    for _depth, _typed, values in sorted(matching, key=lambda m: (m[0], m[1])):
        merged.update(values)
    return merged


def _path_in_scope(relative_path: str, scope_path: str) -> bool:
    if not scope_path:
        return True
    if "*" in scope_path:
        return fnmatch.fnmatch(relative_path, scope_path) or fnmatch.fnmatch(
            relative_path, scope_path + "/*"
        )
    return relative_path == scope_path or relative_path.startswith(scope_path + "/")


def is_excluded(config: JekyllConfig, relative_path: str) -> bool:
    """EntryFilter: a file under an `exclude:` entry (a path prefix or a glob)."""
    for pattern in config.exclude:
        pattern = pattern.strip("/")
        if relative_path == pattern or relative_path.startswith(pattern + "/"):
            return True
        if fnmatch.fnmatch(relative_path, pattern):
            return True
    return False
