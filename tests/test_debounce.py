"""When a batch of changes is due: PendingChanges driven by explicit times, and the thread."""

from __future__ import annotations

import time

import pytest

from ssg.serve.debounce import (
    ABSORB_WINDOW,
    MAX_DELAY,
    SETTLE_DELAY,
    WRITE_DELAY,
    Debouncer,
    PendingChanges,
    SaveStep,
    Wait,
)

DONE, WRITING, TOUCHED = SaveStep.DONE, SaveStep.WRITING, SaveStep.TOUCHED

# Each editor's save of a.md as watchdog reports it on inotify, temp files already filtered
# out (classify_change), as (seconds after the first event, step).
EDITOR_SAVES = {
    "in place (VS Code, vim backupcopy=yes, echo >)": [(0.0, WRITING), (0.001, DONE)],
    "atomic rename (VS Code, gedit)": [(0.0, DONE)],
    "vim": [(0.0, WRITING), (0.001, WRITING), (0.002, WRITING), (0.003, DONE), (0.004, TOUCHED)],
    "JetBrains": [(0.0, WRITING), (0.001, DONE)],
    "touch": [(0.0, TOUCHED)],
}


def replay(pending: PendingChanges[str], steps: list[tuple[float, SaveStep]], path: str) -> None:
    for at, step in steps:
        pending.add([path], step, at)


@pytest.mark.parametrize("editor", EDITOR_SAVES)
def test_a_complete_save_is_due_after_the_settle_delay(editor: str) -> None:
    pending: PendingChanges[str] = PendingChanges()
    replay(pending, EDITOR_SAVES[editor], "a.md")
    last = EDITOR_SAVES[editor][-1][0]
    assert pending.due() == (last + SETTLE_DELAY, Wait.SETTLE)
    assert pending.take(last + SETTLE_DELAY / 2) is None
    batch = pending.take(last + SETTLE_DELAY)
    assert batch is not None and batch.changes == {"a.md"} and batch.wait is Wait.SETTLE


def test_a_file_still_being_written_waits_the_write_delay() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], WRITING, 1.0)
    pending.add(["a.md"], WRITING, 1.05)  # more bytes, no close yet
    assert pending.due() == (1.05 + WRITE_DELAY, Wait.WRITE)
    assert pending.take(1.05 + SETTLE_DELAY) is None


def test_closing_the_file_ends_the_wait() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], WRITING, 1.0)
    pending.add(["a.md"], DONE, 1.2)
    assert pending.due() == (1.2 + SETTLE_DELAY, Wait.SETTLE)


def test_writing_again_after_a_close_waits_again() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], DONE, 1.0)
    pending.add(["a.md"], WRITING, 1.005)
    assert pending.due() == (1.005 + WRITE_DELAY, Wait.WRITE)


def test_a_moved_away_file_waits_for_its_replacement() -> None:
    # vim and JetBrains rename a.md aside first; alone, that is a WRITING step.
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], WRITING, 1.0)
    assert pending.due() == (1.0 + WRITE_DELAY, Wait.WRITE)


def test_several_files_wait_the_write_delay_even_when_complete() -> None:
    # The first files of a `git checkout` must not go alone while the rest follow.
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], DONE, 1.0)
    pending.add(["b.md"], DONE, 1.001)
    assert pending.due() == (1.001 + WRITE_DELAY, Wait.WRITE)


def test_an_attribute_change_does_not_undo_a_pending_write() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], WRITING, 1.0)
    pending.add(["a.md"], TOUCHED, 1.001)
    assert pending.due() == (1.001 + WRITE_DELAY, Wait.WRITE)


def test_a_chmod_right_after_a_handed_on_save_is_absorbed() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], DONE, 1.0)
    assert pending.take(1.0 + SETTLE_DELAY) is not None
    pending.add(["a.md"], TOUCHED, 1.0 + ABSORB_WINDOW / 2)  # vim's chmod, late
    assert not pending and pending.due() is None


