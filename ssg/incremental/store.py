"""`.ssg-cache/`: the build state between two commands.

A pure speed-up: a missing, unreadable or stale cache is discarded and the build does the
work again, with byte-identical output. On disk: `state.pickle` (small, read by every
build) and `posts-XX.pickle` shards of parsed posts by digest (256 of them, by the
digest's first two hex digits), read only when a build needs them, so an edit rewrites two
small files rather than every post of the site;
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
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ssg.config import SHARE_IMAGE_CACHE
from ssg.incremental.outputs import PackedOutputs
from ssg.incremental.state import BuildState, CachedView, SavedIndex, SavedRelated

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
    r"(?:state|search|related|view|(?:posts|pages)-[0-9a-f]{1,2})\.pickle(?:\.\d+)?|\.gitignore"
)
_SHARDS = tuple(f"{i:02x}" for i in range(256))
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
        self._saved_shards: dict[str, frozenset[str]] = {}
        self._old_shards_removed = False  # an older ssg's, on this store's first save
        self._saved_search: object = None  # the index search.pickle holds, once known
        self._saved_related = ""  # the key of the places related.pickle holds, once known
        # The view view.pickle holds, once known: its token and its page groups' keys.
        self._saved_view: tuple[str, Mapping[int, str]] | None = None

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
        parsed = state.parsed
        if not (isinstance(parsed, _ShardedPosts) and not parsed.loaded):
            self._save_shards(state.key, parsed)
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
        # After the files the view's token points to: a view half written is never read.
        fields["view"] = self._save_view(state)
        if fields != self._saved_state:
            _write_pickle(self.folder / "state.pickle", fields)
            self._saved_state = fields

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
        for group, pages in groups.items():
            fingerprints = [f"{i}:{p.output_path}:{state.outputs.get(p.output_path, ('',))[0]}"
                            for i, p in pages.items()]  # fmt: skip
            keys[group] = key = _digest(state.key, *fingerprints)
            if saved_groups.get(group) != key:
                payload = {"key": key, "pages": dump_with_post_paths(pages)}
                _write_pickle(self.folder / f"pages-{group:02x}.pickle", payload)
        for group in set(saved_groups) - set(keys):
            (self.folder / f"pages-{group:02x}.pickle").unlink(missing_ok=True)
        token = os.urandom(8).hex()
        view_file = {"key": state.key, "token": token, "groups": keys,
                     "view": dump_with_post_paths(view)}  # fmt: skip
        _write_pickle(self.folder / "view.pickle", view_file)
        self._saved_view = (token, keys)
        return token

    def _saved_groups(self, key: str) -> Mapping[int, str]:
        """The page groups the cache holds, by their keys (from view.pickle)."""
        if self._saved_view is None:
            data = _read_view(self.folder, key)
            self._saved_view = ("", data["groups"]) if data is not None else ("", {})
        return self._saved_view[1]

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
        if not self._old_shards_removed:
            for old in _OLD_SHARDS:
                (self.folder / f"posts-{old}.pickle").unlink(missing_ok=True)
            self._old_shards_removed = True
        by_shard: dict[str, dict[str, Parsed]] = {shard: {} for shard in _SHARDS}
        for digest, entry in parsed.items():
            by_shard.get(digest[:2], by_shard["00"])[digest] = entry
        for shard, entries in by_shard.items():
            if self._saved_shards.get(shard) != frozenset(entries):
                _write_pickle(
                    self.folder / f"posts-{shard}.pickle", {"key": key, "parsed": entries}
                )
                self._saved_shards[shard] = frozenset(entries)

    def _load_shards(self, key: str) -> dict[str, Parsed]:
        parsed: dict[str, Parsed] = {}
        for shard in _SHARDS:
            data = _read_pickle(self.folder / f"posts-{shard}.pickle")
            if isinstance(data, dict) and data.get("key") == key:
                parsed.update(data["parsed"])
                self._saved_shards[shard] = frozenset(data["parsed"])
        return parsed


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
        or (entry.name == SHARE_IMAGE_CACHE and entry.is_dir(follow_symlinks=False))
        for entry in os.scandir(folder)
    )


class _ShardedPosts(Mapping[str, "Parsed"]):
    """Parsed posts by digest, read from the shards the first time a build asks: a build
    that finds nothing changed never reads them."""

    def __init__(self, store: StateStore, key: str) -> None:
        self._store, self._key = store, key
        self._posts: dict[str, Parsed] | None = None

    @property
    def loaded(self) -> bool:
        return self._posts is not None

    def _all(self) -> dict[str, Parsed]:
        if self._posts is None:
            self._posts = self._store._load_shards(self._key)
        return self._posts

    def __getitem__(self, digest: str) -> Parsed:
        return self._all()[digest]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    # The dict's own methods: a build looks up 10,000s of posts.
    def __contains__(self, digest: object) -> bool:
        return digest in self._all()

    def get(self, digest: str, default: Any = None) -> Any:
        return self._all().get(digest, default)

    def items(self) -> Any:
        return self._all().items()

    def values(self) -> Any:
        return self._all().values()


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
                from ssg.incremental.edit_view import load_with_posts

                self.store._saved_view = (self.token, data["groups"])
                self._loaded = _LoadedView(self.store.folder, load_with_posts(data["view"]),
                                           data["groups"])  # fmt: skip
        return self._loaded


class _LoadedView:
    def __init__(self, folder: Path, view: EditView, groups: Mapping[int, str]) -> None:
        self.folder, self.view, self._groups = folder, view, groups

    def pages(self, indexes: list[int], post: Callable[[str], Post]
              ) -> Mapping[int, OutputPage] | None:  # fmt: skip
        from ssg.incremental.edit_view import PAGE_GROUPS, load_with_posts

        found: dict[int, OutputPage] = {}
        for group in sorted({index % PAGE_GROUPS for index in indexes}):
            data = _read_pickle(self.folder / f"pages-{group:02x}.pickle")
            if not isinstance(data, dict) or data.get("key") != self._groups.get(group):
                return None
            try:
                pages = load_with_posts(data["pages"], post)
            except LookupError:  # a post the cache no longer has
                return None
            found.update((i, pages[i]) for i in indexes if i % PAGE_GROUPS == group and i in pages)
        return found if len(found) == len(set(indexes)) else None


def _read_view(folder: Path, key: str) -> dict[str, Any] | None:
    data = _read_pickle(folder / "view.pickle")
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    if not isinstance(data.get("groups"), dict) or not isinstance(data.get("view"), bytes):
        return None
    return data


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
    # Unpickling 10,000 posts makes millions of objects, and the cyclic collector would
    # walk the growing heap again and again (half the load time); none of them is garbage.
    # Nor will they be while the build runs: frozen, the collections that planning the
    # site sets off (a full one walks every object) leave them alone.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301
    except Exception:  # noqa: BLE001 - truncated, old-format or foreign files are all "no cache"
        return None
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
