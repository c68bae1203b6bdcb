"""The built site as the process that built it holds it: posts, pages and layouts, kept
between the builds of one `ssg serve` (never saved), so that a body edit re-renders only
the pages showing the edited post."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from ssg.content.post import Post
from ssg.incremental.fingerprints import Dependencies
from ssg.site import walk
from ssg.site.model import Site
from ssg.site.pages import SEARCH_SHARD_RENDERER, OutputPage, SiteSearch
from ssg.site.related import RelatedPlaces
from ssg.site.search import patch_index


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
    # Where each post's related posts are, for the next build to reuse (None: not made).
    related: RelatedPlaces | None = None
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
