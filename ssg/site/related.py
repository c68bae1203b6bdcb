"""Related posts: for each post, the posts sharing the most of its terms, weighted by
taxonomy (a shared tag says more than a shared category), newest first among equals.

Every post of a term is a bit of one integer (bit i: the i-th newest post), so a post's
scores over the whole site are a few additions of such integers, kept bit-sliced (one
integer per bit of the score): at 10,000 posts, with tags on thousands of posts each,
that is tens of big-integer operations per post, not a loop over every pair of posts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from ssg.content.post import Post
from ssg.site.taxonomy import Term

# How much one shared term of each taxonomy counts: a shared ticker (the same company)
# says the most, as much as two shared tags.
RELATED_WEIGHTS: Mapping[str, int] = {"tickers": 4, "tags": 2, "categories": 1}


@dataclass(frozen=True, slots=True, repr=False)
class RelatedPost:
    """What a post page shows of a related post: its link, title, date and image.

    Not the Post itself: a page listing it then depends on these values only, so editing
    a post's body or excerpt (the newest post of a common tag is related to thousands of
    posts) re-renders none of the pages listing it."""

    url: str
    title: str
    title_html: Markup
    title_text: str
    date: datetime | None
    image: str | None
    # Its repr, made on first use and kept: fingerprints repr every value of every page,
    # and a post is related to many (a body edit's build makes them all and reprs few).
    _repr: str = field(default="", compare=False)

    @classmethod
    def of(cls, post: Post) -> RelatedPost:
        return cls(post.url, post.title, post.title_html, post.title_text, post.date, post.image)

    def __reduce__(self) -> tuple[type[RelatedPost], tuple[object, ...]]:
        # Without the cached repr (as long as the rest), and by a constructor call rather
        # than slots' Python-level __getstate__: the build cache keeps 100,000s of these.
        return (RelatedPost, (self.url, self.title, self.title_html, self.title_text,
                              self.date, self.image))  # fmt: skip

    def __repr__(self) -> str:
        if not self._repr:
            values = (self.url, self.title, self.title_html, self.title_text, self.date,
                      self.image)  # fmt: skip
            object.__setattr__(self, "_repr", f"RelatedPost{values!r}")  # frozen, but a cache
        return self._repr


@dataclass(frozen=True)
class RelatedPlaces:
    """Every post's related posts as places in the site's posts (newest first), and the
    digest of what they follow from: the number of posts, the limit, and each shared term's
    posts by place. A body edit changes none of these, so the next build reuses the places
    (kept in the build cache) instead of scoring every post again."""

    key: str
    places: tuple[tuple[int, ...], ...]


def related_posts(
    posts: Sequence[Post], terms: Mapping[str, Sequence[Term]], limit: int,
    last: RelatedPlaces | None = None,
) -> tuple[list[tuple[RelatedPost, ...]], RelatedPlaces]:  # fmt: skip
    """For each of `posts` (newest first), up to `limit` posts sharing at least one term,
    by score (the weights of shared terms), then newest first, then by place in `posts`;
    and the places they were found at, for the next build to pass as `last`.

    `terms` are the site's terms by taxonomy; taxonomies without a weight are ignored."""
    if limit <= 0:
        return [() for _ in posts], RelatedPlaces("", ())
    weighted, post_terms = _weighted_terms(posts, terms)
    key = _places_key(len(posts), limit, weighted)
    if last is not None and last.key == key:
        places = last.places
    else:
        places = _related_places(weighted, post_terms, limit)
    infos: dict[int, RelatedPost] = {}
    lists = []
    for found in places:
        for j in found:
            if j not in infos:
                infos[j] = RelatedPost.of(posts[j])
        lists.append(tuple(infos[j] for j in found))
    return lists, RelatedPlaces(key, places)


def _weighted_terms(posts: Sequence[Post], terms: Mapping[str, Sequence[Term]]
                    ) -> tuple[list[tuple[int, int]], list[list[int]]]:  # fmt: skip
    """The terms shared by two posts or more, as (members as bits, weight), and for each
    post the places of its terms in that list."""
    index = {id(post): i for i, post in enumerate(posts)}
    weighted: list[tuple[int, int]] = []
    post_terms: list[list[int]] = [[] for _ in posts]
    for taxonomy, weight in RELATED_WEIGHTS.items():
        for term in terms.get(taxonomy, ()):
            members = [index[id(p)] for p in term.posts if id(p) in index]
            if len(members) < 2:
                continue  # shared with no other post
            for i in members:
                post_terms[i].append(len(weighted))
            weighted.append((_bits(members, len(posts)), weight))
    return weighted, post_terms


def _places_key(size: int, limit: int, weighted: list[tuple[int, int]]) -> str:
    digest = hashlib.blake2b(f"{size}:{limit}".encode(), digest_size=16)
    length = size // 8 + 1
    for members, weight in weighted:
        digest.update(weight.to_bytes(1, "little"))
        digest.update(members.to_bytes(length, "little"))
    return digest.hexdigest()


def _related_places(weighted: list[tuple[int, int]], post_terms: list[list[int]],
                    limit: int) -> tuple[tuple[int, ...], ...]:  # fmt: skip
    places = []
    # Posts with the same terms have the same candidates: one scoring serves them all.
    tops: dict[tuple[int, ...], list[int]] = {}
    for i, mine in enumerate(post_terms):
        key = tuple(mine)
        ranked = tops.get(key)
        if ranked is None:
            ranked = tops[key] = _top([weighted[t] for t in mine], limit + 1)
        places.append(tuple([j for j in ranked if j != i][:limit]))
    return tuple(places)


def _bits(members: list[int], size: int) -> int:
    """The integer with bit i set for each i in `members`."""
    mask = bytearray(size // 8 + 1)
    for i in members:
        mask[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(mask, "little")


def _top(terms: list[tuple[int, int]], limit: int) -> list[int]:
    """The places of the `limit` best-scoring posts sharing any of `terms` (a post's own
    place among them: callers drop it, and ask for one more)."""
    if not terms:
        return []
    planes: list[int] = []  # bit j of every post's score, as one integer per j
    candidates = 0
    for members, weight in terms:
        candidates |= members
        for j in range(weight.bit_length()):
            if weight >> j & 1:
                _add(planes, members, j)
    found: list[int] = []
    while candidates and len(found) < limit:
        # The posts of the highest score left: from the top bit of the score down, keep
        # those having the bit, wherever any do.
        best = candidates
        for plane in reversed(planes):
            if best & plane:
                best &= plane
        candidates ^= best
        while best and len(found) < limit:
            lowest = best & -best  # the newest post of that score
            found.append(lowest.bit_length() - 1)
            best ^= lowest
    return found


def _add(planes: list[int], members: int, bit: int) -> None:
    """Add 2**bit to the score of every post in `members` (a ripple-carry add per bit)."""
    carry = members
    while carry:
        while len(planes) <= bit:
            planes.append(0)
        carry, planes[bit] = planes[bit] & carry, planes[bit] ^ carry
        bit += 1
