"""What an import did and could not do, line by line, for the person moving their blog."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# What a note is about; the summary counts notes by kind.
CONVERTED = "converted"  # source syntax rewritten into ssg's own (Liquid, shortcodes, IALs)
REPORTED = "reported"  # left in place, visibly, for the writer to fix by hand
DIALECT = "dialect"  # renders differently in ssg than in the old generator
URL = "url"  # a URL pinned, suffixed after a clash, or redirected
KINDS = (CONVERTED, REPORTED, DIALECT, URL)


@dataclass(frozen=True, slots=True)
class Note:
    """One finding, at a file of the OLD site (the one the writer knows) and a line in it."""

    path: str  # relative to the old site, e.g. `_posts/2013-10-03-rails.md`
    line: int | None  # 1-based; None for the whole file
    kind: str  # one of KINDS
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.kind}: {self.message}"


@dataclass(slots=True)
class ImportReport:
    """Every note of one import, in the order found, and the counts the summary gives."""

    notes: list[Note] = field(default_factory=list)

    def add(self, path: str, line: int | None, kind: str, message: str) -> None:
        assert kind in KINDS, kind
        self.notes.append(Note(path, line, kind, message))

    def count(self, kind: str) -> int:
        return Counter(note.kind for note in self.notes)[kind]

    def text(self) -> str:
        """The report file: notes sorted by file and line, one per line."""
        ordered = sorted(self.notes, key=lambda n: (n.path, n.line or 0))
        return "".join(f"{note}\n" for note in ordered)
