"""Body-only edits: when the next build may keep the last build's plan.

While a writer types, each save changes one post's body and nothing else (same title,
date, tags and excerpt), so the site keeps the same pages with the same lists. The build
then re-renders only the pages whose layouts show those posts' bodies (the post's page,
its neighbours' in the default theme, the feed if they are in it) from the last build's
model, and keeps every other file: the pipeline is the same, it only skips planning.

Anything else (a new, renamed or deleted file, changed metadata, a layout that shows
bodies of posts it reaches through `site`, a clock that moved on) is not a body edit, and
the build plans the site again; tests compare both with a clean build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ssg.config import Config
from ssg.content.post import Parsed, Post
from ssg.incremental.fingerprints import Dependencies
from ssg.incremental.keys import Stamp
from ssg.incremental.site_model import SiteModel
from ssg.incremental.state import BuildState

# Parts of `site` that hold posts: a layout showing bodies and reading these could show
# an edited body on any page.
_POST_PARTS = frozenset({"posts", "categories", "tags", "tickers", "years", "months", "term_index"})


def changed_sources(previous: BuildState, stamps: Mapping[str, Stamp]) -> list[str] | None:
    """The sources whose bytes changed since `previous`, when the same files are there;
    None when a file was added or removed."""
    if set(stamps) != set(previous.stamps):
        return None
    return [rel for rel, stamp in stamps.items() if stamp[2] != previous.stamps[rel][2]]


def body_edits(config: Config, previous: BuildState, model: SiteModel,
               edits: Mapping[str, Parsed]) -> dict[str, Post] | None:  # fmt: skip
    """The edited posts by source path, if every edit (source path -> its new parse)
    changed a published post's body only and the model's layouts allow keeping its plan;
    None otherwise."""
    if not edits or (previous.valid_until and config.now >= previous.valid_until):
        return None
    if not layouts_allow(model.deps, {page.template for page in model.pages}):
        return None
    posts = {}
    for rel, parsed in edits.items():
        old = model.edited.get(rel) or model.posts_by_source.get(rel)
        if old is None or parsed.post.meta_digest != old.meta_digest:
            return None  # a draft, a page, changed metadata: plan the site again
        posts[rel] = parsed.post
    return posts


def metadata_unchanged(previous: BuildState, stamps: Mapping[str, Stamp],
                       parsed: Mapping[str, Parsed], sources: list[str]) -> bool:  # fmt: skip
    """Each of `sources` parsed before and now, with the same metadata: a cheap test before
    rebuilding the last build's model from its posts (~0.5 s at 10,000 posts)."""
    for rel in sources:
        last, new = previous.parsed.get(previous.stamps[rel][2]), parsed.get(stamps[rel][2])
        if last is None or new is None or last.post.meta_digest != new.post.meta_digest:
            return False
    return True


def layouts_allow(deps: Dependencies, templates: Iterable[str]) -> bool:
    """No layout of `templates` that shows bodies reaches posts other than through its
    page's values."""
    for template in templates:
        closure = deps.template_closure(template)
        if closure.body and (
            closure.site_attrs & _POST_PARTS
            or ("term_for" in closure.site_attrs and closure.deep_terms)
        ):
            return False
    return True


def pages_to_render(model: SiteModel, edited: Mapping[str, Post]) -> list[int]:
    """The indexes of the pages that show an edited post's body, in plan order."""
    showing = model.pages_showing
    return sorted({index for rel in edited for index in showing.get(rel, ())})
