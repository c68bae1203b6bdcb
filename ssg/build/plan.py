"""What a build will write: the site's pages, planned afresh or kept from the last build.

A full plan makes the site model from every post, plans its pages and checks them (path
collisions, missing layouts) before anything is rendered. After body-only edits the last
build's model is kept (ssg.incremental.edits), with the edited posts in place, and only
the pages showing them are candidates for rendering; every other file is known current.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ssg.config import Config
from ssg.content.post import Post
from ssg.content.sources import StaticFiles, front_matter_line
from ssg.errors import BuildFailed, ContentError, SsgError
from ssg.incremental.edit_view import pages_to_load
from ssg.incremental.edits import layouts_allow
from ssg.incremental.fingerprints import Dependencies, KnownClosures
from ssg.incremental.site_model import SiteModel
from ssg.incremental.state import CachedView
from ssg.render.built_in import BUILT_IN
from ssg.render.templates import bind_site, make_environment
from ssg.site.model import Site, make_site
from ssg.site.pages import (
    SEARCH_DOC_RENDERER,
    OutputPage,
    SiteSearch,
    find_collisions,
    plan_pages,
    search_doc_page,
    site_related,
)
from ssg.site.related import RelatedPlaces
from ssg.site.search import SearchIndex, build_index, doc_ids, patch_index, update_index

# Files a full build writes besides pages and static files (a static file may replace it).
HIGHLIGHT_CSS = "assets/highlight.css"


@dataclass(frozen=True)
class Plan:
    """The pages to consider, and the files to copy."""

    model: SiteModel
    # Indexes of the pages that may have changed; None: every page is a candidate.
    candidates: Sequence[int] | None
    # static/ files to copy (output path -> source), and whether to write highlight.css;
    # none after body edits, which leave them as the last build wrote them.
    statics: Mapping[str, Path]
    highlight_css: bool
    # The model holds just the candidates, made from the cache's view of the last planned
    # site (plan_view_edits): the next state keeps that view rather than this model.
    from_view: bool = False


def plan_site(config: Config, documents: Sequence[Post], data: Mapping[str, Any],
              statics: StaticFiles, last_search: LastSearch | None = None,
              last_related: RelatedPlaces | None = None,
              known_closures: KnownClosures | None = None) -> Plan:  # fmt: skip
    """Every page of the site made from `documents`; raises BuildFailed on collisions and
    missing layouts, all of them at once."""
    model = make_model(config, documents, data, statics.files.keys(), last_search,
                       last_related, known_closures)  # fmt: skip
    pages = list(model.pages)
    check_collisions(pages, statics)
    check_layouts(model.deps.env, pages, config.content_dir)
    return Plan(model, None, statics.files, HIGHLIGHT_CSS not in statics.files)


def make_model(config: Config, documents: Sequence[Post], data: Mapping[str, Any],
               own_files: Collection[str], last_search: LastSearch | None = None,
               last_related: RelatedPlaces | None = None,
               known_closures: KnownClosures | None = None) -> SiteModel:  # fmt: skip
    """The site and its plan; `own_files`: the output paths static/ provides (robots.txt);
    `last_search`: the last build's search index, patched rather than made afresh;
    `last_related`: the last build's related posts, reused if the terms are unchanged;
    `known_closures`: what each layout reads, if the layouts are the last build's."""
    site = make_site(config, documents, data)
    env = make_environment(config)
    bind_site(env, site)
    search = site_search(site, last_search) if config.search else None
    related, places = site_related(site, last_related)
    pages = tuple(plan_pages(site, own_files, search, related))
    deps = Dependencies(env, site, known=known_closures or {})
    return SiteModel(site, pages, deps, search=search, related=places)


@dataclass(frozen=True)
class LastSearch:
    """The last build's search index, and its posts by digest (they hold their keys)."""

    index: SearchIndex | None
    post: Callable[[str], Post | None]


def site_search(site: Site, last: LastSearch | None) -> SiteSearch:
    numbers = doc_ids(site.posts)
    posts = {numbers[post.source_path.as_posix()]: post for post in site.posts}
    if last is None:
        return SiteSearch(build_index(posts), numbers)
    return SiteSearch(update_index(last.index, posts, last.post), numbers)


