"""The build, as a pipeline of stages:

    read sources -> parse posts -> site model -> plan pages -> render -> write

The stages' disk access is confined to sources.py (reading), output.py (writing output/)
and cache.py (.ssg-cache/); everything in between works on values.

First every file is read and checked (all errors reported together); only then is
anything rendered, and only when every page rendered is output/ touched. Parsed posts and
page fingerprints are cached in .ssg-cache/, so a rebuild parses only changed files and
renders only pages whose inputs changed.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ssg.build.output import OutputWriter, check_output_dir, stage_bytes
from ssg.build.parse import Progress, parse_sources
from ssg.build.report import BuildReport, SiteModel, build_warnings
from ssg.config import Config
from ssg.content.sources import (
    SourceFile,
    collect_static,
    front_matter_line,
    read_data,
    scan_sources,
)
from ssg.errors import BuildFailed, ContentError, SsgError
from ssg.incremental.body_edits import rebuild_body_edits
from ssg.incremental.cache import CACHE_DIR, BuildCache, Output, parse_settings_key
from ssg.incremental.fingerprints import Dependencies
from ssg.incremental.freshness import (
    input_digest,
    next_clock_change,
    other_inputs_digest,
    outputs_intact,
    racy_files_unchanged,
    racy_sources_unchanged,
)
from ssg.markdown.parser import highlight_css
from ssg.render.feeds import render_atom, render_sitemap
from ssg.render.templates import (
    RenderError,
    bind_site,
    make_environment,
    render_pages,
    summarize_render_errors,
)
from ssg.site.model import Site, make_site
from ssg.site.pages import OutputPage, find_collisions, plan_pages


def build(
    config: Config,
    progress: Progress | None = None,
    use_cache: bool = True,
    committing: Callable[[], AbstractContextManager[object]] = nullcontext,
    cache: BuildCache | None = None,
    persist: bool = True,
    keep_model: bool = False,
) -> BuildReport:
    """Build the site into config.output_dir; raise BuildFailed listing every problem.

    `committing` wraps the moment files move into output/: the preview server holds
    requests only then, not for the whole build. A long-running caller (the preview
    server) passes its `cache` from the last build and may skip writing it to disk
    (`persist=False`) until it stops, and asks for the built site's model (`keep_model`),
    which also means building when the output is already up to date.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    check_output_dir(config)
    cache = open_cache(config, use_cache, cache)
    # First gather and check everything, so that all errors are known before any write.
    files = scan_sources(config.content_dir)
    statics = collect_static(config.static_dir)
    others, racy = other_inputs_digest(config, cache.key, statics)
    inputs = input_digest(others, files)
    if use_cache and not keep_model and is_up_to_date(config, cache, files, inputs):
        posts, pages, warnings = cache.report
        return BuildReport(posts, pages, len(cache.outputs), 0, 0, warnings,
                           time.perf_counter() - started)  # fmt: skip
    # The last build's stamps and other inputs, while output/ is still as it left them; a
    # build that fails from here on leaves neither a skip nor a quick path to the next one
    # (parsing moves cache.stamps on, and a preview server saves its cache later).
    last_stamps, last_others = cache.stamps, cache.others
    cache.inputs = cache.others = ""
    data, errors = read_data_checked(config)
    parsed, content_errors = parse_sources(config.content_dir, files, config, cache, report)
    errors += content_errors
    if errors:
        # Keep what did parse: after the writer fixes one file, only that file is parsed again.
        cache.parsed = {**cache.parsed, **parsed}
        if use_cache and persist:
            cache.save()
        raise BuildFailed(errors)
    if (use_cache and not keep_model and others and others == last_others
            and racy_files_unchanged(cache.racy)):  # fmt: skip
        # Only content/ changed since the last build: maybe only post bodies.
        quick = rebuild_body_edits(config, cache, last_stamps, parsed, data, committing)
        if quick is not None:
            cache.inputs, cache.others, cache.racy = inputs or "", others or "", racy
            if persist:
                cache.save()
            return dataclasses.replace(quick, seconds=time.perf_counter() - started)
    documents = [p.post for p in parsed.values()]
    site = make_site(config, documents, data)
    pages = plan_pages(site)
    check_collisions(pages, statics)
    # Then render what changed, and write.
    writer, rendered, deps = write_site(site, pages, statics, cache, report, committing)
    warnings = build_warnings(config, parsed.values())
    cache.parsed = parsed
    cache.inputs = inputs or ""
    cache.others = others or ""
    cache.racy = racy
    cache.valid_until = next_clock_change(config, documents, deps.reads_clock())
    cache.report = (len(site.posts), len(site.pages), warnings)
    if use_cache and persist:
        cache.save()
    return BuildReport(
        posts=len(site.posts),
        pages=len(site.pages),
        files=len(writer.planned),
        written=writer.written,
        rendered=rendered,
        warnings=warnings,
        seconds=time.perf_counter() - started,
        model=SiteModel(site, pages, deps) if keep_model else None,
    )


