"""The on-disk cache under `.ssg-cache/`: parsed posts and what the last build wrote.

Both are pure speed-ups: a missing, unreadable or stale cache is discarded and the build
does the work again, with byte-identical output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from ssg import __version__
from ssg.config import Config
from ssg.content import Parsed

CACHE_DIR = ".ssg-cache"
# Config fields that do not change how a single post parses.
_NOT_PARSE_INPUTS = {"output_dir", "include_drafts", "include_future", "build_time", "paginate",
                     "feed_limit", "monthly_archives", "title", "description", "extra"}  # fmt: skip
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "pygments", "pyyaml")


def parse_settings_key(config: Config) -> str:
    """Everything besides a file's bytes that a parsed post depends on."""
    parts = [__version__, _code_digest(), *(_library_version(name) for name in _LIBRARIES)]
    parts += [f"{f.name}={getattr(config, f.name)!r}" for f in fields(config)
              if f.name not in _NOT_PARSE_INPUTS]  # fmt: skip
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """ssg's own code: an upgrade or a local edit must not reuse posts parsed by older code."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def source_digest(settings_key: str, path: PurePosixPath, text: str) -> str:
    """Identity of one parse: settings, the path (it gives the slug) and the text."""
    h = hashlib.blake2b(settings_key.encode(), digest_size=16)
    h.update(path.as_posix().encode())
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


Stamp = tuple[int, int, str]  # (size, mtime_ns, digest) of a source file when last read


@dataclass
class BuildCache:
    """Parsed posts by digest, source stamps, and the output files the last build made."""

    folder: Path
    key: str = ""  # parse_settings_key the entries were made under
    parsed: dict[str, Parsed] = field(default_factory=dict)
    # source path (relative to content/) -> stamp: an unchanged stat means unchanged bytes
    stamps: dict[str, Stamp] = field(default_factory=dict)
    # output path -> (page fingerprint, size, mtime_ns) as last written into `output_dir`
    outputs: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    output_dir: str = ""
    _saved: tuple[Any, ...] | None = None

    @classmethod
    def load(cls, folder: Path, settings_key: str) -> BuildCache:
        data = _read_pickle(folder / "build.pickle")
        cache = cls(folder, settings_key)
        if isinstance(data, dict) and data.get("key") == settings_key:
            cache.parsed = data.get("parsed", {})
            cache.stamps = data.get("stamps", {})
            cache.outputs = data.get("outputs", {})
            cache.output_dir = data.get("output_dir", "")
            cache._saved = cache._state()
        return cache

    def for_key(self, settings_key: str) -> BuildCache:
        """This cache, emptied first if it was made under other settings."""
        if self.key != settings_key:
            self.key, self.parsed, self.stamps, self.outputs = settings_key, {}, {}, {}
            self.output_dir, self._saved = "", None
        return self

    def _state(self) -> tuple[Any, ...]:
        return (frozenset(self.parsed), self.stamps, self.outputs, self.output_dir)

    def save(self) -> None:
        """Write atomically, unless nothing changed; failing to write only costs speed."""
        if self._saved == self._state():
            return
        payload = {"key": self.key, "parsed": self.parsed, "stamps": self.stamps,
                   "outputs": self.outputs, "output_dir": self.output_dir}  # fmt: skip
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            tmp = self.folder / f"build.pickle.{os.getpid()}"
            with tmp.open("wb") as out:
                pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / "build.pickle")
            self._saved = self._state()
        except OSError:
            pass


def _read_pickle(path: Path) -> Any:
    # The cache is ssg's own file inside the site; anything unreadable is simply discarded.
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301
    except Exception:  # noqa: BLE001 - truncated, old-format or foreign files are all "no cache"
        return None
