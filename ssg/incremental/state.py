"""The build state: what one build leaves for the next, as a value.

`ssg.build.pipeline.build(config, previous)` returns a new BuildState and never changes the
one it was given; `ssg.incremental.store` keeps it in `.ssg-cache/` between commands, and
a long-running process (`ssg serve`) simply holds on to it, with the built site's model
(ssg.incremental.site_model).

Light on purpose: a build with nothing to do loads this, and only this, of the state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

from ssg.incremental.keys import Output, Stamp

if TYPE_CHECKING:
    from ssg.content.post import Parsed, Post
    from ssg.errors import ContentError
    from ssg.incremental.edit_view import EditView
    from ssg.incremental.site_model import SiteModel
    from ssg.site.pages import OutputPage
    from ssg.site.related import RelatedPlaces
    from ssg.site.search import SearchIndex

# posts, standalone pages and warnings of the last build, for the report of a skipped one
Summary = tuple[int, int, tuple[str, ...]]


class PostFacts(NamedTuple):
    """What a build asks of a post it reuses, known without reading the post: the cache
    lists these for every post it holds (ssg.incremental.store)."""

    data_files: tuple[tuple[str, str], ...]  # drawn by its charts (Post.data_files)
    warnings: tuple[ContentError, ...]  # raised by parsing it (Parsed.warnings)


def facts_of(parsed: Mapping[str, Parsed], digest: str) -> PostFacts:
    """The facts of the post `digest` in `parsed`: from its catalog, if it has one (posts
    read from the cache on first use), else from the post."""
    catalog = getattr(parsed, "facts", None)
    if catalog is not None:
        facts: PostFacts = catalog(digest)
        return facts
    entry = parsed[digest]
    return PostFacts(entry.post.data_files, entry.warnings)


def catalog_of(parsed: Mapping[str, Parsed]) -> Mapping[str, PostFacts] | None:
    """Every post's facts by digest, if `parsed` keeps a catalog of them (posts read from
    the cache on first use): a build looks 100,000 posts up there without a call each."""
    catalog = getattr(parsed, "catalog", None)
    return catalog() if catalog is not None else None


def warnings_of(parsed: Mapping[str, Parsed]) -> Iterator[ContentError]:
    """Every post's warnings, in the mapping's order, read without reading the posts."""
    for digest in parsed:
        yield from facts_of(parsed, digest).warnings


class StaleCache(Exception):
    """A file of the cache lacks a post its catalog lists (deleted or replaced by hand):
    the build starts again as if there were no cache."""


@runtime_checkable
class PostsSince(Protocol):
    """Posts as one build has them: `last`'s, less some, and those it parsed itself
    (ssg.build.parse.PostsReused); the cache saves the difference."""

    last: Mapping[str, Parsed]

    def parsed_now(self) -> Mapping[str, Parsed]: ...

    def __contains__(self, digest: object) -> bool: ...

    def __len__(self) -> int: ...


@runtime_checkable
class SavedIndex(Protocol):
    """A search index in the cache, read on first use (ssg.incremental.store)."""

    def load(self) -> SearchIndex | None: ...


@runtime_checkable
class SavedRelated(Protocol):
    """Related posts' places in the cache, read on first use (ssg.incremental.store)."""

    def load(self) -> RelatedPlaces | None: ...


class CachedView(Protocol):
    """The last build's site as a body edit needs it (ssg.incremental.edit_view), read
    from the cache, and its pages showing bodies, read a few at a time."""

    @property
    def view(self) -> EditView: ...

    def pages(self, paths: list[str], post: Callable[[str], Post]
              ) -> Mapping[str, OutputPage] | None:  # fmt: skip
        """The pages of these output paths, each post in them as `post(source path)` gives
        it; None if the cache no longer has them all."""
        ...


@runtime_checkable
class SavedView(Protocol):
    """A CachedView in the cache, read on first use (ssg.incremental.store)."""

    def load(self) -> CachedView | None: ...


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
    # source path -> the digest of its text, for sources stamped too new to trust whose
    # stamp holds another digest (ssg.build.parse.ParsedSources.racy_texts)
    racy_texts: Mapping[str, str] = field(default_factory=dict)
    # What each layout read (ssg.incremental.fingerprints.Closure's fields, by layout
    # name), for the next build with the same `others`: it need not parse them again.
    closures: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    valid_until: datetime | None = None  # when the clock next changes the site, if ever
    summary: Summary = (0, 0, ())
    # Warnings about inputs but content/ (static/ names), part of `summary`: a body edit
    # under `ssg serve` keeps them without listing static/ again. Kept in memory only.
    input_warnings: tuple[str, ...] = ()
    # The built site, while the process that built it runs; never saved.
    model: SiteModel | None = field(default=None, compare=False, repr=False)
    # The site's search index, kept apart in the cache and read only when needed.
    search: SearchIndex | SavedIndex | None = field(default=None, compare=False, repr=False)
    # Where each post's related posts were, kept apart in the cache like the index.
    related: RelatedPlaces | SavedRelated | None = field(default=None, compare=False,
                                                         repr=False)  # fmt: skip
    # What a body edit needs of the site when there is no model: the cache's view of the
    # model of the last build that planned the site (valid while its pages are).
    view: SavedView | None = field(default=None, compare=False, repr=False)

    def search_index(self) -> SearchIndex | None:
        """The last build's search index, if it made one (read from the cache if saved)."""
        search = self.search
        if isinstance(search, SavedIndex):
            return search.load()
        return search

    def related_places(self) -> RelatedPlaces | None:
        """The last build's related posts' places, if known (read from the cache if saved)."""
        related = self.related
        if isinstance(related, SavedRelated):
            return related.load()
        return related

    def cached_view(self) -> CachedView | None:
        """The cache's view of the last planned site, if it has a valid one."""
        return self.view.load() if self.view is not None else None

    def outputs_in(self, output_dir: str) -> Mapping[str, Output]:
        """The files the last build wrote, if it wrote them into `output_dir`."""
        return self.outputs if self.output_dir == output_dir else {}
