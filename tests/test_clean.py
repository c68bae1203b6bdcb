"""`ssg clean`: removes output/, .ssg-cache/ and stale staging folders, only when ssg made
them; refuses (exit 1, nothing removed) links, sites, the home folder and `/`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_site, post, write_files

from ssg.cli import main


@pytest.fixture
def site(make_site) -> Path:
    site = make_site({"content/posts/a.md": post()})
    build_site(site)
    return site


def clean(site: Path, *args: str) -> int:
    return main(["clean", "-s", str(site), *args])


def ended_pid() -> int:
    """The id of a process that has ended, as a killed build's is."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_removes_output_and_cache_and_says_so(site, capsys) -> None:
    assert clean(site) == 0
    assert capsys.readouterr().out.splitlines() == ["removed output/", "removed .ssg-cache/"]
    assert not (site / "output").exists() and not (site / ".ssg-cache").exists()
    assert (site / "content/posts/a.md").is_file() and (site / "config.yaml").is_file()


def test_a_site_can_be_built_again_after_clean(site) -> None:
    assert clean(site) == 0
    build_site(site)
    assert (site / "output/2025/11/20/a/index.html").is_file()


def test_clean_with_nothing_built_succeeds(make_site, capsys) -> None:
    site = make_site({"content/posts/a.md": post()})
    assert clean(site) == 0
    assert capsys.readouterr().out == "nothing to remove\n"


def test_the_build_marks_its_cache_as_a_cache_folder(site) -> None:
    tag = (site / ".ssg-cache/CACHEDIR.TAG").read_text(encoding="utf-8")
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55\n")


def test_a_cache_without_its_marker_is_removed_when_it_holds_only_ssg_files(site) -> None:
    (site / ".ssg-cache/CACHEDIR.TAG").unlink()  # as an ssg from before the marker left it
    assert clean(site) == 0
    assert not (site / ".ssg-cache").exists()


def test_a_cache_folder_holding_other_files_is_refused(site, capsys) -> None:
    (site / ".ssg-cache/CACHEDIR.TAG").unlink()
    write_files(site, {".ssg-cache/notes.txt": "利用者のメモ"})
    assert clean(site) == 1
    err = capsys.readouterr().err
    assert "error: .ssg-cache: not removed: has no CACHEDIR.TAG and holds files" in err
    assert (site / ".ssg-cache/notes.txt").is_file()
    assert not (site / "output").exists()  # what was safe to remove still went


def test_an_output_folder_ssg_did_not_make_is_refused(make_site, capsys) -> None:
    site = make_site({"content/posts/a.md": post(), "output/mine.html": "利用者のファイル"})
    assert clean(site) == 1
    assert "error: output: not removed: has no .ssg-output, so ssg did not make it" in (
        capsys.readouterr().err
    )
    assert (site / "output/mine.html").is_file()


def test_an_output_folder_that_is_a_link_is_left_with_its_target(site, tmp_path, capsys) -> None:
    elsewhere = tmp_path / "public"
    (site / "output").rename(elsewhere)
    (site / "output").symlink_to(elsewhere, target_is_directory=True)
    assert clean(site, "-d", str(site / "output")) == 1
    assert "error: output: not removed: it is a symbolic link (to " in capsys.readouterr().err
    assert (site / "output").is_symlink() and (elsewhere / ".ssg-output").is_file()
    assert (elsewhere / "2025/11/20/a/index.html").is_file()


def test_a_link_inside_output_is_removed_but_not_what_it_points_to(site, tmp_path) -> None:
    mine = write_files(tmp_path / "mine", {"keep.txt": "残す"})
    (site / "output/linked").symlink_to(mine, target_is_directory=True)
    assert clean(site) == 0
    assert not (site / "output").exists() and (mine / "keep.txt").is_file()


def test_a_folder_holding_the_site_is_refused(site, capsys) -> None:
    (site.parent / ".ssg-output").write_text("", encoding="utf-8")
    assert clean(site, "-d", str(site.parent)) == 1
    assert "not removed: it holds the site itself" in capsys.readouterr().err
    assert (site / "content/posts/a.md").is_file()


def test_a_folder_holding_a_site_is_refused_even_with_the_marker(site, tmp_path, capsys) -> None:
    other = write_files(tmp_path / "other", {".ssg-output": "", "config.yaml": "title: x\n"})
    assert clean(site, "-d", str(other)) == 1
    assert "not removed: it holds content/ or config.yaml" in capsys.readouterr().err
    assert (other / "config.yaml").is_file()


def test_the_home_folder_is_refused_even_with_the_marker(site, tmp_path, monkeypatch,
                                                         capsys) -> None:  # fmt: skip
    home = write_files(tmp_path / "home", {".ssg-output": "", "notes.txt": "メモ"})
    monkeypatch.setenv("HOME", str(home))
    assert clean(site, "-d", str(home)) == 1
    assert "not removed: it is the home folder" in capsys.readouterr().err
    assert (home / "notes.txt").is_file()


def test_the_root_folder_is_refused(site, capsys) -> None:
    assert clean(site, "-d", "/") == 1
    assert "error: /: not removed: it is the root folder" in capsys.readouterr().err


def test_a_stale_staging_folder_with_the_marker_is_removed(site, capsys) -> None:
    staging = site / f".output.staging-{ended_pid()}"
    write_files(staging, {".ssg-output": "", "index.html": "途中"})
    assert clean(site) == 0
    assert f"removed {staging.name}/" in capsys.readouterr().out.splitlines()
    assert not staging.exists()


def test_a_staging_folder_of_a_running_build_is_kept(site, capsys) -> None:
    staging = site / f".output.staging-{os.getpid()}"
    write_files(staging, {".ssg-output": "", "index.html": "書き込み中"})
    assert clean(site) == 0
    assert f"kept {staging.name}: in use by the build in process" in capsys.readouterr().out
    assert (staging / "index.html").is_file()


def test_a_staging_folder_without_the_marker_is_refused(site, capsys) -> None:
    staging = site / f".output.staging-{ended_pid()}"
    write_files(staging, {"index.html": "誰かのファイル"})
    assert clean(site) == 1
    assert f"error: {staging.name}: not removed: has no .ssg-output" in capsys.readouterr().err
    assert (staging / "index.html").is_file()


def test_a_build_marks_its_staging_folder(make_site, monkeypatch) -> None:
    """A killed build's staging folder can be cleaned: it carries the marker from the start."""
    from ssg.build import output

    seen: list[bool] = []
    commit = output.OutputWriter.commit

    def look_then_commit(writer: output.OutputWriter, remove_stale: bool = True) -> None:
        seen.append((writer.staging_dir / output.MARKER).is_file())
        commit(writer, remove_stale)

    monkeypatch.setattr(output.OutputWriter, "commit", look_then_commit)
    site = make_site({"content/posts/a.md": post()})
    build_site(site)
    write_files(site, {"content/posts/a.md": post(title="改")})
    build_site(site)
    assert seen == [True, True]
