"""Watch a site's sources and report batches of changes, one per save or burst.

`classify_change` is pure (Zola's `detect_change_kind`); `save_step` reads how far an
event shows a save to have got; `watch_site` wires both to a watchdog Observer and a
debouncer (ssg.serve.debounce) so a save is one prompt callback and a burst of writes
(a `git checkout`) is one callback too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.events import (
    EVENT_TYPE_ATTRIB,
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from ssg.serve.debounce import WRITE_DELAY, Debouncer, SaveStep

if TYPE_CHECKING:
    from watchdog.observers.api import BaseObserver

    from ssg.config import Config


class ChangeKind(Enum):
    CONTENT = "content"
    LAYOUT = "layout"
    STATIC = "static"
    DATA = "data"
    CONFIG = "config"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    path: Path  # absolute, as reported by the watcher


# Events that mean "bytes changed". Opening or reading a file (opened, closed_no_write) is left
# out on purpose: the build reads every source, and counting reads would rebuild forever.
# ATTRIB stays in so `touch content/x.md` forces a rebuild.
_CHANGE_EVENTS = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_CLOSED,
        EVENT_TYPE_ATTRIB,
    }
)

# Vim checks that a directory is writable by creating "4913", then 4913+123, 4913+246, ...
_VIM_PROBE_FIRST, _VIM_PROBE_STEP = 4913, 123
# Vim swap files: .swp, then .swo, .swn ... .swa, plus .swx for the "can I write here" probe.
_VIM_SWAP = re.compile(r"\.sw[a-px]$")
_TEMP_NAMES = frozenset({".DS_Store", "Thumbs.db"})
_TEMP_SUFFIXES = (".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___")
_TEMP_PREFIXES = (".#", ".goutputstream-")  # emacs lock files; GNOME's (gedit's) atomic saves


def is_temp_file(path: Path) -> bool:
    """True for editor and OS scratch files that never belong to the site."""
    name = path.name
    if name in _TEMP_NAMES or name.endswith(_TEMP_SUFFIXES) or _VIM_SWAP.search(name):
        return True
    if name.endswith("~") or name.startswith(_TEMP_PREFIXES):  # backups; see _TEMP_PREFIXES
        return True
    if name.startswith("#") and name.endswith("#"):  # emacs auto-save
        return True
    return _is_vim_probe(name)


def _is_vim_probe(name: str) -> bool:
    if not name.isdigit():
        return False
    offset = int(name) - _VIM_PROBE_FIRST
    return 0 <= offset < 100 * _VIM_PROBE_STEP and offset % _VIM_PROBE_STEP == 0


def is_build_artifact(path: Path, output_dir: Path) -> bool:
    """True for the build's own writes: output/, and .ssg-cache/ or .output* staging beside it.

    Without this a build that writes into a watched folder would trigger itself (Lektor's
    watcher ignores its output and cache for the same reason).
    """
    if path.is_relative_to(output_dir) or ".ssg-cache" in path.parts:
        return True
    if not path.is_relative_to(output_dir.parent) or path == output_dir.parent:
        return False
    first = path.relative_to(output_dir.parent).parts[0]
    return first.startswith((".output", f".{output_dir.name}"))


def classify_change(path: Path, config: Config) -> ChangeKind | None:
    """Which kind of source `path` is, or None when a change to it must not rebuild."""
    if is_build_artifact(path, config.output_dir) or is_temp_file(path) or ".git" in path.parts:
        return None
    if path == config.config_path:
        return ChangeKind.CONFIG
    for folder, kind in _source_dirs(config):
        if path.is_relative_to(folder):
            return kind
    return None


def _source_dirs(config: Config) -> list[tuple[Path, ChangeKind]]:
    return [
        (config.content_dir, ChangeKind.CONTENT),
        (config.layouts_dir, ChangeKind.LAYOUT),
        (config.static_dir, ChangeKind.STATIC),
        (config.data_dir, ChangeKind.DATA),
    ]


class _EventHandler(FileSystemEventHandler):
    def __init__(self, config: Config, sink: Debouncer[Change]) -> None:
        self._config, self._sink = config, sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        for change in changes_from_event(event, self._config):
            self._sink.add([change], save_step(event, change.path))


def changes_from_event(event: FileSystemEvent, config: Config) -> Iterable[Change]:
    """The source changes one watchdog event stands for (none for reads and directory mtimes)."""
    if event.event_type not in _CHANGE_EVENTS:
        return
    # A directory's own "modified" just echoes a change to a file in it, reported separately.
    if event.is_directory and event.event_type in (EVENT_TYPE_MODIFIED, EVENT_TYPE_ATTRIB):
        return
    # Both ends of a move count: an editor's atomic save renames a temp file (ignored) onto
    # the real one (a change), and moving a post away must remove its pages.
    raw_paths = [event.src_path]
    if event.event_type == EVENT_TYPE_MOVED:
        raw_paths.append(event.dest_path)
    for raw in raw_paths:
        path = Path(os.fsdecode(raw))
        kind = classify_change(path, config)
        if kind is not None:
            yield Change(kind, path)


def save_step(event: FileSystemEvent, path: Path) -> SaveStep:
    """How far `event` shows the save of `path` (one of its ends) to have got.

    On inotify an in-place save is modified... closed; an atomic one (VS Code, JetBrains,
    gedit) writes a temp file and renames it onto the path; vim renames the file away to
    `file~`, writes a new one (created, modified, closed), then sets its mode (attrib).
    """
    if event.is_directory:
        return SaveStep.WRITING  # its files' own events follow
    if event.event_type == EVENT_TYPE_CLOSED:
        return SaveStep.DONE
    if event.event_type == EVENT_TYPE_ATTRIB:
        return SaveStep.TOUCHED
    if event.event_type == EVENT_TYPE_MOVED and Path(os.fsdecode(event.dest_path)) == path:
        return SaveStep.DONE
    # Created or modified: not closed yet. Moved away or deleted: vim and JetBrains move the
    # old file aside before the new one lands, so a replacement may follow.
    return SaveStep.WRITING


class SiteWatcher:
    """A running watch on one site; `stop()` ends it. Usable as a context manager."""

    def __init__(
        self, config: Config, on_change: Callable[[frozenset[Change]], object], write_delay: float
    ) -> None:
        self._config = config
        self._debouncer: Debouncer[Change] = Debouncer(
            self._rewatch_then(on_change), write_delay=write_delay
        )
        self._handler = _EventHandler(config, self._debouncer)
        self._observer: BaseObserver = Observer()
        self._watched: set[Path] = set()

    def start(self) -> SiteWatcher:
        self._schedule_existing()
        self._debouncer.start()
        self._observer.start()
        return self

    def stop(self) -> None:
        self._observer.stop()
        self._debouncer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=10)

    @property
    def debouncer(self) -> Debouncer[Change]:
        return self._debouncer

    def __enter__(self) -> SiteWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _schedule_existing(self) -> None:
        # config.yaml's folder is watched flat: recursively it would also cover output/.
        targets = [(self._config.config_path.parent, False)]
        targets += [(folder, True) for folder, _ in _source_dirs(self._config)]
        for folder, recursive in targets:
            if folder not in self._watched and folder.is_dir():
                self._observer.schedule(self._handler, str(folder), recursive=recursive)
                self._watched.add(folder)

    def _rewatch_then(
        self, on_change: Callable[[frozenset[Change]], object]
    ) -> Callable[[frozenset[Change]], object]:
        # A source folder created after startup (a first file in static/) needs its own watch.
        def handle(changes: frozenset[Change]) -> object:
            self._schedule_existing()
            return on_change(changes)

        return handle


def watch_site(
    config: Config,
    on_change: Callable[[frozenset[Change]], object],
    write_delay: float = WRITE_DELAY,
) -> SiteWatcher:
    """Start watching content/, layouts/, static/, data/ and config.yaml; returns the watcher.

    `on_change` runs on one background thread as soon as an editor's save is complete (see
    ssg.serve.debounce), or after `write_delay` seconds without new events while files are
    still being written or many change at once.
    """
    return SiteWatcher(config, on_change, write_delay).start()
