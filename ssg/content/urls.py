"""Where things live: the only place URL and output-path rules are written down.

A *url* here is site-relative (`/2025/11/20/openai-aws/`), before the base path is added.
An *output path* is relative to output/ (`2025/11/20/openai-aws/index.html`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, tzinfo
from functools import lru_cache
from urllib.parse import quote, urlsplit

_PLACEHOLDER = re.compile(
    r":(year|month|day|hour|minute|second|slug|title|categories|i_month|i_day|short_year)"
)


def post_url(pattern: str, date: datetime, slug: str, category_slugs: tuple[str, ...],
             tz: tzinfo) -> str:  # fmt: skip
    """Expand a Jekyll permalink pattern. Date parts use the site's zone, as Jekyll does;
    `:categories` uses the same slugs as the category pages."""
    local = date.astimezone(tz)
    values = {
        "year": f"{local.year:04d}", "month": f"{local.month:02d}", "day": f"{local.day:02d}",
        "hour": f"{local.hour:02d}", "minute": f"{local.minute:02d}",
        "second": f"{local.second:02d}", "i_month": str(local.month), "i_day": str(local.day),
        "short_year": f"{local.year % 100:02d}", "slug": slug, "title": slug,
        "categories": "/".join(category_slugs),
    }  # fmt: skip
    return normalize_url(_PLACEHOLDER.sub(lambda m: values[m[1]], pattern))


# A URL ending in one of these names a file; any other URL is a pretty URL (a folder).
FILE_SUFFIXES = (".html", ".htm", ".xml", ".txt", ".json", ".css", ".js")


def normalize_url(url: str) -> str:
    """Collapse `//`, drop `.`/`..` segments, end pretty URLs with a slash.

    Applied to every URL (permalink overrides included), so no URL can climb out of output/.
    Segments starting with a dot are made visible (`.git` -> `_git`): output/ keeps dot
    files for the user (a deployment's .git), so pages never write there. A slug with a
    dot (`v1.2-release`) stays a page, not a file; only known file suffixes make files.
    """
    url = unicodedata.normalize("NFC", url).replace("\\", "/")
    segments = [s for s in url.split("/") if s not in ("", ".", "..")]
    segments = ["_" + s[1:] if s.startswith(".") else s for s in segments]
    path = "/" + "/".join(portable_segment(s)[0] for s in segments)
    if path != "/" and not path.lower().endswith(FILE_SUFFIXES):
        path += "/"
    return path


# What Windows cannot write in a file name: a device name (`con`, `NUL.txt`: the part
# before the first dot), characters it forbids, and trailing dots or spaces, which it drops
# (so `a.` and `a` would be one file). Sites are built on Linux and macOS and then checked
# out, synced or unzipped on Windows, where such a file fails the whole checkout.
_DEVICE_NAME = re.compile(
    r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?= *(?:\.|$))", re.IGNORECASE
)
_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')
_TRAILING = re.compile(r"[. ]+$")
_MAY_NEED_CARE = re.compile(r'[<>:"|?*\\\x00-\x1f]|[. ]$|^(?:con|prn|aux|nul|com|lpt)',
                            re.IGNORECASE)  # fmt: skip


def portable_segment(segment: str) -> tuple[str, str | None]:
    """`segment` as a file name every system can write, and why it had to change (None if
    it did not): forbidden characters become `-`, trailing dots and spaces `-`, and a
    device name gets a `-` after it (`con` -> `con-`, `NUL.txt` -> `NUL-.txt`), so URLs
    stay readable and the same name always gives the same path."""
    if not _MAY_NEED_CARE.search(segment):
        return segment, None
    reasons = []
    forbidden = sorted(set(_FORBIDDEN.findall(segment)))
    if forbidden:
        segment = _FORBIDDEN.sub("-", segment)
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in forbidden)
        reasons.append(f"has characters Windows does not allow in file names ({shown})")
    trailing = _TRAILING.search(segment)
    if trailing:
        segment = segment[: trailing.start()] + "-" * len(trailing.group())
        reasons.append("ends in a dot or a space, which Windows drops")
    device = _DEVICE_NAME.match(segment)
    if device:
        segment = f"{segment[: device.end()]}-{segment[device.end() :]}"
        reasons.append("is a device name Windows reserves")
    return segment, " and ".join(reasons) or None


def unportable_segments(path: str) -> list[tuple[str, str, str]]:
    """(segment, what it becomes, why) for each segment of `path` that portable_segment
    changes, in order."""
    changed = []
    for segment in path.split("/"):
        portable, why = portable_segment(segment)
        if why:
            changed.append((segment, portable, why))
    return changed


def output_path_for(url: str) -> str:
    """`/tags/半導体/` -> `tags/半導体/index.html`; `/feed.xml` -> `feed.xml`."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


@lru_cache(maxsize=1 << 16)  # layouts link the same term and post URLs thousands of times
def href(base_path: str, url: str) -> str:
    """The link a page writes: base path + url, percent-encoded (Japanese included)."""
    if url.startswith(("http://", "https://", "mailto:", "#")):
        return url
    if not url.isascii():  # a layout's `{{ "/tags/ガイド/" | url }}` typed on macOS
        url = unicodedata.normalize("NFC", url)
    return quote(base_path.rstrip("/") + "/" + url.lstrip("/"), safe="/#?=&:-._~!$'()*+,;@")


def absolute_url(base_url: str, url: str) -> str:
    """`/2025/x/` -> `https://example.com/blog/2025/x/`; root-relative when base_url has no host.

    Links that already name a host (`https://…`, `//cdn.example.com/…`) are kept.
    """
    if url.startswith(("http://", "https://")):
        return url
    base = urlsplit(base_url)
    if url.startswith("//"):
        return f"{base.scheme or 'https'}:{url}"
    path = href(base.path or "/", url)
    return f"{base.scheme}://{base.netloc}{path}" if base.netloc else path


def paginated_url(url: str, page: int, pattern: str = "page/:num/") -> str:
    """The n-th page of a list: `/tags/ai/` -> `/tags/ai/page/2/` (config `paginate_path`
    is `pattern`, relative to the list); page 1 is `url` itself."""
    return url if page == 1 else f"{url}{pattern.replace(':num', str(page))}"


_SAFE_SCHEMES = ("http:", "https:", "mailto:", "/", "#", "./", "../")


def is_safe_link(value: str) -> bool:
    """False for `javascript:`, `data:` and other schemes that must never reach an href."""
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    return ":" not in compact.split("/", 1)[0] or compact.startswith(_SAFE_SCHEMES)
