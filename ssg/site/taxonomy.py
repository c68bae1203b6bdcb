"""Tags, categories and tickers: posts grouped under terms whose names fold case and width."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ssg.content.post import Post
from ssg.content.slugs import slugify, term_key, term_slug, term_slug_map

TAXONOMIES = ("categories", "tags", "tickers")
# Japanese names for the taxonomy overview pages; layouts may also translate on their own.
TAXONOMY_LABELS = {
    "ja": {"categories": "カテゴリー", "tags": "タグ", "tickers": "銘柄"},
    "en": {"categories": "Categories", "tags": "Tags", "tickers": "Tickers"},
}

# Layouts of a taxonomy's overview and term pages, where not terms.html and term.html:
# a ticker's page shows its company, the overview a table of them.
TAXONOMY_LAYOUTS = {"tickers": ("tickers.html", "ticker.html")}
DEFAULT_LAYOUTS = ("terms.html", "term.html")


@dataclass(frozen=True, slots=True)
class Term:
    """One tag or category and its posts, newest first."""

    taxonomy: str  # "tags", "categories" or "tickers"
    name: str  # as first written in the oldest post that uses it
    slug: str  # path segment; Unicode kept unless config maps it to ASCII
    url: str  # site-relative, e.g. /tags/半導体/
    posts: tuple[Post, ...]

    @property
    def count(self) -> int:
        return len(self.posts)

    def holder_key(self) -> str:
        return f"T{self.taxonomy}:{self.name}:{self.slug}:{self.url}:{self.count}"

    def with_posts(self, posts: tuple[Post, ...]) -> Term:
        return dataclasses.replace(self, posts=posts)


def group_terms(
    posts: Iterable[Post],
    taxonomy: str,
    taxonomy_slugs: Mapping[str, str],
    without_posts: Iterable[str] = (),
    folder: str = "",
) -> tuple[Term, ...]:
    """Group `posts` (newest first) by their `taxonomy` terms, sorted by term name; names
    in `without_posts` are terms even when no post has them. Term URLs are in `folder`
    (config's `taxonomy_path`), by default `/<taxonomy>/`.

    `AI`, `ai` and full-width `ＡＩ` are one term, shown with the spelling of the oldest post.
    Tickers are written in capitals already, and keep them in their URL (`/tickers/NVDA/`).
    """
    slug_map = term_slug_map(taxonomy_slugs)
    folder = folder or f"/{taxonomy}/"
    members: dict[str, list[Post]] = {term_key(name): [] for name in without_posts}
    names: dict[str, str] = {term_key(name): name for name in without_posts}
    keys: dict[str, str] = {}  # name -> term_key(name): 10,000 posts repeat a few names
    for post in posts:
        for name in getattr(post, taxonomy):
            key = keys.get(name)
            if key is None:
                key = keys[name] = term_key(name)
            members.setdefault(key, []).append(post)
            names[key] = name  # the last seen is the oldest, since posts are newest first
    terms = []
    for key, term_posts in members.items():
        slug = slugify(names[key]) if taxonomy == "tickers" else term_slug(names[key], slug_map)
        url = f"{folder}{slug}/"
        terms.append(Term(taxonomy, names[key], slug, url, tuple(term_posts)))
    return tuple(sorted(terms, key=lambda t: term_key(t.name)))
