"""`.ssg-cache/`: the build state between two commands.

A pure speed-up: a missing, unreadable or stale cache is discarded and the build does the
work again, with byte-identical output. On disk: `state.pickle` (small, read by every
build); `posts-XX.pickle` shards of parsed posts by digest (256 of them, by the digest's
first two hex digits; each post pickled on its own behind a list of where each is), so an
edit rewrites two small files rather than every post of the site, and a build reads just
the posts it asks for; `catalog.pickle`, which posts the shards hold and what a build asks
of a post it reuses without reading it (ssg.incremental.state.PostFacts);
`search.pickle` (the search index) and `related.pickle` (where each post's related posts
are), read only by a build that plans pages; `view.pickle` and `pages-XX.pickle` (the
last planned site as a body edit needs it: ssg.incremental.edit_view), read only by one.
`CACHEDIR.TAG` marks the folder as a cache (backup tools skip it; `ssg clean` removes it).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar

from ssg.config import LAYOUT_CODE_CACHE, SHARE_IMAGE_CACHE
from ssg.incremental.forked import ForkedCall, can_fork
from ssg.incremental.outputs import PackedOutputs
from ssg.incremental.state import (
    BuildState,
    CachedView,
    PostFacts,
    PostsSince,
    SavedIndex,
    SavedRelated,
    StaleCache,
    facts_of,
)

if TYPE_CHECKING:  # unpickling imports them, when a build reads posts or the index
    from ssg.content.post import Parsed, Post
    from ssg.incremental.edit_view import EditView
    from ssg.site.pages import OutputPage
    from ssg.site.related import RelatedPlaces
    from ssg.site.search import SearchIndex

# The Cache Directory Tagging Specification's marker (https://bford.info/cachedir/).
CACHE_MARKER = "CACHEDIR.TAG"
CACHE_MARKER_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by ssg (safe to delete with the folder).\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
# Every file this module writes: an older ssg's cache, made before the marker, holds these only.
_CACHE_FILE = re.compile(
    r"(?:state|search|related|view|catalog|(?:posts|pages)-[0-9a-f]{1,2})\.pickle(?:\.\d+)?|\.gitignore"
)
_SHARDS = tuple(f"{i:02x}" for i in range(256))
_SHARD_SET = frozenset(_SHARDS)
# Every post's facts (ssg.incremental.state.PostFacts), by digest: which posts the shards hold.
_CATALOG = "catalog.pickle"
_NO_FACTS = PostFacts((), ())
# Older ssg's shards, by the digest's first hex digit (16 times the bytes an edit rewrites).
_OLD_SHARDS = "0123456789abcdef"
T = TypeVar("T")
# BuildState fields kept in state.pickle; `parsed` goes to the shards, `model` nowhere.
_STATE_FIELDS = ("key", "stamps", "outputs", "output_dir", "inputs", "others", "racy",
                 "racy_texts", "closures", "valid_until", "summary")  # fmt: skip


class StateStore:
    """Loads and saves one site's build state, writing only what changed since."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._saved_state: dict[str, Any] | None = None
        self._posts_catalog: dict[str, PostFacts] | None = None  # what the shards hold
        self._shard_files: dict[str, _ShardFile] = {}  # each shard's list of posts, once read
        self._old_shards_removed = False  # an older ssg's, on this store's first save
        self._saved_search: object = None  # the index search.pickle holds, once known
        self._saved_related = ""  # the key of the places related.pickle holds, once known
        # The keys of the page groups view.pickle holds, once known.
        self._group_keys: Mapping[int, str] | None = None

    def load(self, settings_key: str) -> BuildState:
        """The saved state if it was made under `settings_key`, else an empty one."""
        data = _read_pickle(self.folder / "state.pickle")
        if not isinstance(data, dict) or data.get("key") != settings_key:
            return BuildState(key=settings_key)
        try:
            fields = {name: data[name] for name in _STATE_FIELDS}
        except KeyError:  # an older ssg's file
            return BuildState(key=settings_key)
        fields["view"] = view_token = data.get("view", "")
        self._saved_state = fields
        return BuildState(
            **{name: fields[name] for name in _STATE_FIELDS},
            parsed=_ShardedPosts(self, settings_key),
            search=_ReadOnFirstUse(lambda: self._read_search(settings_key)),
            related=_ReadOnFirstUse(lambda: self._read_related(settings_key)),
            view=_SavedView(self, settings_key, view_token) if view_token else None,
        )

    def save(self, state: BuildState) -> None:
        """Write what changed, each file atomically. Raises OSError when it cannot."""
        self.folder.mkdir(exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        marker = self.folder / CACHE_MARKER
        if not marker.exists():
            marker.write_text(CACHE_MARKER_TEXT, encoding="utf-8")
        # A large site's view is pickled in a forked copy of this process meanwhile: it and
        # the shards are each about half of saving a full build.
        view = None
        if self._view_to_fork(state):
            view = ForkedCall(lambda: self._save_view_returning_keys(state))
        try:
            fields = self._save_posts_and_indexes(state)
            if fields is not None:
                # After the files the view's token points to: a view half written is never read.
                if view is not None:
                    fields["view"], self._group_keys = view.result()
                else:
                    fields["view"] = self._save_view(state)
        finally:
            if view is not None:
                view.stop()
        if fields is None:  # posts to keep that a shard lacks: the next build starts over
            (self.folder / "state.pickle").unlink(missing_ok=True)
            self._saved_state = None
        elif fields != self._saved_state:
            _write_pickle(self.folder / "state.pickle", fields)
            self._saved_state = fields

    def _view_to_fork(self, state: BuildState) -> bool:
        if state.model is None or len(state.model.pages) < FORK_VIEW_FROM or not can_fork():
            return False
        parsed = state.parsed
        if isinstance(parsed, _ShardedPosts) and parsed.store is self:
            return False  # the shards hold these posts already
        new = parsed.parsed_now() if isinstance(parsed, PostsSince) else parsed
        return len(new) >= FORK_WITH_POSTS_FROM

    def _save_posts_and_indexes(self, state: BuildState) -> dict[str, Any] | None:
        """Save the shards, search index and related places that changed; the fields of
        state.pickle but its view's token, or None when the cache cannot keep the posts."""
        parsed = state.parsed
        if not (isinstance(parsed, _ShardedPosts) and parsed.store is self):
            try:
                self._save_shards(state.key, parsed)
            except StaleCache:
                return None
        search = state.search
        if (
            search is not None
            and not isinstance(search, SavedIndex)
            and (search is not self._saved_search)
        ):
            _write_pickle(self.folder / "search.pickle", {"key": state.key, "index": search})
            self._saved_search = search
        related = state.related
        if (
            related is not None
            and not isinstance(related, SavedRelated)
            and related.key != self._saved_related
        ):
            # Plain tuples: reading them back needs no ssg module.
            payload = {"key": state.key, "places_key": related.key, "places": related.places}
            _write_pickle(self.folder / "related.pickle", payload)
            self._saved_related = related.key
        fields = {name: getattr(state, name) for name in _STATE_FIELDS}
        fields["outputs"] = PackedOutputs.pack(state.outputs)
        return fields

    def _save_view(self, state: BuildState) -> str:
        """The token of the view of `state`'s site in the cache, written now if the state
        holds a model; "" when the cache has none for it."""
        if state.model is None:
            saved = state.view
            return saved.token if isinstance(saved, _SavedView) and saved.store is self else ""
        from ssg.incremental.edit_view import dump_with_post_paths, view_of

        view, groups = view_of(state.model)
        saved_groups = self._saved_groups(state.key)
        keys: dict[int, str] = {}
        content_key = state.model.deps.content_key
        for group, pages in groups.items():
            keys[group] = key = _digest(state.key, *(content_key(pages[p]) for p in sorted(pages)))
            if saved_groups.get(group) != key:
                # Each page on its own: an edit reads the posts of the pages it renders only.
                payload = {"key": key, "pages": {path: dump_with_post_paths(page)
                                                 for path, page in pages.items()}}  # fmt: skip
                _write_pickle(self.folder / f"pages-{group:02x}.pickle", payload)
        for group in set(saved_groups) - set(keys):
            (self.folder / f"pages-{group:02x}.pickle").unlink(missing_ok=True)
        token = os.urandom(8).hex()
        # The view as bytes within: a build that only needs the groups' keys skips it.
        view_bytes = pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL)
        view_file = {"key": state.key, "token": token, "groups": keys, "view": view_bytes}
        _write_pickle(self.folder / "view.pickle", view_file)
        self._group_keys = keys
        return token

    def _save_view_returning_keys(self, state: BuildState) -> tuple[str, Mapping[int, str] | None]:
        """_save_view's token, and the keys of the view's groups it keeps in this store (in a
        forked process: the parent's store learns them from here)."""
        return self._save_view(state), self._group_keys

    def _saved_groups(self, key: str) -> Mapping[int, str]:
        """The page groups the cache holds, by their keys (from view.pickle)."""
        if self._group_keys is None:
            data = _read_view(self.folder, key)
            self._group_keys = data["groups"] if data is not None else {}
        return self._group_keys

    def _read_search(self, key: str) -> SearchIndex | None:
        data = _read_pickle(self.folder / "search.pickle")
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        from ssg.site.search import SearchIndex  # loaded by unpickling it anyway

        index = data.get("index")
        if not isinstance(index, SearchIndex):
            return None
        self._saved_search = index
        return index

    def _read_related(self, key: str) -> RelatedPlaces | None:
        data = _read_pickle(self.folder / "related.pickle")
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        from ssg.site.related import RelatedPlaces  # loaded by any build that plans pages

        places, places_key = data.get("places"), data.get("places_key")
        if not isinstance(places, tuple) or not isinstance(places_key, str):
            return None
        self._saved_related = places_key
        return RelatedPlaces(places_key, places)

    def _save_shards(self, key: str, parsed: Mapping[str, Parsed]) -> None:
        """Rewrite the shards whose posts changed, then the catalog of them all: a build
        after one edit reads and writes one or two shards, not the site's posts."""
        if not self._old_shards_removed:
            for old in _OLD_SHARDS:
                (self.folder / f"posts-{old}.pickle").unlink(missing_ok=True)
            self._old_shards_removed = True
        on_disk = self._catalog(key)
        if on_disk is not None and self._save_changed_shards(key, parsed, on_disk):
            return
        saved: dict[str, set[str]] = {}
        for digest in on_disk or ():
            saved.setdefault(_shard_of(digest), set()).add(digest)
        wanted: dict[str, list[str]] = {shard: [] for shard in _SHARDS}
        for digest in parsed:
            wanted[_shard_of(digest)].append(digest)
        catalog = {digest: _facts(parsed, digest) for digest in parsed}
        for shard, digests in wanted.items():
            if on_disk is None or saved.get(shard, set()) != set(digests):
                # The posts the shard keeps are copied as they are on disk, not read.
                kept = self._shard(key, shard).blobs(digests)
                blobs = [kept.get(digest) or _pickled(parsed[digest]) for digest in digests]
                _write_shard(self.folder / f"posts-{shard}.pickle", key, digests, blobs)
                self._shard_files.pop(shard, None)
        if catalog != on_disk:
            _write_pickle(self.folder / _CATALOG, {"key": key, "facts": catalog})
            self._posts_catalog = catalog

    def _save_changed_shards(self, key: str, parsed: Mapping[str, Parsed],
                             on_disk: dict[str, PostFacts]) -> bool:  # fmt: skip
        """Save the posts a build parsed and drop those it no longer has, when it reused
        the rest from these very shards: the work of one edit, not of 100,000 posts.
        False when that cannot be told (the caller then compares every post)."""
        if not isinstance(parsed, PostsSince):
            return False
        last = parsed.last
        if not (isinstance(last, _ShardedPosts) and last.store is self and last._key == key):
            return False
        added = {d: p for d, p in parsed.parsed_now().items() if d not in on_disk}
        # Every post kept is in the catalog, so the count tells whether any went.
        removed = [] if len(parsed) - len(added) == len(on_disk) else list(
            on_disk.keys() - parsed.keys())  # fmt: skip
        if not added and not removed:
            return True
        catalog = dict(on_disk)
        for digest in removed:
            del catalog[digest]
        for digest in added:
            catalog[digest] = _facts(added, digest)
        for shard in {_shard_of(digest) for digest in (*added, *removed)}:
            file = self._shard(key, shard)
            kept = [digest for digest in file.where if digest in catalog and digest not in added]
            blobs = file.blobs(kept)
            if len(blobs) != len(kept):  # a damaged shard: the caller's way finds out
                return False
            new = [digest for digest in added if _shard_of(digest) == shard]
            _write_shard(
                self.folder / f"posts-{shard}.pickle",
                key,
                kept + new,
                [*blobs.values(), *(_pickled(added[digest]) for digest in new)],
            )
            self._shard_files.pop(shard, None)
        _write_pickle(self.folder / _CATALOG, {"key": key, "facts": catalog})
        self._posts_catalog = catalog
        return True

    def _catalog(self, key: str) -> dict[str, PostFacts] | None:
        """What the shards hold (digest -> facts), from the catalog; None if unknown."""
        if self._posts_catalog is None:
            data = _read_pickle(self.folder / _CATALOG)
            if isinstance(data, dict) and data.get("key") == key:
                self._posts_catalog = data["facts"]
        return self._posts_catalog

    def _shard(self, key: str, shard: str) -> _ShardFile:
        """One shard's file, its list of posts read (once)."""
        found = self._shard_files.get(shard)
        if found is None:
            found = self._shard_files[shard] = _ShardFile.open(
                self.folder / f"posts-{shard}.pickle", key
            )
        return found


