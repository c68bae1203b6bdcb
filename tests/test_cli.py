"""The command line: build summary, quiet mode, progress on terminals, new post, init."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from conftest import REPO, post

from ssg.cli import LiveProgress, main
from ssg.config import load_config
from ssg.content.post import parse_post
from ssg.markdown.parser import make_markdown
from ssg.scaffold import new_post


def test_build_prints_one_summary_line(make_site, capsys) -> None:
    site = make_site({"content/posts/a.md": post()})
    assert main(["build", "-s", str(site)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert re.fullmatch(r"built 1 posts, 0 pages, \d+ files \(\d+ changed\) in [\d.]+ s", out[0])


def test_quiet_build_prints_nothing(make_site, capsys) -> None:
    site = make_site({"content/posts/a.md": post(title="")})
    assert main(["build", "-s", str(site), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failure(make_site, capsys) -> None:
    site = make_site({"content/posts/a.md": post()})
    (site / ".ssg-cache").write_text("a file where the cache folder goes", encoding="utf-8")
    assert main(["build", "-s", str(site)]) == 0
    err = capsys.readouterr().err
    assert "warning: .ssg-cache: cannot save the build cache" in err
    assert (site / "output/2025/11/20/a/index.html").is_file()


def test_output_folder_can_be_chosen(make_site, tmp_path: Path) -> None:
    site = make_site({"content/posts/a.md": post()})
    assert main(["build", "-s", str(site), "-d", str(tmp_path / "public"), "-q"]) == 0
    assert (tmp_path / "public/2025/11/20/a/index.html").is_file()


def test_base_url_override_changes_links(make_site) -> None:
    site = make_site({"content/posts/a.md": post()})
    assert main(["build", "-s", str(site), "--base-url", "https://x.test/blog/", "-q"]) == 0
    assert 'href="/blog/2025/11/20/a/"' in (site / "output/index.html").read_text()


def test_progress_shows_only_after_a_second() -> None:
    stream = io.StringIO()
    progress = LiveProgress(stream, delay=3600)
    progress("parse", 1, 10)
    assert stream.getvalue() == ""
    progress = LiveProgress(stream, delay=0)
    progress("render", 5, 10)
    progress.clear()
    assert "render 5/10" in stream.getvalue()


def test_no_progress_when_output_is_not_a_terminal(make_site) -> None:
    site = make_site({"content/posts/a.md": post()})
    result = subprocess.run(
        [sys.executable, "-m", "ssg", "build", "-s", str(site)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    assert "\r" not in result.stderr and "\033" not in result.stderr


def test_new_post_writes_front_matter_that_parses(make_site) -> None:
    site = make_site({})
    config = load_config(site)
    now = datetime(2025, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    path = new_post(config, 'NVIDIA決算の"真意"', now=now)
    assert path == site / "content/posts/2025-11-20-NVIDIA決算の-真意.md"
    source_path = PurePosixPath(path.relative_to(site / "content").as_posix())
    parsed = parse_post(source_path, path.read_text(), config, make_markdown())
    assert parsed.post.title == 'NVIDIA決算の"真意"'
    assert parsed.post.date == now
    assert parsed.post.draft is True


def test_new_post_from_the_command_line_prints_its_path(make_site, capsys) -> None:
    site = make_site({})
    assert main(["new", "post", "半導体の見通し", "--slug", "chip-outlook", "-s", str(site)]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.name.endswith("-chip-outlook.md") and printed.is_file()


def test_init_creates_a_site_that_builds(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "blog")]) == 0
    assert main(["build", "-s", str(tmp_path / "blog"), "-q"]) == 0
    assert (tmp_path / "blog/output/index.html").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err


def test_a_bad_base_url_on_the_command_line_is_refused(make_site, capsys) -> None:
    site = make_site({"content/posts/a.md": post()})
    assert main(["build", "-s", str(site), "--base-url", "example.com/blog"]) == 1
    assert "--base-url: 'base_url' must be an absolute URL" in capsys.readouterr().err


def test_the_command_flushes_its_summary_and_exits_with_the_build_status(make_site) -> None:
    site = make_site({"content/posts/a.md": post()})
    command = [sys.executable, "-m", "ssg", "build", "-s", str(site)]
    # Buffered, as when the output goes to a pipe or a CI log.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    built = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)
    assert built.returncode == 0 and built.stdout.startswith("built 1 posts")
    (site / "content/posts/a.md").write_text("---\ndate: 2025-13-01\n---\n", encoding="utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)
    assert failed.returncode == 1
    assert 'content/posts/a.md:2: date: cannot parse "2025-13-01"' in failed.stderr


def test_a_profiled_build_still_writes_its_profile(make_site, tmp_path: Path) -> None:
    site = make_site({"content/posts/a.md": post()})
    profile = tmp_path / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "ssg", "build",
               "-q", "-s", str(site)]  # fmt: skip
    subprocess.run(command, capture_output=True, check=True, cwd=REPO)
    assert profile.stat().st_size > 0
