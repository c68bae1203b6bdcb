"""Moving a staged build into output/ so that it is never left half old, half new.

A build renders every changed file into its staging folder first. To publish them, a
commit renames each into output/ and deletes the files the build no longer makes. That is
many renames, not one, so three things keep output/ whole:

- Before anything moves, the list of moves and deletes is written into the staging folder
  as a journal. A build killed mid-commit (SIGKILL, a crash, power to the process lost)
  leaves the journal behind, and the next ssg run finishes that commit before it does
  anything else (`finish_interrupted_commits`).
- Each file a move replaces or a delete removes is first kept in the staging folder (a
  hard link, so the replaced file never vanishes from output/ even for an instant). If a
  rename fails mid-way (permissions, a read-only or full disk), every step is undone in
  reverse and output/ is the previous build again.
- SIGINT and SIGTERM are held while the commit runs and acted on right after it, so
  Ctrl-C ends a build with either output/ untouched or the new build complete.

Moving the whole tree with one rename would need a complete copy of output/ per build
(hard-linking 12,000 files takes seconds on a small disk), where a commit is otherwise
as cheap as the files that changed.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

JOURNAL = ".ssg-commit-journal.json"  # in the staging folder, beside the staged files
KEPT = ".ssg-commit-kept"  # in the staging folder: what the commit replaced or removed


@dataclass(frozen=True)
class Journal:
    """What one commit does: files moved from staging into output/, then files deleted."""

    moves: list[str]
    deletes: list[str]
    # The last build's files were unknown, so output/ was walked: remove every folder
    # left empty, not only those that held a deleted file.
    prune_all_folders: bool = False

    def write(self, staging_dir: Path) -> None:
        # Written aside and renamed, so a journal is either whole or absent.
        data = {"moves": self.moves, "deletes": self.deletes, "prune": self.prune_all_folders}
        partial = staging_dir / (JOURNAL + ".partial")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, staging_dir / JOURNAL)

    @classmethod
    def read(cls, staging_dir: Path) -> Journal | None:
        try:
            data = json.loads((staging_dir / JOURNAL).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return cls(list(data["moves"]), list(data["deletes"]), bool(data["prune"]))


@dataclass(frozen=True)
class _Step:
    kind: str  # "made" a folder, "new" file moved in, "replaced" a file, "set aside"
    path: Path  # in output/
    kept: Path | None = None  # the old file or folder, in the staging folder
    staged: Path | None = None  # where the moved-in file came from


@dataclass
class _Undo:
    """The steps a commit took, to take back in reverse when one fails.

    Moved-in files go back to the staging folder, so that if undoing is itself cut
    short, the journal (removed only once all is undone) still finishes the commit.
    """

    kept_dir: Path
    steps: list[_Step] = field(default_factory=list)
    kept: int = 0

    def keep_path(self) -> Path:
        """A new name in the staging folder for a file or folder the commit replaces."""
        self.kept_dir.mkdir(exist_ok=True)
        self.kept += 1
        return self.kept_dir / str(self.kept)

    def undo(self) -> None:
        for step in reversed(self.steps):
            if step.kind == "made":
                if step.path.is_dir() and not any(step.path.iterdir()):
                    step.path.rmdir()
            elif step.kind == "new":
                assert step.staged is not None
                os.replace(step.path, step.staged)
            elif step.kind == "replaced":
                assert step.staged is not None and step.kept is not None
                _link_or_copy(step.path, step.staged)
                os.replace(step.kept, step.path)
            elif step.kind == "set aside":
                assert step.kept is not None
                os.rename(step.kept, step.path)


def apply(journal: Journal, output_dir: Path, staging_dir: Path) -> None:
    """Carry out `journal`; on an OSError, undo what was done and raise it."""
    journal.write(staging_dir)
    undo = _Undo(staging_dir / KEPT)
    try:
        _move_and_delete(journal, output_dir, staging_dir, undo)
    except OSError:
        undo.undo()
        # Undone: nothing is left to finish, so the journal must not be replayed.
        (staging_dir / JOURNAL).unlink(missing_ok=True)
        raise


def finish(staging_dir: Path, output_dir: Path) -> bool:
    """Finish the commit a killed build left in `staging_dir`, if it holds a journal.

    Replaying is safe however far the commit got: a move whose staged file is gone was
    done, and a delete of a missing file was done too. True if there was one to finish.
    """
    journal = Journal.read(staging_dir)
    if journal is None:
        return False
    _move_and_delete(journal, output_dir, staging_dir, undo=None)
    return True


def _move_and_delete(journal: Journal, output_dir: Path, staging_dir: Path,
                     undo: _Undo | None) -> None:  # fmt: skip
    made: set[Path] = set()
    for rel in journal.moves:
        staged = staging_dir / rel
        if not os.path.lexists(staged):
            continue  # moved before the build was killed
        target = output_dir / rel
        if target.parent not in made:
            _make_folder(output_dir, target.parent, undo)
            made.add(target.parent)
        if target.is_dir() and not target.is_symlink():
            # An earlier build's folder where this build writes a file.
            _set_aside(target, undo)
        step = _Step("new", target, staged=staged)
        if undo is not None and os.path.lexists(target):
            kept = undo.keep_path()
            _link_or_copy(target, kept)
            step = _Step("replaced", target, kept, staged)
        os.replace(staged, target)
        if undo is not None:
            undo.steps.append(step)
    folders: set[Path] = set()
    for rel in journal.deletes:
        path = output_dir / rel
        if path.is_file() or path.is_symlink():
            _set_aside(path, undo)
        folders.update(p for p in path.parents if output_dir in p.parents)
    if journal.prune_all_folders:
        _remove_empty_folders(str(output_dir))
        return
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()


def _set_aside(path: Path, undo: _Undo | None) -> None:
    """Remove `path` (a file, or an earlier build's folder); kept for undo when undoing."""
    if undo is None:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        return
    kept = undo.keep_path()
    os.rename(path, kept)
    undo.steps.append(_Step("set aside", path, kept))


def _link_or_copy(path: Path, to: Path) -> None:
    """A second name for the file at `path` (a copy where the disk has no hard links)."""
    try:
        os.link(path, to, follow_symlinks=False)
    except OSError:
        if path.is_symlink():
            os.symlink(os.readlink(path), to)
        else:
            shutil.copy2(path, to)


def _make_folder(output_dir: Path, folder: Path, undo: _Undo | None) -> None:
    """mkdir -p, first setting aside an earlier build's file where a folder must go."""
    if folder.is_dir():
        return
    for parent in reversed([folder, *folder.parents]):
        if output_dir not in parent.parents and parent != output_dir:
            continue
        if parent.is_dir():
            continue
        if os.path.lexists(parent):
            _set_aside(parent, undo)
        parent.mkdir()
        if undo is not None:
            undo.steps.append(_Step("made", parent))


def _remove_empty_folders(root: str) -> None:
    folders = []
    for dirpath, dirnames, _filenames in os.walk(root):
        # os.walk lists links to folders among the folders, without entering them.
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))
        ]
        folders += [os.path.join(dirpath, d) for d in dirnames]
    for folder in reversed(folders):  # children before their parents
        if not os.listdir(folder):
            os.rmdir(folder)
