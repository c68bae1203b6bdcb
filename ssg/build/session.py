"""One site built again and again, its build state kept between builds.

The pipeline takes the last build's state and returns the next (ssg.build.pipeline); this
is the edge where states are kept: `ssg build` loads the one `.ssg-cache/` holds and saves
the new one, `ssg serve` keeps it in memory between rebuilds and saves it when it stops,
and `--no-cache` neither loads nor saves one.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from ssg.build.pipeline import Committing, build
from ssg.build.report import BuildReport, Progress
from ssg.config import CACHE_DIR, Config
from ssg.errors import BuildFailed
from ssg.incremental.keys import parse_settings_key
from ssg.incremental.state import BuildState
from ssg.incremental.store import StateStore


class BuildSession:
    """Builds `config`'s site, each build starting from the state the last one left."""

    def __init__(self, config: Config, use_cache: bool = True, long_running: bool = False
                 ) -> None:  # fmt: skip
        """`long_running`: builds again and again (`ssg serve`), keeping the site's model
        between them; else each build is the process's only one (`ssg build`)."""
        # Without a cache, nothing else is kept there either (drawn share images).
        self.config = config if use_cache else dataclasses.replace(config, use_cache=False)
        self._store = StateStore(config.site_dir / CACHE_DIR) if use_cache else None
        self._state: BuildState | None = None
        self._loaded = False
        self._long_running = long_running

    def build(self, progress: Progress | None = None, committing: Committing = nullcontext,
              changed: Collection[Path] | None = None) -> BuildReport:  # fmt: skip
        """Build once (see ssg.build.pipeline.build); raises BuildFailed."""
        previous = self._previous()
        try:
            with _fewer_collections():
                report, self._state = build(self.config, previous, progress, committing,
                                            changed, hold_model=self._long_running)  # fmt: skip
        except BuildFailed as failed:
            if self._store is not None and isinstance(failed.state, BuildState):
                self._state = failed.state
            raise
        return report

    def save(self) -> str | None:
        """Keep the state in `.ssg-cache/` for the next command; a warning if it cannot be
        written (the next build is then slower, never wrong)."""
        if self._store is None or self._state is None:
            return None
        try:
            self._store.save(self._state)
        except OSError as exc:
            where = self._store.folder.relative_to(self.config.site_dir)
            reason = exc.strerror or str(exc)
            return (f"{where}: cannot save the build cache ({reason}); the next build "
                    "does all the work again")  # fmt: skip
        return None

    def _previous(self) -> BuildState | None:
        if self._store is not None and not self._loaded:
            self._state = self._store.load(parse_settings_key(self.config))
            self._loaded = True
        return self._state if self._store is not None else None


# A build makes millions of objects that live until it ends (tokens, posts, pages): at
# Python's default the cyclic collector runs every 700 new objects and each run walks the
# survivors again, a few per cent of a worker's time and more of the main process's. The
# workers, forked inside, inherit the thresholds.
BUILD_COLLECTION_THRESHOLDS = (50_000, 20, 20)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(*BUILD_COLLECTION_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
