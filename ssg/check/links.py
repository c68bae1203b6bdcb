"""Broken links in a built site: every `href` and `src` of its HTML pages that points into
the site must name a file in output/, and a `#fragment` an element of that page.

A link is the site's own when it is root-relative (`/2025/01/02/y/`), relative
(`../x.png`, `#id`), or absolute with base_url's host and path (`https://example.com/blog/x/`);
other hosts, `mailto:` and such are not followed. With a base path (`/blog/`), a
root-relative link outside it leaves the site and is broken. A folder URL names its
`index.html`, as static hosts serve it; `/a` also finds `a/index.html`.

Pages are scanned as bytes with one regular expression per attribute, each starting with its
literal name (re finds those fast), in worker processes; a value seen on an earlier page is
not resolved again, and every file's link as ssg writes it is known good from the start.
17,651 pages (10,000 posts, 160 MB) take about 0.7 s of CPU. Only what looks broken is looked
at again: is the match really an attribute of a tag (not text in code, a comment, a script)?
"""

from __future__ import annotations

import bisect
import html
import multiprocessing
import os
import posixpath
import re
import threading
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ssg.content.urls import absolute_url, href

# A value in double quotes, single quotes or none (HTML's three attribute syntaxes).
_VALUE = rb"""\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_HREF = re.compile(rb"href" + _VALUE)
_SRC = re.compile(rb"src" + _VALUE)
# Fragment targets: an element's id, or the name of an <a> (older HTML's anchors).
_ID = re.compile(rb"id" + _VALUE)
_NAME = re.compile(rb"name" + _VALUE)
_SCHEME = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]*:")
# What makes a site path more than a file's name: a query, fragment, dot segment, "//".
_NOT_PLAIN = re.compile(r"[?#\\]|//|(?:^|/)\.|%2[eEfF]|^/")
# Below this many pages, worker processes cost more to start than they save.
PARALLEL_THRESHOLD = 300


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """A link on `page` (relative to output/) whose target is not in the site."""

    page: str
    attribute: str  # "href" or "src"
    value: str  # as the page has it, entities decoded
    problem: str  # "does not exist", "leaves the site (...)", ": no element on ... has id 'x'"
    tag: str = ""  # the element it is on ("a", "img", "link"), once confirmed


@dataclass(frozen=True, slots=True)
class _Target:
    """A resolved link: the output file, and the fragment to find in it ("" for none)."""

    path: str
    fragment: str


class SiteLinks:
    """Resolves the links of a site built into `output_dir`, whose files are `files`."""

    def __init__(self, output_dir: Path, files: Collection[str], base_url: str) -> None:
        self.output_dir = output_dir
        self.root = str(output_dir) + os.sep
        self.files = files if isinstance(files, set | frozenset) else set(files)
        base = urlsplit(base_url)
        self.host = base.netloc.lower()
        path = base.path or "/"
        self.base_path = path if path.endswith("/") else path + "/"
        # A link starting so, plainly written (no _NOT_PLAIN in the rest), names a file below
        # the base path without parsing: every page links its own absolute URL (canonical).
        self._prefixes: tuple[str, ...] = (self.base_path,)
        if self.host:
            self._prefixes += (f"{base.scheme}://{base.netloc}{self.base_path}",)
        # Attribute values (quoted, as found) that need no more checking on any page: most
        # links are the layouts' links to posts, tags and pages, on thousands of pages,
        # and a set difference leaves a page's other links in one step.
        self.good: set[bytes] = set(_links_to(self.files, base_url, self.base_path))
        self._known: dict[bytes, _Target | str] = {}  # other page-independent values

    def resolve(self, quoted: bytes, page: str) -> _Target | str | None:
        """Where the attribute value `quoted` (with its quotes, if any) on `page` leads: a
        target in the site, a problem (str) when it leads nowhere, or None when there is
        nothing to check (another site, or a file with no fragment to find)."""
        known = self._known.get(quoted)
        if known is not None:
            return known
        raw = quoted[1:-1] if quoted[:1] in (b'"', b"'") else quoted
        if raw[:1] == b"#":  # most page-dependent links: to a heading or footnote
            return _Target(page, _text(raw[1:])) if len(raw) > 1 else None
        value = _text(raw)
        independent = raw[:1] == b"/" or _SCHEME.match(raw) is not None
        result = self._resolve(value, page)
        if independent and (result is None or isinstance(result, _Target) and not (
                result.fragment and result.path.endswith(".html"))):  # fmt: skip
            self.good.add(quoted)
            return None
        if independent and result is not None:
            self._known[quoted] = result
        return result

    def _resolve(self, value: str, page: str) -> _Target | str | None:
        if not value:
            return None  # href="": this very page
        for prefix in self._prefixes:
            rel = value[len(prefix) :]
            if value.startswith(prefix) and not _NOT_PLAIN.search(rel):
                rel = unquote(rel) if "%" in rel else rel
                rel = rel if rel.isascii() else unicodedata.normalize("NFC", rel)
                rel = rel + "index.html" if not rel or rel.endswith("/") else rel
                if rel in self.files:
                    return _Target(rel, "")
        try:
            parts = urlsplit(value)
        except ValueError:  # a malformed IPv6 host, say
            return "is not a valid URL"
        if parts.scheme or value.startswith("//"):
            if parts.scheme.lower() not in ("http", "https", "") or (
                parts.netloc.lower() != self.host or not self.host
            ):
                return None  # another site, mailto:, javascript:, data: ...
            path = parts.path or "/"
            if not (path + "/").startswith(self.base_path):
                return None  # same host, outside the site's path: another site
        elif parts.path.startswith("/"):
            path = parts.path
            if not (path + "/").startswith(self.base_path):
                return f"leaves the site (its pages are under {self.base_path})"
        elif not parts.path:
            return _Target(page, parts.fragment)  # "?q" or "#id": this page
        else:
            folder = posixpath.dirname(self.base_path + page)
            path = posixpath.normpath(posixpath.join(folder, parts.path))
            if parts.path.endswith("/"):
                path += "/"
            if not (path + "/").startswith(self.base_path):
                return f"leaves the site (its pages are under {self.base_path})"
        found = self._file_for(path[len(self.base_path) :])
        if found is None:
            return "does not exist"
        return _Target(found, parts.fragment)

    def _file_for(self, site_path: str) -> str | None:
        """The output file a path below the base path names, or None."""
        rel = unicodedata.normalize("NFC", unquote(site_path)).lstrip("/")
        if rel:
            rel = posixpath.normpath(rel) + ("/" if rel.endswith("/") else "")
        if rel.startswith("../") or rel in ("..", "../") or "\0" in rel:
            return None
        if rel in (".", "./"):
            rel = ""
        candidates = [rel + "index.html"] if rel == "" or rel.endswith("/") else [
            rel, rel + "/index.html"]  # fmt: skip
        for candidate in candidates:
            if candidate in self.files or os.path.isfile(self.root + candidate):
                return candidate  # on disk too: files put into output/ by hand
        return None


def _links_to(files: Collection[str], base_url: str, base_path: str) -> Iterator[bytes]:
    """Each of `files` as ssg's layouts link it (the `url` and `absolute_url` filters), in
    double quotes: known good without resolving each link on the page it is first seen on
    (half the CPU of a scan of 10,000 posts went to that). Names holding `#` or `?` are left
    to resolution, which reads them as a fragment or query."""
    for rel in files:
        if "#" in rel or "?" in rel:
            continue
        url = "/" + (rel.removesuffix("index.html") if rel.rpartition("/")[2] == "index.html"
                     else rel)  # fmt: skip
        yield b'"' + href(base_path, url).encode() + b'"'
        if "://" in base_url:
            yield b'"' + absolute_url(base_url, url).encode() + b'"'


_ScanResult = tuple[str, list[BrokenLink], list[tuple[str, bytes, str, _Target]]]


class LinkScan:
    """Follows the links of `pages` (HTML files relative to output/): in worker processes
    from the moment it is made, for large sites, so the caller can do other work meanwhile.
    """

    def __init__(self, links: SiteLinks, pages: Sequence[str]) -> None:
        self.links, self.pages = links, list(pages)
        self._pool: Any = None
        workers = min(os.cpu_count() or 1, 8)
        if (len(pages) < PARALLEL_THRESHOLD or workers < 2 or threading.active_count() > 1
                or "fork" not in multiprocessing.get_all_start_methods()):  # fmt: skip
            self._results: Iterable[_ScanResult] = (_scan_page(links, p) for p in self.pages)
            return
        # Forked workers inherit `links` (its set of 20,000 file names) instead of a pickle.
        context = multiprocessing.get_context("fork")
        self._pool = context.Pool(workers, initializer=_start_worker, initargs=(links,))
        chunk = max(1, min(64, len(pages) // (workers * 8)))
        self._results = self._pool.imap_unordered(_scan_in_worker, self.pages, chunksize=chunk)

    def broken_links(self) -> list[BrokenLink]:
        """Every broken link, in page order."""
        found: list[BrokenLink] = []
        to_targets: list[tuple[str, bytes, str, _Target]] = []  # links into other pages
        for _page, broken, elsewhere in self._results:
            found += broken
            to_targets += elsewhere
        self.close()
        anchors: dict[str, frozenset[str]] = {}
        for page, raw, attribute, target in to_targets:
            if target.path not in anchors:
                anchors[target.path] = _anchors_in(read_bytes(self.links.root + target.path))
            if not _has_anchor(anchors[target.path], target.fragment):
                suspect = (attribute, raw, _no_anchor(target.fragment, False))
                found += _confirm(page, read_bytes(self.links.root + page), [suspect])
        order = {page: i for i, page in enumerate(self.pages)}
        return sorted(found, key=lambda b: (order.get(b.page, 0), b.attribute, b.value))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


_worker_links: SiteLinks | None = None


def _start_worker(links: SiteLinks) -> None:
    global _worker_links
    _worker_links = links


def _scan_in_worker(page: str) -> _ScanResult:
    assert _worker_links is not None
    return _scan_page(_worker_links, page)


def read_bytes(path: str) -> bytes:
    """The bytes of the file at `path`, b"" if it cannot be read. With os.read, not open():
    a buffered file object costs more than reading a 10 KB page (0.23 s against 0.14 s of
    CPU for 17,651 pages)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return b""
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _scan_page(links: SiteLinks, page: str) -> _ScanResult:
    """The broken links of one page, and its links to fragments of other pages."""
    data = read_bytes(links.root + page)
    suspects: list[tuple[str, bytes, str]] = []  # (attribute, quoted value, problem)
    elsewhere: list[tuple[str, bytes, str, _Target]] = []
    anchors: frozenset[str] | None = None
    for attribute, pattern in (("href", _HREF), ("src", _SRC)):
        for quoted in set(pattern.findall(data)) - links.good:
            result = links.resolve(quoted, page)
            if result is None:
                continue
            if isinstance(result, str):
                suspects.append((attribute, quoted, result))
            elif not result.fragment or not result.path.endswith(".html"):
                continue
            elif result.path == page:
                if anchors is None:
                    anchors = _anchors_in(data)
                if not _has_anchor(anchors, result.fragment):
                    suspects.append((attribute, quoted, _no_anchor(result.fragment, True)))
            else:
                elsewhere.append((page, quoted, attribute, result))
    return page, _confirm(page, data, suspects), elsewhere