class _ShardFile:
    """A shard of posts: a list of them (digest -> where its bytes are), then each post
    pickled on its own, so that a build reads just the posts it asks for."""

    def __init__(self, path: Path, where: Mapping[str, tuple[int, int]], start: int) -> None:
        self.path, self.where, self._start = path, where, start

    @classmethod
    def open(cls, path: Path, key: str) -> _ShardFile:
        try:
            with path.open("rb") as file:
                head = pickle.load(file)  # noqa: S301 - ssg's own cache
                start = file.tell()
        except Exception:  # noqa: BLE001 - missing or foreign: holds nothing
            return cls(path, {}, 0)
        if not isinstance(head, dict) or head.get("key") != key:
            return cls(path, {}, 0)
        return cls(path, head["posts"], start)

    def read(self, digests: Iterable[str]) -> dict[str, Parsed]:
        """The posts of `digests` that this shard holds."""
        wanted = sorted((self.where[d], d) for d in digests if d in self.where)
        found: dict[str, Parsed] = {}
        if not wanted:
            return found
        with _collector_paused(), self.path.open("rb") as file:
            blobs: Iterator[tuple[str, bytes | memoryview]]
            if len(wanted) > 4:  # likely most of the shard: one read
                file.seek(self._start)
                whole = memoryview(file.read())
                blobs = ((digest, whole[begin:end]) for (begin, end), digest in wanted)
            else:
                blobs = ((digest, _read_at(file, self._start + begin, end - begin))
                         for (begin, end), digest in wanted)  # fmt: skip
            for digest, blob in blobs:
                try:
                    found[digest] = pickle.loads(blob)  # noqa: S301 - ssg's own cache
                except Exception:  # noqa: BLE001 - a truncated file: holds no more
                    break
        return found

    def blobs(self, digests: Iterable[str]) -> dict[str, bytes]:
        """The pickled bytes of the posts of `digests` that this shard holds."""
        wanted = [(self.where[d], d) for d in digests if d in self.where]
        if not wanted:
            return {}
        try:
            with self.path.open("rb") as file:
                file.seek(self._start)
                whole = file.read()
        except OSError:
            return {}
        return {digest: whole[begin:end] for (begin, end), digest in wanted
                if end <= len(whole)}  # fmt: skip


