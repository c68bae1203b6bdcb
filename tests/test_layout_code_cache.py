"""Layouts compiled by Jinja are kept in `.ssg-cache/layouts/`: a build in a new process (a
one-post edit) loads them instead of compiling every layout again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from conftest import build_site, config_for, post, write_files

from ssg.build.clean import clean_site
from ssg.build.session import BuildSession

LAYOUT = "{{ post.title }}|{{ post.html }}\n"


def compiled(site: Path) -> list[Path]:
    return sorted((site / ".ssg-cache" / "layouts").glob("*.code"))


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the layouts Jinja compiles from source."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: str, name: str | None = None,
            *args: object, **kwargs: object) -> object:  # fmt: skip
        names.append(name or "")
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def test_a_build_keeps_the_layouts_it_compiled(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/posts/a.md": post()})
    build_site(site)
    assert compiled(site) != []


def test_the_next_build_loads_the_kept_layouts_instead_of_compiling_them(
    make_site: Callable[..., Path], compiles: list[str]
) -> None:
    site = make_site({"content/posts/a.md": post()})
    build_site(site)
    assert "post.html" in compiles
    compiles.clear()
    write_files(site, {"content/posts/a.md": post(body="本文です。\n\n書き足した段落。")})
    build_site(site)
    assert compiles == []
    assert "書き足した段落。" in (site / "output/2025/11/20/a/index.html").read_text()


def test_an_edited_layout_is_compiled_again_and_its_output_shows_the_edit(
    make_site: Callable[..., Path], compiles: list[str]
) -> None:
    site = make_site({"content/posts/a.md": post(), "layouts/post.html": LAYOUT})
    build_site(site)
    write_files(site, {"layouts/post.html": "新しい " + LAYOUT})
    compiles.clear()
    build_site(site)
    assert compiles == ["post.html"]
    page = (site / "output/2025/11/20/a/index.html").read_text()
    assert page.startswith("新しい 記事|")


def test_a_layout_kept_under_other_environment_options_is_not_loaded(
    make_site: Callable[..., Path], compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/posts/a.md": post(), "layouts/post.html": LAYOUT})
    build_site(site)
    # As if another ssg version had other options: its code would render differently.
    real = jinja2.Environment.__init__

    def other_options(self: jinja2.Environment, *args: object, **kwargs: object) -> None:
        real(self, *args, **{**kwargs, "trim_blocks": False})  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "__init__", other_options)
    compiles.clear()
    write_files(site, {"content/posts/a.md": post(body="本文です。\n\n書き足した段落。")})
    build_site(site)
    assert "post.html" in compiles


def test_a_full_build_removes_code_kept_under_other_options_and_keeps_its_own(
    make_site: Callable[..., Path], compiles: list[str]
) -> None:
    site = make_site({"content/posts/a.md": post(), "layouts/post.html": LAYOUT})
    build_site(site)
    ours = compiled(site)
    other = site / ".ssg-cache" / "layouts" / "0123456789abcdef-a94a8fe5ccb19ba6.code"
    other.write_bytes(b"an older ssg's code")  # as a build with other filters kept it
    write_files(site, {"content/posts/b.md": post(title="二本目")})  # a new post: a full build
    compiles.clear()
    build_site(site)
    assert not other.exists()
    assert compiled(site) == ours and compiles == []


def test_without_the_cache_no_layouts_are_kept(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/posts/a.md": post()})
    BuildSession(config_for(site), use_cache=False).build()
    assert not (site / ".ssg-cache").exists()


def test_a_cache_that_cannot_be_written_costs_a_compile_not_the_build(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"content/posts/a.md": post()})
    (site / ".ssg-cache").mkdir()
    (site / ".ssg-cache" / "layouts").write_text("not a folder")
    BuildSession(config_for(site)).build()
    assert (site / "output/2025/11/20/a/index.html").exists()


def test_ssg_clean_removes_a_cache_holding_only_compiled_layouts(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"content/posts/a.md": post()})
    build_site(site)
    for entry in (site / ".ssg-cache").iterdir():  # as a build that failed leaves it
        if entry.name != "layouts":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    clean_site(config_for(site))
    assert not (site / ".ssg-cache").exists()
