"""The build: the only code that reads content/ or writes output/.

    read sources -> parse posts -> site model -> plan pages -> render -> write

First every file is read and checked (all errors reported together); only then is
anything rendered, and only when every page rendered is output/ touched.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markdown_it import MarkdownIt

from ssg.config import Config
from ssg.content import ContentProblems, Parsed, parse_post
from ssg.errors import BuildFailed, ContentError, SsgError
from ssg.feeds import render_atom, render_sitemap
from ssg.markdown import highlight_css, make_markdown
from ssg.output import OutputWriter, check_output_dir
from ssg.pages import OutputPage, find_collisions, plan_pages
from ssg.render import RenderError, make_environment, render_page
from ssg.site import Site, make_site

MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_STATIC = Path(__file__).parent / "default_static"
# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 64

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a successful build did."""

    posts: int
    pages: int  # standalone pages
    files: int  # files in output/
    written: int  # files new or changed this build
    warnings: tuple[str, ...]
    seconds: float


def build(config: Config, progress: Progress | None = None) -> BuildReport:
    """Build the site into config.output_dir; raise BuildFailed listing every problem."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    check_output_dir(config)
    sources = read_sources(config.content_dir)
    parsed = parse_sources(sources, config, report)
    site = make_site(config, [p.post for p in parsed], read_data(config.data_dir))
    pages = plan_pages(site)
    statics = collect_static(config)
    check_collisions(pages, statics)
    writer = write_site(site, pages, statics, report)
    return BuildReport(
        posts=len(site.posts),
        pages=len(site.pages),
        files=writer.written + writer.unchanged,
        written=writer.written,
        warnings=tuple(str(_in_content(w)) for p in parsed for w in p.warnings),
        seconds=time.perf_counter() - started,
    )


def read_sources(content_dir: Path) -> dict[PurePosixPath, str]:
    """Every Markdown file under content/, by path relative to it; hidden files skipped."""
    sources = {}
    for path in sorted(content_dir.rglob("*")):
        rel = path.relative_to(content_dir)
        if path.suffix.lower() not in MARKDOWN_SUFFIXES or _hidden(rel) or not path.is_file():
            continue
        try:
            sources[PurePosixPath(rel.as_posix())] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise BuildFailed(
                [ContentError(Path("content") / rel, f"not UTF-8 text ({exc.reason})")]
            ) from None
    return sources


def _hidden(rel: Path) -> bool:
    # Editor temp files (.#x.md, x.md~) and dot folders are never content.
    return any(p.startswith((".", "_", "#")) or p.endswith("~") for p in rel.parts)


def parse_sources(
    sources: dict[PurePosixPath, str], config: Config, progress: Progress
) -> list[Parsed]:
    """Parse every source (in a process pool when there are many); collect all errors."""
    items = list(sources.items())
    results: list[Parsed] = []
    errors: list[SsgError] = []
    for i, (outcome, problems) in enumerate(_parse_all(items, config), start=1):
        if outcome is not None:
            results.append(outcome)
        errors += problems
        if i % 100 == 0 or i == len(items):
            progress("parse", i, len(items))
    if errors:
        raise BuildFailed([_in_content(e) for e in errors])
    return results


def _parse_all(items: list[tuple[PurePosixPath, str]], config: Config) -> Iterator[Any]:
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_THRESHOLD or workers < 2:
        yield from (_parse_one(item, config) for item in items)
        return
    chunk = max(1, len(items) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_parse_one, items, [config] * len(items), chunksize=chunk)


def _parse_one(
    item: tuple[PurePosixPath, str], config: Config
) -> tuple[Parsed | None, list[ContentError]]:
    path, text = item
    try:
        return parse_post(path, text, config, markdown_for(config.raw_html)), []
    except ContentProblems as exc:
        return None, exc.errors


@lru_cache(maxsize=4)
def markdown_for(raw_html: bool) -> MarkdownIt:
    """One parser per process and setting: building a MarkdownIt costs more than a post."""
    return make_markdown(raw_html=raw_html)


def _in_content(error: SsgError) -> SsgError:
    # Messages name files from the site folder (content/posts/x.md), as the writer sees them.
    if isinstance(error, ContentError) and error.path.parts[:1] != ("content",):
        return ContentError(Path("content") / error.path, error.message, error.line)
    return error


def read_data(data_dir: Path) -> dict[str, Any]:
    """data/*.yaml|yml|json, by file stem (Jekyll's site.data)."""
    data: dict[str, Any] = {}
    if not data_dir.is_dir():
        return data
    errors = []
    for path in sorted(data_dir.iterdir()):
        try:
            if path.suffix in (".yaml", ".yml"):
                data[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
            elif path.suffix == ".json":
                data[path.stem] = json.loads(path.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            errors.append(ContentError(Path("data") / path.name, f"cannot read: {exc}"))
    if errors:
        raise BuildFailed(errors)
    return data


def collect_static(config: Config) -> dict[str, Path]:
    """Files copied as they are: the theme's, then the site's static/ (which wins)."""
    files: dict[str, Path] = {}
    for root in (DEFAULT_STATIC, config.static_dir):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if path.is_file() and not _hidden(rel):
                    files[rel.as_posix()] = path
    return files


def check_collisions(pages: list[OutputPage], statics: dict[str, Path]) -> None:
    entries = [(p.url, p.source) for p in pages]
    entries += [("/" + rel, f"static/{rel}") for rel in statics]
    entries += [("/feed.xml", "the Atom feed"), ("/sitemap.xml", "the sitemap")]
    problems = find_collisions(entries)
    if problems:
        raise BuildFailed([SsgError(f"path collision: {p}") for p in problems])


def write_site(site: Site, pages: list[OutputPage], statics: dict[str, Path],
               progress: Progress) -> OutputWriter:  # fmt: skip
    """Render every page into staging; commit to output/ only if all of them rendered."""
    writer = OutputWriter(site.config.output_dir)
    env = make_environment(site.config)
    errors: list[SsgError] = []
    try:
        for i, page in enumerate(pages, start=1):
            try:
                writer.add(page.output_path, render_page(env, page, site).encode("utf-8"))
            except RenderError as exc:
                errors.append(exc)
            if i % 200 == 0 or i == len(pages):
                progress("render", i, len(pages))
        if errors:
            raise BuildFailed(errors)
        write_extras(writer, site, pages, statics)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    return writer


def write_extras(writer: OutputWriter, site: Site, pages: list[OutputPage],
                 statics: dict[str, Path]) -> None:  # fmt: skip
    writer.add("feed.xml", render_atom(site).encode("utf-8"))
    html_urls = [p.url for p in pages if p.output_path.endswith(".html") and p.url != "/404.html"]
    writer.add("sitemap.xml", render_sitemap(site, html_urls).encode("utf-8"))
    if "assets/highlight.css" not in statics:
        writer.add("assets/highlight.css", highlight_css().encode("utf-8"))
    for rel, path in statics.items():
        writer.add_file(rel, path)