def read_data_checked(config: Config) -> tuple[dict[str, Any], list[SsgError]]:
    """data/'s files, and their errors: reported with the content's, in one build."""
    try:
        return read_data(config.data_dir), []
    except BuildFailed as failed:
        return {}, list(failed.errors)


def is_up_to_date(config: Config, cache: BuildCache, files: list[SourceFile],
                  inputs: str | None) -> bool:  # fmt: skip
    """The last build had these inputs, the clock has not moved past what it showed, and
    output/ is as it left it (ssg.incremental.freshness)."""
    if inputs is None or inputs != cache.inputs or cache.output_dir != str(config.output_dir):
        return False
    if cache.valid_until is not None and config.now >= cache.valid_until:
        return False
    if not racy_files_unchanged(cache.racy):
        return False
    if not racy_sources_unchanged(config.content_dir, cache.key, files, cache.stamps):
        return False
    return outputs_intact(config.output_dir, cache.outputs)


# Files every build writes besides pages and static files (a static file may replace the CSS).
GENERATED_FILES = {
    "feed.xml": "the Atom feed",
    "sitemap.xml": "the sitemap",
    "assets/highlight.css": "the code-highlighting stylesheet",
}


def open_cache(config: Config, use_cache: bool, cache: BuildCache | None) -> BuildCache:
    """The cache for this build: the caller's (if made under the same settings), the one
    on disk, or an empty one."""
    key = parse_settings_key(config)
    folder = config.site_dir / CACHE_DIR
    if not use_cache:
        return BuildCache(folder, key)
    return cache.for_key(key) if cache is not None else BuildCache.load(folder, key)


def check_collisions(pages: list[OutputPage], statics: dict[str, Path]) -> None:
    entries = [(p.url, p.source) for p in pages]
    entries += [("/" + rel, f"static/{rel}") for rel in statics]
    entries += [(f"/{rel}", what) for rel, what in GENERATED_FILES.items() if rel not in statics]
    problems = find_collisions(entries)
    if problems:
        hint = "; change a permalink or slug, or map a term with taxonomy_slugs in config.yaml"
        raise BuildFailed([SsgError(f"path collision: {p}{hint}") for p in problems])