def _read_at(file: BinaryIO, offset: int, size: int) -> bytes:
    file.seek(offset)
    return file.read(size)


def _pickled(post: Parsed) -> bytes:
    return pickle.dumps(post, protocol=pickle.HIGHEST_PROTOCOL)


def _write_shard(path: Path, key: str, digests: list[str], blobs: list[bytes]) -> None:
    where, at = {}, 0
    for digest, blob in zip(digests, blobs, strict=True):
        where[digest] = (at, at + len(blob))
        at += len(blob)
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    with tmp.open("wb") as out:
        pickle.dump({"key": key, "posts": where}, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.writelines(blobs)
    os.replace(tmp, path)


def _shard_of(digest: str) -> str:
    return digest[:2] if digest[:2] in _SHARD_SET else "00"


def _facts(parsed: Mapping[str, Parsed], digest: str) -> PostFacts:
    facts = facts_of(parsed, digest)
    return _NO_FACTS if facts == _NO_FACTS else facts  # one shared tuple: pickled once


def is_cache_folder(folder: Path) -> bool:
    """`folder` is a cache this module made: it has the marker, or (made by an ssg from
    before the marker) it holds nothing but plain files named as this module names them."""
    marker = folder / CACHE_MARKER
    if marker.is_file() and not marker.is_symlink():
        signature = CACHE_MARKER_TEXT.encode().split(b"\n", 1)[0]
        with marker.open("rb") as file:
            return file.read(len(signature)) == signature
    return all(
        (entry.is_file(follow_symlinks=False) and _CACHE_FILE.fullmatch(entry.name))
        or (
            entry.name in (SHARE_IMAGE_CACHE, LAYOUT_CODE_CACHE)
            and entry.is_dir(follow_symlinks=False)
        )
        for entry in os.scandir(folder)
    )


class _ShardedPosts(Mapping[str, "Parsed"]):
    """Parsed posts by digest, as the cache holds them: which there are (and their facts)
    from the catalog, each post from its shard, read the first time a build asks for a
    post of that shard. A build that finds nothing changed reads neither."""

    def __init__(self, store: StateStore, key: str) -> None:
        self.store, self._key = store, key
        self._known: dict[str, PostFacts] | None = None
        self._read: dict[str, Parsed] = {}  # the posts read so far

    def _catalog(self) -> dict[str, PostFacts]:
        if self._known is None:
            known = self.store._catalog(self._key)
            if known is None:  # no catalog (deleted by hand): what the shards hold
                known = {}
                for shard in _SHARDS:
                    file = self.store._shard(self._key, shard)
                    for digest, entry in file.read(file.where).items():
                        known[digest] = PostFacts(entry.post.data_files, entry.warnings)
                        self._read[digest] = entry
            self._known = known
        return self._known

    def __getitem__(self, digest: str) -> Parsed:
        found = self._read.get(digest)
        if found is not None:
            return found
        if digest not in self._catalog():
            raise KeyError(digest)
        shard = _shard_of(digest)
        found = self.store._shard(self._key, shard).read((digest,)).get(digest)
        if found is None:
            raise StaleCache(f"posts-{shard}.pickle lacks a post its catalog lists")
        self._read[digest] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalog())

    def __len__(self) -> int:
        return len(self._catalog())

    def __contains__(self, digest: object) -> bool:
        return digest in self._catalog()

    def get(self, digest: str, default: Any = None) -> Any:
        return self[digest] if digest in self._catalog() else default

    def facts(self, digest: str) -> PostFacts:
        return self._catalog()[digest]

    def catalog(self) -> Mapping[str, PostFacts]:
        return self._catalog()

    def items(self) -> Any:
        return self.read_many(self._catalog()).items()

    def values(self) -> Any:
        return self.read_many(self._catalog()).values()

    def read_many(self, digests: Iterable[str]) -> dict[str, Parsed]:
        """The posts of `digests` (KeyError if one is not here), read a shard at a time:
        a build that plans the site reads them all."""
        catalog, read = self._catalog(), self._read
        missing: dict[str, list[str]] = {}
        for digest in digests:
            if digest not in read:
                if digest not in catalog:
                    raise KeyError(digest)
                missing.setdefault(_shard_of(digest), []).append(digest)
        for shard, wanted in missing.items():
            found = self.store._shard(self._key, shard).read(wanted)
            if len(found) != len(wanted):
                raise StaleCache(f"posts-{shard}.pickle lacks posts its catalog lists")
            read.update(found)
        return {digest: read[digest] for digest in digests}


