"""Turn a stream of file events into batches, each handed on once an editor's save is complete.

A fixed quiet period makes every save wait for it. Here each event also says how far the
save of its file has got (`SaveStep`): once the one pending file has been closed after
writing, or renamed into place, the save is over and the batch goes after a short
`SETTLE_DELAY` for trailing events; while a file may still be written, or several files
change at once (a `git checkout`), the batch waits `WRITE_DELAY` of quiet, as a plain
debouncer does. `PendingChanges` holds that rule and is pure (times are passed in);
`Debouncer` runs it on one worker thread.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

SETTLE_DELAY = 0.01  # after a complete save: room for its trailing events (chmod, utime)
WRITE_DELAY = 0.1  # while a file may still be written, or many change at once
MAX_DELAY = 5.0  # a file rewritten non-stop still gets rebuilt this often
# Editors set a file's mode or times just after renaming it into place (vim, `cp -p`);
# that echo of a save already handed on is not a new change.
ABSORB_WINDOW = 0.1


class SaveStep(Enum):
    """How far one event shows the save of its file to have got."""

    TOUCHED = "touched"  # attributes only (`touch`, chmod): complete in itself
    WRITING = "writing"  # created, written, moved away or deleted: more may follow
    DONE = "done"  # closed after writing, or renamed into place


class Wait(Enum):
    """Which rule made a batch due."""

    SETTLE = "settle"  # one file, its save complete
    WRITE = "write"  # a file still being written, or several files
    MAX_DELAY = "max_delay"  # changes kept coming


@dataclass(frozen=True, slots=True)
class Batch(Generic[T]):
    changes: frozenset[T]
    wait: Wait


class PendingChanges(Generic[T]):
    """The changes not yet handed on, and when they are due. Times are seconds, passed in."""

    def __init__(
        self,
        settle_delay: float = SETTLE_DELAY,
        write_delay: float = WRITE_DELAY,
        max_delay: float = MAX_DELAY,
        absorb_window: float = ABSORB_WINDOW,
    ) -> None:
        self._settle_delay, self._write_delay = settle_delay, write_delay
        self._max_delay, self._absorb_window = max_delay, absorb_window
        self._steps: dict[T, SaveStep] = {}
        self._first = self._last = 0.0
        self._saved_at: dict[T, float] = {}  # when each recently saved change completed

    def __bool__(self) -> bool:
        return bool(self._steps)

    def add(self, changes: Iterable[T], step: SaveStep, now: float) -> None:
        for change in changes:
            self._add_one(change, step, now)

    def _add_one(self, change: T, step: SaveStep, now: float) -> None:
        if step is SaveStep.TOUCHED:
            if change in self._steps:  # a save in progress sets its file's mode: keep its step
                self._last = now
                return
            saved_at = self._saved_at.get(change)
            if saved_at is not None and now - saved_at <= self._absorb_window:
                return
        if step is SaveStep.DONE:
            self._saved_at[change] = now
        if not self._steps:
            self._first = now
        self._steps[change] = step
        self._last = now

    def due(self) -> tuple[float, Wait] | None:
        """When the pending changes are to be handed on, and by which rule; None if none."""
        if not self._steps:
            return None
        if self._save_complete():
            due, wait = self._last + self._settle_delay, Wait.SETTLE
        else:
            due, wait = self._last + self._write_delay, Wait.WRITE
        cap = self._first + self._max_delay
        return (cap, Wait.MAX_DELAY) if cap < due else (due, wait)

    def _save_complete(self) -> bool:
        # One file only: the first file of a burst must not go alone while the rest follow.
        return len(self._steps) == 1 and SaveStep.WRITING not in self._steps.values()

    def take(self, now: float) -> Batch[T] | None:
        """The pending changes as a batch if they are due at `now`, else None."""
        due = self.due()
        if due is None or due[0] > now:
            return None
        batch = Batch(frozenset(self._steps), due[1])
        self._steps.clear()
        self._saved_at = {
            change: at for change, at in self._saved_at.items() if now - at <= self._absorb_window
        }
        return batch


class Debouncer(Generic[T]):
    """Hands batches of changes to `on_change` as `PendingChanges` makes them due.

    One worker thread makes every call, so two callbacks (builds) never overlap; changes that
    arrive during a call are batched into the next one.
    """

    def __init__(
        self,
        on_change: Callable[[frozenset[T]], object],
        settle_delay: float = SETTLE_DELAY,
        write_delay: float = WRITE_DELAY,
        max_delay: float = MAX_DELAY,
    ) -> None:
        self._on_change = on_change
        self._pending: PendingChanges[T] = PendingChanges(settle_delay, write_delay, max_delay)
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="ssg-rebuild", daemon=True)
        # Which rule made each recent batch due: what a test or a log can ask.
        self.recent_waits: deque[Wait] = deque(maxlen=64)

    def start(self) -> None:
        self._thread.start()

    def add(self, changes: Iterable[T], step: SaveStep = SaveStep.WRITING) -> None:
        with self._cond:
            self._pending.add(changes, step, time.monotonic())
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            self.recent_waits.append(batch.wait)
            try:
                self._on_change(batch.changes)
            except Exception:  # a failing callback must not kill the watcher
                traceback.print_exc(file=sys.stderr)

    def _next_batch(self) -> Batch[T] | None:
        with self._cond:
            while not self._stopped:
                due = self._pending.due()
                if due is None:
                    self._cond.wait()
                    continue
                now = time.monotonic()
                if (batch := self._pending.take(now)) is not None:
                    return batch
                self._cond.wait(due[0] - now)
            return None