def _anchors_in(data: bytes) -> frozenset[str]:
    found = set()
    for pattern in (_ID, _NAME):
        for quoted in set(pattern.findall(data)):
            value = _text(quoted[1:-1] if quoted[:1] in (b'"', b"'") else quoted)
            found.add(html.unescape(value) if "&" in value else value)
    return frozenset(found)


def _has_anchor(anchors: frozenset[str], fragment: str) -> bool:
    # HTML finds the fragment as written, then percent-decoded; "top" is the page's top.
    return fragment in anchors or unquote(fragment) in anchors or fragment.lower() == "top"


def _no_anchor(fragment: str, same_page: bool) -> str:
    return f": no element on {'this' if same_page else 'that'} page has id '{unquote(fragment)}'"


def _text(raw: bytes) -> str:
    value = raw.decode("utf-8", "replace").strip()
    return html.unescape(value) if "&" in value else value


_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")


def _confirm(page: str, data: bytes, suspects: list[tuple[str, bytes, str]]
             ) -> list[BrokenLink]:  # fmt: skip
    """Broken links of those `suspects` (attribute, quoted value, problem) on `page` (its
    bytes are `data`) that are an attribute of an element: not text, a comment or a script.
    """
    if not suspects:
        return []
    hidden = [match.span() for match in _HIDDEN.finditer(data)]
    confirmed = []
    for attribute, quoted, problem in suspects:
        tag = _tag_of(data, attribute.encode(), quoted, hidden)
        if tag:
            confirmed.append(BrokenLink(page, attribute, _text(_unquoted(quoted)), problem, tag))
    return confirmed


