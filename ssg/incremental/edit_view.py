"""What a body edit needs of the last build's site, for a build in a new process.

`ssg serve` keeps the site's model in memory, so a body edit re-renders the pages showing
the post straight from it (ssg.incremental.site_model). `ssg build` starts afresh: making
that model again means reading every post from the cache and planning every page, most
of a one-post edit's time. So the cache keeps a view of it instead: the site with each
post as its source path (layouts that show bodies never read posts through `site`:
ssg.incremental.edits.layouts_allow), the layouts the pages use, the search numbers, and
for each post the pages showing its body, pickled with their posts as source paths too.
A body edit reads the view and the few pages it re-renders, and the posts those show.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ssg.content.post import Post
from ssg.incremental.site_model import SiteModel
from ssg.site.model import Site
from ssg.site.pages import SEARCH_DOC_RENDERER, OutputPage

# Pages pickled to one file each of this many groups, by their output path: an edit reads
# the groups of the pages it re-renders (a few hundred pages each at 100,000 posts).
PAGE_GROUPS = 256


def page_group(output_path: str) -> int:
    """The group a page is kept in: by its path, so a page added elsewhere moves no other."""
    return zlib.crc32(output_path.encode("utf-8", "surrogatepass")) % PAGE_GROUPS


@dataclass(frozen=True)
class EditView:
    """The parts of a site model a body edit reads, without the posts."""

    # The site; each post in it is its source path (a str): never shown, still counted
    # (`term.count`). Standalone pages are whole: layouts list them (site.pages).
    site: Site
    templates: frozenset[str]  # the layouts of all pages
    # post source path -> the output paths of the pages that may show its body
    showing: Mapping[str, tuple[str, ...]]
    numbers: Mapping[str, int] | None  # source path -> search number; None: no search

    def published(self, rel: str) -> bool:
        return rel in self.showing


def view_of(model: SiteModel) -> tuple[EditView, dict[int, dict[str, OutputPage]]]:
    """The model's view, and the pages showing bodies by group and output path."""
    pages = model.pages
    groups: dict[int, dict[str, OutputPage]] = {}
    showing: dict[str, tuple[str, ...]] = {}
    paths: dict[int, str] = {}
    for rel, indexes in model.pages_showing.items():
        # A post's search file is made again from the post (half the pages: not kept).
        indexes = tuple(i for i in indexes if pages[i].template != SEARCH_DOC_RENDERER)
        for index in indexes:
            if index not in paths:
                paths[index] = path = pages[index].output_path
                groups.setdefault(page_group(path), {})[path] = pages[index]
        showing[rel] = tuple(paths[index] for index in indexes)
    search = model.search
    view = EditView(
        site=_posts_as_paths(model.site),
        templates=frozenset(page.template for page in pages),
        showing=showing,
        numbers=dict(search.numbers) if search is not None else None,
    )
    return view, groups


def _posts_as_paths(site: Site) -> Site:
    """`site` with each post as its source path (standalone pages stay): pickled by the
    C pickler alone, where a persistent id for each of 100,000s of posts costs a call."""
    path_of = {id(post): post.source_path.as_posix() for post in site.posts}

    def paths(posts: tuple[Post, ...]) -> Any:
        return tuple(path_of.get(id(post)) or post.source_path.as_posix() for post in posts)

    terms = {id(term): term.with_posts(paths(term.posts))
             for term in (*site.categories, *site.tags, *site.tickers)}  # fmt: skip
    return dataclasses.replace(
        site,
        posts=paths(site.posts),
        categories=tuple(terms[id(term)] for term in site.categories),
        tags=tuple(terms[id(term)] for term in site.tags),
        tickers=tuple(terms[id(term)] for term in site.tickers),
        years=tuple(archive.with_posts(paths(archive.posts)) for archive in site.years),
        months=tuple(archive.with_posts(paths(archive.posts)) for archive in site.months),
        term_index={key: terms[id(term)] for key, term in site.term_index.items()},
    )


def dump_with_post_paths(value: object) -> bytes:
    """`value` pickled with each post (not page) it holds as its source path."""
    buffer = io.BytesIO()
    _PostsAsPaths(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def load_with_posts(data: bytes, post: Callable[[str], Post]) -> Any:
    """What dump_with_post_paths pickled, each post as `post(source path)` gives it."""
    unpickler = pickle.Unpickler(io.BytesIO(data))  # noqa: S301 - ssg's own cache
    unpickler.persistent_load = post  # type: ignore[method-assign]
    return unpickler.load()


class _PostsAsPaths(pickle.Pickler):
    def persistent_id(self, obj: object) -> str | None:
        if type(obj) is Post and obj.kind == "post":
            return obj.source_path.as_posix()
        return None


def pages_to_load(view: EditView, edited: Iterable[str]) -> list[str]:
    """The output paths of the pages that may show an edited post's body."""
    return sorted({path for rel in edited for path in view.showing.get(rel, ())})
