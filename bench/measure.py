"""Run one command and measure its wall time, CPU time and memory.

Memory is reported two ways, because a build may use a process pool:

- `max_rss_kb`: from wait4(2), the peak RSS of the *largest single process* in
  the tree (the kernel keeps the max over the child and every descendant it
  reaped). Exact, but it does not add up the workers.
- `tree_rss_kb`: the peak of the *sum* of RSS over the whole tree, sampled from
  /proc every SAMPLE_SECONDS (and never below `max_rss_kb`). It can miss short
  spikes, and it counts pages
  that forked workers share with their parent once per process, so it is an
  upper bound on real memory use.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Measurement:
    """What one run of a command cost."""

    wall_s: float
    cpu_s: float  # user + system, including reaped descendants (pool workers)
    max_rss_kb: int
    tree_rss_kb: int | None  # None when /proc has no `children` files
    returncode: int
    stderr_tail: str  # last lines of stderr, to explain a failure
    stdout: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def child_pids(pid: int) -> list[int]:
    pids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            pids.extend(int(p) for p in text.split())
    except OSError:
        pass  # the process exited between listing and reading
    return pids


def tree_rss_kb(root: int) -> int:
    total = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
        except OSError:
            continue
        pending.extend(child_pids(pid))
    return total


def can_sample_tree() -> bool:
    return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()


class TreeSampler(threading.Thread):
    """Polls the summed RSS of a process tree until stopped; keeps the peak."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.root))


def warm_page_cache(folder: Path) -> None:
    """Read every file under `folder`, so that a timed build finds its inputs in memory.

    This machine pages out file pages untouched for about a minute, and reading 10,000
    posts back from its disk took one cold build from 14 s to 213 s: without this, a run
    measures the disk, not the tool.
    """
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            try:
                with open(os.path.join(dirpath, name), "rb") as file:
                    while file.read(1 << 20):
                        pass
            except OSError:
                pass  # a file removed while we walk is no input


def run_measured(cmd: list[str], cwd: Path | None = None) -> Measurement:
    """Run cmd to completion and measure it."""
    # Files, not pipes: nobody reads a pipe while we block in wait4.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=stderr)
        sampler = TreeSampler(proc.pid) if can_sample_tree() else None
        if sampler:
            sampler.start()
        # wait4 rather than proc.wait(): it also returns the child's rusage.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop_event.set()
            sampler.join()
        stderr.seek(0)
        tail = stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
        stdout.seek(0)
        out_text = stdout.read().decode("utf-8", "replace")
    return Measurement(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_kb=usage.ru_maxrss,
        # The tree's peak is at least its largest process's peak, which the
        # kernel measured exactly; sampling may have missed that moment.
        tree_rss_kb=max(sampler.peak_kb, usage.ru_maxrss) if sampler else None,
        returncode=proc.returncode,
        stderr_tail="\n".join(tail),
        stdout=out_text,
    )