class _ReadOnFirstUse(Generic[T]):
    """A part of the cache kept in a file of its own (the search index, the related posts'
    places), read the first time a build asks for it."""

    def __init__(self, read: Callable[[], T | None]) -> None:
        self._read = read
        self._value: T | None = None

    def load(self) -> T | None:
        if self._value is None:
            self._value = self._read()
        return self._value


class _SavedView:
    """The view of the last planned site in the cache (view.pickle), read on first use,
    and its pages (pages-XX.pickle), a group at a time."""

    def __init__(self, store: StateStore, key: str, token: str) -> None:
        self.store, self.token, self._key = store, token, key
        self._loaded: _LoadedView | None = None
        self._read = False

    def load(self) -> CachedView | None:
        if not self._read:
            self._read = True
            data = _read_view(self.store.folder, self._key)
            if data is not None and data.get("token") == self.token:
                self.store._group_keys = data["groups"]
                try:
                    with _collector_paused():
                        view = pickle.loads(data["view"])  # noqa: S301 - ssg's own cache
                except Exception:  # noqa: BLE001 - a foreign or damaged file: no view
                    return None
                self._loaded = _LoadedView(self.store.folder, view, data["groups"])
        return self._loaded


class _LoadedView:
    def __init__(self, folder: Path, view: EditView, groups: Mapping[int, str]) -> None:
        self.folder, self.view, self._groups = folder, view, groups

    def pages(self, paths: list[str], post: Callable[[str], Post]
              ) -> Mapping[str, OutputPage] | None:  # fmt: skip
        from ssg.incremental.edit_view import load_with_posts, page_group

        found: dict[str, OutputPage] = {}
        by_group: dict[int, list[str]] = {}
        for path in paths:
            by_group.setdefault(page_group(path), []).append(path)
        for group, wanted in sorted(by_group.items()):
            data = _read_pickle(self.folder / f"pages-{group:02x}.pickle")
            if not isinstance(data, dict) or data.get("key") != self._groups.get(group):
                return None
            pages = data["pages"]
            try:
                found.update((path, load_with_posts(pages[path], post))
                             for path in wanted if path in pages)  # fmt: skip
            except LookupError:  # a post the cache no longer has
                return None
        return found if len(found) == len(set(paths)) else None


