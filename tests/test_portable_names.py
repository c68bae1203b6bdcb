"""Output names every system can write: Windows device names, forbidden characters and
trailing dots get a `-`, names too long are shortened, each with a located warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, config_for, post
from hypothesis import given
from hypothesis import strategies as st

from ssg.content.urls import portable_segment
from ssg.errors import BuildFailed
from ssg.serve.command import SiteBuilder
from ssg.serve.watch import Change, ChangeKind

GOOD = {"content/posts/good.md": post()}
DAY = "output/2025/11/20"


@pytest.mark.parametrize(
    ("name", "portable"),
    [("con", "con-"), ("CON", "CON-"), ("NUL.txt", "NUL-.txt"), ("aux.md", "aux-.md"),
     ("com1", "com1-"), ("LPT9.tar.gz", "LPT9-.tar.gz"), ("COM¹", "COM¹-"),
     ("prn .txt", "prn- .txt"),
     ("a:b.png", "a-b.png"), ('他社<比較>?"|*.txt', "他社-比較-----.txt"), ("x.", "x-"),
     ("x. ", "x--")],
)  # fmt: skip
def test_a_name_windows_cannot_write_gets_a_dash(name: str, portable: str) -> None:
    assert portable_segment(name)[0] == portable


@pytest.mark.parametrize("name", ["console", "com10", "con-", "auxiliary.md", "nul-.txt",
                                  "v1.2-release", "半導体", ".well-known"])  # fmt: skip
def test_a_name_windows_can_write_is_kept(name: str) -> None:
    assert portable_segment(name) == (name, None)


@given(st.text(alphabet=st.sampled_from('conCONauxlpt19.: ?*<>|"\\x'), max_size=12))
def test_a_portable_name_stays_as_it_is(name: str) -> None:
    portable, _why = portable_segment(name)
    assert portable_segment(portable) == (portable, None)


def warnings_of(site: Path) -> str:
    return "\n".join(build_site(site).warnings)


def test_a_slug_windows_reserves_gets_a_dash_and_a_warning_at_its_line(make_site) -> None:
    site = make_site({"content/posts/a.md": post(slug="con")})
    warnings = warnings_of(site)
    assert 'content/posts/a.md:4: slug is a device name Windows reserves; using "con-"' in warnings
    assert (site / DAY / "con-/index.html").is_file()


def test_a_post_file_named_like_a_device_is_warned_about_at_the_file(make_site) -> None:
    site = make_site({"content/posts/2025-11-20-aux.md": post()})
    assert (
        'content/posts/2025-11-20-aux.md: slug is a device name Windows reserves; using "aux-"'
        in (warnings_of(site))
    )
    assert (site / DAY / "aux-/index.html").is_file()


def test_a_tag_windows_reserves_gets_a_dash_and_a_warning_at_the_tags_line(make_site) -> None:
    site = make_site({"content/posts/a.md": post(tags="[AI, NUL]")})
    assert 'content/posts/a.md:4: tag "NUL" is a device name Windows reserves; using "nul-"' in (
        warnings_of(site)
    )
    assert (site / "output/tags/nul-/index.html").is_file()


def test_a_category_windows_reserves_is_warned_about_at_its_line(make_site) -> None:
    site = make_site({"content/posts/a.md": post(tags="[AI]", category="Com1")})
    assert 'content/posts/a.md:5: category "Com1" is a device name' in warnings_of(site)
    assert (site / "output/categories/com1-/index.html").is_file()


def test_a_permalink_segment_windows_cannot_write_is_escaped_with_a_warning(make_site) -> None:
    site = make_site({"content/posts/a.md": post(permalink="/docs/prn/v1./")})
    warnings = warnings_of(site)
    assert 'content/posts/a.md:4: permalink segment "prn" is a device name' in warnings
    assert 'content/posts/a.md:4: permalink segment "v1." ends in a dot' in warnings
    assert (site / "output/docs/prn-/v1-/index.html").is_file()


def test_a_config_permalink_segment_windows_reserves_is_warned_about(make_site) -> None:
    site = make_site(GOOD, config='title: t\npermalink: "/aux/:year/:slug/"\n')
    assert 'config.yaml: permalink segment "aux" is a device name' in warnings_of(site)
    assert (site / "output/aux-/2025/good/index.html").is_file()


def test_a_page_folder_named_like_a_device_is_warned_about_at_the_file(make_site) -> None:
    site = make_site({**GOOD, "content/con/index.md": "---\ntitle: 紹介\n---\n本文\n"})
    assert 'content/con/index.md: folder "con" is a device name Windows reserves; using "con-"' in (
        warnings_of(site)
    )
    assert (site / "output/con-/index.html").is_file()


def test_a_static_file_named_like_a_device_is_copied_with_a_dash(make_site) -> None:
    site = make_site({**GOOD, "static/NUL.txt": "x"})
    assert 'static/NUL.txt: "NUL.txt" is a device name Windows reserves; copied as "NUL-.txt"' in (
        warnings_of(site)
    )
    assert (site / "output/NUL-.txt").read_text(encoding="utf-8") == "x"
    assert not (site / "output/NUL.txt").exists()


def test_static_names_with_characters_windows_forbids_are_escaped(make_site) -> None:
    site = make_site({**GOOD, "static/img/a:b?.png": "x", "static/notes.": "y"})
    warnings = warnings_of(site)
    assert 'static/img/a:b?.png: "a:b?.png" has characters Windows does not allow' in warnings
    assert 'static/notes.: "notes." ends in a dot or a space' in warnings
    assert (site / "output/img/a-b-.png").is_file() and (site / "output/notes-").is_file()


def test_a_static_folder_named_like_a_device_is_warned_about_once(make_site) -> None:
    site = make_site({**GOOD, "static/aux/a.png": "a", "static/aux/b.png": "b"})
    warnings = build_site(site).warnings
    assert [w for w in warnings if "aux" in w] == [
        'static/aux: "aux" is a device name Windows reserves; copied as "aux-"'
    ]
    assert (site / "output/aux-/a.png").is_file() and (site / "output/aux-/b.png").is_file()


def test_an_escaped_static_name_meeting_another_file_is_a_path_collision(make_site) -> None:
    site = make_site({**GOOD, "static/NUL.txt": "x", "static/NUL-.txt": "y"})
    with pytest.raises(BuildFailed, match="static/NUL-.txt and static/NUL.txt both write NUL-.txt"):
        build_site(site)


def test_an_escaped_slug_meeting_another_post_is_a_path_collision(make_site) -> None:
    site = make_site({"content/posts/a.md": post(slug="con"),
                      "content/posts/b.md": post(slug="con-")})  # fmt: skip
    with pytest.raises(BuildFailed, match=r"path collision: .*both write 2025/11/20/con-/"):
        build_site(site)


def test_a_slug_too_long_for_a_file_name_is_warned_about_at_its_line(make_site) -> None:
    site = make_site({"content/posts/x.md": post(slug="s" * 312)})
    short = "s" * 191
    assert f'content/posts/x.md:4: slug is 312 bytes; shortened to "{short}-' in warnings_of(site)


def test_a_tag_too_long_for_a_file_name_is_warned_about_at_the_tags_line(make_site) -> None:
    site = make_site({"content/posts/x.md": post(tags=f"[AI, {'半導体' * 40}]")})
    tag = "半導体半導体半導体半導体半導体半導体半導…"
    assert f'content/posts/x.md:4: tag "{tag}" is 360 bytes; shortened to' in warnings_of(site)


def test_static_name_warnings_are_kept_by_a_rebuild_after_a_body_edit(make_site) -> None:
    site = make_site({**GOOD, "static/NUL.txt": "x"})
    builder = SiteBuilder(config_for(site))
    assert any("static/NUL.txt" in w for w in builder().warnings)
    (site / "content/posts/good.md").write_text(post(body="本文です。\n\n続き"), encoding="utf-8")
    builder.note(frozenset({Change(ChangeKind.CONTENT, site / "content/posts/good.md")}))
    report = builder()
    assert report.rendered < 7  # only the files showing the post: the kept plan
    assert any("static/NUL.txt" in w for w in report.warnings)


def test_static_name_warnings_are_kept_by_a_build_with_nothing_to_do(make_site) -> None:
    site = make_site({**GOOD, "static/NUL.txt": "x"})
    build_site(site)
    assert any("static/NUL.txt" in w for w in build_site(site).warnings)
