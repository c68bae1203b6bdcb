"""Checking a site without building it: the pipeline up to the plan, output/ untouched.

When the build cache says output/ is what these inputs build (the no-change build's test,
ssg.incremental.freshness), the last build already parsed and planned them without an error,
so nothing is parsed again. Otherwise every source is parsed (those the cache knows by
digest are not), the site planned and its layouts compiled; all errors are collected, as a
build's are. Nothing is written: neither output/ nor the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError

from ssg.build.inputs import scan_inputs
from ssg.build.output import MARKER
from ssg.build.parse import ParsedSources, parse_sources
from ssg.build.plan import plan_site
from ssg.build.report import build_warnings
from ssg.build.stages import known_tickers, read_data_checked
from ssg.config import CACHE_DIR, Config
from ssg.content.post import Parsed, Post
from ssg.content.sources import StaticFiles
from ssg.errors import BuildFailed, SsgError
from ssg.incremental.freshness import is_up_to_date
from ssg.incremental.keys import parse_settings_key
from ssg.incremental.state import warnings_of
from ssg.incremental.store import StateStore
from ssg.render.templates import make_environment
from ssg.site.model import is_built


@dataclass(frozen=True)
class Validation:
    """What checking the inputs found, and whether output/ is their build."""

    errors: tuple[SsgError, ...]
    warnings: tuple[str, ...]
    # None when output/ holds exactly what these inputs build; else why it does not.
    stale: str | None
    # Every file the last build wrote into output/ (relative paths), when not stale.
    outputs: tuple[str, ...]
    # The posts and pages the site shows (read from the cache's shards on the first call).
    documents: Callable[[], list[Post]]


def validate_site(config: Config) -> Validation:
    """Check content, config, data and layouts as a build would, writing nothing."""
    key = parse_settings_key(config)
    last = StateStore(config.site_dir / CACHE_DIR).load(key)
    inputs = scan_inputs(config, key)
    if is_up_to_date(config, last, inputs.files, inputs.digest):
        current = {stamp[2] for stamp in last.stamps.values()}
        return Validation(
            errors=tuple(layout_syntax_errors(config)),
            warnings=last.summary[2],
            stale=None,
            outputs=tuple(last.outputs),
            documents=lambda: _built(config, last.parsed, current),
        )
    data, errors = read_data_checked(inputs.data)
    errors = [*inputs.errors, *errors]
    sources = parse_sources(config, inputs.files, last, lambda stage, done, total: None,
                            known_tickers(data))  # fmt: skip
    errors += sources.errors
    if not errors:
        errors += _plan_errors(config, sources, data, inputs.statics)
    errors += layout_syntax_errors(config)
    warnings = build_warnings(config, warnings_of(sources.parsed), inputs.warnings)
    parsed = sources.parsed
    return Validation(
        errors=tuple(errors),
        warnings=warnings,
        stale=_why_stale(config),
        outputs=(),
        documents=lambda: _built(config, parsed, set(parsed)),
    )


def _plan_errors(config: Config, sources: ParsedSources, data: Mapping[str, object],
                 statics: StaticFiles) -> list[SsgError]:  # fmt: skip
    """Path collisions and missing layouts."""
    try:
        plan_site(config, [p.post for p in sources.parsed.values()], data, statics)
    except BuildFailed as failed:
        return list(failed.errors)
    return []


def layout_syntax_errors(config: Config) -> list[SsgError]:
    """A Jinja syntax error in any of the site's layouts (used or not), at its line."""
    env = make_environment(config)
    errors: list[SsgError] = []
    for path in sorted(config.layouts_dir.rglob("*.html")):
        try:
            env.get_template(path.relative_to(config.layouts_dir).as_posix())
        except TemplateSyntaxError as exc:
            where = f"{_shown(path, config)}:{exc.lineno}"
            errors.append(SsgError(f"{where}: {exc.message or 'syntax error'}"))
    return errors


def _why_stale(config: Config) -> str:
    out = config.output_dir
    if not out.is_dir() or not (out / MARKER).exists():
        return f"{_shown(out, config)}/ has not been built"
    return (f"{_shown(out, config)}/ is out of date (files changed since the last `ssg build`, "
            "or it was built with other options or --no-cache)")  # fmt: skip


def _built(config: Config, parsed: Mapping[str, Parsed], digests: set[str]) -> list[Post]:
    posts = (entry.post for digest, entry in parsed.items() if digest in digests)
    return [post for post in posts if is_built(post, config)]


def _shown(path: Path, config: Config) -> str:
    if path.is_relative_to(config.site_dir):
        return path.relative_to(config.site_dir).as_posix()
    return path.as_posix()
