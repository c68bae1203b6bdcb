"""The on-disk cache under `.ssg-cache/`: parsed posts and what the last build wrote.

Both are pure speed-ups: a missing, unreadable or stale cache is discarded and the build
does the work again, with byte-identical output.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import os
import pickle
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from ssg import __version__
from ssg.config import Config
from ssg.content.post import Parsed

CACHE_DIR = ".ssg-cache"
# Config fields that do not change how a single post parses.
_NOT_PARSE_INPUTS = {"output_dir", "include_drafts", "include_future", "build_time", "paginate",
                     "feed_limit", "monthly_archives", "title", "description", "extra"}  # fmt: skip
# Libraries whose upgrade may change a parse (their own version attributes: reading package
# metadata instead would cost every build 25 ms of imports).
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "pygments", "yaml")


def parse_settings_key(config: Config) -> str:
    """Everything besides a file's bytes that a parsed post depends on."""
    parts = [__version__, _code_digest(), *(_library_version(name) for name in _LIBRARIES)]
    parts += [f"{f.name}={getattr(config, f.name)!r}" for f in fields(config)
              if f.name not in _NOT_PARSE_INPUTS]  # fmt: skip
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    return code_digest(Path(__file__).parent.parent)


def code_digest(package: Path) -> str:
    """ssg's own code, every module of every sub-package: an upgrade or a local edit must not
    reuse posts parsed by older code."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def _library_version(module: str) -> str:
    return str(getattr(importlib.import_module(module), "__version__", "?"))


def source_digest(settings_key: str, path: PurePosixPath, text: str) -> str:
    """Identity of one parse: settings, the path (it gives the slug) and the text."""
    h = hashlib.blake2b(settings_key.encode(), digest_size=16)
    h.update(path.as_posix().encode())
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


Stamp = tuple[int, int, str]  # (size, mtime_ns, digest) of a source file when last read
# output path -> (page fingerprint, or "" for files that are not pages; size; mtime_ns)
Output = tuple[str, int, int]
# Parsed posts are stored in shards by digest, so an edit rewrites two small files rather
# than every post of the site.
_SHARDS = "0123456789abcdef"


@dataclass
class BuildCache:
    """What the last build knew: parsed posts by digest, source stamps, the files it wrote.

    On disk: `state.pickle` (small, read by every build) and `posts-X.pickle` shards,
    read only when a build needs its parsed posts.
    """

    folder: Path
    key: str = ""  # parse_settings_key the entries were made under
    # source path (relative to content/) -> stamp: an unchanged stat means unchanged bytes
    stamps: dict[str, Stamp] = field(default_factory=dict)
    # every file the last build made in `output_dir`, as it left it
    outputs: dict[str, Output] = field(default_factory=dict)
    output_dir: str = ""
    # The last successful build's inputs (ssg.incremental.freshness) and what it reported.
    inputs: str = ""
    others: str = ""  # the same without content/ (freshness.other_inputs_digest)
    racy: dict[str, str] = field(default_factory=dict)  # ... and its files checked by bytes
    valid_until: datetime | None = None  # when the clock next changes the site, if ever
    report: tuple[Any, ...] = ()
    _parsed: dict[str, Parsed] | None = None  # None: not loaded from disk yet
    _saved_state: tuple[Any, ...] | None = None
    _saved_shards: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, settings_key: str) -> BuildCache:
        data = _read_pickle(folder / "state.pickle")
        cache = cls(folder, settings_key, _parsed={})
        if isinstance(data, dict) and data.get("key") == settings_key:
            for name in _STATE_FIELDS:
                setattr(cache, name, data[name])
            cache._parsed = None
            cache._saved_state = cache._state()
        return cache

    @property
    def parsed(self) -> dict[str, Parsed]:
        """Parsed posts by digest (read from disk the first time a build asks)."""
        if self._parsed is None:
            self._parsed = {}
            for shard in _SHARDS:
                data = _read_pickle(self.folder / f"posts-{shard}.pickle")
                if isinstance(data, dict) and data.get("key") == self.key:
                    self._parsed.update(data["parsed"])
                    self._saved_shards[shard] = frozenset(data["parsed"])
        return self._parsed

    @parsed.setter
    def parsed(self, value: dict[str, Parsed]) -> None:
        self.parsed  # noqa: B018 - load first, so save() knows which shards changed
        self._parsed = value

    def for_key(self, settings_key: str) -> BuildCache:
        """This cache, emptied first if it was made under other settings."""
        if self.key != settings_key:
            fresh = BuildCache(self.folder, settings_key, _parsed={})
            for f in fields(self):
                setattr(self, f.name, getattr(fresh, f.name))
        return self

    def _state(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _STATE_FIELDS)

    def save(self) -> None:
        """Write what changed, each file atomically; failing to write only costs speed."""
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            (self.folder / "build.pickle").unlink(missing_ok=True)  # ssg 0.1's single file
            if self._parsed is not None:
                self._save_shards(self._parsed)
            if self._saved_state != self._state():
                state = dict(zip(_STATE_FIELDS, self._state(), strict=True))
                _write_pickle(self.folder / "state.pickle", state)
                self._saved_state = self._state()
        except OSError:
            pass

    def _save_shards(self, parsed: dict[str, Parsed]) -> None:
        by_shard: dict[str, dict[str, Parsed]] = {shard: {} for shard in _SHARDS}
        for digest, entry in parsed.items():
            by_shard.get(digest[:1], by_shard["0"])[digest] = entry
        for shard, entries in by_shard.items():
            if self._saved_shards.get(shard, frozenset()) != frozenset(entries):
                payload = {"key": self.key, "parsed": entries}
                _write_pickle(self.folder / f"posts-{shard}.pickle", payload)
                self._saved_shards[shard] = frozenset(entries)


_STATE_FIELDS = ("key", "stamps", "outputs", "output_dir", "inputs", "others", "racy",
                 "valid_until", "report")  # fmt: skip


def _write_pickle(path: Path, payload: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    with tmp.open("wb") as out:
        pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _read_pickle(path: Path) -> Any:
    # The cache is ssg's own file inside the site; anything unreadable is simply discarded.
    # Unpickling 10,000 posts makes millions of objects, and the cyclic collector would
    # walk the growing heap again and again (half the load time); none of them is garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301
    except Exception:  # noqa: BLE001 - truncated, old-format or foreign files are all "no cache"
        return None
    finally:
        if collecting:
            gc.enable()
