"""Symbolic links: followed inside the site, an error when they lead outside it or nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, config_for, post

from ssg.errors import BuildFailed
from ssg.serve.command import SiteBuilder
from ssg.serve.watch import Change, ChangeKind

GOOD = {"content/posts/good.md": post()}
OUTSIDE = "a symbolic link to outside the site; ssg reads only files inside it"
SECRET = "外に置いた秘密のメモ"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def failed_build(site: Path) -> str:
    """Build a site that must fail; check output/ is unchanged; return the message."""
    before = snapshot(site / "output") if (site / "output").is_dir() else {}
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    after = snapshot(site / "output") if (site / "output").is_dir() else {}
    assert after == before
    return str(failure.value)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the site, with a post and a secret in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(post(title="秘密", body=SECRET), encoding="utf-8")
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


@pytest.fixture
def built(make_site) -> Path:
    site = make_site(GOOD)
    build_site(site)
    return site


def test_a_post_linked_to_a_file_outside_the_site_is_an_error(built: Path, outside: Path) -> None:
    (built / "content/posts/x.md").symlink_to(outside / "secret.md")
    message = failed_build(built)
    assert f"content/posts/x.md -> {outside / 'secret.md'}: {OUTSIDE}" in message


def test_a_static_file_linked_outside_the_site_is_an_error(built: Path, outside: Path) -> None:
    (built / "static").mkdir()
    (built / "static/secret.txt").symlink_to(outside / "secret.txt")
    assert f"static/secret.txt -> {outside / 'secret.txt'}: {OUTSIDE}" in failed_build(built)
    assert not (built / "output/secret.txt").exists()


def test_a_content_folder_linked_to_the_root_folder_is_an_error(built: Path) -> None:
    (built / "content/x").symlink_to("/", target_is_directory=True)
    assert f"content/x -> /: {OUTSIDE}" in failed_build(built)


def test_a_layout_linked_outside_the_site_is_an_error(built: Path, outside: Path) -> None:
    (built / "layouts").mkdir()
    (built / "layouts/_disclaimer.html").symlink_to(outside / "secret.txt")
    message = failed_build(built)
    assert f"layouts/_disclaimer.html -> {outside / 'secret.txt'}: {OUTSIDE}" in message


def test_a_data_file_linked_outside_the_site_is_an_error(built: Path, outside: Path) -> None:
    (built / "data").mkdir()
    (built / "data/notes.yaml").symlink_to(outside / "secret.txt")
    assert f"data/notes.yaml -> {outside / 'secret.txt'}: {OUTSIDE}" in failed_build(built)


def test_every_bad_link_is_reported_with_the_other_errors_of_the_build(
    built: Path, outside: Path
) -> None:
    (built / "static").mkdir()
    (built / "static/a.txt").symlink_to(outside / "secret.txt")
    (built / "content/posts/b.md").symlink_to(outside / "secret.md")
    (built / "content/posts/c.md").write_text(post(date="いつか"), encoding="utf-8")
    message = failed_build(built)
    assert "build failed with 3 errors" in message
    assert "static/a.txt -> " in message and "content/posts/b.md -> " in message
    assert 'content/posts/c.md:3: date: cannot parse "いつか"' in message


def test_a_dangling_link_in_static_is_an_error(built: Path) -> None:
    (built / "static").mkdir()
    (built / "static/logo.png").symlink_to("../images/logo.png")
    message = failed_build(built)
    assert "static/logo.png -> ../images/logo.png: a symbolic link to nothing" in message


def test_a_loop_of_links_is_an_error(built: Path) -> None:
    (built / "content/posts/a.md").symlink_to("b.md")
    (built / "content/posts/b.md").symlink_to("a.md")
    message = failed_build(built)
    assert "content/posts/a.md -> b.md: a loop of symbolic links" in message


def test_a_folder_linked_from_inside_the_site_is_read(make_site) -> None:
    site = make_site({**GOOD, "shared/2025-01-05-共有.md": post(title="共有記事")})
    (site / "content/posts/shared").symlink_to("../../shared", target_is_directory=True)
    assert build_site(site).posts == 2
    assert (site / "output/2025/11/20/共有/index.html").is_file()


def test_a_static_file_linked_from_inside_the_site_is_copied(make_site) -> None:
    site = make_site({**GOOD, "assets/logo.svg": "<svg/>"})
    (site / "static").mkdir()
    (site / "static/logo.svg").symlink_to("../assets/logo.svg")
    build_site(site)
    assert (site / "output/logo.svg").read_text(encoding="utf-8") == "<svg/>"


def test_a_folder_reached_twice_through_links_is_read_once(make_site) -> None:
    site = make_site(GOOD)
    (site / "content/posts/again").symlink_to("..", target_is_directory=True)
    (site / "content/posts/same").symlink_to(".", target_is_directory=True)
    report = build_site(site)
    assert report.posts == 1


def test_links_with_names_ssg_ignores_are_not_looked_at(make_site) -> None:
    site = make_site(GOOD)
    (site / "content/_private").symlink_to("/", target_is_directory=True)
    (site / "content/.cache").symlink_to("/nowhere", target_is_directory=True)
    assert build_site(site).posts == 1


def test_a_post_replaced_by_a_link_to_outside_fails_the_cached_rebuild(
    built: Path, outside: Path
) -> None:
    (built / "content/posts/good.md").unlink()
    (built / "content/posts/good.md").symlink_to(outside / "secret.md")
    assert f"content/posts/good.md -> {outside / 'secret.md'}: {OUTSIDE}" in failed_build(built)


def test_the_preview_server_does_not_read_a_post_replaced_by_a_link_to_outside(
    make_site, outside: Path
) -> None:
    built = make_site(GOOD)
    builder = SiteBuilder(config_for(built))
    builder()  # keeps the built site in memory: a body edit then reads only the saved file
    # The same front matter and first paragraph: read, it would be a body-only edit.
    (outside / "edit.md").write_text(post(body=f"本文です。\n\n{SECRET}"), encoding="utf-8")
    source = built / "content/posts/good.md"
    source.unlink()
    source.symlink_to(outside / "edit.md")
    builder.note(frozenset({Change(ChangeKind.CONTENT, source)}))
    with pytest.raises(BuildFailed, match="content/posts/good.md -> .*outside the site"):
        builder()
    assert SECRET.encode() not in b"".join(snapshot(built / "output").values())