def plan_edits(model: SiteModel, candidates: Sequence[int]) -> Plan:
    """The last build's plan, `model` holding the edited posts; only `candidates` may change."""
    return Plan(model, candidates, {}, False)


def plan_view_edits(config: Config, cached: CachedView, edits: Mapping[str, Post],
                    old_post: Callable[[str], Post], last_index: Callable[[], SearchIndex | None],
                    known_closures: KnownClosures) -> Plan | None:  # fmt: skip
    """The pages showing the bodies of `edits` (source path -> new post), made from the
    cache's view of the last planned site, with the search index's changed shards; None
    when that is not enough (an edit that is not a published post's body only, layouts
    that show bodies of posts through `site`, a cache that lacks a page).

    `old_post(source path)` gives the last build's post (LookupError if unknown),
    `last_index()` its search index."""
    view = cached.view
    # The same config but for the clock (the other inputs are the last build's).
    site = dataclasses.replace(view.site, config=config)
    env = make_environment(config)
    bind_site(env, site)
    deps = Dependencies(env, site, known=known_closures)
    if not layouts_allow(deps, view.templates):
        return None
    try:
        old = {rel: old_post(rel) for rel in edits}
        if any(not view.published(rel) or post.meta_digest != old[rel].meta_digest
               for rel, post in edits.items()):  # fmt: skip
            return None
        post = lambda rel: edits.get(rel) or old_post(rel)  # noqa: E731 - read per post shown
        loaded = cached.pages(pages_to_load(view, edits), post)
    except LookupError:
        return None
    if loaded is None:
        return None
    pages = [loaded[index] for index in sorted(loaded)]
    search = None
    if view.numbers is not None:
        index = last_index()
        if index is None:
            return None
        patched = patch_index(index, {view.numbers[rel]: (old[rel], post)
                                      for rel, post in edits.items()})  # fmt: skip
        if patched.shards != index.shards:
            return None
        search = SiteSearch(patched, view.numbers)
        changed = range(patched.shards) if patched.changed is None else sorted(patched.changed)
        pages += [search.shard_page(shard) for shard in changed]
        if deps.template_closure(SEARCH_DOC_RENDERER).body:  # not kept in the view
            pages += [search_doc_page(post, view.numbers[rel]) for rel, post in edits.items()]
    model = SiteModel(site, tuple(pages), deps, search=search)
    return Plan(model, range(len(pages)), {}, False, from_view=True)


def check_collisions(pages: list[OutputPage], statics: StaticFiles) -> None:
    site_files = {rel for rel, _name in statics.names}
    files = [("/" + rel, name) for rel, name in statics.names]
    files += [("/" + rel, f"static/{rel}") for rel in statics.files if rel not in site_files]
    if HIGHLIGHT_CSS not in statics.files:
        files.append(("/" + HIGHLIGHT_CSS, "the code-highlighting stylesheet"))
    problems = find_collisions(pages, files)
    if problems:
        hint = "; change a permalink or slug, or map a term with taxonomy_slugs in config.yaml"
        raise BuildFailed([SsgError(f"path collision: {p}{hint}") for p in problems])


def check_layouts(env: Environment, pages: list[OutputPage], content_dir: Path) -> None:
    """Every `layout:` named in front matter exists and is a page's, not a partial's; all
    problems reported at once."""
    known = set(env.list_templates())
    problems: list[SsgError] = []
    for page in pages:
        template = page.template
        if template not in known and template not in BUILT_IN:
            close = difflib.get_close_matches(template, known, n=1)
            hint = f"; did you mean '{close[0].removesuffix('.html')}'?" if close else ""
            problem = f"not found in layouts/{hint}"
        elif template.startswith("_"):
            # A partial renders a piece of a page (a card, the tags), not a whole one.
            problem = ("is a partial that other layouts include, not a page; use 'post', "
                       "'page' or a layout of your own")  # fmt: skip
        else:
            continue
        message = f"layout '{template.removesuffix('.html')}' {problem}"
        line = front_matter_line(content_dir, page.source, "layout")
        problems.append(ContentError(Path("content") / page.source, message, line))
    if problems:
        raise BuildFailed(problems)