def _read_view(folder: Path, key: str) -> dict[str, Any] | None:
    data = _read_pickle(folder / "view.pickle")
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    if not isinstance(data.get("groups"), dict) or not isinstance(data.get("view"), bytes):
        return None
    return data


# The view is pickled by a forked copy of this process from this many pages (~15 µs a
# page), when this one has at least this many new posts to pickle into the shards meanwhile:
# forking costs a copy of every page of memory either process then writes to, so it pays
# for the two halves of a full build's save, not for a metadata edit's.
FORK_VIEW_FROM = 4000
FORK_WITH_POSTS_FROM = 1000


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()  # fmt: skip


def _write_pickle(path: Path, payload: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    with tmp.open("wb") as out:
        pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _read_pickle(path: Path) -> Any:
    # The cache is ssg's own file inside the site; anything unreadable is simply discarded.
    with _collector_paused():
        try:
            with path.open("rb") as f:
                return pickle.load(f)  # noqa: S301
        except Exception:  # noqa: BLE001 - truncated, old-format or foreign files: "no cache"
            return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    # Unpickling 10,000 posts makes millions of objects, and the cyclic collector would
    # walk the growing heap again and again (half the load time); none of them is garbage.
    # Nor will they be while the build runs: frozen, the collections that planning the
    # site sets off (a full one walks every object) leave them alone.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
