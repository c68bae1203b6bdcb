"""Rebuilding after edits to post bodies only: the preview server's quick path.

While a writer types, each save changes one post's body and nothing else (same title,
date, tags and excerpt), so the site keeps the same pages with the same lists. Such a
rebuild parses the saved files, re-renders only the pages whose layouts show those posts'
bodies (the post's page and its neighbours' in the default theme), updates the feed if
they are in it, and leaves every other file as the last full build wrote it.

Anything else (a new, renamed or deleted file, changed metadata, a layout that shows
bodies of posts it reaches through `site`, a clock that moved on) returns None and the
caller runs the full build, which writes the same bytes: tests compare the two.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ssg.build.output import OutputWriter
from ssg.build.parse import parse_job
from ssg.build.report import BuildReport, SiteModel, build_warnings
from ssg.config import Config
from ssg.content.post import Parsed, Post
from ssg.content.sources import SourceFile, read_source, stamp_for
from ssg.errors import ContentError
from ssg.incremental.cache import BuildCache, Stamp, source_digest
from ssg.incremental.fingerprints import Dependencies
from ssg.incremental.freshness import outputs_intact
from ssg.render.feeds import render_atom
from ssg.render.templates import RenderError, bind_site, make_environment, render_page
from ssg.site import walk
from ssg.site.model import make_site
from ssg.site.pages import OutputPage, plan_pages

# Parts of `site` that hold posts: a layout showing bodies and reading these could show
# an edited body on any page.
_POST_PARTS = frozenset({"posts", "categories", "tags", "years", "months", "term_index"})


@dataclass
class BodyEdits:
    """A full build's model plus the body edits made since, for the next quick rebuild."""

    model: SiteModel
    # id of a post object in the model -> its newest version (the model itself never changes)
    newest: dict[int, Post] = field(default_factory=dict)
    _by_source: dict[str, Post] | None = None
    _showing: dict[int, list[int]] | None = None  # id of a post -> pages showing its body

    def rebuild(self, paths: Iterable[Path], cache: BuildCache,
                committing: Callable[[], AbstractContextManager[object]] = nullcontext,
                known: Mapping[str, Parsed] | None = None) -> BuildReport | None:  # fmt: skip
        """Re-render what the edits to `paths` change; None if they are not body edits.

        `known` holds posts already parsed, by digest (a build that just parsed them)."""
        started = time.perf_counter()
        site, deps = self.model.site, self.model.deps
        config = site.config
        if not self._layouts_allow() or (cache.valid_until and config.now >= cache.valid_until):
            return None
        edits = self._parse(paths, cache, known or {})
        if edits is None:
            return None
        newest = {**self.newest, **{id(old): parsed.post for old, parsed, _stamp in edits}}
        showing = self._pages_showing()
        todo = sorted({i for old, _parsed, _stamp in edits for i in showing.get(id(old), [])})
        writer = OutputWriter(config.output_dir, previous=cache.outputs.keys())
        rendered: list[tuple[str, str]] = []  # (output path, fingerprint)
        try:
            for index in todo:
                page = _swap_page(self.model.pages[index], newest)
                html = render_page(deps.env, page, site)
                writer.add(page.output_path, html.encode("utf-8"))
                rendered.append((page.output_path, deps.fingerprint(page)))
            in_feed = {id(p) for p in site.posts[: config.feed_limit]}
            if any(id(old) in in_feed for old, _parsed, _stamp in edits):
                posts = [newest.get(id(p), p) for p in site.posts]
                writer.add("feed.xml", render_atom(site, posts).encode("utf-8"))
        except RenderError:
            writer.abort()
            return None  # the full build reports it, for every page it concerns
        except BaseException:
            writer.abort()
            raise
        with committing():
            writer.commit(remove_stale=False)
        self.newest = newest
        self._record(cache, writer, dict(rendered), edits)
        return BuildReport(
            posts=len(site.posts), pages=len(site.pages), files=len(cache.outputs),
            written=writer.written, rendered=len(rendered), warnings=cache.report[2],
            seconds=time.perf_counter() - started,
        )  # fmt: skip

    def _layouts_allow(self) -> bool:
        """No layout that shows bodies reaches posts other than through its page's values."""
        deps = self.model.deps
        for template in {page.template for page in self.model.pages}:
            closure = deps.template_closure(template)
            if closure.body and (
                closure.site_attrs & _POST_PARTS
                or ("term_for" in closure.site_attrs and closure.deep_terms)
            ):
                return False
        return True

    def _parse(self, paths: Iterable[Path], cache: BuildCache, known: Mapping[str, Parsed],
               ) -> list[tuple[Post, Parsed, Stamp]] | None:  # fmt: skip
        """(post in the model, its new parse, its new stamp) for each path; None unless every
        path is a published post whose metadata did not change."""
        config = self.model.site.config
        edits = []
        for path in set(paths):
            try:
                rel = PurePosixPath(path.relative_to(config.content_dir).as_posix())
                stat = os.stat(path)
                source = SourceFile(rel.as_posix(), stat.st_size, stat.st_mtime_ns)
                text = read_source(config.content_dir, source)
            except (ValueError, OSError, ContentError):
                return None
            old = self._sources().get(rel.as_posix())
            if old is None:
                return None  # a new file, a draft, a page: the full build decides
            digest = source_digest(cache.key, rel, text)
            parsed = known.get(digest) or cache.parsed.get(digest)
            if parsed is None:
                _digest, parsed, _problems = parse_job((rel, text, digest), config)
            if parsed is None or parsed.post.meta_digest != old.meta_digest:
                return None
            edits.append((old, parsed, stamp_for(source, digest)))
        return edits

    def _sources(self) -> dict[str, Post]:
        if self._by_source is None:
            posts = self.model.site.posts
            self._by_source = {p.source_path.as_posix(): p for p in posts}
        return self._by_source

    def _pages_showing(self) -> dict[int, list[int]]:
        """For each post, the pages whose layouts may show its body (computed once)."""
        if self._showing is None:
            deps = self.model.deps
            showing: dict[int, list[int]] = {}
            for index, page in enumerate(self.model.pages):
                if deps.template_closure(page.template).body:
                    for post in {id(p): p for p in walk.posts_in(page.context.values())}.values():
                        showing.setdefault(id(post), []).append(index)
            self._showing = showing
        return self._showing

    def _record(self, cache: BuildCache, writer: OutputWriter, fingerprints: dict[str, str],
                edits: list[tuple[Post, Parsed, Stamp]]) -> None:  # fmt: skip
        """Bring the cache up to date, so a later full build knows these files are current."""
        cache.outputs.update(writer.written_stamps(fingerprints))
        parsed = dict(cache.parsed)
        for old, new, stamp in edits:
            rel = old.source_path.as_posix()
            previous = cache.stamps.get(rel)
            if previous and previous[2] != stamp[2]:
                parsed.pop(previous[2], None)
            parsed[stamp[2]] = new
            cache.stamps[rel] = stamp
        cache.parsed = parsed
        cache.inputs = ""  # the next `ssg build` checks every file again
        config = self.model.site.config
        cache.report = (*cache.report[:2], build_warnings(config, parsed.values()))


