"""Writing a build's many small files with as few system calls as the job needs.

`Path.write_bytes` opens a buffered file: besides open, write and close it asks whether
the file is a terminal, where it stands and what it is (a cold build of 10,000 posts
writes some 50,000 files, and `mkdir(parents=True, exist_ok=True)` before each adds one
or two more). Here a file costs open, write and close, and its folder is made only when
the open finds it missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# O_BINARY: Windows would otherwise translate line ends; 0 elsewhere.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path: str | Path, data: bytes) -> os.stat_result:
    """Write `data` to `path`, replacing its contents; its folders are made if missing.
    The file's status once written (its size and mtime: what a cache keeps to know it)."""
    try:
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)


def link_or_copy(source: str | Path, path: str | Path) -> None:
    """Make `path` a hard link to `source`, or a copy where links cannot be made (another
    file system); its folders are made if missing."""
    try:
        os.link(source, path)
    except OSError as error:
        if isinstance(error, FileNotFoundError) and not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.link(source, path)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source, path)
