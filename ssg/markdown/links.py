"""Links to the site's own pages composed to NFC, as ssg names every file and URL.

Text pasted from macOS may carry decomposed kana (`ガ` as `カ` + U+3099): a link to
`/tags/ガイド/` written so names a file ssg never writes, and the reader gets a 404.
markdown-it percent-encodes a destination in `normalizeLink`; site links (relative,
root-relative, fragments) are composed just before that. Links to other sites are left as
written: another server may well name its files in NFD.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def nfc_site_links(md: MarkdownIt) -> None:
    """Plugin: every site link of a link, an image or a reference definition in NFC."""
    encode = md.normalizeLink

    # Posts link the same few URLs over and over (a source, the site's own pages), and
    # markdown-it parses and percent-encodes each one afresh.
    @lru_cache(maxsize=4096)
    def normalize_link(url: str) -> str:
        if not url.isascii() and not url.startswith("//") and not _SCHEME.match(url):
            url = unicodedata.normalize("NFC", url)
        return encode(url)

    md.normalizeLink = normalize_link  # type: ignore[method-assign]  # one parser's own


# The schemes a link may have (or none: a site path, a fragment, a relative path).
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "/", "#", "./", "../")


def is_safe_link(value: str) -> bool:
    """False for `javascript:`, `data:` and other schemes that must never reach an href."""
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    return ":" not in compact.split("/", 1)[0] or compact.startswith(_SAFE_SCHEMES)
