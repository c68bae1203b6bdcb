"""The site model: which posts are published, in what order, and how they are grouped.

Built from posts' metadata only; it never looks at HTML, so it is cheap to rebuild.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ssg.config import Config
from ssg.content.dates import utc_instant
from ssg.content.post import Post
from ssg.content.slugs import term_key
from ssg.content.tickers import TICKERS_DATA
from ssg.markdown.ticker_symbols import normalize_ticker
from ssg.site.taxonomy import Term, group_terms


@dataclass(frozen=True, slots=True)
class Archive:
    """Posts of one year, or of one month when `month` is set."""

    year: int
    month: int | None
    url: str
    posts: tuple[Post, ...]

    def holder_key(self) -> str:
        return f"A{self.year}:{self.month}:{self.url}"

    def with_posts(self, posts: tuple[Post, ...]) -> Archive:
        return dataclasses.replace(self, posts=posts)


@dataclass(frozen=True, slots=True)
class Site:
    """Everything layouts may ask about the whole site."""

    config: Config
    posts: tuple[Post, ...]  # published posts, newest first
    pages: tuple[Post, ...]  # standalone pages, by path
    categories: tuple[Term, ...]
    tags: tuple[Term, ...]
    tickers: tuple[Term, ...]  # posts' `tickers:` and data/tickers.yaml's, by symbol
    years: tuple[Archive, ...]  # newest first
    months: tuple[Archive, ...]  # newest first; empty when monthly archives are off
    data: Mapping[str, Any] = field(default_factory=dict)  # files under data/, by name
    # (taxonomy, term_key) -> Term, so layouts can look terms up by name in O(1)
    term_index: Mapping[tuple[str, str], Term] = field(default_factory=dict)

    def term_for(self, taxonomy: str, name: str) -> Term | None:
        """The term a post's tag, category or ticker belongs to (any case or width)."""
        return self.term_index.get((taxonomy, term_key(str(name))))

    def ticker_info(self, symbol: str) -> Mapping[str, str] | None:
        """What data/tickers.yaml says of `symbol` (`name`, `exchange`, `sector`, each ""
        when not given), None when it does not list it."""
        table = self.data.get(TICKERS_DATA)
        if not isinstance(table, Mapping):
            return None
        info = table.get(normalize_ticker(str(symbol)))
        return info if isinstance(info, Mapping) else None


def make_site(
    config: Config, documents: Iterable[Post], data: Mapping[str, Any] | None = None
) -> Site:
    """Drop drafts and future posts (unless asked), sort, group, and archive."""
    documents = list(documents)
    posts = sorted(
        (d for d in documents if d.kind == "post" and is_built(d, config)),
        key=_post_order,
        reverse=True,
    )
    pages = sorted(
        (d for d in documents if d.kind == "page" and is_built(d, config)),
        key=lambda p: p.source_path.as_posix(),
    )
    slugs, folder = config.taxonomy_slugs, config.taxonomy_path
    categories = group_terms(posts, "categories", slugs, folder=folder("categories"))
    tags = group_terms(posts, "tags", slugs, folder=folder("tags"))
    table = (data or {}).get(TICKERS_DATA)
    listed = table if isinstance(table, Mapping) else ()
    tickers = group_terms(posts, "tickers", slugs, without_posts=listed, folder=folder("tickers"))
    return Site(
        config=config,
        posts=tuple(posts),
        pages=tuple(pages),
        categories=categories,
        tags=tags,
        tickers=tickers,
        term_index={(t.taxonomy, term_key(t.name)): t for t in (*categories, *tags, *tickers)},
        years=group_archives(posts, config, monthly=False),
        months=group_archives(posts, config, monthly=True) if config.monthly_archives else (),
        data=data or {},
    )


def _post_order(post: Post) -> tuple[datetime, str]:
    """Posts sort by date, then source path (the site lists them in reverse)."""
    assert post.date is not None  # a post without one fails to parse
    return utc_instant(post.date), post.source_path.as_posix()


def is_built(document: Post, config: Config) -> bool:
    """A post or page the site shows: not a draft (unless --drafts), and for a post, not
    dated in the future (unless --future)."""
    if document.draft and not config.include_drafts:
        return False
    if document.kind == "page":
        return True
    return config.include_future or document.date is None or document.date <= config.now


def group_archives(posts: list[Post], config: Config, monthly: bool) -> tuple[Archive, ...]:
    """Yearly (or monthly) archives, by the date in the site's time zone."""
    groups: dict[tuple[int, int | None], list[Post]] = {}
    for post in posts:
        assert post.date is not None
        local = post.date.astimezone(config.tz)
        key = (local.year, local.month if monthly else None)
        groups.setdefault(key, []).append(post)
    archives = []
    for (year, month), members in sorted(groups.items(), reverse=True):
        url = f"/{year:04d}/{month:02d}/" if month else f"/{year:04d}/"
        archives.append(Archive(year, month, url, tuple(members)))
    return tuple(archives)
