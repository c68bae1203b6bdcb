"""A Hugo site's configuration (`hugo.toml`, `config.yaml`, ...): the keys an import needs."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ssg.errors import SsgError

# Hugo looks for these in this order (hugo.* since 0.110; config.* before it).
CONFIG_NAMES = tuple(
    f"{folder}{stem}.{ext}"
    for folder in ("", "config/_default/")
    for stem in ("hugo", "config")
    for ext in ("toml", "yaml", "yml", "json")
)
DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}


@dataclass(frozen=True, slots=True)
class HugoConfig:
    """What the import reads from the old site's configuration."""

    path: str  # the config file, relative to the old site (`hugo.toml`)
    base_url: str
    title: str
    language_code: str
    time_zone: tzinfo  # reads dates without an offset; Hugo's default is UTC
    time_zone_name: str  # as written, "" when unset
    permalinks: dict[str, str]  # section (or taxonomy) -> pattern
    paginate: int
    paginate_path: str  # `page`: list page N lives at `<list>/page/N/`
    taxonomies: dict[str, str]  # singular -> plural (`tag` -> `tags`)
    ugly_urls: bool
    path_to_lower: bool  # Hugo lower-cases paths made from file names unless disabled
    main_sections: tuple[str, ...]  # () when not set: the section with most pages
    description: str
    author: str
    theme: str
    params: dict[str, Any] = field(default_factory=dict)


def find_config(source: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (source / name).is_file():
            return source / name
    return None


def read_hugo_config(source: Path) -> tuple[HugoConfig, list[str]]:
    """The config of the Hugo site at `source`, and its problems, each located as
    `hugo.toml:7: ...` (Hugo's defaults stand in for what could not be read, so that the
    content's problems are found in the same run)."""
    path = find_config(source)
    if path is None:
        names = ", ".join(CONFIG_NAMES[:4])
        raise SsgError(f"{source}: no Hugo config file ({names}, ...); is this a Hugo site?")
    shown = path.relative_to(source).as_posix()
    problems: list[str] = []
    try:
        data = load_config_file(path, shown)
    except SsgError as exc:
        problems.append(str(exc))
        data = {}
    return _config_from(data, shown, problems), problems


def load_config_file(path: Path, shown: str) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except tomllib.TOMLDecodeError as exc:
        raise SsgError(f"{shown}:{toml_error_line(exc)}: invalid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SsgError(f"{shown}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise SsgError(f"{shown}:{line}: invalid YAML: {exc.problem}") from None
    if not isinstance(data, dict):
        raise SsgError(f"{shown}:1: the config must be a mapping of keys")
    # Hugo's keys are case-insensitive (`baseURL`, `baseurl`).
    return {str(k).lower(): v for k, v in data.items()}


def toml_error_line(exc: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"at line (\d+)", str(exc))
    return int(match[1]) if match else 1


def _config_from(data: dict[str, Any], shown: str, problems: list[str]) -> HugoConfig:
    params = _lower_keys(data.get("params"))
    pagination = _lower_keys(data.get("pagination"))
    zone_name = str(data.get("timezone") or "")
    return HugoConfig(
        path=shown,
        base_url=str(data.get("baseurl") or "/"),
        title=str(data.get("title") or ""),
        language_code=str(data.get("languagecode") or data.get("defaultcontentlanguage") or ""),
        time_zone=_zone(zone_name, shown, problems),
        time_zone_name=zone_name,
        permalinks={
            str(k): str(v)
            for k, v in _lower_keys(data.get("permalinks")).items()
            if isinstance(v, str)
        },  # fmt: skip
        paginate=_positive(
            pagination.get("pagersize") or data.get("paginate") or 10, shown, "paginate", problems
        ),  # fmt: skip
        paginate_path=str(pagination.get("path") or data.get("paginatepath") or "page"),
        taxonomies=_taxonomies(data),
        ugly_urls=data.get("uglyurls") is True,
        path_to_lower=data.get("disablepathtolower") is not True,
        main_sections=_main_sections(params, data),
        description=str(params.get("description") or data.get("description") or ""),
        author=_author(params, data),
        theme=_theme(data.get("theme")),
        params=params,
    )


def _lower_keys(value: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _zone(name: str, shown: str, problems: list[str]) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{shown}: timeZone: unknown time zone {name!r}")
        return UTC


def _positive(value: Any, shown: str, key: str, problems: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.append(f"{shown}: {key}: expected a whole number above 0, got {value!r}")
    return 10


def _taxonomies(data: dict[str, Any]) -> dict[str, str]:
    value = data.get("taxonomies")
    if not isinstance(value, dict):
        return dict(DEFAULT_TAXONOMIES)
    return {str(k): str(v) for k, v in value.items()}


def _main_sections(params: dict[str, Any], data: dict[str, Any]) -> tuple[str, ...]:
    value = params.get("mainsections") or data.get("mainsections")
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _author(params: dict[str, Any], data: dict[str, Any]) -> str:
    for value in (params.get("author"), data.get("author")):
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and value.get("name"):
            return str(value["name"])
    return ""


def _theme(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")
