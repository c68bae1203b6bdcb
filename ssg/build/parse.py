"""Parsing every source: cached by digest, the rest in a process pool, all errors collected."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, KeysView, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath
from typing import Any, cast

from markdown_it import MarkdownIt

from ssg.build.report import Progress, in_content
from ssg.config import Config
from ssg.content.listing import bounds_of, link_problem
from ssg.content.post import ContentProblems, Parsed, parse_post, with_data_files
from ssg.content.sources import (
    RACY_MTIME,
    SourceFile,
    data_files_unchanged,
    read_source,
    stamp_for,
)
from ssg.errors import ContentError, SsgError
from ssg.incremental.keys import Stamp, source_digest
from ssg.incremental.state import BuildState, PostFacts, catalog_of, facts_of
from ssg.interrupts import held, ignore_ctrl_c
from ssg.markdown.parser import make_markdown

# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 64
Job = tuple[PurePosixPath, str, str]  # (source path, text, digest)
Outcome = tuple[str, Parsed | None, list[ContentError]]  # (digest, the post, its errors)


@dataclass(frozen=True)
class ParsedSources:
    """What parsing the sources gave: posts by digest, the stamps of the files seen, and the
    errors of every file that failed (located, in file order)."""

    parsed: Mapping[str, Parsed]  # unchanged posts are read from the last state when asked
    stamps: dict[str, Stamp]
    errors: list[SsgError]
    # The text digests of the files stamped too new to trust whose stamp holds another
    # digest (a post drawing data files is known by one that folds theirs in).
    racy_texts: dict[str, str] = field(default_factory=dict)


def parse_sources(config: Config, files: list[SourceFile], previous: BuildState,
                  progress: Progress, tickers: frozenset[str] = frozenset()
                  ) -> ParsedSources:  # fmt: skip
    """Parse every source file, reusing what `previous` knows; `$SYMBOL` links for
    `tickers`, data/tickers.yaml's symbols (previous.key covers them: keys.py).

    A file whose size and mtime match the previous stamp is not even read; one whose bytes
    hash to a known digest is not parsed; the rest are parsed (in a pool when many).
    """
    content_dir, key = config.content_dir, previous.key
    read_from = time.time_ns()  # no file is read before this
    known_posts = previous.parsed  # from the cache: read a shard at a time, when asked
    result = PostsReused(known_posts)
    errors: list[ContentError] = []
    stamps: dict[str, Stamp] = {}
    to_read: list[SourceFile] = []
    data_digests: dict[str, str] = {}  # this build's data files, hashed when a post needs one
    rel_of: dict[str, str] = {}  # source digest -> source path, for posts parsed now

    catalog = catalog_of(known_posts)  # the cache's: its facts looked up without a call

    def current(digest: str) -> bool:
        """A post the last build had, to be kept: one whose charts drew data files is kept
        only while those files are unchanged."""
        if catalog is not None:
            facts = catalog.get(digest)
        else:
            facts = facts_of(known_posts, digest) if digest in known_posts else None
        return facts is not None and (not facts.data_files or data_files_unchanged(
            config.data_dir, facts.data_files, data_digests))  # fmt: skip

    for source in files:
        known = previous.stamps.get(source.rel)
        if known and known[0] == source.size and known[1] == source.mtime_ns and current(known[2]):
            result.reuse(known[2])
            stamps[source.rel] = known
        else:
            to_read.append(source)

    racy_texts: dict[str, str] = {}

    def note_racy_text(rel: str, text_digest: str) -> None:
        if stamps[rel][1] == RACY_MTIME:
            racy_texts[rel] = text_digest

    def jobs() -> Iterator[Job]:
        # Read lazily: the pool's workers parse the first files while the rest are read.
        for source in to_read:
            try:
                text = read_source(content_dir, source)
            except ContentError as exc:
                errors.append(exc)
                continue
            digest = source_digest(key, source.path, text)
            stamps[source.rel] = stamp_for(source, digest, read_from)
            rel_of[digest] = source.rel
            if digest in known_posts:
                result.reuse(digest)
            elif (drawn := _same_text_drawing_data(source.rel, digest)) is not None:
                result.reuse(drawn.post.digest)
                stamps[source.rel] = stamp_for(source, drawn.post.digest, read_from)
                note_racy_text(source.rel, digest)
            else:
                yield (source.path, text, digest)

    def _same_text_drawing_data(rel: str, digest: str) -> Parsed | None:
        # A post drawing data files is known by its digest with theirs: the same text read
        # again (a stamp too new to trust) is that post while the files are unchanged.
        last = previous.stamps.get(rel)
        if last is None or last[2] not in known_posts:
            return None
        files = facts_of(known_posts, last[2]).data_files
        if not files or with_data_files(digest, dict(files)) != last[2]:
            return None
        return known_posts[last[2]] if current(last[2]) else None

    def read_by_workers() -> Iterator[Outcome]:
        # Nothing known to match (a first build): the workers read and hash the files
        # themselves, so 50 MB of text neither takes this process's time nor goes
        # through a pipe.
        work = partial(read_and_parse_job, content_dir, key, tickers=tickers)
        pool = _parse_jobs(iter(to_read), len(to_read), config, work)
        for outcome, source in zip(pool, to_read, strict=True):
            if outcome[0]:
                stamps[source.rel] = stamp_for(source, outcome[0], read_from)
                rel_of[outcome[0]] = source.rel
            yield outcome

    if to_read and not known_posts:
        outcomes = read_by_workers()
    else:
        outcomes = _parse_jobs(jobs(), len(to_read), config, partial(parse_job, tickers=tickers))
    for i, (digest, outcome, problems) in enumerate(outcomes, start=1):
        if outcome is not None:
            result.add(outcome.post.digest, outcome)
            if outcome.post.digest != digest:  # it drew data files: they are in its digest
                rel = rel_of[digest]
                stamps[rel] = (*stamps[rel][:2], outcome.post.digest)
                note_racy_text(rel, digest)
        errors += problems
        if i % 100 == 0:
            progress("parse", i, len(to_read))
    errors.sort(key=lambda e: (e.path.as_posix(), e.line or 0))
    return ParsedSources(result, stamps, [in_content(e) for e in errors], racy_texts)


class PostsReused(Mapping[str, Parsed]):
    """Posts by digest: those parsed now, and those reused from the last build's, read
    from it when first asked (a build after one edit asks for few; the cache then reads a
    few of its shards). Its facts (data files, warnings) need no post read."""

    def __init__(self, last: Mapping[str, Parsed]) -> None:
        self.last = last
        self._posts: dict[str, Parsed | None] = {}  # None: the last build's, not read yet
        self._now: dict[str, Parsed] = {}  # parsed by this build

    def reuse(self, digest: str) -> None:
        self._posts[digest] = None

    def add(self, digest: str, parsed: Parsed) -> None:
        self._posts[digest] = self._now[digest] = parsed

    def parsed_now(self) -> Mapping[str, Parsed]:
        return self._now

    def __getitem__(self, digest: str) -> Parsed:
        parsed = self._posts[digest]
        if parsed is None:
            parsed = self._posts[digest] = self.last[digest]
        return parsed

    def __iter__(self) -> Iterator[str]:
        return iter(self._posts)

    def __len__(self) -> int:
        return len(self._posts)

    def __contains__(self, digest: object) -> bool:
        return digest in self._posts

    def keys(self) -> KeysView[str]:
        return self._posts.keys()  # set operations in C, for the cache's 100,000s of posts

    def facts(self, digest: str) -> PostFacts:
        parsed = self._posts[digest]
        if parsed is None:
            return facts_of(self.last, digest)
        return PostFacts(parsed.post.data_files, parsed.warnings)

    def values(self) -> Any:
        self._read_all()
        return cast("dict[str, Parsed]", self._posts).values()

    def items(self) -> Any:
        self._read_all()
        return cast("dict[str, Parsed]", self._posts).items()

    def _read_all(self) -> None:
        posts = self._posts
        missing = [digest for digest, parsed in posts.items() if parsed is None]
        if not missing:
            return
        # A cache's posts in one go (it reads them a shard at a time), else one by one.
        read_many = getattr(self.last, "read_many", None)
        found = read_many(missing) if read_many else {d: self.last[d] for d in missing}
        posts.update(found)


def parse_one(config: Config, rel: str, key: str, known: Mapping[str, Parsed],
              tickers: frozenset[str] = frozenset()) -> tuple[Parsed, Stamp] | None:  # fmt: skip
    """One source file (a watcher reported it), parsed unless its digest is `known`; None
    if it cannot be read, does not parse or is a link ssg does not follow (the full build
    reports why)."""
    if link_problem(config.content_dir / rel, bounds_of(config)) is not None:
        return None
    try:
        stat = os.stat(config.content_dir / rel)
        source = SourceFile(rel, stat.st_size, stat.st_mtime_ns)
        text = read_source(config.content_dir, source)
    except (OSError, ContentError):
        return None
    digest = source_digest(key, source.path, text)
    parsed = known.get(digest)
    if parsed is None:
        _digest, parsed, _problems = parse_job((source.path, text, digest), config, tickers=tickers)
    # A post that draws data files has them in its digest.
    return (parsed, stamp_for(source, parsed.post.digest)) if parsed is not None else None


def _parse_jobs(jobs: Iterator[Any], count: int, config: Config,
                work: Callable[[Any, Config], Outcome]) -> Iterator[Outcome]:  # fmt: skip
    """`work` on each of `jobs` (about `count` of them) in order, in a pool when there are
    many."""
    workers = min(os.cpu_count() or 1, 8)
    if count < PARALLEL_THRESHOLD or workers < 2:
        yield from (work(job, config) for job in jobs)
        return
    # Imported here: a rebuild that parses a few files in this process skips their 20 ms.
    import multiprocessing

    # Small chunks (about 32 per worker): post sizes vary tenfold, and with 8 big chunks per
    # worker one of them idled at the end (parse wall / half its CPU: 1.10 -> 1.055 at
    # 10,000 posts on 2 cores).
    chunk = max(1, count // (workers * 32))
    # Forking a process that runs other threads (the preview server) can deadlock a child;
    # there, workers start from a clean server process instead.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    context = multiprocessing.get_context(method)
    with held(signal.SIGINT):  # until the workers ignore it
        pool = context.Pool(workers, initializer=ignore_ctrl_c)
    # Leaving the block early (Ctrl-C, an error) terminates the workers: none is left
    # waiting for work after ssg exits.
    with pool:
        yield from pool.imap(partial(_work_on, work, config), jobs, chunksize=chunk)


def _work_on(work: Callable[[Any, Config], Outcome], config: Config, job: Any) -> Outcome:
    return work(job, config)


def read_and_parse_job(content_dir: Path, settings_key: str, source: SourceFile,
                       config: Config, tickers: frozenset[str] = frozenset()
                       ) -> Outcome:  # fmt: skip
    try:
        text = read_source(content_dir, source)
    except ContentError as exc:
        return "", None, [exc]
    job = (source.path, text, source_digest(settings_key, source.path, text))
    return parse_job(job, config, tickers=tickers)


def parse_job(job: Job, config: Config, tickers: frozenset[str] = frozenset()) -> Outcome:
    path, text, digest = job
    try:
        md = markdown_for(config.raw_html, config.base_path, config.language,
                          config.taxonomy_path("tickers"), config.markdown_attributes,
                          config.heading_ids)  # fmt: skip
        return digest, parse_post(path, text, config, md, digest, tickers), []
    except ContentProblems as exc:
        return digest, None, exc.errors


@lru_cache(maxsize=4)
def markdown_for(raw_html: bool, base_path: str, language: str = "ja",
                 ticker_path: str = "/tickers/", attributes: bool = False,
                 heading_ids: str = "ssg") -> MarkdownIt:  # fmt: skip
    """One parser per process and setting: building a MarkdownIt costs more than a post."""
    return make_markdown(raw_html=raw_html, base_path=base_path, language=language,
                         ticker_path=ticker_path, attributes=attributes,
                         heading_ids=heading_ids)  # fmt: skip
