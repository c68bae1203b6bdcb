"""Errors meant for people: each names the file and, when known, the line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath


class SsgError(Exception):
    """Base class for every error ssg reports to the user without a traceback."""


_Lines = tuple[int | None, ...]  # a line per problem


class ConfigError(SsgError):
    """config.yaml is missing, malformed, or has invalid values (all listed at once).

    `path` names the file as the writer sees it (`config.yaml`, relative to the site);
    `lines` holds each problem's line in it, None for the file as a whole.
    """

    def __init__(self, path: Path, problems: Sequence[str],
                 lines: Sequence[int | None] | None = None) -> None:  # fmt: skip
        self.path = path
        self.problems = tuple(problems)
        self.lines = tuple(lines) if lines is not None else (None,) * len(self.problems)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[ConfigError], tuple[Path, tuple[str, ...], _Lines]]:
        return (ConfigError, (self.path, self.problems, self.lines))

    @property
    def messages(self) -> list[str]:
        """Each problem as `config.yaml:7: message`."""
        file = self.path.as_posix()
        return [
            f"{file}:{line}: {problem}" if line else f"{file}: {problem}"
            for problem, line in zip(self.problems, self.lines, strict=True)
        ]

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.messages[0]
        head = f"{self.path.as_posix()}: {len(self.problems)} problems"
        return "\n".join([head, *(f"  {m}" for m in self.messages)])


class ContentError(SsgError):
    """A problem in one source file, located as `path:line: message`."""

    def __init__(self, path: PurePath | str, message: str, line: int | None = None) -> None:
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


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def not_utf8(path: PurePath | str, data: bytes) -> ContentError:
    """Why the bytes of `path` are not UTF-8 text, at the line and column of the first bad
    byte (the column in characters, as editors count them); a UTF-16 file is named so."""
    if data.startswith(_UTF16_BOMS):
        return ContentError(path, "saved as UTF-16; save the file as UTF-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:  # it does decode: the caller's reader failed for another reason
        return ContentError(path, "not UTF-8; save the file as UTF-8")
    line_start = data.rfind(b"\n", 0, bad) + 1
    if line_start == 0 and data.startswith(_UTF8_BOM):
        line_start = len(_UTF8_BOM)
    column = len(data[line_start:bad].decode("utf-8")) + 1
    line = data.count(b"\n", 0, bad) + 1
    message = f"not UTF-8 (byte 0x{data[bad]:02x} at column {column}); save the file as UTF-8"
    return ContentError(path, message, line)
