"""A symbolic link inside output/ is never written or deleted through: the build stops with
an error naming the link, and nothing outside output/ changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, post, write_files

from ssg.errors import SsgError


@pytest.fixture
def site(make_site) -> Path:
    site = make_site({
        "content/posts/a.md": post(title="記事a", date="2026-01-05"),
        "content/posts/b.md": post(title="記事b", date="2025-12-01"),
    })  # fmt: skip
    build_site(site)
    return site


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder of the user's outside the site, holding their own index.html."""
    return write_files(tmp_path / "elsewhere", {"index.html": "利用者のファイル"})


def link_year(site: Path, target: Path) -> None:
    """Replace output/2026 with a link to `target`, as a user or a sync tool might."""
    year = site / "output/2026"
    for path in sorted(year.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    year.rmdir()
    year.symlink_to(target, target_is_directory=True)


def staging_folders(site: Path) -> list[Path]:
    return list(site.glob(".output.staging*"))


def test_a_build_that_would_write_through_a_link_stops_naming_it(site, elsewhere) -> None:
    link_year(site, elsewhere)
    write_files(site, {"content/posts/a.md": post(title="記事a改", date="2026-01-05")})
    with pytest.raises(SsgError, match=r"output/2026 -> .*elsewhere: a symbolic link inside"):
        build_site(site)
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["index.html"]
    assert staging_folders(site) == []


def test_a_removed_post_is_not_deleted_through_a_link(site, elsewhere) -> None:
    link_year(site, elsewhere)
    write_files(elsewhere, {"01/05/a/index.html": "利用者の別のファイル"})
    (site / "content/posts/a.md").unlink()
    with pytest.raises(SsgError, match="output/2026 -> "):
        build_site(site)
    assert (elsewhere / "01/05/a/index.html").read_text(encoding="utf-8") == "利用者の別のファイル"
    assert (elsewhere / "index.html").is_file()


def test_a_link_to_an_empty_folder_is_an_error_not_a_traceback(site, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    link_year(site, empty)
    (site / "content/posts/a.md").unlink()
    with pytest.raises(SsgError, match="output/2026 -> "):
        build_site(site)
    assert list(empty.iterdir()) == [] and staging_folders(site) == []


def test_after_the_link_is_removed_the_build_makes_a_real_folder(site, elsewhere) -> None:
    link_year(site, elsewhere)
    write_files(site, {"content/posts/a.md": post(title="記事a改", date="2026-01-05")})
    with pytest.raises(SsgError):
        build_site(site)
    (site / "output/2026").unlink()
    build_site(site)
    page = site / "output/2026/01/05/a/index.html"
    assert not (site / "output/2026").is_symlink() and "記事a改" in page.read_text("utf-8")
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["index.html"]


def test_a_link_the_build_does_not_touch_may_stay(site, elsewhere) -> None:
    (site / "output/media").symlink_to(elsewhere, target_is_directory=True)
    write_files(site, {"content/posts/b.md": post(title="記事b改", date="2025-12-01")})
    build_site(site)
    assert (site / "output/media").is_symlink()
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["index.html"]
