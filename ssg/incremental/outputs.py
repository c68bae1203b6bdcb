"""The files a build wrote (output path -> fingerprint, size, mtime), packed for the cache.

A build with nothing to do reads them all, to check that output/ is as it was left. At
100,000 posts that is about 400,000 entries: as a pickled dict of tuples, loading them
took longer than checking them. Packed, they are four flat values (two strings, two
arrays) that load in a few milliseconds; a build with work looks entries up through a
dict of positions, and a body edit patches the columns.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ssg.incremental.keys import Output

# Never in a path or a fingerprint (hex digits or "").
_SEPARATOR = "\0"


class PackedOutputs(Mapping[str, Output]):
    """An immutable mapping of output path -> Output, kept packed until looked into."""

    __slots__ = ("_names", "_fingerprints", "_sizes", "_mtimes", "_index", "_fingerprint_list")

    def __init__(self, names: str, fingerprints: str, sizes: array[int],
                 mtimes: array[int]) -> None:  # fmt: skip
        # Checked here, so that a damaged cache fails while it is read (and is discarded).
        count = len(sizes)
        pieces = [text.count(_SEPARATOR) + 1 if text or count else 0
                  for text in (names, fingerprints)]  # fmt: skip
        if len(mtimes) != count or pieces != [count, count]:
            raise ValueError("packed outputs of different lengths")
        self._names, self._fingerprints = names, fingerprints
        self._sizes, self._mtimes = sizes, mtimes
        # Made on the first lookup: path -> position, and the fingerprints split.
        self._index: dict[str, int] | None = None
        self._fingerprint_list: list[str] = []

    @classmethod
    def pack(cls, outputs: Mapping[str, Output]) -> PackedOutputs:
        if isinstance(outputs, PackedOutputs):
            return outputs
        entries = outputs.values()
        return cls(
            _SEPARATOR.join(outputs),
            _SEPARATOR.join([fingerprint for fingerprint, _size, _mtime in entries]),
            array("q", [size for _fingerprint, size, _mtime in entries]),
            array("q", [mtime for _fingerprint, _size, mtime in entries]),
        )

    def columns(self) -> tuple[list[str], Sequence[int], Sequence[int]]:
        """The paths, sizes and mtimes (ns) of every file, in order, without making the dict."""
        return self._split(self._names), self._sizes, self._mtimes

    def _split(self, joined: str) -> list[str]:
        return joined.split(_SEPARATOR) if self._sizes else []

    def _positions(self) -> dict[str, int]:
        # A dict of ints, not of 400,000 tuples: a lookup makes its entry's tuple.
        if self._index is None:
            self._index = dict(zip(self._split(self._names), range(len(self._sizes)), strict=True))
            self._fingerprint_list = self._split(self._fingerprints)
        return self._index

    def __getitem__(self, path: str) -> Output:
        at = self._positions()[path]
        return (self._fingerprint_list[at], self._sizes[at], self._mtimes[at])

    def __iter__(self) -> Iterator[str]:
        return iter(self._split(self._names))

    def __len__(self) -> int:
        return len(self._sizes)

    def __contains__(self, path: object) -> bool:
        return path in self._positions()

    def updated(self, changes: Mapping[str, Output]) -> PackedOutputs:
        """These entries with `changes` in place of theirs: a body edit rewrites a few
        files of 100,000s, and only their places in the packed columns change."""
        positions = self._positions()
        if any(path not in positions for path in changes):
            return PackedOutputs.pack({**self, **changes})
        fingerprints = list(self._fingerprint_list)
        sizes, mtimes = array("q", self._sizes), array("q", self._mtimes)
        for path, (fingerprint, size, mtime) in changes.items():
            at = positions[path]
            fingerprints[at], sizes[at], mtimes[at] = fingerprint, size, mtime
        return PackedOutputs(self._names, _SEPARATOR.join(fingerprints), sizes, mtimes)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedOutputs):
            return (self._names, self._fingerprints, self._sizes, self._mtimes) == (
                other._names, other._fingerprints, other._sizes, other._mtimes)  # fmt: skip
        return super().__eq__(other)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedOutputs, (self._names, self._fingerprints, self._sizes, self._mtimes))

    def __repr__(self) -> str:
        return f"PackedOutputs({len(self)} files)"
