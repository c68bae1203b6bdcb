"""Keys of the build state: what a parsed post and an output file are recognised by."""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import fields
from functools import cache, lru_cache
from pathlib import Path, PurePosixPath

from ssg import __version__
from ssg.config import Config
from ssg.content.tickers import ticker_symbols_key

# Config fields that do not change how a single post parses.
_NOT_PARSE_INPUTS = {"output_dir", "include_drafts", "include_future", "build_time", "paginate",
                     "feed_limit", "feed_content", "monthly_archives", "title", "description",
                     "extra", "related_posts", "publisher", "share_images",
                     "share_image_font", "use_cache", "sponsored_label", "paginate_path",
                     "redirects"}  # fmt: skip
# Libraries whose upgrade may change a parse, known by their installed files (see
# _library_stamp).
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "pygments", "yaml")

Stamp = tuple[int, int, str]  # (size, mtime_ns, digest) of a source file when last read
# output path -> (page fingerprint, or "" for files that are not pages; size; mtime_ns)
Output = tuple[str, int, int]


def parse_settings_key(config: Config) -> str:
    """Everything besides a file's bytes that a parsed post depends on: ssg, its libraries,
    config, and the symbols data/tickers.yaml lists (`$NVDA` links only to those)."""
    parts = [__version__, _code_digest(), *map(_library_stamp, _LIBRARIES)]
    parts += [f"{f.name}={getattr(config, f.name)!r}" for f in fields(config)
              if f.name not in _NOT_PARSE_INPUTS]  # fmt: skip
    parts.append(f"tickers={ticker_symbols_key(config.data_dir)}")
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


@cache
def _library_stamp(module: str) -> str:
    """The bytes of a library's `__init__.py`, which states its version, read without
    importing the library: a build with nothing to do never loads markdown-it-py or
    Pygments (80 ms), nor importlib.metadata (25 ms)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return f"{module}=?"
    try:
        with open(spec.origin, "rb") as file:
            data = file.read()
    except OSError:
        return f"{module}=?"
    return f"{module}={hashlib.blake2b(data, digest_size=16).hexdigest()}"


def source_digest(settings_key: str, path: PurePosixPath, text: str) -> str:
    """Identity of one parse: settings, the path (it gives the slug) and the text."""
    h = hashlib.blake2b(settings_key.encode(), digest_size=16)
    h.update(path.as_posix().encode())
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()
