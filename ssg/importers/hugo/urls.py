"""Hugo's URL rules (as of Hugo 0.111, checked against its output): where each page was.

- A page's `url:` is used as written (not lower-cased); a relative one is taken from the
  site's root; without a file extension it is a folder (`/no-slash` -> `/no-slash/`).
- Else its section's pattern in `permalinks` (`/:year/:month/:slug/`), where `:slug` falls
  back to the title, and `:title`, `:slug` and `:filename` are URL-ized.
- Else its path: `/<folders>/<slug or file name>/`, URL-ized (so lower-cased, spaces -> `-`);
  a bundle (`posts/x/index.md`) is named by its folder.
- Taxonomy terms: `/<taxonomy>/<urlized term>/`; list page N: `<list>/page/N/`.
- A relative alias is relative to the folder the page's URL is in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

_TOKEN = re.compile(r":([a-z_]+)")
_ALLOWED = set("./\\_#+~-@")
_FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")


def unicode_sanitize(text: str) -> str:
    """Hugo's UnicodeSanitize: letters, digits, marks and `./\\_#+~-@` stay; a run of spaces
    or hyphens becomes one `-` (none at the start); anything else is dropped."""
    kept: list[str] = []
    hyphen = False
    for char in text:
        category = unicodedata.category(char)
        if char in _ALLOWED or category[0] in "LM" or category == "Nd":
            if hyphen and kept:
                kept.append("-")
            hyphen = False
            kept.append(char)
        elif kept and (char == "-" or char.isspace()):
            hyphen = True
    return "".join(kept)


def urlize(text: str, to_lower: bool = True) -> str:
    """Hugo's `urlize` for a path segment or a taxonomy term."""
    text = unicode_sanitize(text.strip())
    return text.lower() if to_lower else text


def folder_url(path: str, ugly: bool = False) -> str:
    """`/a/b` -> `/a/b/` (or `/a/b.html` with uglyURLs); a path ending in an extension
    (`/x.html`, `/feed.xml`) names a file and is kept."""
    path = "/" + path.lstrip("/")
    path = re.sub(r"/{2,}", "/", path)
    if path.endswith("/") or _FILE_EXTENSION.search(path.rsplit("/", 1)[-1]):
        return path
    return f"{path}.html" if ugly else f"{path}/"


def front_matter_url(url: str) -> str:
    """A page's `url:` as Hugo serves it (a relative one is taken from the root)."""
    return folder_url(url)


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What Hugo's URL rules read from one content file."""

    rel: PurePosixPath  # relative to content/, e.g. `posts/x/index.md`
    title: str
    slug: str  # "" when not set
    date: datetime | None

    @property
    def filename(self) -> str:
        """The file's name without extension; a bundle's is its folder's."""
        if self.rel.stem == "index" and len(self.rel.parts) > 1:
            return self.rel.parent.name
        return self.rel.stem

    @property
    def folders(self) -> tuple[str, ...]:
        """The folders above the page (the bundle's own folder excluded)."""
        parts = self.rel.parent.parts
        return parts[:-1] if self.rel.stem == "index" and parts else parts

    @property
    def section(self) -> str:
        return self.rel.parts[0] if len(self.rel.parts) > 1 else ""


def default_url(page: PageFacts, to_lower: bool, ugly: bool) -> str:
    """The URL of a page without `url:` nor a permalink pattern."""
    segments = [urlize(folder, to_lower) for folder in page.folders]
    segments.append(urlize(page.slug or page.filename, to_lower))
    return folder_url("/".join(segments), ugly)


def pattern_url(pattern: str, page: PageFacts, to_lower: bool, ugly: bool) -> str | None:
    """The URL `pattern` (a `permalinks` entry) gives `page`; None for an unknown token."""
    date = page.date
    values: dict[str, str] = {
        "section": page.section,
        "sections": "/".join(page.folders),
        "title": urlize(page.title, to_lower),
        "slug": urlize(page.slug or page.title, to_lower),
        "filename": urlize(page.filename, to_lower),
        "contentbasename": urlize(page.filename, to_lower),
        "slugorfilename": urlize(page.slug or page.filename, to_lower),
        "slugorcontentbasename": urlize(page.slug or page.filename, to_lower),
    }
    if date is not None:
        values |= {
            "year": f"{date.year:04d}",
            "month": f"{date.month:02d}",
            "monthname": date.strftime("%B"),
            "day": f"{date.day:02d}",
            "weekday": str((date.weekday() + 1) % 7),
            "weekdayname": date.strftime("%A"),
            "yearday": str(date.timetuple().tm_yday),
        }
    unknown = [t for t in _TOKEN.findall(pattern) if t not in values]
    if unknown:
        return None
    return folder_url(_TOKEN.sub(lambda m: values[m[1]], pattern), ugly)


def alias_url(alias: str, page_url: str) -> str:
    """An alias as an absolute URL: a relative one is taken from the folder of the page's
    URL (`old/` on `/blog/new/` -> `/blog/old/`)."""
    alias = alias.strip()
    if not alias.startswith("/"):
        folder = page_url.rstrip("/").rsplit("/", 1)[0]
        alias = f"{folder}/{alias}"
    return folder_url(alias)


def paginated(list_url: str, paginate_path: str, page: int) -> str:
    """Hugo's URL of page `page` (>= 1) of a list; page 1 is also served at `<list>/page/1/`,
    as a redirect to the list."""
    return f"{list_url.rstrip('/')}/{paginate_path.strip('/')}/{page}/"


def term_url(plural: str, term: str, to_lower: bool = True) -> str:
    return f"/{plural}/{urlize(term, to_lower)}/"
