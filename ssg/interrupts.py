"""Ctrl-C and SIGTERM: held while output/ changes, and the main process's alone.

A terminal sends Ctrl-C (SIGINT) to the whole process group, worker processes included.
Left to themselves, workers each print a KeyboardInterrupt traceback; the main process
alone acts on it, by stopping its pool and exiting with status 130.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def ignore_ctrl_c() -> None:
    """A pool initializer: this worker ignores SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def held(*signums: int) -> Iterator[None]:
    """Hold `signums` until the block ends, then act on the first that came.

    Around a commit: the move into output/ is never cut short. Around starting a pool:
    workers forked in the block hold SIGINT too until their initializer ignores it.
    Only the main thread can set handlers; elsewhere (the preview server's builder
    thread) signals go to the main thread anyway, and this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        came.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if came:
        signal.raise_signal(came[0])
