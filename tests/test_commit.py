"""A build changes output/ all at once: killed, interrupted or failing at any step of its
commit, output/ ends up the complete previous build or the complete new one."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, build_site, post, write_files

from ssg.build.output import MARKER, finish_interrupted_commits
from ssg.errors import SsgError

# Every call that changes the file system during a build, so a test can stop it at each one.
FILE_SYSTEM_STEPS = ("replace", "rename", "link", "unlink", "rmdir", "mkdir", "symlink")


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(output)): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def old_site() -> dict[str, str | bytes]:
    """Posts in several folders, so a commit moves, replaces, deletes and makes folders."""
    return {
        "content/posts/a.md": post(title="記事a", date="2026-01-05", tags="[円安, 半導体]"),
        "content/posts/b.md": post(title="記事b", date="2025-12-01", tags="[円安]"),
        "content/posts/c.md": post(title="記事c", date="2025-11-03"),
    }


def new_site_changes() -> dict[str, str | bytes]:
    return {
        "content/posts/a.md": post(title="記事a改", date="2026-01-05", tags="[円安]"),
        "content/posts/d.md": post(title="記事d", date="2026-02-01", tags="[金利]"),
    }


def change_site(site: Path) -> None:
    write_files(site, new_site_changes())
    (site / "content/posts/c.md").unlink()


@pytest.fixture
def builds(tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The outputs of the site before and after `change_site`, each built cleanly."""
    site = write_files(tmp_path / "reference", {"config.yaml": "title: t\n", **old_site()})
    build_site(site)
    old = snapshot(site / "output")
    change_site(site)
    build_site(site)
    return old, snapshot(site / "output")


@pytest.fixture
def fresh_site(tmp_path: Path) -> Callable[[], Path]:
    """fresh_site() -> the site built once and then changed, at the same path every time
    (the cache names its files by path), copied from one build with mtimes kept."""
    site = write_files(tmp_path / "site", {"config.yaml": "title: t\n", **old_site()})
    build_site(site)
    change_site(site)
    pristine = shutil.copytree(site, tmp_path / "pristine", symlinks=True)

    def fresh() -> Path:
        shutil.rmtree(site)
        return shutil.copytree(pristine, site, symlinks=True)

    return fresh


def count_steps(site: Path) -> int:
    """How many file-system calls the changed site's build makes (in a child, so the
    site stays as it was)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        calls = [0]
        _patch_steps(lambda: calls.__setitem__(0, calls[0] + 1))
        try:
            build_site(site)
        finally:
            os.write(write, str(calls[0]).encode())
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        return int(answer.read())


def _patch_steps(before_each: Callable[[], None]) -> None:
    for name in FILE_SYSTEM_STEPS:
        real = getattr(os, name)

        def step(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            before_each()
            return _real(*args, **kwargs)

        setattr(os, name, step)


def build_killed_at_step(site: Path, step: int) -> None:
    """Build `site` in a child process that dies (no clean-up of any kind, as under
    SIGKILL) just before its `step`-th file-system call."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        calls = [0]

        def die_at_step() -> None:
            calls[0] += 1
            if calls[0] == step:
                os._exit(9)

        _patch_steps(die_at_step)
        try:
            build_site(site)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_site(fresh_site, builds) -> None:
    old, new = builds
    steps = count_steps(fresh_site())
    assert steps > 20
    for step in range(1, steps + 1):
        site = fresh_site()
        build_killed_at_step(site, step)
        if snapshot(site / "output") not in (old, new):
            # Mixed only while a commit is cut short: its journal is there to finish it.
            assert list(site.glob(".output.staging-*/.ssg-commit-journal.json")), step
        finish_interrupted_commits(site / "output")  # what the next run does first
        after = snapshot(site / "output")
        assert after in (old, new), f"killed at step {step} of {steps}: a mixed output/"
        assert list(site.glob(".output.staging-*")) == [], f"step {step}: staging left"
        if step % 10 == 0:
            build_site(site)
            assert snapshot(site / "output") == new, f"killed at step {step}: not repaired"


def test_a_commit_killed_midway_is_finished_by_the_next_build(fresh_site, builds) -> None:
    _old, new = builds
    for step in reversed(range(1, count_steps(fresh_site()) + 1)):  # commits come last
        site = fresh_site()
        build_killed_at_step(site, step)
        if list(site.glob(".output.staging-*/.ssg-commit-journal.json")):
            break
    else:
        pytest.fail("no step left a journal behind")
    build_site(site)
    assert snapshot(site / "output") == new


def test_a_rename_failing_at_any_step_of_the_commit_leaves_the_old_site(
    fresh_site, builds, monkeypatch
) -> None:
    old, _new = builds
    import ssg.build.commit as commit

    real_replace = os.replace
    for failing in range(1, 12):
        site = fresh_site()

        replace = replace_failing_at(failing, real_replace)
        monkeypatch.setattr(commit.os, "replace", replace)
        try:
            with pytest.raises(SsgError, match=r"Permission denied; output/ is as the last"):
                build_site(site)
        finally:
            monkeypatch.setattr(commit.os, "replace", real_replace)
        assert snapshot(site / "output") == old, f"rename {failing} failed: output/ changed"
        assert list(site.glob(".output.staging-*")) == []


