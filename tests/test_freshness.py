"""A build whose inputs are unchanged skips all work, unless the clock or output/ says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import BUILD_TIME, build_site, config_for, post, write_files

import ssg.build.stages
import ssg.content.sources
from ssg.errors import BuildFailed
from ssg.incremental.freshness import OutputsCheck
from ssg.incremental.keys import parse_settings_key
from ssg.incremental.store import StateStore
from ssg.serve.command import SiteBuilder

AN_HOUR_AGO = time.time() - 3600


def age(site: Path) -> None:
    """Date every input an hour back: stamps of files saved this instant are not trusted."""
    for path in site.rglob("*"):
        if path.is_file() and "output" not in path.parts and ".ssg-cache" not in path.parts:
            os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))


@pytest.fixture
def site(make_site) -> Path:
    files = {f"content/posts/2025-01-0{i}-{n}.md": post(title=f"記事{n}", date=f"2025-01-0{i}")
             for i, n in enumerate("abc", start=1)}  # fmt: skip
    site = make_site(files)
    age(site)
    build_site(site)
    return site


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("an up-to-date build parsed its sources")

    monkeypatch.setattr(ssg.build.stages, "parse_sources", fail)


def test_unchanged_inputs_skip_the_build(site: Path, no_parsing: None) -> None:
    report = build_site(site)
    assert (report.rendered, report.written) == (0, 0)
    assert report.posts == 3
    assert report.files == len([p for p in (site / "output").rglob("*") if p.is_file()]) - 1


# Libraries only parsing and rendering need: a build with nothing to do skips their import.
PARSE_AND_RENDER_LIBRARIES = ["PIL", "jinja2", "markdown_it", "mdit_py_plugins", "pygments"]
LOADED_AFTER_BUILD = """
import sys
from ssg.cli import main
status = main(["build", "-q", "-s", sys.argv[1]])
print(status, *sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2:])))
"""


def loaded_by_ssg_build(site: Path) -> list[str]:
    """`ssg build` in a fresh interpreter: its exit status, and which of
    PARSE_AND_RENDER_LIBRARIES it loaded."""
    command = [sys.executable, "-c", LOADED_AFTER_BUILD, str(site), *PARSE_AND_RENDER_LIBRARIES]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()


def test_a_build_with_nothing_to_do_loads_no_parser_layouts_or_image_library(site: Path) -> None:
    assert loaded_by_ssg_build(site) == ["0"]


def test_a_build_with_an_edit_to_render_loads_them(site: Path) -> None:
    write_files(site, {"content/posts/2025-01-01-a.md": post(body="書き直した本文。")})
    assert loaded_by_ssg_build(site) == ["0", *PARSE_AND_RENDER_LIBRARIES]


def test_a_skipped_build_repeats_the_warnings(make_site) -> None:
    site = make_site({"content/posts/2025-01-01-a.md": post(title="")})
    age(site)
    first = build_site(site)
    assert first.warnings and build_site(site).warnings == first.warnings


def test_an_edited_layout_is_noticed(site: Path) -> None:
    write_files(site, {"layouts/404.html": "見つかりません"})
    age(site)
    build_site(site)
    assert (site / "output/404.html").read_text(encoding="utf-8") == "見つかりません"


def test_a_deleted_output_file_is_written_again(site: Path) -> None:
    (site / "output/2025/01/02/b/index.html").unlink()
    report = build_site(site)
    assert report.written == 1
    assert (site / "output/2025/01/02/b/index.html").is_file()


def test_a_hand_edited_output_file_is_restored(site: Path) -> None:
    page = site / "output/index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    build_site(site)
    assert page.read_bytes() == original


def test_a_scheduled_post_goes_live_when_its_time_comes(site: Path) -> None:
    later = (BUILD_TIME + timedelta(days=2)).isoformat(sep=" ")
    write_files(site, {"content/posts/2026-11-23-sched.md": post(title="予約", date=later)})
    age(site)
    build_site(site)
    assert not (site / "output/2026/11/23/sched").exists()
    build_site(site, build_time=BUILD_TIME + timedelta(days=3))
    assert (site / "output/2026/11/23/sched/index.html").is_file()


def test_a_layout_reading_the_clock_is_rendered_again_the_next_day(site: Path) -> None:
    write_files(site, {"layouts/404.html": "{{ site.config.now.date() }}"})
    age(site)
    build_site(site)
    tomorrow = BUILD_TIME + timedelta(days=1)
    build_site(site, build_time=tomorrow)
    assert (site / "output/404.html").read_text() == str(tomorrow.date())


def test_a_file_saved_this_instant_is_read_again_next_time(site: Path) -> None:
    source = site / "content/posts/2025-01-01-a.md"
    source.write_text(post(title="記事a", date="2025-01-01", body="新しい本文"), encoding="utf-8")
    build_site(site)
    # Same size, same second: a stamp alone could not tell this save from the last one.
    source.write_text(post(title="記事a", date="2025-01-01", body="別しい本文"), encoding="utf-8")
    build_site(site)
    assert "別しい本文" in (site / "output/2025/01/01/a/index.html").read_text(encoding="utf-8")


def test_a_page_removed_from_the_site_is_deleted_without_a_cache_walk(site: Path) -> None:
    (site / "content/posts/2025-01-03-c.md").unlink()
    build_site(site)
    assert not (site / "output/2025/01/03").exists()
    assert (site / "output/2025/01/02/b/index.html").is_file()


def save_in_the_same_tick(path: Path, text: str) -> None:
    """Rewrite `path` with text of the same size and give it back its exact mtime, as a save
    within one tick of a coarse file-system clock would."""
    before = path.stat()
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_build_right_after_a_post_is_saved_is_followed_by_an_up_to_date_one(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = site / "content/posts/2025-01-01-a.md"
    source.write_text(post(title="記事a", date="2025-01-01", body="保存直後"), encoding="utf-8")
    build_site(site)
    monkeypatch.setattr(ssg.build.stages, "parse_sources", lambda *a: pytest.fail("parsed again"))
    report = build_site(site)
    assert (report.rendered, report.written) == (0, 0)


def test_a_build_right_after_a_chart_post_is_saved_is_followed_by_an_up_to_date_one(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its cache knows it by a digest that folds in its data file's, not by its text's.
    chart = "```chart\ntype: line\ntitle: 終値\ndata: prices\n```\n"
    write_files(site, {
        "data/prices.csv": "date,close\n2025-01-01,100\n2025-01-02,110\n",
        "content/posts/2025-01-01-a.md": post(title="記事a", date="2025-01-01", body=chart),
    })  # fmt: skip
    build_site(site)
    monkeypatch.setattr(ssg.build.stages, "parse_sources", lambda *a: pytest.fail("parsed again"))
    report = build_site(site)
    assert (report.rendered, report.written) == (0, 0)


def test_a_build_right_after_a_layout_is_saved_is_followed_by_an_up_to_date_one(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(site, {"layouts/404.html": "見つかりません"})
    build_site(site)
    monkeypatch.setattr(ssg.build.stages, "parse_sources", lambda *a: pytest.fail("parsed again"))
    report = build_site(site)
    assert (report.rendered, report.written) == (0, 0)


def test_a_post_saved_again_within_the_same_tick_is_rebuilt(site: Path) -> None:
    source = site / "content/posts/2025-01-01-a.md"
    source.write_text(post(title="記事a", date="2025-01-01", body="最初の本文"), encoding="utf-8")
    build_site(site)
    save_in_the_same_tick(source, post(title="記事a", date="2025-01-01", body="二度目本文"))
    build_site(site)
    assert "二度目本文" in (site / "output/2025/01/01/a/index.html").read_text(encoding="utf-8")


def test_a_layout_saved_again_within_the_same_tick_is_rebuilt(site: Path) -> None:
    write_files(site, {"layouts/404.html": "見つかりません"})
    build_site(site)
    save_in_the_same_tick(site / "layouts/404.html", "見当たりません")
    build_site(site)
    assert (site / "output/404.html").read_text(encoding="utf-8") == "見当たりません"


def test_a_data_file_saved_again_within_the_same_tick_is_rebuilt(site: Path) -> None:
    write_files(site, {"data/ticker.yaml": "name: ABC\n",
                       "layouts/404.html": "{{ site.data.ticker.name }}"})  # fmt: skip
    build_site(site)
    save_in_the_same_tick(site / "data/ticker.yaml", "name: XYZ\n")
    build_site(site)
    assert (site / "output/404.html").read_text(encoding="utf-8") == "XYZ"


def test_a_layout_saved_again_within_the_same_tick_is_rebuilt_along_with_a_body_edit(
    site: Path,
) -> None:
    write_files(site, {"layouts/404.html": "見つかりません"})
    build_site(site)
    save_in_the_same_tick(site / "layouts/404.html", "見当たりません")
    source = site / "content/posts/2025-01-01-a.md"
    body = "本文です。\n\n本文だけの編集。"  # the excerpt stays: a body edit only
    source.write_text(post(title="記事a", date="2025-01-01", body=body), encoding="utf-8")
    build_site(site)
    assert (site / "output/404.html").read_text(encoding="utf-8") == "見当たりません"
    assert "本文だけの編集" in (site / "output/2025/01/01/a/index.html").read_text(encoding="utf-8")


def test_a_failed_preview_build_and_its_fix_leave_no_stale_page(site: Path) -> None:
    source = site / "content/posts/2025-01-01-a.md"
    source.write_text(post(title="記事a", date="2025-01-01", body="最初の本文"), encoding="utf-8")
    builder = SiteBuilder(config_for(site))
    builder()  # the preview server's first build: the post is racy
    save_in_the_same_tick(source, post(title="記事a", date="2025-01-01", body="二度目本文"))
    write_files(site, {"static/2025/01/01/a/index.html": "衝突"})
    with pytest.raises(BuildFailed):
        builder()  # a path collision, found after the post was parsed again
    (site / "static/2025/01/01/a/index.html").unlink()
    builder.save()  # the server stops
    build_site(site)
    assert "二度目本文" in (site / "output/2025/01/01/a/index.html").read_text(encoding="utf-8")


def test_a_post_read_by_a_slow_worker_is_judged_racy_by_when_reading_began(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/2025-01-01-a.md": post(title="記事a", date="2025-01-01")})

    class TenSecondsLater:  # the worker's result comes back long after it read the file
        @staticmethod
        def time_ns() -> int:
            return time.time_ns() + 10 * 10**9

    monkeypatch.setattr(ssg.content.sources, "time", TenSecondsLater)
    build_site(site)
    state = StateStore(site / ".ssg-cache").load(parse_settings_key(config_for(site)))
    assert state.stamps["posts/2025-01-01-a.md"][1] == -1


def written_files(folder: Path, count: int) -> dict[str, tuple[str, int, int]]:
    """`count` files under `folder`, as a build's outputs record them."""
    outputs = {}
    for i in range(count):
        rel = f"{i % 3}/page-{i}.html"
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"ページ {i}", encoding="utf-8")
        stat = path.stat()
        outputs[rel] = ("fingerprint", stat.st_size, stat.st_mtime_ns)
    return outputs