def write_site(site: Site, pages: list[OutputPage], statics: dict[str, Path], cache: BuildCache,
               progress: Progress,
               committing: Callable[[], AbstractContextManager[object]] = nullcontext,
               ) -> tuple[OutputWriter, int, Dependencies]:  # fmt: skip
    """Render changed pages into staging; commit to output/ only if all of them rendered.

    Returns the writer, the number of pages rendered, and the pages' dependencies.
    """
    output_dir = site.config.output_dir
    previous = cache.outputs if cache.output_dir == str(output_dir) else {}
    writer = OutputWriter(output_dir, previous=previous.keys() if previous else None)
    env = make_environment(site.config)
    check_layouts(env, pages, site.config.content_dir)
    bind_site(env, site)
    deps = Dependencies(env, site)
    paths = [page.output_path for page in pages]
    fingerprints: dict[str, str] = {}
    if previous:
        fingerprints = dict(zip(paths, map(deps.fingerprint, pages), strict=True))
    todo: list[OutputPage] = []
    todo_paths: list[str] = []
    reserved: list[str] = []  # their paths in staging
    errors: list[RenderError] = []
    try:
        for path, page in zip(paths, pages, strict=True):
            if previous and is_current(str(output_dir), path, fingerprints[path], previous):
                writer.keep(path)
            else:
                todo.append(page)
                todo_paths.append(path)
                reserved.append(writer.reserve(path))
        stage = partial(_stage_page, output_dir, writer.staging_dir, reserved)
        for done, (page, staged) in enumerate(render_pages(env, site, todo, stage), start=1):
            if not previous:
                # Nothing to compare with: every page renders, and this process works out
                # the fingerprints for the next build while the workers render.
                fingerprints[todo_paths[done - 1]] = deps.fingerprint(page)
            if isinstance(staged, RenderError):
                errors.append(staged)
            elif staged:
                writer.staged(reserved[done - 1])
            if done % 500 == 0 or done == len(todo):
                progress("render", done, len(todo))
        if errors:
            raise BuildFailed(summarize_render_errors(errors))
        write_extras(writer, site, pages, statics)
    except BaseException:
        writer.abort()
        raise
    with committing():
        writer.commit()
    cache.output_dir = str(output_dir)
    cache.outputs = record_outputs(writer, fingerprints, previous)
    return writer, len(todo), deps


def _stage_page(output_dir: Path, staging_dir: Path, reserved: list[str],
                index: int, page: OutputPage, html: str) -> bool:  # fmt: skip
    # Runs in the render workers: each stages its own pages, in parallel.
    rel = reserved[index]
    return stage_bytes(output_dir / rel, staging_dir / rel, html.encode("utf-8"))


def check_layouts(env: Environment, pages: list[OutputPage], content_dir: Path) -> None:
    """Every `layout:` named in front matter exists; all missing ones reported at once."""
    known = set(env.list_templates())
    problems: list[SsgError] = []
    for page in pages:
        if page.template not in known:
            name = page.template.removesuffix(".html")
            close = difflib.get_close_matches(page.template, known, n=1)
            hint = f"; did you mean '{close[0].removesuffix('.html')}'?" if close else ""
            message = f"layout '{name}' not found in layouts/{hint}"
            line = front_matter_line(content_dir, page.source, "layout")
            problems.append(ContentError(Path("content") / page.source, message, line))
    if problems:
        raise BuildFailed(problems)


def is_current(output_dir: str, path: str, fingerprint: str,
               previous: dict[str, Output]) -> bool:  # fmt: skip
    """The page's inputs are unchanged and its file is as the last build left it."""
    known = previous.get(path)
    if known is None or known[0] != fingerprint:
        return False
    try:
        stat = os.stat(os.path.join(output_dir, path))
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == known[1:]


def record_outputs(writer: OutputWriter, fingerprints: dict[str, str],
                   previous: dict[str, Output]) -> dict[str, Output]:  # fmt: skip
    """Every file now in output/ with its page fingerprint, size and mtime; files this
    build did not touch keep what is_current found."""
    outputs = {path: previous[path] for path in writer.planned if path in previous}
    return {**outputs, **writer.written_stamps(fingerprints)}


def write_extras(writer: OutputWriter, site: Site, pages: list[OutputPage],
                 statics: dict[str, Path]) -> None:  # fmt: skip
    writer.add("feed.xml", render_atom(site).encode("utf-8"))
    html_urls = [p.url for p in pages if p.url != "/404.html"]
    writer.add("sitemap.xml", render_sitemap(site, html_urls).encode("utf-8"))
    if "assets/highlight.css" not in statics:
        writer.add("assets/highlight.css", highlight_css().encode("utf-8"))
    for rel, path in statics.items():
        writer.add_file(rel, path)
