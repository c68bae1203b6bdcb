"""Listing a source folder (content/, static/, data/, layouts/): its files, links checked.

A symbolic link is followed only when it leads inside the site: a link to outside it (a
post linked to a file elsewhere on the machine, `static/secret.txt -> ~/.ssh/id_rsa`) or
to nothing is an error naming the link and its target, so a build never publishes a file
from elsewhere without a word. A folder reached twice (a link to a folder already listed,
a link to its own parent) is listed once, where it was first met, real folders before
links. Every listing of a build and every file a watcher reports go through here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ssg.config import Config
from ssg.errors import SsgError


class LinkError(SsgError):
    """A symbolic link ssg will not follow: `content/x.md -> /etc/passwd: why`."""

    def __init__(self, link: str, target: str, problem: str) -> None:
        self.link, self.target, self.problem = link, target, problem
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[LinkError], tuple[str, str, str]]:
        return (LinkError, (self.link, self.target, self.problem))

    def __str__(self) -> str:
        return f"{self.link} -> {self.target}: {self.problem}"


OUTSIDE = "a symbolic link to outside the site; ssg reads only files inside it"
DANGLING = "a symbolic link to nothing; its target does not exist"
LOOP = "a loop of symbolic links"


@dataclass(frozen=True, slots=True)
class Bounds:
    """Where links may lead: the site folder, and the source folders config.yaml names
    (which may themselves lie elsewhere)."""

    site_dir: str
    roots: tuple[str, ...]  # real paths, site_dir's first

    def inside(self, real: str) -> bool:
        return any(real == root or real.startswith(root + os.sep) for root in self.roots)

    def shown(self, path: str) -> str:
        """`path` as the writer sees it: relative to the site when it is inside."""
        if path.startswith(self.site_dir + os.sep):
            return path[len(self.site_dir) + 1 :].replace(os.sep, "/")
        return path


def bounds_of(config: Config) -> Bounds:
    folders = (config.site_dir, config.content_dir, config.static_dir, config.data_dir,
               config.layouts_dir)  # fmt: skip
    site = str(config.site_dir)
    return Bounds(site, tuple(dict.fromkeys(os.path.realpath(f) for f in folders)))


@dataclass(frozen=True, slots=True)
class Found:
    """A file to read: its path relative to the listed folder ("/"-separated), and on disk
    (through the links that lead to it)."""

    rel: str
    path: str


@dataclass(frozen=True)
class Listing:
    files: list[Found]  # in `rel` order
    errors: list[LinkError]


def _never(name: str) -> bool:
    return False


def list_files(folder: Path, bounds: Bounds, keep_file: Callable[[str], bool],
               skip: Callable[[str], bool] = _never, recursive: bool = True,
               ) -> Listing:  # fmt: skip
    """The files under `folder` whose names `keep_file` accepts, in folders whose names
    `skip` does not reject (only `folder` itself unless `recursive`); every link that is
    not skipped is checked, whatever it leads to."""
    files: list[Found] = []
    errors: list[LinkError] = []
    root = str(folder)
    if not os.path.isdir(root):
        return Listing(files, errors)
    real_root = os.path.realpath(root)
    visited = {real_root}
    stack = [(root, real_root, "")]  # (path, its real path, rel prefix)
    linked: list[tuple[str, str, str]] = []  # folder links met: (rel, path, real path)
    while stack or linked:
        if not stack:
            linked.sort(reverse=True)
            rel, path, real = linked.pop()
            if real not in visited:
                visited.add(real)
                stack.append((path, real, rel + "/"))
            continue
        path, real, prefix = stack.pop()
        try:
            with os.scandir(path) as scan:
                entries = list(scan)
        except OSError:  # no permission: what it holds cannot be read, as before links
            continue
        for entry in entries:
            name = entry.name
            if skip(name):
                continue
            if entry.is_symlink():
                target = _follow(entry.path, bounds, errors)
                if target is None:
                    continue
                if os.path.isdir(target):
                    if recursive:
                        linked.append((prefix + name, entry.path, target))
                elif keep_file(name):
                    files.append(Found(prefix + name, entry.path))
            elif entry.is_dir(follow_symlinks=False):
                child = os.path.join(real, name)
                if recursive and child not in visited:
                    visited.add(child)
                    stack.append((entry.path, child, f"{prefix}{name}/"))
            elif keep_file(name) and entry.is_file(follow_symlinks=False):
                files.append(Found(prefix + name, entry.path))
    files.sort(key=lambda found: found.rel)
    return Listing(files, errors)


def _follow(link: str, bounds: Bounds, errors: list[LinkError]) -> str | None:
    """The real path `link` leads to, if it leads to something inside the site; else None,
    with the reason added to `errors`."""
    shown = bounds.shown(link)
    try:
        real = os.path.realpath(link, strict=True)
    except FileNotFoundError:
        errors.append(LinkError(shown, _written(link), DANGLING))
        return None
    except OSError:  # ELOOP
        errors.append(LinkError(shown, _written(link), LOOP))
        return None
    if not bounds.inside(real):
        errors.append(LinkError(shown, real, OUTSIDE))
        return None
    return real


def _written(link: str) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def link_problem(path: Path, bounds: Bounds) -> LinkError | None:
    """Why `path` (a file a watcher reported) must not be read through its links; None
    when it may (no link on the way, or links that stay inside the site)."""
    try:
        real = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return LinkError(bounds.shown(str(path)), "?", DANGLING)
    except OSError:
        return LinkError(bounds.shown(str(path)), "?", LOOP)
    if not bounds.inside(real):
        return LinkError(bounds.shown(str(path)), real, OUTSIDE)
    return None


@contextmanager
def opened_folder(folder: Path | str) -> Iterator[int | None]:
    """A descriptor of `folder` to look its files up from with `dir_fd` (the kernel then
    resolves each path from there, not from / again), or None where the system has no
    `dir_fd` (Windows) or the folder cannot be opened."""
    if not (os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")):
        yield None
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield None
        return
    try:
        yield fd
    finally:
        os.close(fd)
