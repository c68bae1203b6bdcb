"""Work done by a forked copy of this process while this one goes on.

A copy shares the parent's memory until either process writes to it, so the work reads a
large site's state without it being pickled to a worker. ssg.incremental.freshness checks
most of output/ this way, ssg.incremental.store saves the cache's view of the site.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """A copy of this process may run Python: Linux, and no other thread (a lock one holds
    would stay locked in the copy for good: the preview server's threads)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class ForkedCall(Generic[T]):
    """`work()`, run in a forked copy of this process from now on: `result()` waits for what
    it returned, or raises what it raised (both pickled back through a pipe)."""

    def __init__(self, work: Callable[[], T]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its answer, then out without any clean-up
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent acts on Ctrl-C
                answer = _answer(work)
                with contextlib.suppress(OSError), os.fdopen(write_end, "wb") as out:
                    out.write(answer)
            finally:
                os._exit(0)
        os.close(write_end)
        self._pid: int | None = pid
        self._read_end = read_end

    def result(self) -> T:
        """Waits for the child; ChildProcessError if it ended without an answer."""
        with os.fdopen(self._read_end, "rb") as answer:
            self._read_end = -1
            data = answer.read()
        self._reap()
        if not data:
            raise ChildProcessError("a forked process ended without an answer")
        kind, value = pickle.loads(data)  # noqa: S301 - from this process's own copy
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]  # what work() returned

    def stop(self) -> None:
        """Ends the child if it still runs (its answer not needed, an error, Ctrl-C)."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if self._read_end >= 0:
            os.close(self._read_end)
            self._read_end = -1
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None


def _answer(work: Callable[[], object]) -> bytes:
    """("ok", what `work` returns) or ("error", the exception it raised), pickled; an
    exception that cannot be pickled comes back as a ChildProcessError with its message."""
    try:
        return pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            return pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001
            error = ChildProcessError(f"{type(exc).__name__}: {exc}")
            return pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
