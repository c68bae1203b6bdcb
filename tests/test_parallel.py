"""Large builds parse and render in worker processes; the output and the errors are the
same as in one process."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest
from conftest import build_site, config_for, post, write_files
from test_freshness import age
from test_incremental import tree

import ssg.build.parse
import ssg.build.pipeline
import ssg.render.templates
from ssg.content.sources import SourceFile
from ssg.errors import BuildFailed, ConfigError, ContentError
from ssg.incremental.keys import parse_settings_key
from ssg.incremental.store import StateStore
from ssg.render.templates import RenderError, bind_site, make_environment, render_pages
from ssg.site.model import make_site as make_site_model
from ssg.site.pages import plan_pages

POSTS = {
    f"content/posts/2025-01-{day:02d}-p{day}.md": post(
        title=f"記事{day}", date=f"2025-01-{day:02d}", tags="[AI, 半導体]", body=f"本文{day}です。"
    )
    for day in range(1, 29)
}


def use_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the worker pools even for a small site."""
    # With another thread running, builds stay in one process (forking could deadlock).
    assert threading.active_count() == 1, "a test before this one left a thread running"
    monkeypatch.setattr(ssg.build.parse, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(ssg.render.templates, "PARALLEL_RENDER_THRESHOLD", 1)


def test_pages_render_in_worker_processes(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir = make_site(POSTS)
    build_site(site_dir)  # fills the cache
    use_workers(monkeypatch)
    config = config_for(site_dir)
    state = StateStore(site_dir / ".ssg-cache").load(parse_settings_key(config))
    site = make_site_model(config, [parsed.post for parsed in state.parsed.values()])
    env = make_environment(config)
    bind_site(env, site)
    outcomes = render_pages(env, site, plan_pages(site), lambda i, page, html: os.getpid())
    assert os.getpid() not in {pid for _page, pid in outcomes}


def test_a_build_in_workers_writes_the_same_bytes(
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = make_site(POSTS)
    build_site(alone)
    use_workers(monkeypatch)
    pooled = write_files(tmp_path / "pooled", {**POSTS, "config.yaml": "title: テスト\n"})
    write_files(alone, {"config.yaml": "title: テスト\n"})
    build_site(alone)
    build_site(pooled)
    assert tree(pooled / "output") == tree(alone / "output")


def test_a_layout_error_in_a_worker_is_reported(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    use_workers(monkeypatch)
    site = make_site({**POSTS, "layouts/post.html": "{{ post.no_such_field }}"})
    with pytest.raises(BuildFailed, match=r"layouts/post.html:1: .* and 27 more pages"):
        build_site(site)
    assert not (site / "output").exists()


def test_a_broken_post_among_many_is_reported_from_its_worker(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_workers(monkeypatch)
    site = make_site({**POSTS, "content/posts/2025-02-01-x.md": post(date="2025-13-01")})
    with pytest.raises(BuildFailed, match=r"content/posts/2025-02-01-x.md:3: date"):
        build_site(site)


def test_warnings_from_workers_survive_the_cache(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_workers(monkeypatch)
    site = make_site({**POSTS, "content/posts/2025-02-01-x.md": post(title="")})
    first = build_site(site)
    assert any("title is empty" in w for w in first.warnings)
    assert build_site(site).warnings == first.warnings


@pytest.mark.parametrize(
    "error",
    [
        ContentError(Path("posts/a.md"), "date: cannot parse", 3),
        ConfigError(Path("config.yaml"), ["paginate: must be a number", "bad"], [2, None]),
        RenderError("layouts/post.html:4", "'x' is undefined", "a/index.html"),
        BuildFailed([ContentError(Path("posts/a.md"), "bad")]),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_cross_process_boundaries_intact(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)


def test_a_first_build_reads_the_files_in_the_workers(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(POSTS)
    use_workers(monkeypatch)
    parent, real = os.getpid(), ssg.build.parse.read_source

    def read_in_worker_only(content_dir: Path, source: SourceFile) -> str:
        assert os.getpid() != parent, f"{source.rel} was read by the parent process"
        return real(content_dir, source)

    monkeypatch.setattr(ssg.build.parse, "read_source", read_in_worker_only)
    assert build_site(site).posts == len(POSTS)


def test_a_file_a_worker_cannot_read_is_reported(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_workers(monkeypatch)
    site = make_site(POSTS)
    (site / "content/posts/2025-02-01-x.md").write_bytes(b"---\ntitle: \x93\xfa\n---\n")
    with pytest.raises(BuildFailed, match=r"content/posts/2025-02-01-x.md:2: not UTF-8"):
        build_site(site)


def test_after_a_first_build_in_workers_no_file_is_read_again(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(POSTS)
    age(site)  # files saved in the last two seconds are always read again
    use_workers(monkeypatch)
    build_site(site)
    monkeypatch.setattr(ssg.build.parse, "read_source", None)  # any read fails
    with (site / "config.yaml").open("a", encoding="utf-8") as config:
        config.write("description: 説明\n")  # so that the next build is not skipped
    assert build_site(site).posts == len(POSTS)
