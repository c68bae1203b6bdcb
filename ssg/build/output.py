"""Writing output/: all or nothing, only what changed, and never outside output/.

Files are first staged in a sibling folder. Only when every page rendered does `commit`
move them into output/ (one atomic rename per file, or of the whole folder for a first
build) and delete pages that no longer exist, so a failed build leaves output/ exactly as
it was. Files whose bytes did not change are not rewritten, so their mtimes stay and rsync
or a CDN uploads only what changed.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ssg.build.commit import Journal, apply, finish
from ssg.config import CONFIG_FILE, Config
from ssg.errors import SsgError
from ssg.files import link_or_copy, write_file
from ssg.interrupts import held

MARKER = ".ssg-output"  # present in every output and staging folder ssg made; only those go
MARKER_TEXT = "made by ssg; safe to delete\n"
STAGING_INFIX = ".staging-"  # a staging folder is `.output.staging-PID` beside output/


# A file in output/ as a cache knows it: (size, mtime in ns).
Stamp = tuple[int, int]


class OutputError(SsgError):
    """The output folder is unsafe to replace, or writing failed."""


def check_output_dir(config: Config) -> None:
    """Refuse output folders whose replacement could delete someone's work."""
    out = config.output_dir
    hint = "choose another folder with -d or output_dir in config.yaml"
    if out == config.site_dir or out in config.site_dir.parents:
        raise OutputError(f"{out}: the output folder contains the site itself; {hint}")
    for source in (config.content_dir, config.layouts_dir, config.static_dir, config.data_dir):
        if out == source or source in out.parents:
            raise OutputError(f"{out}: the output folder is inside {source.name}/; {hint}")
        if out in source.parents:
            raise OutputError(f"{out}: the output folder contains the source folder {source}; "
                              "a build would delete it")  # fmt: skip
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; {hint}")
    if (out / "content").is_dir() or (out / CONFIG_FILE).exists():
        raise OutputError(f"{out}: looks like a site folder (has content/ or config.yaml); {hint}")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(f"{out}: is not empty and was not made by ssg; remove it or {hint}")


