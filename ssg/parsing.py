"""Parsing every source: cached by digest, the rest in a process pool, all errors collected."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt

from ssg.cache import source_digest
from ssg.config import Config
from ssg.content import ContentProblems, Parsed, parse_post
from ssg.errors import ContentError, SsgError
from ssg.markdown import make_markdown

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 64
Job = tuple[PurePosixPath, str, str]  # (source path, text, digest)


def parse_sources(
    sources: dict[PurePosixPath, str],
    config: Config,
    settings_key: str,
    cached: dict[str, Parsed],
    progress: Progress,
) -> tuple[dict[str, Parsed], list[SsgError]]:
    """Parsed posts by digest (reused from `cached` when the digest matches, else parsed),
    and the errors of every file that failed, each named from the site folder.
    """
    result: dict[str, Parsed] = {}
    jobs: list[Job] = []
    for path, text in sources.items():
        digest = source_digest(settings_key, path, text)
        if digest in cached:
            result[digest] = cached[digest]
        else:
            jobs.append((path, text, digest))
    errors: list[SsgError] = []
    for i, (digest, outcome, problems) in enumerate(_parse_jobs(jobs, config), start=1):
        if outcome is not None:
            result[digest] = outcome
        errors += problems
        if i % 100 == 0 or i == len(jobs):
            progress("parse", i, len(jobs))
    return result, [in_content(e) for e in errors]


def _parse_jobs(jobs: list[Job], config: Config) -> Iterator[tuple[str, Parsed | None, list]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        yield from (parse_job(job, config) for job in jobs)
        return
    chunk = max(1, len(jobs) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(parse_job, jobs, [config] * len(jobs), chunksize=chunk)


def parse_job(job: Job, config: Config) -> tuple[str, Parsed | None, list[ContentError]]:
    path, text, digest = job
    try:
        return digest, parse_post(path, text, config, markdown_for(config.raw_html), digest), []
    except ContentProblems as exc:
        return digest, None, exc.errors


@lru_cache(maxsize=4)
def markdown_for(raw_html: bool) -> MarkdownIt:
    """One parser per process and setting: building a MarkdownIt costs more than a post."""
    return make_markdown(raw_html=raw_html)


def in_content(error: SsgError) -> SsgError:
    """Name files from the site folder (content/posts/x.md), as the writer sees them."""
    if isinstance(error, ContentError) and error.path.parts[:1] != ("content",):
        return ContentError(Path("content") / error.path, error.message, error.line)
    return error
