"""Reading the site's inputs from disk: Markdown sources, data files, static files."""

from __future__ import annotations

import json
import os
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

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


def scan_sources(content_dir: Path) -> list[SourceFile]:
    """Every Markdown file under content/, in path order, with its size and mtime."""
    found: list[SourceFile] = []
    root = str(content_dir)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not _ignored_name(d)]
        prefix = dirpath[len(root) + 1 :].replace(os.sep, "/")
        for name in filenames:
            if name.lower().endswith(MARKDOWN_SUFFIXES) and not _ignored_name(name):
                try:
                    stat = os.stat(os.path.join(dirpath, name))
                except OSError:  # a broken symlink: read_source reports it with its path
                    stat = os.lstat(os.path.join(dirpath, name))
                rel = f"{prefix}/{name}" if prefix else name
                found.append(SourceFile(rel, stat.st_size, stat.st_mtime_ns))
    return sorted(found, key=lambda f: f.rel)


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


def read_data(data_dir: Path) -> dict[str, Any]:
    """data/*.yaml|yml|json, by file stem (Jekyll's site.data)."""
    data: dict[str, Any] = {}
    if not data_dir.is_dir():
        return data
    errors = []
    for path in sorted(data_dir.iterdir()):
        try:
            if path.suffix in (".yaml", ".yml"):
                data[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
            elif path.suffix == ".json":
                data[path.stem] = json.loads(path.read_text(encoding="utf-8-sig"))
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            errors.append(
                ContentError(Path("data") / path.name, f"invalid YAML: {exc.problem}", line)
            )
        except json.JSONDecodeError as exc:
            errors.append(
                ContentError(Path("data") / path.name, f"invalid JSON: {exc.msg}", exc.lineno)
            )
        except UnicodeDecodeError:
            errors.append(not_utf8(Path("data") / path.name, _bytes_of(path)))
        except yaml.YAMLError as exc:
            errors.append(ContentError(Path("data") / path.name, f"cannot read: {exc}"))
        except OSError as exc:  # no permission, a broken symlink
            errors.append(ContentError(Path("data") / path.name, f"cannot read: {exc.strerror}"))
    if errors:
        raise BuildFailed(errors)
    return data


def collect_static(static_dir: Path) -> dict[str, Path]:
    """Files copied as they are: the theme's, then the site's static/ (which wins)."""
    files: dict[str, Path] = {}
    for root in (DEFAULT_STATIC, static_dir):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if path.is_file() and not _editor_junk(path.name):
                    files[unicodedata.normalize("NFC", rel.as_posix())] = path
    return files