# Comments, scripts and style sheets: what looks like an attribute there is none.
_HIDDEN = re.compile(rb"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>", re.S | re.I)
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")


def _tag_of(data: bytes, attribute: bytes, quoted: bytes, hidden: list[tuple[int, int]]) -> str:
    """The name of an element that has `attribute` with the value `quoted`, or ""."""
    written = attribute + b"=" + quoted  # as layouts and markdown-it write attributes
    places = []
    at = data.find(written)
    while at >= 0:
        places.append(at)
        at = data.find(written, at + 1)
    if not places:  # spaces around `=`
        pattern = _HREF if attribute == b"href" else _SRC
        places = [m.start() for m in pattern.finditer(data) if m.group(1) == quoted]
    for at in places:
        position = bisect.bisect(hidden, (at, at))
        if position and hidden[position - 1][1] > at:
            continue  # in a comment, script or style sheet
        opening = data.rfind(b"<", 0, at)
        tag = _TAG_NAME.match(data, opening) if opening >= 0 else None
        if tag and _is_attribute_of(data, tag.end(), at):
            return tag.group(1).decode("ascii").lower()
    return ""


# One attribute of a tag, with what comes before it: its name and any value.
_ATTRIBUTE = re.compile(rb"""[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]*))?""")


def _is_attribute_of(data: bytes, after_name: int, at: int) -> bool:
    """`at` is where an attribute starts in the tag whose name ends at `after_name` (not in
    another attribute's value, nor after the tag closed: text)."""
    position = after_name
    while position < at:
        attribute = _ATTRIBUTE.match(data, position)
        if attribute is None or attribute.end() == position:
            return False  # `>`: the tag ended before `at`
        if attribute.start(1) == at:
            return True
        position = attribute.end()
    return False


def _unquoted(quoted: bytes) -> bytes:
    return quoted[1:-1] if quoted[:1] in (b'"', b"'") else quoted
