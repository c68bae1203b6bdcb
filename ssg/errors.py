"""Errors meant for people: each names the file and, when known, the line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class SsgError(Exception):
    """Base class for every error ssg reports to the user without a traceback."""


class ConfigError(SsgError):
    """config.yaml is missing, malformed, or has invalid values (all listed at once)."""

    def __init__(self, path: Path, problems: Sequence[str], line: int | None = None) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.path = path
        self.problems = tuple(problems)
        self.line = line

    def __reduce__(self) -> tuple[type[ConfigError], tuple[Path, tuple[str, ...], int | None]]:
        return (ConfigError, (self.path, self.problems, self.line))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        if len(self.problems) == 1:
            return f"{where}: {self.problems[0]}"
        lines = [f"{where}: {len(self.problems)} problems"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ContentError(SsgError):
    """A problem in one source file, located as `path:line: message`."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.message = message
        self.line = line

    def __reduce__(self) -> tuple[type[ContentError], tuple[Path, str, int | None]]:
        # Errors and warnings cross process boundaries (parse workers) and sit in the cache.
        return (type(self), (self.path, self.message, self.line))

    def __str__(self) -> str:
        where = f"{self.path.as_posix()}:{self.line}" if self.line else self.path.as_posix()
        return f"{where}: {self.message}"


class BuildFailed(SsgError):
    """Every problem found in one build; the build wrote nothing."""

    def __init__(self, errors: Sequence[SsgError], state: object | None = None) -> None:
        self.errors = tuple(errors)
        # What the build learnt before failing (its BuildState: the posts that did parse),
        # so that the next build need not parse them again.
        self.state = state
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[BuildFailed], tuple[tuple[SsgError, ...]]]:
        return (BuildFailed, (self.errors,))

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"build failed with {count} error{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  {m}" for m in self.messages)])
