"""classify_change as a table; the watcher fed real file writes in tmp_path."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import build
from watchdog.events import (
    DirModifiedEvent,
    FileClosedNoWriteEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from ssg.config import Config, load_config
from ssg.serve.watch import (
    Change,
    ChangeKind,
    Debouncer,
    changes_from_event,
    classify_change,
    is_temp_file,
    watch_site,
)

SITE = Path("/site")
CONFIG = Config(
    site_dir=SITE,
    content_dir=SITE / "content",
    layouts_dir=SITE / "layouts",
    static_dir=SITE / "static",
    data_dir=SITE / "data",
    output_dir=SITE / "output",
)

CLASSIFY_TABLE = [
    ("content/posts/2025/a.md", ChangeKind.CONTENT),
    ("content/posts/半導体.md", ChangeKind.CONTENT),
    ("content/images/chart.png", ChangeKind.CONTENT),
    ("content", ChangeKind.CONTENT),  # the folder itself deleted or renamed
    ("layouts/base.html", ChangeKind.LAYOUT),
    ("layouts/partials/_card.html", ChangeKind.LAYOUT),
    ("static/css/site.css", ChangeKind.STATIC),
    ("static/.well-known/security.txt", ChangeKind.STATIC),
    ("data/stocks.yaml", ChangeKind.DATA),
    ("config.yaml", ChangeKind.CONFIG),
    # the build's own writes
    ("output/index.html", None),
    ("output", None),
    ("output/tags/ai/index.html", None),
    (".output.staging/index.html", None),
    (".output-tmp-123/index.html", None),
    (".ssg-cache/posts.db", None),
    ("content/.ssg-cache/x", None),
    # editor and OS scratch files
    ("content/posts/4913", None),
    ("content/posts/5036", None),
    ("content/posts/.a.md.swp", None),
    ("content/posts/.a.md.swo", None),
    ("content/posts/.a.md.swx", None),
    ("content/posts/a.md~", None),
    ("content/posts/.#a.md", None),
    ("content/posts/#a.md#", None),
    ("content/posts/a.md___jb_tmp___", None),
    ("content/posts/a.md___jb_old___", None),
    ("content/.DS_Store", None),
    ("layouts/.base.html.swp", None),
    # outside the sources
    ("README.md", None),
    ("config.yaml.bak", None),
    ("contents/a.md", None),  # a sibling whose name starts like content/
    ("output-old/index.html", None),
    (".git/index", None),
]


@pytest.mark.parametrize(("rel", "expected"), CLASSIFY_TABLE)
def test_classify_change(rel: str, expected: ChangeKind | None) -> None:
    assert classify_change(SITE / rel, CONFIG) is expected


def test_classify_outside_site() -> None:
    assert classify_change(Path("/elsewhere/content/a.md"), CONFIG) is None


@pytest.mark.parametrize(
    ("name", "temp"),
    [
        ("4913", True),
        ("5159", True),
        ("4914", False),
        ("2025", False),
        ("a.swp", True),
        ("a.swa", True),
        ("a.sw", False),
        ("swap.md", False),
        ("a.md~", True),
        (".#a.md", True),
        ("a.md", False),
        (".well-known", False),
        ("a.md.tmp", True),
        ("x___jb_tmp___", True),
        (".DS_Store", True),
    ],
)
def test_is_temp_file(name: str, temp: bool) -> None:
    assert is_temp_file(Path(name)) is temp


def test_event_translation() -> None:
    post = str(SITE / "content/a.md")
    assert list(changes_from_event(FileOpenedEvent(post), CONFIG)) == []
    assert list(changes_from_event(FileClosedNoWriteEvent(post), CONFIG)) == []
    assert list(changes_from_event(DirModifiedEvent(str(SITE / "content")), CONFIG)) == []
    assert list(changes_from_event(FileModifiedEvent(post), CONFIG)) == [
        Change(ChangeKind.CONTENT, Path(post))
    ]
    # an editor's atomic save: temp file renamed onto the post; only the post counts
    saved = FileMovedEvent(str(SITE / "content/.a.md.swp"), post)
    assert list(changes_from_event(saved, CONFIG)) == [Change(ChangeKind.CONTENT, Path(post))]
    moved_away = FileMovedEvent(post, str(SITE / "drafts/a.md"))
    assert list(changes_from_event(moved_away, CONFIG)) == [Change(ChangeKind.CONTENT, Path(post))]


# --- debouncer ------------------------------------------------------------------------------


def test_debouncer_collapses_a_burst_and_never_overlaps() -> None:
    calls: list[frozenset[Change]] = []
    running, peak = [0], [0]

    def on_change(batch: frozenset[Change]) -> None:
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        calls.append(batch)
        time.sleep(0.3)
        running[0] -= 1

    debouncer = Debouncer(on_change, delay=0.1)
    debouncer.start()
    for i in range(50):
        debouncer.add([Change(ChangeKind.CONTENT, Path(f"/c/{i}.md"))])
    time.sleep(0.2)  # the first callback is now running
    for i in range(50, 60):
        debouncer.add([Change(ChangeKind.CONTENT, Path(f"/c/{i}.md"))])
    time.sleep(0.8)
    debouncer.stop()
    assert [len(batch) for batch in calls] == [50, 10]
    assert peak[0] == 1


def test_debouncer_max_delay_bounds_the_wait() -> None:
    calls: list[frozenset[Change]] = []
    debouncer = Debouncer(calls.append, delay=0.1, max_delay=0.3)
    debouncer.start()
    until = time.monotonic() + 0.6
    n = 0
    while time.monotonic() < until:  # never quiet for 100 ms
        debouncer.add([Change(ChangeKind.CONTENT, Path(f"/c/{n}.md"))])
        n += 1
        time.sleep(0.02)
    debouncer.stop()
    assert len(calls) >= 1


def test_debouncer_survives_a_failing_callback() -> None:
    calls: list[int] = []

    def on_change(batch: frozenset[Change]) -> None:
        calls.append(len(batch))
        raise RuntimeError("build exploded")

    debouncer = Debouncer(on_change, delay=0.05)
    debouncer.start()
    debouncer.add([Change(ChangeKind.CONTENT, Path("/c/a.md"))])
    time.sleep(0.3)
    debouncer.add([Change(ChangeKind.CONTENT, Path("/c/b.md"))])
    time.sleep(0.3)
    debouncer.stop()
    assert calls == [1, 1]


# --- the real watcher -------------------------------------------------------------------------


class Recorder:
    """Collects the batches a watcher reports, and waits for them."""

    def __init__(self) -> None:
        self.batches: list[frozenset[Change]] = []
        self._cond = threading.Condition()

    def __call__(self, batch: frozenset[Change]) -> None:
        with self._cond:
            self.batches.append(batch)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[frozenset[Change]]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.batches) >= count, timeout)
            return list(self.batches)

    def quiet(self, seconds: float = 0.5) -> list[frozenset[Change]]:
        time.sleep(seconds)
        with self._cond:
            return list(self.batches)


def make_config(site: Path) -> Config:
    for folder in ("content/posts", "layouts", "static/css", "output"):
        (site / folder).mkdir(parents=True, exist_ok=True)
    (site / "config.yaml").write_text("title: t\n", encoding="utf-8")
    (site / "content/posts/a.md").write_text("---\ntitle: A\n---\nhi\n", encoding="utf-8")
    return Config(
        site_dir=site,
        content_dir=site / "content",
        layouts_dir=site / "layouts",
        static_dir=site / "static",
        data_dir=site / "data",  # does not exist yet
        output_dir=site / "output",
    )


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Config, Recorder]]:
    config = make_config(tmp_path)
    recorder = Recorder()
    with watch_site(config, recorder, delay=0.1):
        time.sleep(0.1)  # inotify watches are in place once start() returns; margin for CI
        yield config, recorder


def kinds(batches: list[frozenset[Change]]) -> set[ChangeKind]:
    return {c.kind for batch in batches for c in batch}


def paths(batches: list[frozenset[Change]]) -> set[Path]:
    return {c.path for batch in batches for c in batch}


def test_a_save_is_reported(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    post = config.content_dir / "posts/a.md"
    post.write_text("---\ntitle: B\n---\nbye\n", encoding="utf-8")
    batches = recorder.wait_for(1)
    assert paths(batches) == {post} and kinds(batches) == {ChangeKind.CONTENT}
    assert len(recorder.quiet()) == 1


def test_a_burst_is_one_rebuild(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    writes = [time.monotonic()]
    for i in range(300):  # what a `git checkout` of a branch with many posts looks like
        (config.content_dir / f"posts/p{i:03}.md").write_text(f"post {i}\n", encoding="utf-8")
        writes.append(time.monotonic())
    (config.layouts_dir / "base.html").write_text("<html></html>", encoding="utf-8")
    writes.append(time.monotonic())
    recorder.wait_for(1)
    batches = recorder.quiet()
    # One rebuild, unless this test itself paused longer than the watcher's quiet period
    # between two writes (a busy machine): then those are two bursts, rightly.
    pauses = sum(1 for a, b in itertools.pairwise(writes) if b - a >= 0.09)
    assert 1 <= len(batches) <= 1 + pauses, f"{len(batches)} rebuilds, {pauses} pauses"
    assert len(paths(batches)) == 301
    assert kinds(batches) == {ChangeKind.CONTENT, ChangeKind.LAYOUT}


@pytest.mark.parametrize(
    "name", ["4913", ".a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "a.md___jb_tmp___", ".DS_Store"]
)
def test_temp_files_are_ignored(watched: tuple[Config, Recorder], name: str) -> None:
    config, recorder = watched
    temp = config.content_dir / "posts" / name
    temp.write_text("scratch", encoding="utf-8")
    temp.unlink()
    assert recorder.quiet(0.4) == []


def test_reading_sources_is_ignored(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    # The build reads every post; a read must not trigger the next build.
    (config.content_dir / "posts/a.md").read_text(encoding="utf-8")
    list(config.content_dir.rglob("*"))
    assert recorder.quiet(0.4) == []


def test_build_output_is_ignored(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    staging = config.site_dir / ".output.staging"
    (staging / "posts").mkdir(parents=True)
    (staging / "posts/index.html").write_text("<html></html>", encoding="utf-8")
    os.replace(staging / "posts/index.html", config.output_dir / "index.html")
    (config.output_dir / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (staging / "posts").rmdir()
    staging.rmdir()
    cache = config.site_dir / ".ssg-cache"
    cache.mkdir()
    (cache / "parsed.db").write_bytes(b"x")
    assert recorder.quiet() == []


def test_real_builds_trigger_nothing(tmp_path: Path) -> None:
    # A build reads every source and writes output/, .output.staging/ and .ssg-cache/
    # beside them; none of that may look like an edit, or `ssg serve` would loop.
    make_config(tmp_path)
    post = "---\ntitle: A\ndate: 2025-01-02 10:00:00 +0900\n---\n本文\n"
    (tmp_path / "content/posts/a.md").write_text(post, encoding="utf-8")
    config = load_config(tmp_path)
    recorder = Recorder()
    with watch_site(config, recorder, delay=0.1):
        time.sleep(0.1)
        build(config)  # first build: creates the cache
        build(config)  # from the cache: rewrites it
        assert (tmp_path / ".ssg-cache/state.pickle").is_file()
        assert recorder.quiet() == []


def test_atomic_rename_counts_the_destination(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    post = config.content_dir / "posts/a.md"
    temp = config.content_dir / "posts/a.md~"  # written by the editor, then renamed over
    temp.write_text("---\ntitle: C\n---\nnew\n", encoding="utf-8")
    os.replace(temp, post)
    batches = recorder.wait_for(1)
    assert paths(batches) == {post}


def test_moving_a_file_in_from_outside(watched: tuple[Config, Recorder], tmp_path: Path) -> None:
    config, recorder = watched
    elsewhere = tmp_path.parent / f"{tmp_path.name}-drafts"
    elsewhere.mkdir()
    (elsewhere / "new.md").write_text("---\ntitle: N\n---\n", encoding="utf-8")
    os.replace(elsewhere / "new.md", config.content_dir / "posts/new.md")
    batches = recorder.wait_for(1)
    assert config.content_dir / "posts/new.md" in paths(batches)


def test_config_and_static_changes(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    config.config_path.write_text("title: changed\n", encoding="utf-8")
    recorder.wait_for(1)
    (config.static_dir / "css/site.css").write_text("a{}", encoding="utf-8")
    batches = recorder.wait_for(2)
    assert kinds(batches[:1]) == {ChangeKind.CONFIG}
    assert kinds(batches[1:]) == {ChangeKind.STATIC}


def test_a_source_folder_created_later_is_watched(watched: tuple[Config, Recorder]) -> None:
    config, recorder = watched
    config.data_dir.mkdir()  # seen through the site folder's flat watch
    recorder.wait_for(1)
    (config.data_dir / "stocks.yaml").write_text("a: 1\n", encoding="utf-8")
    batches = recorder.wait_for(2)
    assert config.data_dir / "stocks.yaml" in paths(batches)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_stop_ends_the_threads(tmp_path: Path) -> None:
    before = threading.active_count()
    watcher = watch_site(make_config(tmp_path), Recorder())
    watcher.stop()
    assert wait_until(lambda: threading.active_count() <= before)
