"""The pages of a Hugo site as Hugo sees them: kind, section, dates, URL, aliases, bundle."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ssg.errors import ContentError
from ssg.importers.hugo.config import HugoConfig
from ssg.importers.hugo.content import (
    CONTENT_SUFFIXES,
    DATE_KEYS,
    EXPIRY_KEYS,
    LASTMOD_KEYS,
    PUBLISH_KEYS,
    ContentFile,
    front_date,
    read_content_file,
)
from ssg.importers.hugo.urls import (
    PageFacts,
    alias_url,
    default_url,
    folder_url,
    front_matter_url,
    pattern_url,
    urlize,
)


@dataclass(frozen=True, slots=True)
class HugoPage:
    """One content file and what Hugo made of it."""

    file: ContentFile
    kind: str  # `page` (a regular page), `section` (an `_index.md`) or `home`
    section: str  # first folder under content/ ("" for the root)
    date: datetime | None
    lastmod: datetime | None
    draft: bool
    rendered: bool  # False for headless bundles and `_build: {render: never}`
    future: bool  # published later: Hugo (without --buildFuture) did not build it yet
    expired: bool  # past its `expiryDate`: Hugo no longer builds it
    url: str  # where Hugo put it
    aliases: tuple[str, ...]  # absolute
    resources: tuple[PurePosixPath, ...]  # bundle files, relative to the bundle's folder
    facts: PageFacts

    @property
    def published(self) -> bool:
        return self.rendered and not (self.draft or self.future or self.expired)

    @property
    def url_folder(self) -> str:
        """The folder of the page's URL, where its bundle's files are published."""
        return self.url if self.url.endswith("/") else self.url.rsplit("/", 1)[0] + "/"


Resources = dict[PurePosixPath, list[PurePosixPath]]


def scan_content(content_dir: Path) -> tuple[list[PurePosixPath], Resources]:
    """The content files (relative to content/, sorted) and each bundle's resources: the
    other files in the folder of an `index.md` (all below it) or an `_index.md` (beside it)."""
    pages: list[PurePosixPath] = []
    resources: Resources = {}
    for folder, dirs, names in os.walk(content_dir):
        dirs.sort()
        rel = PurePosixPath(Path(folder).relative_to(content_dir).as_posix())
        content = sorted(n for n in names if n.endswith(CONTENT_SUFFIXES) and _visible(n))
        others = sorted(n for n in names if not n.endswith(CONTENT_SUFFIXES) and _visible(n))
        leaf = next((n for n in content if n.rsplit(".", 1)[0] == "index"), None)
        if leaf is not None:  # a leaf bundle: everything below is its resources
            pages.append(rel / leaf)
            resources[rel / leaf] = _bundle_files(Path(folder), leaf)
            dirs.clear()
            continue
        pages.extend(rel / n for n in content)
        branch = next((n for n in content if n.rsplit(".", 1)[0] == "_index"), None)
        if branch is not None:
            resources[rel / branch] = [PurePosixPath(n) for n in others]
    return pages, resources


def _visible(name: str) -> bool:
    return not name.startswith(".") and not name.endswith("~")


def _bundle_files(folder: Path, index: str) -> list[PurePosixPath]:
    found = []
    for here, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name != index and _visible(name):
                found.append(PurePosixPath((Path(here) / name).relative_to(folder).as_posix()))
    return found


def read_pages(source: Path, config: HugoConfig) -> tuple[list[HugoPage], list[ContentError]]:
    """Every content file of the site, read and placed; every problem found."""
    content_dir = source / "content"
    if not content_dir.is_dir():
        return [], [ContentError("content", "no content/ folder; is this a Hugo site?")]
    rels, resources = scan_content(content_dir)
    pages: list[HugoPage] = []
    errors: list[ContentError] = []
    for rel in rels:
        try:
            file = read_content_file(content_dir, rel)
        except ContentError as exc:
            errors.append(exc)
            continue
        except UnicodeDecodeError as exc:
            errors.append(ContentError(f"content/{rel}", f"not UTF-8 ({exc.reason})", 1))
            continue
        page, problems = _page(file, config, tuple(resources.get(rel, ())))
        errors += problems
        if page is not None:
            pages.append(page)
    return pages, errors


_Read = tuple[HugoPage | None, list[ContentError]]


def _page(file: ContentFile, config: HugoConfig, resources: tuple[PurePosixPath, ...]) -> _Read:
    """The page, or None and each of its problems."""
    errors: list[ContentError] = []
    dates = []
    for keys in (DATE_KEYS, LASTMOD_KEYS, PUBLISH_KEYS, EXPIRY_KEYS):
        try:
            dates.append(front_date(file, keys, config.time_zone)[0])
        except ContentError as exc:
            if all(str(exc) != str(error) for error in errors):
                errors.append(exc)
    if errors:
        return None, errors
    date, lastmod, publish, expiry = dates
    now = datetime.now(UTC)
    stem = file.rel.stem
    kind = "page"
    if stem == "_index":
        kind = "home" if len(file.rel.parts) == 1 else "section"
    facts = PageFacts(file.rel, str(file.get("title") or ""), str(file.get("slug") or ""), date)
    url = _url(file, kind, facts, config)
    aliases = _aliases(file)
    page = HugoPage(
        file=file,
        kind=kind,
        section=file.rel.parts[0] if len(file.rel.parts) > 1 else "",
        date=date,
        lastmod=lastmod,
        draft=file.get("draft") is True or str(file.get("draft")).lower() == "true",
        rendered=_rendered(file),
        future=publish is not None and publish > now,
        expired=expiry is not None and expiry <= now,
        url=url,
        aliases=tuple(alias_url(alias, url) for alias in aliases),
        resources=resources,
        facts=facts,
    )
    return page, []


def _url(file: ContentFile, kind: str, facts: PageFacts, config: HugoConfig) -> str:
    written = file.get("url")
    if isinstance(written, str) and written.strip():
        return front_matter_url(written.strip())
    lower = config.path_to_lower
    if kind == "home":
        return "/"
    if kind == "section":
        folders = file.rel.parent.parts
        return folder_url("/".join(urlize(f, lower) for f in folders))
    pattern = config.permalinks.get(facts.section)
    if pattern is not None and facts.section:
        url = pattern_url(pattern, facts, lower, config.ugly_urls)
        if url is not None:
            return url
    return default_url(facts, lower, config.ugly_urls)


def _aliases(file: ContentFile) -> list[str]:
    value = file.get("aliases")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return []


def _rendered(file: ContentFile) -> bool:
    if file.get("headless") is True:
        return False
    build: Any = file.get("_build") or file.get("build")
    if isinstance(build, dict):
        render = build.get("render")
        return render not in (False, "never", "false")
    return True


def main_sections(pages: list[HugoPage], config: HugoConfig) -> tuple[str, ...]:
    """Hugo's `mainSections`: as configured, else the section with most regular pages."""
    if config.main_sections:
        return config.main_sections
    counts = Counter(p.section for p in pages if p.kind == "page" and p.section)
    if not counts:
        return ()
    best = max(counts.values())
    return (min(s for s, n in counts.items() if n == best),)
