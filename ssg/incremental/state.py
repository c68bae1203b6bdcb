"""The build state: what one build leaves for the next, as a value.

`ssg.build.pipeline.build(config, previous)` returns a new BuildState and never changes the
one it was given; `ssg.incremental.store` keeps it in `.ssg-cache/` between commands, and
a long-running process (`ssg serve`) simply holds on to it, with the built site's model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ssg.content.post import Parsed, Post
from ssg.incremental.fingerprints import Dependencies
from ssg.incremental.keys import Output, Stamp
from ssg.site import walk
from ssg.site.model import Site
from ssg.site.pages import SEARCH_SHARD_RENDERER, OutputPage, SiteSearch
from ssg.site.search import SearchIndex, patch_index

# posts, standalone pages and warnings of the last build, for the report of a skipped one
Summary = tuple[int, int, tuple[str, ...]]


@dataclass
class _Derived:
    posts_by_source: dict[str, Post] | None = None
    pages_showing: dict[str, tuple[int, ...]] | None = None
    shard_pages: dict[int, int] | None = None


@dataclass(frozen=True)
class SiteModel:
    """A built site as the process that built it still holds it (never saved to disk).

    A body-only edit keeps the site's pages and lists: the next build re-renders the pages
    showing the edited posts from this model instead of planning the site again. The model
    itself never changes; `edited` holds the newest version of each post edited since.
    """

    site: Site
    pages: tuple[OutputPage, ...]
    deps: Dependencies
    edited: Mapping[str, Post] = field(default_factory=dict)  # source path -> newest post
    # The search index with the edited posts in it (None: the site has no search).
    search: SiteSearch | None = None
    # What follows from site, pages and layouts alone, worked out once: models made by
    # with_edits share it (walking 20,000 pages per keystroke would undo the point).
    _derived: _Derived = field(default_factory=lambda: _Derived(), compare=False, repr=False)

    def page(self, index: int) -> OutputPage:
        """Page `index` as it is now: with the edited posts in place of their old versions."""
        page = self.pages[index]
        if not self.edited:
            return page
        if page.template == SEARCH_SHARD_RENDERER and self.search is not None:
            return self.search.shard_page(page.context["shard"])
        context = walk.replace_posts(dict(page.context), self._newest)
        return dataclasses.replace(page, context=context)

    def _newest(self, post: Post) -> Post:
        return self.edited.get(post.source_path.as_posix(), post)

    @property
    def posts_by_source(self) -> Mapping[str, Post]:
        """The site's published posts by source path, as the model first had them."""
        derived = self._derived
        if derived.posts_by_source is None:
            derived.posts_by_source = {p.source_path.as_posix(): p for p in self.site.posts}
        return derived.posts_by_source

    @property
    def pages_showing(self) -> Mapping[str, tuple[int, ...]]:
        """For each post (by source path), the pages whose layouts may show its body."""
        derived = self._derived
        if derived.pages_showing is None:
            derived.pages_showing = self._pages_showing()
        return derived.pages_showing

    def _pages_showing(self) -> dict[str, tuple[int, ...]]:
        # By the identity of the model's own post objects (alive as long as the model), so
        # that 200,000 references to posts are not turned into path strings one by one.
        source_of = {id(post): rel for rel, post in self.posts_by_source.items()}
        showing: dict[str, list[int]] = {}
        for index, page in enumerate(self.pages):
            if self.deps.template_closure(page.template).body:
                posts = {id(p): p for p in walk.posts_in(page.context.values())}
                for key, post in posts.items():
                    source = source_of.get(key) or post.source_path.as_posix()
                    showing.setdefault(source, []).append(index)
        return {source: tuple(indexes) for source, indexes in showing.items()}

    def with_edits(self, posts: Mapping[str, Post]) -> SiteModel | None:
        """The model with `posts` (by source path) in place of their last versions; None
        when that changes the search index's number of shards (a new plan is needed)."""
        edited = {**self.edited, **posts}
        search = self.search
        if search is not None:
            # The index holds each post as the last edit left it, else as the model has it.
            changes = {search.numbers[rel]: (self.edited.get(rel) or self.posts_by_source.get(rel),
                                             post) for rel, post in posts.items()}  # fmt: skip
            index = patch_index(search.index, changes)
            if index.shards != search.index.shards:
                return None
            search = dataclasses.replace(search, index=index)
        return dataclasses.replace(self, edited=edited, search=search)

    def search_pages_changed(self) -> list[int]:
        """The indexes of the shard pages whose text the last `with_edits` changed."""
        if self.search is None:
            return []
        derived = self._derived
        if derived.shard_pages is None:
            derived.shard_pages = {page.context["shard"]: index
                                   for index, page in enumerate(self.pages)
                                   if page.template == SEARCH_SHARD_RENDERER}  # fmt: skip
        changed = self.search.index.changed
        shards = derived.shard_pages
        return sorted(shards.values()) if changed is None else [shards[k] for k in changed]


class SavedIndex(Protocol):
    """A search index in the cache, read on first use (ssg.incremental.store)."""

    def load(self) -> SearchIndex | None: ...


@dataclass(frozen=True)
class BuildState:
    """What the last build knew: parsed posts, source stamps, the files it wrote."""

    key: str = ""  # parse_settings_key the entries were made under
    output_dir: str = ""  # the folder `outputs` describes
    # source path (relative to content/) -> stamp: an unchanged stat means unchanged bytes
    stamps: Mapping[str, Stamp] = field(default_factory=dict)
    parsed: Mapping[str, Parsed] = field(default_factory=dict)  # by source digest
    # every file the last build made in `output_dir`, as it left it
    outputs: Mapping[str, Output] = field(default_factory=dict)
    # The last successful build's inputs (ssg.incremental.freshness); "" when unknown.
    inputs: str = ""
    others: str = ""  # the same without content/ (freshness.other_inputs_digest)
    racy: Mapping[str, str] = field(default_factory=dict)  # ... its files checked by bytes
    valid_until: datetime | None = None  # when the clock next changes the site, if ever
    summary: Summary = (0, 0, ())
    # Warnings about inputs but content/ (static/ names), part of `summary`: a body edit
    # under `ssg serve` keeps them without listing static/ again. Kept in memory only.
    input_warnings: tuple[str, ...] = ()
    # The built site, while the process that built it runs; never saved.
    model: SiteModel | None = field(default=None, compare=False, repr=False)
    # The site's search index, kept apart in the cache and read only when needed.
    search: SearchIndex | SavedIndex | None = field(default=None, compare=False, repr=False)

    def search_index(self) -> SearchIndex | None:
        """The last build's search index, if it made one (read from the cache if saved)."""
        search = self.search
        if search is None or isinstance(search, SearchIndex):
            return search
        return search.load()

    def outputs_in(self, output_dir: str) -> Mapping[str, Output]:
        """The files the last build wrote, if it wrote them into `output_dir`."""
        return self.outputs if self.output_dir == output_dir else {}