def replace_failing_at(failing: int, real_replace: Callable[..., None]) -> Callable[..., None]:
    """os.replace, but the `failing`-th rename into output/ is denied."""
    calls = [0]

    def replace(src: Any, dst: Any) -> None:
        if "/output/" in str(dst):
            calls[0] += 1
            if calls[0] == failing:
                raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    return replace


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 2 MB file system of its own (tmpfs), where a site can run out of space."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def run_ssg(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(site), *args],
                          capture_output=True, text=True, env=env)  # fmt: skip


def fill_disk(disk: Path, leave: int) -> None:
    stat = os.statvfs(disk)
    (disk / "filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - leave))


def test_a_full_disk_is_an_error_and_leaves_the_old_site(small_disk) -> None:
    site = write_files(small_disk / "site", {"config.yaml": "title: t\n", **old_site()})
    assert run_ssg(site).returncode == 0
    before = snapshot(site / "output")
    write_files(site, {"content/posts/big.md": post(title="長文", body="大きな記事。" * 20_000)})
    fill_disk(small_disk, leave=150_000)  # the post's 360 KB of body cannot be staged
    result = run_ssg(site)
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site / "output") == before
    assert list(site.glob(".output.staging-*")) == []


def test_a_write_refused_by_the_system_is_an_error_and_leaves_the_old_site(tmp_path) -> None:
    # Runs everywhere (no mount needed): a file-size limit makes the big page's write fail
    # with EFBIG, as a full disk fails it with ENOSPC.
    site = write_files(tmp_path / "site", {"config.yaml": "title: t\n", **old_site()})
    assert run_ssg(site).returncode == 0
    before = snapshot(site / "output")
    write_files(site, {"content/posts/big.md": post(title="長文", body="大きな記事。" * 20_000)})
    limit = 200_000  # bytes per file: the post's page (over 360 KB) cannot be written

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(site)],
                            capture_output=True, text=True, env=env,
                            preexec_fn=limit_file_size)  # fmt: skip
    assert result.returncode == 1
    assert "File too large" in result.stderr and "is as the last build left it" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site / "output") == before
    assert list(site.glob(".output.staging-*")) == []


def test_a_read_only_disk_is_an_error_naming_the_folder(small_disk) -> None:
    site = write_files(small_disk / "site", {"config.yaml": "title: t\n", **old_site()})
    assert run_ssg(site).returncode == 0
    write_files(site, new_site_changes())
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_ssg(site)
    assert result.returncode == 1
    assert "Read-only file system" in result.stderr
    assert "Traceback" not in result.stderr


# `python -m ssg`, but first it says on a pipe that Python is up: Ctrl-C while the
# interpreter itself starts (before any of ssg runs) is Python's to handle.
STARTED_THEN_SSG = (
    "import os; os.write(int(os.environ['READY_FD']), b'1'); from ssg.__main__ import main; main()"
)


def start_build(site: Path) -> subprocess.Popen[str]:
    """Start `ssg build` on `site`, and return once Python is running it."""
    ready, tell = os.pipe()
    build = subprocess.Popen([sys.executable, "-c", STARTED_THEN_SSG, "build", "-s", str(site)],
                             stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO), "READY_FD": str(tell)},
                             pass_fds=(tell,),
                             start_new_session=True)  # fmt: skip
    os.close(tell)
    os.read(ready, 1)
    os.close(ready)
    return build


def workers_left(group: int) -> bool:
    """Whether any process of the build's process group is still there after 2 s."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.05)
    return True


def test_ctrl_c_at_any_time_exits_130_without_a_traceback(tmp_path) -> None:
    # 400 posts: enough for both the parse and the render to run in worker processes.
    posts = {f"content/posts/p{i}.md": post(title=f"記事{i}", body="円安と半導体株。" * 50)
             for i in range(400)}  # fmt: skip
    site = write_files(tmp_path / "site", {"config.yaml": "title: t\n", **posts})
    started = time.perf_counter()
    assert start_build(site).wait(60) == 0
    whole_build = time.perf_counter() - started
    for fraction in (0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95):
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".ssg-cache", ignore_errors=True)
        build = start_build(site)
        try:
            build.wait(whole_build * fraction)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGINT)  # as a terminal sends Ctrl-C to the group
        _out, err = build.communicate(timeout=60)
        assert build.returncode in (0, 130), err
        assert "Traceback" not in err, f"Ctrl-C at {fraction:.0%} of a build:\n{err}"
        assert not workers_left(build.pid), f"Ctrl-C at {fraction:.0%}: workers left running"
        assert list(site.glob(".output.staging-*")) == []
        if (site / "output").exists():
            assert len(list((site / "output").rglob("index.html"))) > 400
