"""Posts inside page values: the one walker that finds them, keys them and replaces them.

A planned page's values (`OutputPage.context`) are posts, holders of posts (a paginator,
a term, an archive), tuples, lists and mappings of those, and plain scalars. Fingerprints
(which posts does this page show?), the body-edit path (which pages show this post?) and
its swap (this page with the post's new version) all walk values here, so they cannot
disagree; a new kind of page value is taught here once, as a PostHolder in HOLDER_TYPES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

from ssg.content.post import Post
from ssg.site.model import Archive
from ssg.site.pages import Paginator, SitemapEntries
from ssg.site.related import RelatedPost
from ssg.site.taxonomy import Term


class PostHolder(Protocol):
    """A page value that holds posts besides values of its own."""

    @property
    def posts(self) -> tuple[Post, ...]: ...

    def holder_key(self) -> str:
        """Its own values (page number, term name, url, ...), as a string."""
        ...

    def with_posts(self, posts: tuple[Post, ...]) -> PostHolder: ...


# Every PostHolder a page may carry.
HOLDER_TYPES: tuple[type, ...] = (Paginator, Term, Archive)
# Holders whose posts a page shows only when its layout lists them (`term.posts`): a term
# page's paginator carries the posts it shows, the term itself only its name and size.
SHALLOW_HOLDERS: tuple[type, ...] = (Term,)

_POST, _HOLDER, _SEQUENCE, _MAPPING, _SCALAR = range(1, 6)  # never 0: `get(...) or`
# Exact types first: fingerprints walk every value of 20,000 pages.
_KINDS: dict[type, int] = {
    Post: _POST,
    **dict.fromkeys(HOLDER_TYPES, _HOLDER),
    tuple: _SEQUENCE,
    list: _SEQUENCE,
    dict: _MAPPING,
    **dict.fromkeys((str, int, float, bool, type(None)), _SCALAR),
    # Holds a post's link and title, not the post: every post page has a few.
    RelatedPost: _SCALAR,
    # The sitemap's URLs and dates, no posts: keyed by its repr, which lists them.
    SitemapEntries: _SCALAR,
}


def _kind(value: Any) -> int:
    """The kind of a value whose exact type is not in _KINDS (callers look there first)."""
    if isinstance(value, Post):
        return _POST
    if isinstance(value, HOLDER_TYPES):
        return _HOLDER
    if isinstance(value, tuple | list):
        return _SEQUENCE
    if isinstance(value, Mapping):
        return _MAPPING
    return _SCALAR


def posts_in(values: Iterable[Any], deep_terms: bool = True) -> Iterator[Post]:
    """Every post that `values` hold, however deep; a term's posts only with `deep_terms`."""
    kinds = _KINDS
    for value in values:
        kind = kinds.get(type(value)) or _kind(value)
        if kind == _POST:
            yield value
        elif kind == _HOLDER:
            if deep_terms or not isinstance(value, SHALLOW_HOLDERS):
                yield from value.posts
        elif kind == _SEQUENCE:
            yield from posts_in(value, deep_terms)
        elif kind == _MAPPING:
            yield from posts_in(value.values(), deep_terms)


def replace_posts(value: Any, replace: Callable[[Post], Post]) -> Any:
    """`value` with every post `p` in it replaced by `replace(p)`."""
    kind = _KINDS.get(type(value)) or _kind(value)
    if kind == _POST:
        return replace(value)
    if kind == _HOLDER:
        return value.with_posts(tuple(map(replace, value.posts)))
    if kind == _SEQUENCE:
        return type(value)(replace_posts(item, replace) for item in value)
    if kind == _MAPPING:
        return {k: replace_posts(v, replace) for k, v in value.items()}
    return value


def value_key(value: Any, post_key: Callable[[Post], str], deep_terms: bool = True) -> str:
    """A string that changes whenever `value` changes, each post counted as `post_key`
    gives it; a term counts by its own values only, unless `deep_terms`."""
    kind = _KINDS.get(type(value)) or _kind(value)
    if kind == _POST:
        return post_key(value)
    if kind == _SCALAR:
        return f"{type(value).__name__}:{value!r}"
    if kind == _HOLDER:
        holder: PostHolder = value
        if not deep_terms and isinstance(holder, SHALLOW_HOLDERS):
            return holder.holder_key()
        return holder.holder_key() + ":" + ",".join(map(post_key, holder.posts))
    if kind == _SEQUENCE:
        return "[" + "|".join([value_key(v, post_key, deep_terms) for v in value]) + "]"
    keys = sorted(value)
    return "{" + "|".join([f"{k}={value_key(value[k], post_key, deep_terms)}" for k in keys]) + "}"
