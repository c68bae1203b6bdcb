"""The site's search index: static files a browser reads a few of per query.

Every published post gets a number (`doc_ids`) that orders posts by date, so recency
needs no extra file, and that stays the same while the post keeps its date and URL. For
each key of ssg.content.search_terms the index holds its posting list: the numbers of the
posts having it, each times 8 plus the key's weight there, ascending, written as gaps in
a base-64 varint (`encode`). Keys are spread over a power of two of shard files by the
CRC-32 of their UTF-8 bytes, so a query downloads one shard per key: a few tens of KB.

A rebuild patches the last build's index: only the keys of posts that changed are
decoded and encoded again, and only the shards holding them change. The same posts give
the same index, patched or built afresh.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from ssg.content.post import Post
from ssg.content.search_terms import weighted_terms

# The varint alphabet: 5 bits per character, 32 added when more characters follow. JSON
# and URL safe, so a shard needs no escaping. search.js decodes it.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_DIGIT = {char: index for index, char in enumerate(ALPHABET)}
# Posts of one day get numbers from day * _PER_DAY up; a day with more takes the next
# day's free numbers (the numbers only have to keep the posts' order).
_PER_DAY = 128
_EPOCH = date(1900, 1, 1).toordinal()
# An index over this many bytes per shard gets twice as many shards.
SHARD_BYTES = 48_000
# Past this share of posts changed, building afresh is cheaper than patching.
_PATCH_LIMIT = 0.25


def _varint(value: int) -> str:
    chars = []
    while value >= 32:
        chars.append(ALPHABET[32 | (value & 31)])
        value >>= 5
    chars.append(ALPHABET[value])
    return "".join(chars)


@cache
def _small_varints() -> list[str]:
    # Made on first use, not at import: a no-change build never encodes.
    return [_varint(value) for value in range(1 << 15)]  # three characters or fewer


def encode(entries: Sequence[int]) -> str:
    """Ascending numbers as the varints of their gaps (the first from 0)."""
    small = _small_varints()
    previous, parts = 0, []
    for entry in entries:
        gap = entry - previous
        parts.append(small[gap] if gap < 32768 else _varint(gap))
        previous = entry
    return "".join(parts)


def decode(text: str) -> list[int]:
    entries, value, shift, previous = [], 0, 0, 0
    for char in text:
        digit = _DIGIT[char]
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        previous += value
        entries.append(previous)
        value, shift = 0, 0
    return entries


def doc_ids(posts: Iterable[Post]) -> dict[str, int]:
    """A number for each post (by source path), ascending with its date."""
    ids: dict[str, int] = {}
    following = 0
    for post in sorted(posts, key=_date_order):
        assert post.date is not None
        day = max(0, post.date.date().toordinal() - _EPOCH)
        following = max(following, day * _PER_DAY)
        ids[post.source_path.as_posix()] = following
        following += 1
    return ids


def _date_order(post: Post) -> tuple[object, str]:
    return (post.date, post.url)


def shard_of(term: str, shards: int) -> int:
    return zlib.crc32(term.encode("utf-8")) % shards


@dataclass(frozen=True)
class SearchIndex:
    """Posting lists by key, and which version of which post each number stands for."""

    postings: Mapping[str, str]  # key -> encoded posting list
    docs: Mapping[int, str]  # number -> the digest of the post it was made from
    shards: int
    size: int  # index_size(postings)
    # Shards whose text differs from the index this one was patched from (None: all).
    changed: frozenset[int] | None = None
    # Worked out on demand, and handed on to a patched index for the shards it kept.
    _shard_terms: list[set[str]] | None = field(default=None, compare=False, repr=False)
    _texts: dict[int, str] = field(default_factory=dict, compare=False, repr=False)

    def __reduce__(self) -> tuple[type[SearchIndex], tuple[object, ...]]:
        # The cache keeps what cannot be worked out again quickly.
        return (SearchIndex, (dict(self.postings), dict(self.docs), self.shards, self.size))

    def shard_text(self, shard: int) -> str:
        """Shard `shard` as the JSON object search.js reads: {key: postings}, keys sorted."""
        text = self._texts.get(shard)
        if text is None:
            postings = self.postings
            terms = {term: postings[term] for term in sorted(self.shard_terms()[shard])}
            text = json.dumps(terms, ensure_ascii=False, separators=(",", ":"))
            self._texts[shard] = text
        return text

    def shard_terms(self) -> list[set[str]]:
        """The keys of each shard."""
        if self._shard_terms is None:
            by_shard: list[set[str]] = [set() for _ in range(self.shards)]
            for term in self.postings:
                by_shard[shard_of(term, self.shards)].add(term)
            object.__setattr__(self, "_shard_terms", by_shard)
        assert self._shard_terms is not None
        return self._shard_terms


def doc_key(post: Post) -> str:
    return post.digest or post.search_terms


def build_index(posts: Mapping[int, Post]) -> SearchIndex:
    """The index of `posts` (by number), made afresh."""
    lists: defaultdict[str, list[int]] = defaultdict(list)
    for number in sorted(posts):
        base = number * 8
        for line in posts[number].search_terms.splitlines():
            entry = base + int(line[0])
            for term in line[2:].split(" "):
                lists[term].append(entry)
    postings = {term: encode(entries) for term, entries in lists.items()}
    docs = {number: doc_key(post) for number, post in posts.items()}
    size = index_size(postings)
    return SearchIndex(postings, docs, _shards_for(size), size)


def index_size(postings: Mapping[str, str]) -> int:
    """About the bytes of all shards together."""
    return sum(_entry_size(term, entries) for term, entries in postings.items())


def _entry_size(term: str, entries: str) -> int:
    return len(term) * 3 + len(entries) + 6  # "key":"entries", as UTF-8


def _shards_for(size: int) -> int:
    """The power of two that keeps shards near SHARD_BYTES."""
    shards = 1
    while size / shards > SHARD_BYTES:
        shards *= 2
    return shards


def update_index(previous: SearchIndex | None, posts: Mapping[int, Post],
                 old_post: Callable[[str], Post | None]) -> SearchIndex:  # fmt: skip
    """The index of `posts` (by number), patched from `previous` where that is cheaper;
    `old_post(digest)` gives the post a number of `previous` was made from, if known."""
    if previous is None:
        return build_index(posts)
    gone = {n: key for n, key in previous.docs.items()
            if n not in posts or doc_key(posts[n]) != key}  # fmt: skip
    new = {n: post for n, post in posts.items() if previous.docs.get(n) != doc_key(post)}
    if not gone and not new:
        return previous
    if len(gone) + len(new) > _PATCH_LIMIT * max(len(posts), 1) + 8:
        return build_index(posts)
    edits: dict[int, tuple[Post | None, Post | None]] = {}
    for number in gone.keys() | new.keys():
        old = old_post(gone[number]) if number in gone else None
        if number in gone and old is None:
            return build_index(posts)
        edits[number] = (old, new.get(number))
    return patch_index(previous, edits)


def patch_index(previous: SearchIndex,
                edits: Mapping[int, tuple[Post | None, Post | None]]) -> SearchIndex:  # fmt: skip
    """`previous` with each number's post changed from the first of its pair to the second
    (None: no post). A post edited in place keeps its number: only the keys it gained,
    lost or weighs differently have their lists decoded and encoded again."""
    removed: dict[str, set[int]] = {}
    added: dict[str, list[int]] = {}
    docs = dict(previous.docs)
    for number, (old, new) in edits.items():
        before = set(weighted_terms(old.search_terms)) if old is not None else set()
        after = set(weighted_terms(new.search_terms)) if new is not None else set()
        base = number * 8
        for term, weight in before - after:
            removed.setdefault(term, set()).add(base + weight)
        for term, weight in after - before:
            added.setdefault(term, []).append(base + weight)
        if new is None:
            docs.pop(number, None)
        else:
            docs[number] = doc_key(new)
    postings = dict(previous.postings)
    size = previous.size
    touched = []
    for term in removed.keys() | added.keys():
        old_text = previous.postings.get(term, "")
        entries = [e for e in decode(old_text) if e not in removed.get(term, ())]
        text = encode(sorted(entries + added.get(term, [])))
        if text == old_text:
            continue
        touched.append(term)
        size += _entry_size(term, text) - (_entry_size(term, old_text) if old_text else 0)
        if text:
            postings[term] = text
        else:
            del postings[term]
    shards = _shards_for(size)
    if shards != previous.shards:
        return SearchIndex(postings, docs, shards, size)
    changed = frozenset(shard_of(term, shards) for term in touched)
    by_shard = [set(terms) if k in changed else terms
                for k, terms in enumerate(previous.shard_terms())]  # fmt: skip
    for term in touched:
        terms = by_shard[shard_of(term, shards)]
        if term in postings:
            terms.add(term)
        else:
            terms.discard(term)
    texts = {k: v for k, v in previous._texts.items() if k not in changed}
    return SearchIndex(postings, docs, shards, size, changed, by_shard, texts)
