"""Is output/ already what this build would write? Then the build has nothing to do.

A build's output follows from its inputs: the config, ssg's own code, and the files under
content/, layouts/ (the site's and the built-in ones), static/ and data/. When all of them
carry the same size and mtime as at the last successful build, and every file that build
wrote is still as it left it, a rebuild would write the same bytes, so it is skipped.
Only the clock is left, and the last build noted when it next matters: a scheduled post
going live, or the next day for a layout that reads `now`.

A stamp proves nothing for a file saved within RACY_SECONDS of being read: it may be saved
again within the same mtime tick, keeping its size (git's "racily clean" files). Such files
are checked by their bytes instead: sources by the digest their cache stamp keeps, other
inputs by a hash taken when the build read them (`racy`). A build right after a save is
then followed by an up-to-date one, not by a full rebuild.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ssg.config import DEFAULT_LAYOUTS, Config
from ssg.content.listing import opened_folder
from ssg.content.sources import RACY_MTIME, SourceFile, is_racy, read_source
from ssg.errors import ContentError
from ssg.incremental.forked import ForkedCall, can_fork
from ssg.incremental.keys import Output, Stamp, source_digest
from ssg.incremental.outputs import PackedOutputs
from ssg.incremental.state import BuildState

if TYPE_CHECKING:
    from ssg.content.post import Post


def input_digest(others: str | None, sources: Iterable[SourceFile]) -> str | None:
    """A digest of everything a build reads, by file stamps: `others` (other_inputs_digest)
    and every source; None if an input could not be stamped. Sources too new to trust by
    stamp are checked by racy_sources_unchanged."""
    if others is None:
        return None
    h = hashlib.blake2b(others.encode(), digest_size=16)
    for source in sources:
        h.update(f"\0{source.rel}\0{source.size}\0{source.mtime_ns}".encode())
    return h.hexdigest()


def is_up_to_date(config: Config, state: BuildState, files: list[SourceFile],
                  inputs: str | None, outputs: OutputsCheck | None = None) -> bool:  # fmt: skip
    """The last build had these inputs, the clock has not moved past what it showed, and
    output/ is as it left it (`outputs`: that check, if already started)."""
    if inputs is None or inputs != state.inputs or state.output_dir != str(config.output_dir):
        return False
    if state.valid_until is not None and config.now >= state.valid_until:
        return False
    if not racy_files_unchanged(state.racy):
        return False
    if not racy_sources_unchanged(config.content_dir, state.key, files, state.stamps,
                                  state.racy_texts):  # fmt: skip
        return False
    if outputs is not None:
        return outputs.intact()
    return outputs_intact(config.output_dir, state.outputs)


def racy_sources_unchanged(content_dir: Path, settings_key: str, sources: Iterable[SourceFile],
                           stamps: Mapping[str, Stamp],
                           texts: Mapping[str, str]) -> bool:  # fmt: skip
    """Every source that was too new to trust by stamp when last read (stamp_for marks it)
    still has the bytes that were read then: its text's digest is the stamp's, or the one
    `texts` names for it (a post drawing data files is stamped with its own digest)."""
    for source in sources:
        known = stamps.get(source.rel)
        if known is None or known[1] != RACY_MTIME:
            continue
        if known[0] != source.size:
            return False
        try:
            text = read_source(content_dir, source)
        except ContentError:
            return False
        if source_digest(settings_key, source.path, text) != texts.get(source.rel, known[2]):
            return False
    return True


def other_inputs_digest(config: Config, settings_key: str, files: Iterable[str | Path]
                        ) -> tuple[str | None, dict[str, str]]:  # fmt: skip
    """A digest of every input but content/: ssg's code and settings, the config, the
    built-in layouts and `files` (the site's layouts, data/ and static files, as listed
    for the build), None if one vanished; and a hash of the bytes of each of those files
    too new to trust by stamp."""
    h = hashlib.blake2b(digest_size=16)
    h.update(settings_key.encode())
    h.update(repr(dataclasses.replace(config, build_time=None)).encode())
    racy: dict[str, str] = {}
    for path in [*_files_under(DEFAULT_LAYOUTS), *files]:
        try:
            stat = os.stat(path)
            if is_racy(stat.st_mtime_ns):
                racy[str(path)] = _bytes_hash(path)
        except OSError:
            return None, {}
        h.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return h.hexdigest(), racy


def racy_files_unchanged(racy: Mapping[str, str]) -> bool:
    """Every file in `racy` (other_inputs_digest) still has the bytes it had then.

    The build read such a file after hashing it: bytes saved in between differ from the
    hash, so the next build sees them (only a save and its undoing within one mtime tick,
    both during that build, would go unseen)."""
    try:
        return all(_bytes_hash(path) == digest for path, digest in racy.items())
    except OSError:
        return False


def _bytes_hash(path: str | Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "blake2b").hexdigest()


def _files_under(folder: Path) -> list[str]:
    found = []
    for dirpath, _dirnames, filenames in os.walk(folder):
        found += [os.path.join(dirpath, name) for name in sorted(filenames)]
    return sorted(found)


def next_clock_change(config: Config, documents: Iterable[Post], reads_clock: bool
                      ) -> datetime | None:  # fmt: skip
    """When the site next changes by the clock alone: a scheduled post's time, or the next
    local midnight when a layout reads `now`. None: never."""
    now = config.now
    moments = []
    if not config.include_future:
        moments += [d.date for d in documents if d.kind == "post" and d.date and d.date > now]
    if reads_clock:
        local = now.astimezone(config.tz)
        moments.append(datetime.combine(local.date() + timedelta(days=1), datetime.min.time(),
                                        tzinfo=config.tz))  # fmt: skip
    return min(moments, default=None)


# Below this many files the check takes under 0.1 s, and one process does it.
SPLIT_FROM = 30_000


def outputs_intact(output_dir: Path, outputs: Mapping[str, Output]) -> bool:
    """Every file the last build wrote is still there with its size and mtime."""
    with OutputsCheck(output_dir, outputs, child_share=0.5) as check:
        return check.intact()


class OutputsCheck:
    """outputs_intact, started before its answer is needed; leaving the `with` block stops
    a check whose answer was not asked for.

    From `split_from` files on, a forked process checks the last `child_share` of them from
    the start, and this one the rest when asked: each check is a `stat` system call, which
    threads would take turns at (the GIL), and a site of 100,000 posts has 400,000 files.
    """

    def __init__(self, output_dir: Path, outputs: Mapping[str, Output], child_share: float,
                 split_from: int = SPLIT_FROM) -> None:  # fmt: skip
        self._root = str(output_dir)
        self._outputs = outputs
        self._answer: bool | None = None if outputs else False
        self._child: ForkedCall[bool] | None = None
        self._own = slice(None)
        if outputs and len(outputs) >= split_from and can_fork():
            count = len(outputs)
            mine = count - int(count * child_share)
            self._own = slice(0, mine)
            self._child = ForkedCall(lambda: self._unchanged(slice(mine, count)))

    def __enter__(self) -> OutputsCheck:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._child is not None:
            self._child.stop()

    def intact(self) -> bool:
        if self._answer is None:
            self._answer = self._unchanged(self._own) and (
                self._child is None or self._child_answer(self._child)
            )
        return self._answer

    @staticmethod
    def _child_answer(child: ForkedCall[bool]) -> bool:
        """The child's answer; False if it failed to give one."""
        try:
            return child.result()
        except Exception:  # noqa: BLE001 - a check that cannot tell says "changed"
            return False

    def _unchanged(self, part: slice) -> bool:
        outputs = self._outputs
        if isinstance(outputs, PackedOutputs):  # as read from the cache: no dict made
            names, sizes, mtimes = outputs.columns()
        else:
            names = list(outputs)
            sizes = [size for _print, size, _mtime in outputs.values()]
            mtimes = [mtime for _print, _size, mtime in outputs.values()]
        with opened_folder(self._root) as root:
            for rel, size, mtime_ns in zip(names[part], sizes[part], mtimes[part], strict=True):
                try:
                    if root is None:
                        stat = os.stat(os.path.join(self._root, rel))
                    else:  # looked up from the folder, not from / again: 100,000s of files
                        stat = os.stat(rel, dir_fd=root)
                except OSError:
                    return False
                if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                    return False
        return True