@dataclass
class OutputWriter:
    """Stages a build's files next to output/, then commits them all at once."""

    output_dir: Path
    # The files the last build made in output/ (known from the cache): the ones this build
    # does not plan are deleted without walking output/. None: unknown, so walk it.
    previous: Collection[str] | None = None
    written: int = 0  # files new or changed
    _planned: set[str] = field(default_factory=set)
    _added: list[str] = field(default_factory=list)
    _staged: list[str] = field(default_factory=list)  # written into the staging folder
    # Of the files given with their bytes: the stamp each will have in output/, known
    # from writing it (or from finding it unchanged), so none is looked at again.
    _stamps: dict[str, Stamp] = field(default_factory=dict)

    @property
    def staging_dir(self) -> Path:
        # One per process, so a `make build` next to a running `ssg serve` cannot collide.
        return self.output_dir.parent / f"{self._staging_prefix}{os.getpid()}"

    @property
    def _staging_prefix(self) -> str:
        return staging_prefix(self.output_dir)

    def __post_init__(self) -> None:
        # Staging folders of builds that were killed are ours to clean; live ones are not.
        finish_interrupted_commits(self.output_dir)

    def add(self, output_path: str, data: bytes) -> None:
        """Stage `data` for `output_path` (relative to output/) unless it is unchanged."""
        rel = self.reserve(output_path)
        self.staged(rel, *stage_bytes(self.output_dir / rel, self.staging_dir / rel, data))

    def reserve(self, output_path: str) -> str:
        """Plan `output_path`; returns it checked, relative to output/ and to the staging
        folder, where it is to be written.

        Render workers stage pages themselves (`stage_bytes`) and the writer is then told
        with `staged`: pages never travel back to this process.
        """
        rel = _safe_relative(output_path)
        if rel in self._planned:
            raise OutputError(f"{rel}: written twice in one build")
        self._planned.add(rel)
        self._added.append(rel)
        if len(self._added) == 1:
            self.staging_dir.mkdir(parents=True)
            (self.staging_dir / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        return rel

    def staged(self, rel: str, written: bool, stamp: Stamp) -> None:
        """The reserved file `rel` was written (move it into output/ on commit), or found
        unchanged there; `stamp`: what it will be in output/."""
        if written:
            self._staged.append(rel)
        self._stamps[rel] = stamp

    def keep(self, output_path: str) -> None:
        """Plan `output_path` without rewriting it: the caller knows its bytes are current."""
        rel = _safe_relative(output_path)
        self._planned.add(rel)

    @property
    def planned(self) -> set[str]:
        return self._planned

    @property
    def added(self) -> list[str]:
        """Files given with their bytes (written, or found unchanged), not kept unseen."""
        return self._added

    def written_stamps(self, fingerprints: Mapping[str, str]) -> dict[str, tuple[str, int, int]]:
        """After commit: each file given with its bytes, as (its page fingerprint from
        `fingerprints`, or "" for other files; size; mtime), for the next build to check."""
        stamps = {}
        for rel in self._added:
            size, mtime_ns = self._stamps[rel]
            stamps[rel] = (fingerprints.get(rel, ""), size, mtime_ns)
        return stamps

    def add_file(self, output_path: str, source: Path) -> None:
        self.add(output_path, source.read_bytes())

    def abort(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)

    def commit(self, remove_stale: bool = True) -> None:
        """Move staged files into output/, then delete files no longer planned (unless the
        caller re-rendered a few pages and planned only those). All or nothing: see
        ssg.build.commit."""
        if not self.output_dir.exists() and len(self._staged) == len(self._planned):
            # A first build: the staging folder is the whole site; one rename publishes it.
            self.staging_dir.mkdir(parents=True, exist_ok=True)
            (self.staging_dir / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            self._publish(lambda: os.rename(self.staging_dir, self.output_dir))
            self.written = len(self._staged)
            return
        stale = self._stale() if remove_stale else set()
        self._refuse_links([*self._staged, *stale])
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        moves = list(self._staged)
        if not (self.output_dir / MARKER).exists():
            (self.staging_dir / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            moves.append(MARKER)
        walked = remove_stale and self.previous is None
        deletes = sorted(self._unplanned_files() if walked else map(_safe_relative, stale))
        self.output_dir.mkdir(parents=True, exist_ok=True)
        journal = Journal(moves, deletes, prune_all_folders=walked)
        self._publish(lambda: apply(journal, self.output_dir, self.staging_dir))
        self.written = len(self._staged)
        self.abort()

    def _publish(self, move: Callable[[], None]) -> None:
        """Run `move`, held from SIGINT and SIGTERM; an OSError becomes an error for people."""
        try:
            with held(signal.SIGINT, signal.SIGTERM):
                move()
        except OSError as exc:
            self.abort()
            where = exc.filename or self.output_dir
            raise OutputError(
                f"{where}: cannot update the output folder: {exc.strerror}; "
                f"{self.output_dir.name}/ is as the last build left it"
            ) from exc

    def _unplanned_files(self) -> list[str]:
        """Files in output/ this build does not plan, when the last build's are unknown.
        Dot files and folders are left alone: they are the user's (a deployment's .git)."""
        root = str(self.output_dir)
        found = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            prefix = dirpath[len(root) + 1 :].replace(os.sep, "/")
            prefix = prefix + "/" if prefix else ""
            names = (prefix + name for name in filenames if not name.startswith("."))
            found += [rel for rel in names if rel not in self._planned]
        return found

    def _stale(self) -> set[str]:
        """The last build's files this build does not plan (empty when they are unknown and
        output/ must be walked instead)."""
        return set(self.previous) - self._planned if self.previous is not None else set()

    def _refuse_links(self, rels: list[str]) -> None:
        """Raise OutputError, before anything moves, when a folder or file on the way to one
        of `rels` is a symbolic link: writing or deleting through it would change files
        outside output/. The staging folder goes too."""
        links = _links_on_the_way(self.output_dir, rels)
        if not links:
            return
        self.abort()
        named = ", ".join(f"{self.output_dir.name}/{link} -> {os.readlink(self.output_dir / link)}"
                          for link in links[:5])  # fmt: skip
        more = f" and {len(links) - 5} more" if len(links) > 5 else ""
        raise OutputError(
            f"{named}{more}: a symbolic link inside the output folder; ssg never writes or "
            "deletes through one, as that would change files outside it. Remove the link "
            "(the next build makes a real folder), or build into another folder with -d"
        )


def staging_prefix(output_dir: Path) -> str:
    """The name of `output_dir`'s staging folders without the process id."""
    return f".{output_dir.name}{STAGING_INFIX}"


def finish_interrupted_commits(output_dir: Path) -> None:
    """Finish the commits of builds that were killed while committing, then remove the
    staging folders of builds that are gone. Runs before a build touches anything."""
    prefix = staging_prefix(output_dir)
    for old in sorted(output_dir.parent.glob(f"{prefix}*")):
        pid = old.name.removeprefix(prefix)
        if pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
            try:
                finish(old, output_dir)
            except OSError as exc:
                raise OutputError(
                    f"{old}: a build was stopped while it updated {output_dir.name}/, and "
                    f"finishing its update failed: {exc}; fix the cause and build again"
                ) from exc
            shutil.rmtree(old, ignore_errors=True)


def _links_on_the_way(root: Path, rels: list[str]) -> list[str]:
    """The paths (relative to root) of symbolic links among the folders and files leading to
    each of `rels`; every folder is looked at once."""
    seen: dict[str, bool] = {}
    links: list[str] = []
    for rel in rels:
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            is_link = seen.get(sub)
            if is_link is None:
                is_link = seen[sub] = os.path.islink(os.path.join(root, sub))
                if is_link:
                    links.append(sub)
            if is_link:
                break
    return links


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _safe_relative(output_path: str) -> str:
    """Reject any path that could land outside output/ (belt and braces: URLs are normalized)."""
    parts = output_path.split("/")
    if (
        not output_path
        or output_path.startswith("/")
        or "\\" in output_path
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise OutputError(f"{output_path!r}: refusing to write outside the output folder")
    return output_path


def stage_bytes(target: Path | None, staged: Path, data: bytes) -> tuple[bool, Stamp]:
    """Write `data` to `staged` unless `target` (None: no file to compare with) already
    holds exactly these bytes (so its mtime stays); whether it was written, and the stamp
    of the file output/ will have."""
    found = _same_bytes(target, data) if target is not None else None
    if found is not None:
        return False, _stamp(found)
    return True, _stamp(write_file(staged, data))


def stage_link(target: Path | None, staged: Path, source: Path) -> tuple[bool, Stamp]:
    """Stage `source` (a cache file never changed in place) as a hard link, or a copy where
    links do not work (another file system), unless `target` (None: no file to compare
    with) holds its bytes already; whether it was staged, and the stamp of the file output/
    will have. A link writes no bytes: a share image is on disk once, in the cache."""
    found = _same_file(target, source) if target is not None else None
    if found is not None:
        return False, _stamp(found)
    link_or_copy(source, staged)
    return True, _stamp(os.stat(staged))


def _stamp(stat: os.stat_result) -> Stamp:
    return stat.st_size, stat.st_mtime_ns


def _same_file(path: Path, other: Path) -> os.stat_result | None:
    """The status of `path` if it is `other`, linked, or holds the same bytes."""
    try:
        here = os.stat(path)
    except OSError:  # most often: not there (a new page, or a first build)
        return None
    try:
        there = os.stat(other)
        if os.path.samestat(here, there):
            return here
        same = here.st_size == there.st_size and path.read_bytes() == other.read_bytes()
    except OSError:
        return None
    return here if same else None


def _same_bytes(path: Path, data: bytes) -> os.stat_result | None:
    """The status of `path` if it holds exactly `data`."""
    try:
        here = os.stat(path)
        same = here.st_size == len(data) and path.read_bytes() == data
    except OSError:
        return None
    return here if same else None
