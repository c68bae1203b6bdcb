"""Reading the site's inputs from disk: Markdown sources, data files, static files."""

from __future__ import annotations

import csv
import hashlib
import io
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
from ssg.content.listing import (
    Bounds,
    Found,
    LinkError,
    Listing,
    bounds_of,
    link_problem,
    list_files,
    opened_folder,
)
from ssg.content.tickers import TICKERS_DATA, read_ticker_table
from ssg.content.urls import portable_segment
from ssg.errors import BuildFailed, ContentError, not_utf8
from ssg.markdown.charts import ChartDataError

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
    with opened_folder(config.content_dir) as folder:
        for file in listing.files:
            try:  # looked up from the folder, not from / again: 100,000s of files
                stat = os.stat(file.path) if folder is None else os.stat(file.rel, dir_fd=folder)
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


# The mtime in the stamp of a file too new to trust: no file has it.
RACY_MTIME = -1


def stamp_for(source: SourceFile, digest: str, read_from_ns: int | None = None,
              ) -> tuple[int, int, str]:  # fmt: skip
    """What a cache keeps to skip reading `source` next time: size, mtime and digest; a
    racy file gets an mtime no file has, so it is read again. A file read by a worker is
    judged by when reading began (`read_from_ns`), not by when its result came back."""
    racy = is_racy(source.mtime_ns, read_from_ns)
    return (source.size, RACY_MTIME if racy else source.mtime_ns, digest)


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


DATA_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def list_data(config: Config) -> Listing:
    """data/**/*.yaml|yml|json|csv, links checked: those at the top are site.data, and charts
    may draw any of them (data/trends/ai.csv), so a build watches them all."""

    def is_data(name: str) -> bool:
        return name.endswith(DATA_SUFFIXES)

    return list_files(config.data_dir, bounds_of(config), is_data, _ignored_name)


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
        if "/" in file.rel:
            continue  # in a sub-folder: for charts, not site.data
        path = Path(file.path)
        shown = Path("data") / file.rel
        try:
            if path.stem == TICKERS_DATA:
                data[path.stem], problems = read_ticker_table(_data_text(path, shown), shown)
                errors += problems
            else:
                data[path.stem] = load_data_file(path, shown)
        except ContentError as exc:
            errors.append(exc)
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            errors.append(ContentError(shown, f"invalid YAML: {exc.problem}", line))
        except yaml.YAMLError as exc:
            errors.append(ContentError(shown, f"cannot read: {exc}"))
    if errors:
        raise BuildFailed(errors)
    return data


def load_data_file(path: Path, shown: Path) -> Any:
    """One data file's value: YAML and JSON as they parse, CSV as a list of rows, each a
    dict by the header's names (cells stay text, as in Jekyll: `"1,234"` and `"2025-01"`
    mean what the layout makes of them). Raises a ContentError at the bad line."""
    try:
        return parse_data(path.suffix, path.read_bytes(), shown)
    except OSError as exc:  # no permission, removed since
        raise ContentError(shown, f"cannot read: {exc.strerror}") from None


def _data_text(path: Path, shown: Path) -> str:
    """A data file's text; a ContentError when it cannot be read or is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(shown, f"cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(shown, raw) from None


def parse_data(suffix: str, raw: bytes, shown: Path) -> Any:
    """The value of a data file's bytes (see load_data_file)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(shown, raw) from None
    try:
        if suffix in (".yaml", ".yml"):
            return yaml.safe_load(text)
        if suffix == ".csv":
            return csv_records(text, shown)
        return json.loads(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ContentError(shown, f"invalid YAML: {exc.problem}", line) from None
    except json.JSONDecodeError as exc:
        raise ContentError(shown, f"invalid JSON: {exc.msg}", exc.lineno) from None
    except yaml.YAMLError as exc:
        raise ContentError(shown, f"cannot read: {exc}") from None


def csv_records(text: str, shown: Path) -> list[dict[str, str]]:
    """CSV text as a list of dicts keyed by its first row; blank lines skipped. A row with
    more or fewer fields than the header, or a header naming a column twice, is an error
    at its line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[dict[str, str]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                twice = sorted({name for name in header if header.count(name) > 1})
                if twice:
                    names = ", ".join(twice)
                    raise ContentError(shown, f"the header names {names} twice", reader.line_num)
                continue
            if len(cells) != len(header):
                message = f"this row has {len(cells)} fields; the header has {len(header)}"
                raise ContentError(shown, message, reader.line_num)
            records.append(dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        raise ContentError(shown, f"invalid CSV: {exc}", reader.line_num) from None
    return records


class DataReads:
    """The loader charts read data files through (`data: prices` or `data/prices.csv`),
    noting each file's digest: a cached post is reused only while those files are unchanged."""

    def __init__(self, config: Config) -> None:
        self.config = config  # bounds_of(config) only when a chart reads a file: every post
        self.data_dir = config.data_dir  # makes one of these
        self.read: dict[str, str] = {}  # path under data/ -> digest of its bytes

    def __call__(self, name: str) -> tuple[str, Any]:
        rel = self._find(name)
        shown = f"data/{rel}"
        path = self.data_dir / rel
        if link_problem(path, bounds_of(self.config)) is not None:
            raise ChartDataError(f"{shown}: a symbolic link to outside the site or nowhere")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ChartDataError(f"{shown}: cannot read: {exc.strerror}") from None
        self.read[rel] = data_digest(raw)
        if path.suffix == ".csv":  # the chart reads it, reporting rows at their lines
            try:
                return shown, raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ChartDataError(str(not_utf8(Path(shown), raw))) from None
        try:
            return shown, parse_data(path.suffix, raw, Path(shown))
        except ContentError as exc:
            raise ChartDataError(str(exc)) from None

    def _find(self, name: str) -> str:
        rel = name.removeprefix("data/").removeprefix("./")
        parts = PurePosixPath(rel).parts
        if not rel or rel.startswith("/") or "\\" in rel or ".." in parts:
            raise ChartDataError(f"`{name}` is not a file under data/")
        if PurePosixPath(rel).suffix in DATA_SUFFIXES:
            if not (self.data_dir / rel).is_file():
                raise ChartDataError(f"no data file data/{rel}")
            return rel
        for suffix in (".csv", ".json", ".yaml", ".yml"):
            if (self.data_dir / (rel + suffix)).is_file():
                return rel + suffix
            # Absent, noted as such: a file added later would be the one the name means.
            self.read[rel + suffix] = ""
        raise ChartDataError(f"no data file data/{rel}.csv (nor .json, .yaml)")


def data_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def data_files_unchanged(data_dir: Path, files: Iterable[tuple[str, str]],
                         known: dict[str, str]) -> bool:  # fmt: skip
    """Whether each (path under data/, digest) a post read still holds; `known` caches the
    digests of this build's files (each file hashed once)."""
    for rel, digest in files:
        if rel not in known:
            try:
                known[rel] = data_digest((data_dir / rel).read_bytes())
            except OSError:
                known[rel] = ""
        if known[rel] != digest:
            return False
    return True


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