def intact_by_two_processes(folder: Path, outputs: dict[str, tuple[str, int, int]]) -> bool:
    with OutputsCheck(folder, outputs, child_share=0.75, split_from=2) as check:
        return check.intact()


@pytest.mark.parametrize("which", [0, 3, 9], ids=["own share", "child's first", "child's last"])
def test_output_checked_in_two_processes_finds_a_touched_file_in_either_share(
    tmp_path: Path, which: int
) -> None:
    outputs = written_files(tmp_path, 10)
    assert intact_by_two_processes(tmp_path, outputs)
    path = tmp_path / list(outputs)[which]
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 1))
    assert not intact_by_two_processes(tmp_path, outputs)


def test_output_checked_in_two_processes_finds_a_missing_file(tmp_path: Path) -> None:
    outputs = written_files(tmp_path, 10)
    (tmp_path / list(outputs)[7]).unlink()
    assert not intact_by_two_processes(tmp_path, outputs)


def test_an_output_check_whose_answer_is_not_asked_for_leaves_no_child_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = record_forks(monkeypatch)
    with OutputsCheck(tmp_path, written_files(tmp_path, 10), child_share=0.75, split_from=2):
        pass
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # already reaped
        os.waitpid(forked[0], os.WNOHANG)


def test_an_output_check_failing_in_its_own_share_leaves_no_child_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = record_forks(monkeypatch)
    outputs = written_files(tmp_path, 10)
    (tmp_path / list(outputs)[0]).unlink()
    assert not intact_by_two_processes(tmp_path, outputs)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)


def record_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids os.fork returns in this process from now on."""
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forked
