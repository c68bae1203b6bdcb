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
    DirCreatedEvent,
    DirModifiedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
)

from ssg.config import Config, load_config
from ssg.serve.debounce import SaveStep, Wait
from ssg.serve.watch import (
    Change,
    ChangeKind,
    SiteWatcher,
    changes_from_event,
    classify_change,
    is_temp_file,
    save_step,
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
        (".goutputstream-8XKQ2Z", True),
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


POST = str(SITE / "content/a.md")
SAVE_STEP_TABLE: list[tuple[FileSystemEvent, SaveStep]] = [
    (FileCreatedEvent(POST), SaveStep.WRITING),
    (FileModifiedEvent(POST), SaveStep.WRITING),
    (FileClosedEvent(POST), SaveStep.DONE),
    (FileMovedEvent(POST + ".tmp", POST), SaveStep.DONE),  # renamed into place
    (FileMovedEvent(POST, POST + "~"), SaveStep.WRITING),  # vim moves the old one aside
    (FileDeletedEvent(POST), SaveStep.WRITING),
    (FileAttribEvent(POST), SaveStep.TOUCHED),
    (DirCreatedEvent(str(SITE / "content/new")), SaveStep.WRITING),
]


@pytest.mark.parametrize(("event", "step"), SAVE_STEP_TABLE)
def test_save_step(event: FileSystemEvent, step: SaveStep) -> None:
    assert save_step(event, Path(POST)) is step


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
    with watch_site(config, recorder, write_delay=0.1):
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
    # One rebuild, unless this test itself paused between two writes (a busy machine) longer
    # than the watcher's quiet period: then those are two bursts, rightly. The first file of
    # a burst may also go alone, as a lone save, if the next one's events come later than
    # the settle delay (a busy machine again).
    pauses = sum(1 for a, b in itertools.pairwise(writes) if b - a >= 0.09)
    bursts = [batch for batch in batches if len(batch) > 1]
    assert 1 <= len(bursts) <= 1 + pauses, f"{len(bursts)} rebuilds, {pauses} pauses"
    assert len(batches) - len(bursts) <= 1 + pauses, f"{len(batches)} rebuilds"
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
    with watch_site(config, recorder, write_delay=0.1):
        time.sleep(0.1)
        build(config)  # first build: creates the cache
        build(config)  # from the cache: rewrites it
        assert (tmp_path / ".ssg-cache/state.pickle").is_file()
        assert recorder.quiet() == []


def save_in_place(post: Path, text: str) -> None:
    """VS Code's default, vim with backupcopy=yes, `echo > post`: truncate, write, close."""
    with post.open("w", encoding="utf-8") as file:
        file.write(text)


def save_atomically(post: Path, text: str) -> None:
    """VS Code's atomic save and gedit's: a temp file renamed onto the post."""
    temp = post.with_name(f".goutputstream-{post.stem}")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, post)


def save_like_vim(post: Path, text: str) -> None:
    """vim's default: probe 4913, move the post aside to post~, write anew, restore its mode."""
    probe = post.with_name("4913")
    probe.write_text("", encoding="utf-8")
    probe.unlink()
    backup = post.with_name(post.name + "~")
    os.replace(post, backup)
    post.write_text(text, encoding="utf-8")
    os.chmod(post, 0o644)
    backup.unlink()


def save_like_jetbrains(post: Path, text: str) -> None:
    """JetBrains' safe write: write post___jb_tmp___, move the post to ___jb_old___, swap."""
    temp = post.with_name(post.name + "___jb_tmp___")
    old = post.with_name(post.name + "___jb_old___")
    temp.write_text(text, encoding="utf-8")
    os.replace(post, old)
    os.replace(temp, post)
    old.unlink()


def touch(post: Path, text: str) -> None:
    os.utime(post)


EDITOR_SAVES = [save_in_place, save_atomically, save_like_vim, save_like_jetbrains, touch]


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[tuple[Config, Recorder, SiteWatcher]]:
    config = make_config(tmp_path)
    recorder = Recorder()
    with watch_site(config, recorder) as site_watcher:
        time.sleep(0.1)
        yield config, recorder, site_watcher


@pytest.mark.parametrize("save", EDITOR_SAVES)
def test_an_editors_save_is_one_rebuild(
    watcher: tuple[Config, Recorder, SiteWatcher], save: Callable[[Path, str], None]
) -> None:
    config, recorder, _ = watcher
    post = config.content_dir / "posts/a.md"
    save(post, "---\ntitle: B\n---\nsaved\n")
    recorder.wait_for(1)
    batches = recorder.quiet()
    assert batches == [frozenset({Change(ChangeKind.CONTENT, post)})]


@pytest.mark.parametrize("save", EDITOR_SAVES)
def test_an_editors_save_is_handed_on_once_complete(
    watcher: tuple[Config, Recorder, SiteWatcher], save: Callable[[Path, str], None]
) -> None:
    # Which rule the debouncer chose, not wall time: a busy machine must not fail this.
    config, recorder, site_watcher = watcher
    save(config.content_dir / "posts/a.md", "---\ntitle: B\n---\nsaved\n")
    recorder.wait_for(1)
    recorder.quiet()
    assert list(site_watcher.debouncer.recent_waits) == [Wait.SETTLE]


def test_touching_a_post_later_is_another_rebuild(
    watcher: tuple[Config, Recorder, SiteWatcher],
) -> None:
    config, recorder, _ = watcher
    post = config.content_dir / "posts/a.md"
    save_like_vim(post, "---\ntitle: B\n---\nsaved\n")
    recorder.wait_for(1)
    recorder.quiet()  # well past the window in which a chmod is the save's own
    os.utime(post)
    assert len(recorder.wait_for(2)) == 2


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
