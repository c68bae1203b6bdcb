"""Work done by a forked copy of the process: its result, its error, its end."""

from __future__ import annotations

import os
import time

import pytest

from ssg.incremental.forked import ForkedCall


def test_the_result_is_what_the_work_returned() -> None:
    site = {"posts": list(range(1000))}  # read from the copied memory, not sent
    assert ForkedCall(lambda: sum(site["posts"])).result() == 499500


def test_the_work_s_exception_is_raised_by_result() -> None:
    def full_disk() -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device"):
        ForkedCall(full_disk).result()


def test_an_exception_that_cannot_be_pickled_comes_back_by_its_message() -> None:
    class Local(Exception):  # a local class: pickle cannot name it
        pass

    def failing() -> None:
        raise Local("layout broken")

    with pytest.raises(ChildProcessError, match="Local: layout broken"):
        ForkedCall(failing).result()


def test_a_child_that_dies_without_answering_is_an_error() -> None:
    with pytest.raises(ChildProcessError):
        ForkedCall(lambda: os._exit(1)).result()


def test_stop_ends_and_reaps_a_running_child() -> None:
    call = ForkedCall(lambda: time.sleep(60))
    pid = call._pid
    started = time.monotonic()
    call.stop()
    assert time.monotonic() - started < 5
    assert pid is not None
    with pytest.raises(ChildProcessError):  # already reaped
        os.waitpid(pid, os.WNOHANG)