def test_a_touch_long_after_a_save_is_a_change() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], DONE, 1.0)
    assert pending.take(1.0 + SETTLE_DELAY) is not None
    pending.add(["a.md"], TOUCHED, 1.0 + 2 * ABSORB_WINDOW)
    assert pending.due() == (1.0 + 2 * ABSORB_WINDOW + SETTLE_DELAY, Wait.SETTLE)


def test_a_chmod_of_another_file_is_a_change() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md"], DONE, 1.0)
    assert pending.take(1.0 + SETTLE_DELAY) is not None
    pending.add(["b.md"], TOUCHED, 1.0 + SETTLE_DELAY)
    assert pending


def test_max_delay_bounds_the_wait() -> None:
    pending: PendingChanges[str] = PendingChanges()
    at = 0.0
    while at < MAX_DELAY + 1:  # written every 50 ms, never closed
        pending.add(["a.md"], WRITING, at)
        at += 0.05
    assert pending.due() == (MAX_DELAY, Wait.MAX_DELAY)


def test_take_empties_the_pending_changes() -> None:
    pending: PendingChanges[str] = PendingChanges()
    pending.add(["a.md", "b.md"], WRITING, 1.0)
    batch = pending.take(2.0)
    assert batch is not None and batch.changes == {"a.md", "b.md"}
    assert not pending and pending.take(3.0) is None


# --- the thread ---------------------------------------------------------------------------


def test_debouncer_collapses_a_burst_and_never_overlaps() -> None:
    calls: list[frozenset[str]] = []
    running, peak = [0], [0]

    def on_change(batch: frozenset[str]) -> None:
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        calls.append(batch)
        time.sleep(0.3)
        running[0] -= 1

    debouncer: Debouncer[str] = Debouncer(on_change, write_delay=0.1)
    debouncer.start()
    for i in range(50):
        debouncer.add([f"/c/{i}.md"], WRITING)
    time.sleep(0.2)  # the first callback is now running
    for i in range(50, 60):
        debouncer.add([f"/c/{i}.md"], WRITING)
    time.sleep(0.8)
    debouncer.stop()
    assert [len(batch) for batch in calls] == [50, 10]
    assert peak[0] == 1
    assert list(debouncer.recent_waits) == [Wait.WRITE, Wait.WRITE]


def test_debouncer_hands_on_a_complete_save_by_the_settle_rule() -> None:
    calls: list[frozenset[str]] = []
    debouncer: Debouncer[str] = Debouncer(calls.append)
    debouncer.start()
    debouncer.add(["a.md"], DONE)
    time.sleep(0.5)
    debouncer.stop()
    assert calls == [frozenset({"a.md"})]
    assert list(debouncer.recent_waits) == [Wait.SETTLE]


def test_debouncer_max_delay_bounds_the_wait() -> None:
    calls: list[frozenset[str]] = []
    debouncer: Debouncer[str] = Debouncer(calls.append, write_delay=0.1, max_delay=0.3)
    debouncer.start()
    until = time.monotonic() + 0.6
    n = 0
    while time.monotonic() < until:  # never quiet for 100 ms
        debouncer.add([f"/c/{n}.md"], WRITING)
        n += 1
        time.sleep(0.02)
    debouncer.stop()
    assert len(calls) >= 1


def test_debouncer_survives_a_failing_callback() -> None:
    calls: list[int] = []

    def on_change(batch: frozenset[str]) -> None:
        calls.append(len(batch))
        raise RuntimeError("build exploded")

    debouncer: Debouncer[str] = Debouncer(on_change, write_delay=0.05)
    debouncer.start()
    debouncer.add(["/c/a.md"], DONE)
    time.sleep(0.3)
    debouncer.add(["/c/b.md"], DONE)
    time.sleep(0.3)
    debouncer.stop()
    assert calls == [1, 1]
