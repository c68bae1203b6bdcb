"""Reading the site's inputs from disk: Markdown sources, data files, static files."""

from __future__ import annotations

import json
import os
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ssg.config import Config
from ssg.content.listing import Bounds, Found, LinkError, Listing, bounds_of, list_files
from ssg.content.tickers import TICKERS_DATA, read_ticker_table
from ssg.content.urls import portable_segment
from ssg.errors import BuildFailed, ContentError, not_utf8

MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_STATIC = Path(__file__).parent.parent / "default_static"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Markdown file under content/, as found on disk (not yet read)."""

    rel: str  # relative to content/, with "/" (text: a site has 10,000s and most stay unread)
    size: int
    mtime_ns: int

    @property
    def path(self) -> PurePosixPath:
        return PurePosixPath(self.rel)


def scan_sources(config: Config) -> tuple[list[SourceFile], list[LinkError]]:
    """Every Markdown file under content/, in path order, with its size and mtime; and the
    links under content/ that lead outside the site or nowhere."""
    listing = list_files(config.content_dir, bounds_of(config), _is_markdown, _ignored_name)
    found: list[SourceFile] = []
    for file in listing.files:
        try:
            stat = os.stat(file.path)
        except OSError:  # removed since: read_source reports it with its path
            stat = os.lstat(file.path)
        found.append(SourceFile(file.rel, stat.st_size, stat.st_mtime_ns))
    return found, listing.errors


def _is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


# A file changed this recently may change again within the same mtime tick, keeping its
# size: its stamp is not trusted (git's "racily clean" files), so the next build reads it.
RACY_SECONDS = 2.0


def is_racy(mtime_ns: int, read_from_ns: int | None = None) -> bool:
    """Saved within RACY_SECONDS of being read, for a file read now or, when given, at
    any moment from `read_from_ns` on."""
    now = time.time_ns() if read_from_ns is None else read_from_ns
    return mtime_ns > now - RACY_SECONDS * 1e9


def stamp_for(source: SourceFile, digest: str, read_from_ns: int | None = None,
              ) -> tuple[int, int, str]:  # fmt: skip
    """What a cache keeps to skip reading `source` next time: size, mtime and digest; a
    racy file gets an mtime no file has, so it is read again. A file read by a worker is
    judged by when reading began (`read_from_ns`), not by when its result came back."""
    racy = is_racy(source.mtime_ns, read_from_ns)
    return (source.size, -1 if racy else source.mtime_ns, digest)


def read_source(content_dir: Path, source: SourceFile) -> str:
    """The text of one source; a file that is not UTF-8 is a ContentError."""
    try:
        with open(content_dir / source.path, encoding="utf-8") as file:
            return file.read()
    except UnicodeDecodeError:
        data = _bytes_of(content_dir / source.path)
        raise not_utf8(Path("content") / source.path, data) from None
    except OSError as exc:  # a broken symlink, a file removed mid-build, no permission
        reason = f"cannot read: {exc.strerror}"
        raise ContentError(Path("content") / source.path, reason) from None


def _bytes_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def front_matter_line(content_dir: Path, rel: str, key: str) -> int | None:
    """The line of `key:` in the front matter of content/`rel`, for an error found after
    parsing (a `layout:` that does not exist); None if the file no longer says it."""
    from ssg.content.frontmatter import key_line, split_front_matter  # only on the error path

    try:
        text = (content_dir / rel).read_text(encoding="utf-8")
        fm = split_front_matter(PurePosixPath(rel), text)
    except (OSError, UnicodeDecodeError, ContentError):
        return None
    return key_line(fm, key) if key in fm.data else None


def _editor_junk(name: str) -> bool:
    # static/ ships `_redirects`, `.well-known/` and `.htaccess` as they are; only editor
    # and OS leftovers are skipped.
    return name.startswith(".#") or name.endswith("~") or name in (".DS_Store", "Thumbs.db")


def _ignored_name(name: str) -> bool:
    return name.startswith((".", "_", "#")) or name.endswith("~")


DATA_SUFFIXES = (".yaml", ".yml", ".json")


def list_data(config: Config) -> Listing:
    """data/*.yaml|yml|json (not its sub-folders), links checked."""

    def is_data(name: str) -> bool:
        return name.endswith(DATA_SUFFIXES)

    return list_files(config.data_dir, bounds_of(config), is_data, recursive=False)


def list_layouts(config: Config) -> Listing:
    """Every file under layouts/ (a layout may include any of them), links checked."""
    return list_files(config.layouts_dir, bounds_of(config), lambda name: True)


def read_data(files: Iterable[Found]) -> dict[str, Any]:
    """The files of list_data by stem (Jekyll's site.data), data/tickers.yaml checked and
    normalised (ssg.content.tickers); raises BuildFailed listing every file that does not
    parse."""
    data: dict[str, Any] = {}
    errors = []
    for file in files:
        path = Path(file.path)
        shown = Path("data") / file.rel
        try:
            if path.stem == TICKERS_DATA:
                data[path.stem], problems = read_ticker_table(
                    path.read_text(encoding="utf-8-sig"), shown
                )
                errors += problems
            elif path.suffix in (".yaml", ".yml"):
                data[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
            else:
                data[path.stem] = json.loads(path.read_text(encoding="utf-8-sig"))
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            errors.append(ContentError(shown, f"invalid YAML: {exc.problem}", line))
        except json.JSONDecodeError as exc:
            errors.append(ContentError(shown, f"invalid JSON: {exc.msg}", exc.lineno))
        except UnicodeDecodeError:
            errors.append(not_utf8(shown, _bytes_of(path)))
        except yaml.YAMLError as exc:
            errors.append(ContentError(shown, f"cannot read: {exc}"))
        except OSError as exc:  # no permission, removed since
            errors.append(ContentError(shown, f"cannot read: {exc.strerror}"))
    if errors:
        raise BuildFailed(errors)
    return data


@dataclass(frozen=True)
class StaticFiles:
    """What a build copies: output path -> file, the theme's and then static/'s (which win);
    every file of static/ by output path and name (two may write one path: a collision);
    the links under static/ that lead outside the site or nowhere, and a warning for each
    name changed so that Windows can write it."""

    files: dict[str, Path]
    names: list[tuple[str, str]]  # (output path, `static/...` as the writer named it)
    errors: list[LinkError]
    warnings: list[ContentError]


def collect_static(config: Config) -> StaticFiles:
    files: dict[str, Path] = {}
    theme = list_files(DEFAULT_STATIC, _THEME_BOUNDS, _not_editor_junk)
    for found in theme.files:
        files[found.rel] = Path(found.path)
    site = list_files(config.static_dir, bounds_of(config), _not_editor_junk)
    names: list[tuple[str, str]] = []
    warned: dict[str, ContentError] = {}  # by the file or folder warned about
    for found in site.files:
        rel = _portable_path(found.rel, unicodedata.normalize("NFC", found.rel), warned)
        files[rel] = Path(found.path)
        names.append((rel, f"static/{found.rel}"))
    return StaticFiles(files, names, site.errors, list(warned.values()))


def _portable_path(written: str, rel: str, warned: dict[str, ContentError]) -> str:
    """`rel` with each segment as portable_segment makes it, warning once per file or
    folder whose name changed."""
    segments = []
    for depth, segment in enumerate(rel.split("/"), start=1):
        portable, why = portable_segment(segment)
        if why:
            where = "static/" + "/".join(written.split("/")[:depth])
            message = f'"{segment}" {why}; copied as "{portable}"'
            warned.setdefault(where, ContentError(where, message))
        segments.append(portable)
    return "/".join(segments)


def _not_editor_junk(name: str) -> bool:
    return not _editor_junk(name)


_THEME_BOUNDS = Bounds(str(DEFAULT_STATIC), (os.path.realpath(DEFAULT_STATIC),))
