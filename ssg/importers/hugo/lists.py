"""Hugo's list pages (home, sections, taxonomies, their pages and feeds): the URLs the old site
served, and how the new site keeps each one (same URL, `taxonomy_slugs`, or a redirect)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from ssg.content.slugs import slugify, term_key, term_slug
from ssg.importers.hugo.urls import paginated, urlize

# Hugo's taxonomies that ssg has, by Hugo's singular name.
SSG_TAXONOMIES = {"tag": "tags", "category": "categories"}
SSG_FEED = "/feed.xml"


@dataclass(slots=True)
class ListPlan:
    """The old list URLs and what the new site's config needs to serve them."""

    old_urls: list[str] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    taxonomy_slugs: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for the report, at the config file

    def paged(self, list_url: str, count: int, per_page: int, paginate_path: str,
              new_url: str, new_pages: str | None) -> None:  # fmt: skip
        """A paginated list at `list_url` (kept at `new_url`) with `count` entries: page 1 is
        also `<list>/page/1/`; page N>=2 is kept at `new_pages` N, or redirects to `new_url`."""
        self.old_urls.append(list_url)
        if new_url != list_url:
            self.redirects[list_url] = new_url
        pages = max(1, math.ceil(count / per_page))
        for number in range(1, pages + 1):
            old = paginated(list_url, paginate_path, number)
            self.old_urls.append(old)
            if number == 1 or new_pages is None:
                self.redirects[old] = new_url
            elif paginated(new_pages, paginate_path, number) != old:
                self.redirects[old] = paginated(new_pages, paginate_path, number)

    def feed(self, old: str, new: str) -> None:
        self.old_urls.append(old)
        self.redirects[old] = new


def plan_home(plan: ListPlan, posts: int, per_page: int, paginate_path: str) -> None:
    plan.paged("/", posts, per_page, paginate_path, "/", "/")
    plan.feed("/index.xml", SSG_FEED)


def plan_section(plan: ListPlan, url: str, count: int, per_page: int, paginate_path: str,
                 main: bool) -> None:  # fmt: skip
    """A section's list: ssg has a page at its URL; its later pages go to the home's pages
    (the same posts) for a main section, else to the section's page."""
    plan.paged(url, count, per_page, paginate_path, url, "/" if main else None)
    plan.feed(f"{url.rstrip('/')}/index.xml", SSG_FEED)


def plan_taxonomy(plan: ListPlan, plural: str, ssg_name: str | None,
                  terms: dict[str, int], per_page: int, paginate_path: str,
                  to_lower: bool) -> None:  # fmt: skip
    """A taxonomy's overview and terms; `terms` maps each term as written to its count.
    ssg keeps Hugo's term URL through `taxonomy_slugs` where it can, else redirects."""
    overview = f"/{plural}/"
    if ssg_name is None:  # listed, not kept: the check shows them missing
        plan.notes.append(f"taxonomy {plural!r}: ssg has tags and categories only; its "
                          "list pages are not made")  # fmt: skip
        plan.old_urls += [overview, f"{overview}index.xml"]
        for old_slug in _terms_by_slug(terms, to_lower):
            plan.old_urls += [f"{overview}{old_slug}/", f"{overview}{old_slug}/index.xml"]
        return
    plan.old_urls.append(overview)
    plan.feed(f"{overview}index.xml", SSG_FEED)
    for old_slug, (name, count) in _terms_by_slug(terms, to_lower).items():
        old = f"{overview}{old_slug}/"
        new = _kept_term_url(plan, overview, name, old_slug)
        plan.paged(old, count, per_page, paginate_path, new, new)
        plan.feed(f"{old}index.xml", f"{new}feed.xml")


def _terms_by_slug(terms: dict[str, int], to_lower: bool) -> dict[str, tuple[str, int]]:
    """Hugo merges terms whose URL-ized names agree (`AI`, `ai`): one list each."""
    merged: dict[str, tuple[str, int]] = {}
    for name, count in terms.items():
        slug = urlize(name, to_lower)
        first, total = merged.get(slug, (name, 0))
        merged[slug] = (first, total + count)
    return merged


def _kept_term_url(plan: ListPlan, overview: str, name: str, old_slug: str) -> str:
    """The term's URL on the new site: Hugo's own when ssg's slug agrees or `taxonomy_slugs`
    can make it agree; else ssg's (and the old URL redirects)."""
    if term_slug(name, {}) == old_slug:
        return f"{overview}{old_slug}/"
    if slugify(old_slug) == old_slug:
        plan.taxonomy_slugs[name] = old_slug
        return f"{overview}{old_slug}/"
    new = f"{overview}{term_slug(name, {})}/"
    plan.notes.append(f"term {name!r}: ssg cannot write Hugo's URL {overview}{old_slug}/; "
                      f"it redirects to {new}")  # fmt: skip
    return new


def count_terms(values: Iterable[object]) -> dict[str, int]:
    """Each term as first written, and how many pages have it (folded as ssg folds)."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for value in values:
        for name in term_names(value):
            shown = first.setdefault(term_key(name), name)
            counts[shown] = counts.get(shown, 0) + 1
    return counts


def term_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return []
