"""Slugs: URL path segments that keep Japanese readable and can never escape output/."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

# Characters that mean something in a path, a URL or a shell, plus whitespace.
_UNSAFE = re.compile(r"""[\s/\\?#%"'<>|:*&+=!$,;@\[\]{}()^`~]+""")
_DASHES = re.compile(r"-{2,}")


def slugify(text: str) -> str:
    """A safe path segment: NFC, unsafe characters -> '-', never '.' or '..'.

    Japanese stays Japanese (`半導体` -> `半導体`): files keep the Unicode name and hrefs
    are percent-encoded, which is what readers see in the address bar. Letter case is
    kept, as Jekyll does for file-derived slugs.
    """
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _DASHES.sub("-", text).strip("-.")
    return text or "-"


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


def term_slug_map(taxonomy_slugs: Mapping[str, str]) -> dict[str, str]:
    """config's `taxonomy_slugs` re-keyed by `term_key`, so lookups fold case and width."""
    return {term_key(name): slug for name, slug in taxonomy_slugs.items()}
