"""Slugs: URL path segments that keep Japanese readable and can never escape output/."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from ssg.content.urls import portable_segment

# Characters that mean something in a path, a URL or a shell, plus whitespace.
_UNSAFE = re.compile(r"""[\s/\\?#%"'<>|:*&+=!$,;@\[\]{}()^`~]+""")
_DASHES = re.compile(r"-{2,}")


def slugify(text: str) -> str:
    """A safe path segment: NFC, unsafe characters -> '-', never '.' or '..'.

    Japanese stays Japanese (`半導体` -> `半導体`): files keep the Unicode name and hrefs
    are percent-encoded, which is what readers see in the address bar. Letter case is
    kept, as Jekyll does for file-derived slugs. Over MAX_SEGMENT_BYTES it is shortened,
    and a device name Windows reserves gets a `-` (`con` -> `con-`); slug_change says so.
    """
    return _make_slug(text)[0]


@lru_cache(maxsize=1 << 14)  # terms repeat on every post that has them
def _make_slug(text: str) -> tuple[str, int, str | None]:
    """The slug, the bytes of its safe text when that had to be shortened (else 0), and why
    Windows could not write that text as it is (None: it can)."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _DASHES.sub("-", text).strip("-.")
    slug = shorten_segment(text) or "-"
    long_bytes = len(text.encode("utf-8")) if slug != text and text else 0
    slug, why = portable_segment(slug)
    return slug, long_bytes, why


def slug_change(subject: str, text: str) -> str | None:
    """What a warning says when the slug of `text` is more than its safe characters:
    shortened to fit a file name, or a name Windows reserves. `subject` names what the
    text is (`slug`, `tag "AI"`); None when nothing such happened."""
    slug, long_bytes, why = _make_slug(text)
    if long_bytes:
        return f'{subject} is {long_bytes} bytes; shortened to "{slug}"'
    if why:
        return f'{subject} {why}; using "{slug}"'
    return None


# File systems refuse names over 255 bytes (85 Japanese characters in UTF-8); a page is
# `slug/index.html`, so a slug is kept to 200 bytes.
MAX_SEGMENT_BYTES = 200


def shorten_segment(text: str) -> str:
    """`text` if it fits MAX_SEGMENT_BYTES, else its start cut at a character boundary plus
    a hash of the whole, so that two long names sharing a start stay apart."""
    encoded = text.encode("utf-8")
    if len(encoded) <= MAX_SEGMENT_BYTES:
        return text
    digest = hashlib.blake2b(encoded, digest_size=4).hexdigest()
    start = encoded[: MAX_SEGMENT_BYTES - len(digest) - 1].decode("utf-8", "ignore")
    return f"{start.rstrip('-.')}-{digest}"


@lru_cache(maxsize=1 << 14)  # a site has a few hundred terms, named on every post
def term_key(name: str) -> str:
    """Identity of a tag or category: case, full/half width and NFC/NFD folded away.

    `AI`, `ａｉ` and `Ai` are one term; so are `ガ` written precomposed and decomposed.
    """
    return unicodedata.normalize("NFKC", name).casefold().strip()


def term_slug(name: str, slug_map: Mapping[str, str]) -> str:
    """Slug for a term: config's `taxonomy_slugs` (keyed by `term_key`) wins, else the name."""
    key = term_key(name)
    return slugify(slug_map.get(key, key))


def term_slug_change(name: str, slug_map: Mapping[str, str], subject: str) -> str | None:
    """slug_change for a term's slug (term_slug)."""
    key = term_key(name)
    return slug_change(subject, slug_map.get(key, key))


def term_slug_map(taxonomy_slugs: Mapping[str, str]) -> dict[str, str]:
    """config's `taxonomy_slugs` re-keyed by `term_key`, so lookups fold case and width."""
    return {term_key(name): slug for name, slug in taxonomy_slugs.items()}