def rebuild_body_edits(config: Config, cache: BuildCache, last_stamps: Mapping[str, Stamp],
                       parsed: Mapping[str, Parsed], data: Mapping[str, Any],
                       committing: Callable[[], AbstractContextManager[object]] = nullcontext,
                       ) -> BuildReport | None:  # fmt: skip
    """`ssg build`'s quick path: when the last build's files all remain and only post bodies
    changed, rebuild the last build's site from the cache and hand the edits to BodyEdits.

    The caller has checked that no input outside content/ changed; `cache.stamps`,
    `parsed` and `data` are this build's, `last_stamps` and `cache.parsed` the last
    build's. None means the full build must run.
    """
    stamps = cache.stamps
    if set(stamps) != set(last_stamps) or cache.output_dir != str(config.output_dir):
        return None  # a file was added or removed
    if cache.valid_until and config.now >= cache.valid_until:
        return None
    changed = [rel for rel, stamp in stamps.items() if stamp[2] != last_stamps[rel][2]]
    if not changed:
        return None
    for rel in changed:
        # Rebuilding the last site costs ~0.5 s at 10,000 posts: first rule out the edits
        # BodyEdits would decline anyway (changed metadata, a file that did not parse).
        last, new = cache.parsed.get(last_stamps[rel][2]), parsed.get(stamps[rel][2])
        if last is None or new is None or last.post.meta_digest != new.post.meta_digest:
            return None
    if not outputs_intact(config.output_dir, cache.outputs):
        return None  # the full build finds and rewrites what was touched
    site = make_site(config, [p.post for p in cache.parsed.values()], data)
    env = make_environment(config)
    bind_site(env, site)
    model = SiteModel(site, plan_pages(site), Dependencies(env, site))
    cache.stamps = dict(last_stamps)  # as the model's posts; rebuild() records the edits
    report = BodyEdits(model).rebuild(
        [config.content_dir / rel for rel in changed], cache, committing, known=parsed
    )
    cache.stamps = stamps
    return report


def _swap_page(page: OutputPage, newest: Mapping[int, Post]) -> OutputPage:
    context = walk.replace_posts(dict(page.context), lambda p: newest.get(id(p), p))
    return dataclasses.replace(page, context=context)
