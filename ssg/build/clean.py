"""`ssg clean`: remove what builds leave behind, and only what ssg itself made.

That is the output folder (it holds `.ssg-output`), the cache (`.ssg-cache/`, holding
`CACHEDIR.TAG`, or only the files ssg writes there) and staging folders of builds that were
killed (`.output.staging-PID`, holding `.ssg-output`, their process gone). Each is removed
only when it is a real folder (a symbolic link is never removed nor followed: the link and
what it points to stay), carries that mark, and is not the site, a folder holding
`content/` or `config.yaml`, the home folder or `/`. Anything refused is left as it is and
named with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ssg.build.output import MARKER, process_alive, staging_prefix
from ssg.config import CACHE_DIR, CONFIG_FILE, Config, read_config_file
from ssg.incremental.store import CACHE_MARKER, is_cache_folder


@dataclass
class Cleaning:
    """What `clean_site` did: the folders it removed and the ones it refused, with why."""

    removed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "path: reason"
    kept: list[str] = field(default_factory=list)  # in use by a running build: not an error


def clean_site(config: Config, output_dir: Path | None = None) -> Cleaning:
    """Remove `config`'s output folder, cache and stale staging folders when ssg made them.

    `output_dir`: the output folder as the user named it, symbolic links unresolved
    (config.output_dir has them resolved); default config.output_dir.
    """
    output = Path(os.path.abspath(output_dir or _output_as_named(config)))
    cleaning = Cleaning()
    _remove(cleaning, config, output, "output folder", _has_output_marker)
    _remove(cleaning, config, config.site_dir / CACHE_DIR, "cache", _is_cache)
    prefix = staging_prefix(config.output_dir)
    for staging in sorted(config.output_dir.parent.glob(f"{prefix}*")):
        pid = staging.name.removeprefix(prefix)
        if pid.isdigit() and process_alive(int(pid)) and not staging.is_symlink():
            cleaning.kept.append(f"{_shown(staging, config)}: in use by the build in process {pid}")
            continue
        _remove(cleaning, config, staging, "staging folder", _has_output_marker)
    return cleaning


def _output_as_named(config: Config) -> Path:
    """The output folder as config.yaml names it, relative to the site, links unresolved."""
    raw, _lines = read_config_file(config.config_path)
    return config.site_dir / str(raw.get("output_dir", "output"))


def _has_output_marker(folder: Path) -> str | None:
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return None
    return f"has no {MARKER}, so ssg did not make it"


def _is_cache(folder: Path) -> str | None:
    if is_cache_folder(folder):
        return None
    return (f"has no {CACHE_MARKER} and holds files ssg does not write there, so ssg did "
            "not make it")  # fmt: skip


def _remove(cleaning: Cleaning, config: Config, folder: Path, kind: str,
            made_by_ssg: Callable[[Path], str | None]) -> None:  # fmt: skip
    if not folder.is_symlink() and not folder.exists():
        return
    shown = _shown(folder, config)
    reason = _unsafe(folder, config) or made_by_ssg(folder)
    if reason:
        cleaning.refused.append(f"{shown}: not removed: {reason}")
        return
    # rmtree unlinks links found inside without following them (the fd-based walk).
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        cleaning.refused.append(f"{shown}: could not remove the {kind}: {exc.strerror or exc}")
        return
    cleaning.removed.append(f"{shown}/")


def _unsafe(folder: Path, config: Config) -> str | None:
    """Why `folder` must never be removed whatever it holds, or None."""
    if folder.is_symlink():
        return (f"it is a symbolic link (to {os.readlink(folder)}); ssg clean never removes "
                "a link nor what it points to")  # fmt: skip
    if not folder.is_dir():
        return "it is not a folder"
    real = folder.resolve()
    if real == Path(real.anchor):
        return "it is the root folder"
    if real == Path.home().resolve():
        return "it is the home folder"
    if real == config.site_dir or real in config.site_dir.parents:
        return "it holds the site itself"
    if (folder / "content").exists() or (folder / CONFIG_FILE).exists():
        return f"it holds content/ or {CONFIG_FILE}, so it looks like a site"
    for source in (config.content_dir, config.layouts_dir, config.static_dir, config.data_dir):
        if real == source or real in source.parents or source in real.parents:
            return f"it is, holds or lies inside the source folder {_shown(source, config)}/"
    return None


def _shown(path: Path, config: Config) -> str:
    """`path` as the user knows it: relative to the site when inside it."""
    if path.is_relative_to(config.site_dir):
        return path.relative_to(config.site_dir).as_posix()
    return path.as_posix()
