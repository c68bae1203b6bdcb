"""`ssg check`: everything a build would report, the built site's broken links, and the
writing traps of every post, without writing anything.

1. Content, config, data and layouts are checked as a build checks them (ssg.build.validate:
   nothing is parsed again when the cache says output/ is their build).
2. When output/ is what these inputs build, every link, image and `#anchor` of its HTML
   pages is followed (ssg.check.links). A broken link on a post's page is reported at the
   line of the post's Markdown that holds it; one the layout made, at the output page.
   When output/ is missing or older than the sources, links are not checked: checking an
   old build would report links that a build fixes, or miss new ones. `ssg build` first.
3. Writing traps of each post (ssg.check.traps) are warnings at their source lines.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ssg.build.validate import validate_site
from ssg.check.links import BrokenLink, LinkScan, SiteLinks, read_bytes
from ssg.check.traps import body_offset, find_traps
from ssg.config import Config
from ssg.content.post import Post
from ssg.content.urls import output_path_for


@dataclass(frozen=True)
class CheckReport:
    """What `ssg check` found; it failed when `errors` or `broken` is not empty."""

    errors: tuple[str, ...]  # content, config, data and layouts, as a build reports them
    broken: tuple[str, ...]  # broken links, each at its source line or page
    warnings: tuple[str, ...]  # the build's warnings, then writing traps
    unchecked: str | None  # why the links were not checked, if they were not
    documents: int  # posts and pages checked for traps
    pages: int  # HTML pages whose links were followed
    seconds: float

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.broken)


def check_site(config: Config) -> CheckReport:
    started = time.perf_counter()
    validation = validate_site(config)
    pages: list[str] = []
    scan = None
    if validation.stale is None:
        pages = [path for path in validation.outputs if path.endswith(".html")]
        links = SiteLinks(config.output_dir, validation.outputs, config.base_url)
        scan = LinkScan(links, pages)  # worker processes follow links while this one reads
    sources = Sources(config.content_dir)
    try:
        documents = validation.documents()
        warnings = [*validation.warnings, *writing_traps(sources, documents)]
        broken = locate(config, sources, scan.broken_links(), documents) if scan else []
    finally:
        if scan:
            scan.close()
    unchecked = None
    if validation.stale is not None:
        unchecked = f"{validation.stale}; run `ssg build`, then `ssg check` again"
    return CheckReport(
        errors=tuple(str(error) for error in validation.errors),
        broken=tuple(broken),
        warnings=tuple(warnings),
        unchecked=unchecked,
        documents=len(documents),
        pages=len(pages),
        seconds=time.perf_counter() - started,
    )


class Sources:
    """The source files of posts, each read once: for traps, then for broken links."""

    def __init__(self, content_dir: Path) -> None:
        self._prefix = str(content_dir) + "/"
        self._read: dict[str, bytes] = {}

    def bytes_of(self, document: Post) -> bytes:
        rel = str(document.source_path)
        data = self._read.get(rel)
        if data is None:
            data = self._read[rel] = read_bytes(self._prefix + rel)
        return data

    def body_of(self, document: Post) -> tuple[bytes, int]:
        """The source's bytes, lines ending in \\n, and where its body starts."""
        data = self.bytes_of(document)
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return data, body_offset(data)


def writing_traps(sources: Sources, documents: Sequence[Post]) -> list[str]:
    found = []
    for document in sorted(documents, key=lambda d: str(d.source_path)):
        for line, message in find_traps(sources.bytes_of(document), document.html):
            found.append(f"{_source_name(document)}:{line}: {message}")
    return found


def locate(config: Config, sources: Sources, broken: Sequence[BrokenLink],
           documents: Sequence[Post]) -> list[str]:  # fmt: skip
    """A message for each broken link: at the line of the post's Markdown that holds it;
    else at its output page, once per link for all the pages a layout put it on."""
    if not broken:
        return []
    by_page = {output_path_for(document.url): document for document in documents}
    base_path = config.base_path
    bodies: dict[str, tuple[bytes, int]] = {}  # source path -> (bytes, body offset)
    at_sources: list[str] = []
    from_layouts: dict[tuple[str, str], list[str]] = {}  # (link, layout) -> its pages
    for link in broken:
        document = by_page.get(link.page)
        found: list[tuple[int, str]] = []
        if document is not None:
            rel = str(document.source_path)
            if rel not in bodies:
                bodies[rel] = sources.body_of(document)
            found = _source_line(bodies[rel], link.value, base_path, config.base_url)
        if document is not None and found:
            for line, written in found:
                at_sources.append(f"{_source_name(document)}:{line}: {_describe(link, written)}")
            continue
        layout = f"the layout {document.layout}.html" if document else "its layout"
        from_layouts.setdefault((_describe(link, link.value), layout), []).append(link.page)
    output = _shown(config.output_dir, config)
    for (message, layout), on_pages in from_layouts.items():
        more = len(on_pages) - 1
        others = f"; also on {more} other page{'s' * (more > 1)}" if more else ""
        at_sources.append(f"{output}/{on_pages[0]}: {message} (made by {layout}{others})")
    return at_sources


def _describe(link: BrokenLink, value: str) -> str:
    if link.attribute == "href":
        what = "link to"
    else:
        what = "image" if link.tag in ("img", "") else f"{link.tag} source"
    space = "" if link.problem.startswith(":") else " "
    return f"{what} {value}{space}{link.problem}"


def _source_line(body: tuple[bytes, int], value: str, base_path: str, base_url: str
                 ) -> list[tuple[int, str]]:  # fmt: skip
    """The lines of a source `body` (bytes, body offset) holding the link `value` as the
    writer wrote it (before ssg added the base path or percent-encoded it), with that form."""
    data, start = body
    for written, encoded in _written_forms(value, base_path, base_url):
        at = data.find(encoded, start)
        found = []
        while at >= 0:
            found.append((data.count(b"\n", 0, at) + 1, written))
            at = data.find(encoded, at + len(encoded))
        if found:
            return found
    return []


@lru_cache(maxsize=4096)  # a broken link layouts or a pasted template repeat on many pages
def _written_forms(value: str, base_path: str, base_url: str) -> list[tuple[str, bytes]]:
    """How a link found in HTML may be written in Markdown, longest first (and in UTF-8)."""
    forms = {value, unquote(value)}
    parts = urlsplit(value)
    base = urlsplit(base_url)
    if parts.netloc and parts.netloc.lower() == base.netloc.lower():
        forms |= {value[len(f"{parts.scheme}://{parts.netloc}") :]}
    for form in list(forms):
        if base_path != "/" and form.startswith(base_path):
            forms.add("/" + form[len(base_path) :])
    forms |= {unquote(form) for form in forms}
    ordered = sorted((form for form in forms if form), key=len, reverse=True)
    return [(form, form.encode("utf-8", "surrogateescape")) for form in ordered]


def _source_name(document: Post) -> str:
    return f"content/{document.source_path.as_posix()}"


def _shown(path: Path, config: Config) -> str:
    if path.is_relative_to(config.site_dir):
        return path.relative_to(config.site_dir).as_posix()
    return path.as_posix()
