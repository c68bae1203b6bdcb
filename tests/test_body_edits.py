"""Under `ssg serve`, a body edit re-renders only the pages showing it, with the bytes a
clean build would write."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build, config_for, post, write_files
from test_incremental import clean_build_of, tree

import ssg.build.inputs
import ssg.build.stages
import ssg.incremental.fingerprints
import ssg.incremental.store
from ssg.build.session import BuildSession
from ssg.errors import BuildFailed
from ssg.serve.command import SiteBuilder
from ssg.serve.watch import Change, ChangeKind

NAMES = "abcdef"


def source(name: str) -> str:
    return f"content/posts/2025-01-0{NAMES.index(name) + 1}-{name}.md"


def text(name: str, body: str = "要約。\n\n続き", **fields: str) -> str:
    values = {"title": f"記事{name}", "tags": "[AI]", "date": f"2025-01-0{NAMES.index(name) + 1}"}
    return post(**{**values, **fields}, body=body)


@pytest.fixture
def site(make_site) -> Path:
    files = {source(name): text(name) for name in NAMES}
    return make_site(files, config="title: テスト\npaginate: 2\nfeed_limit: 2\n")


@pytest.fixture
def builder(site: Path) -> SiteBuilder:
    builder = SiteBuilder(config_for(site))
    builder()
    return builder


@pytest.fixture
def full_work(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records planning the whole site or scanning every source (a body edit does neither)."""
    calls: list[str] = []
    for module, name in ((ssg.build.stages, "plan_site"), (ssg.build.inputs, "scan_sources")):
        real = getattr(module, name)

        def spy(*args: object, _real=real, _name=name, **kwargs: object) -> object:  # noqa: ANN001
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


def save(builder: SiteBuilder, site: Path, files: dict[str, str]) -> None:
    """Write files and tell the builder, as the watcher does."""
    write_files(site, files)
    builder.note(frozenset(Change(ChangeKind.CONTENT, site / rel) for rel in files))


def test_a_body_edit_renders_the_post_and_its_neighbours_only(
    builder: SiteBuilder, site: Path, tmp_path: Path, full_work: list[str]
) -> None:
    save(builder, site, {source("c"): text("c", body="要約。\n\n書き直した続き")})
    report = builder()
    # Its page and its two neighbours', its search entry and the index shard of its words.
    assert report.rendered == 3 + 2 and full_work == []
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_edits_to_neighbouring_posts_in_turn_match_a_clean_build(
    builder: SiteBuilder, site: Path, tmp_path: Path, full_work: list[str]
) -> None:
    for step, name in enumerate("cdcb"):
        full_work.clear()  # the clean build of the step before
        save(builder, site, {source(name): text(name, body=f"要約。\n\n第{step}版")})
        builder()
        assert full_work == []
        assert tree(site / "output") == clean_build_of(site, tmp_path / "clean"), (step, name)


def test_an_edit_to_a_post_in_the_feed_updates_the_feed(
    builder: SiteBuilder, site: Path, tmp_path: Path, full_work: list[str]
) -> None:
    save(builder, site, {source("f"): text("f", body="要約。\n\nフィードに出る続き")})
    builder()
    assert full_work == []
    assert "フィードに出る続き" in (site / "output/feed.xml").read_text(encoding="utf-8")
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_a_list_layout_showing_bodies_gets_the_edit_too(site: Path, tmp_path: Path) -> None:
    write_files(
        site, {"layouts/list.html": "{% for p in paginator.posts %}{{ p.html }}{% endfor %}"}
    )
    builder = SiteBuilder(config_for(site))
    builder()
    save(builder, site, {source("f"): text("f", body="要約。\n\n一覧にも出る続き")})
    builder()
    assert "一覧にも出る続き" in (site / "output/index.html").read_text(encoding="utf-8")
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


@pytest.mark.parametrize(
    "edited",
    [
        text("c", title="新しい題"),
        text("c", body="新しい要約。\n\n続き"),  # the excerpt shows on list pages
        text("c", tags="[AI, 半導体]"),
    ],
    ids=["title", "excerpt", "tags"],
)
def test_a_metadata_edit_takes_the_full_build(
    builder: SiteBuilder, site: Path, tmp_path: Path, edited: str
) -> None:
    save(builder, site, {source("c"): edited})
    assert builder().rendered > 3
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_a_broken_edit_is_reported_by_the_full_build(builder: SiteBuilder, site: Path) -> None:
    save(builder, site, {source("c"): "---\ntitle: [broken\n---\n本文"})
    with pytest.raises(BuildFailed, match="2025-01-03-c.md"):
        builder()


def test_the_cache_after_quick_edits_knows_every_file_is_current(
    builder: SiteBuilder, site: Path, full_work: list[str]
) -> None:
    save(builder, site, {source("c"): text("c", body="要約。\n\n保存後")})
    builder()
    assert full_work == []
    builder.save()  # as serve_site does when it stops
    assert build(config_for(site)).rendered == 0


def test_a_layout_showing_bodies_through_site_takes_the_full_build(
    site: Path, tmp_path: Path
) -> None:
    write_files(
        site, {"layouts/archives.html": "{% for p in site.posts %}{{ p.html }}{% endfor %}"}
    )
    builder = SiteBuilder(config_for(site))
    builder()
    save(builder, site, {source("a"): text("a", body="要約。\n\nアーカイブに出る続き")})
    builder()
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


# `ssg build` takes the same path when only post bodies changed since the last build.


@pytest.fixture(params=["view saved by this process", "view saved by a forked process"])
def built(site: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site built once; each save writes the cache's view itself, or has a forked copy
    of the process write it, as it does for large sites."""
    if request.param == "view saved by a forked process":
        monkeypatch.setattr(ssg.incremental.store, "FORK_VIEW_FROM", 0)
        monkeypatch.setattr(ssg.incremental.store, "FORK_WITH_POSTS_FROM", 0)
    build(config_for(site))
    return site


def test_a_build_after_a_body_edit_renders_only_the_pages_showing_it(
    built: Path, tmp_path: Path, full_work: list[str]
) -> None:
    write_files(built, {source("c"): text("c", body="要約。\n\n書き直した続き")})
    report = build(config_for(built))
    assert report.rendered == 3 + 2  # the pages showing it, its search entry and shard
    assert "plan_site" not in full_work  # `ssg build` scans its sources, but keeps the plan
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_build_after_a_failed_one_catches_up_on_every_edit(built: Path, tmp_path: Path) -> None:
    write_files(built, {source("b"): text("b", body="要約。\n\n失敗の前の編集")})
    write_files(built, {source("d"): "---\ntitle: [broken\n---\n本文"})
    with pytest.raises(BuildFailed):
        build(config_for(built))
    write_files(built, {source("d"): text("d")})
    build(config_for(built))
    page = built / "output/2025/01/02/b/index.html"
    assert "失敗の前の編集" in page.read_text(encoding="utf-8")
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_build_after_a_new_post_takes_the_full_path(built: Path, tmp_path: Path) -> None:
    write_files(built, {"content/posts/2025-01-09-g.md": post(title="記事g", date="2025-01-09")})
    assert build(config_for(built)).rendered > 3
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_build_after_a_body_edit_reads_no_layout_again_to_learn_what_it_shows(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last build's closures are in the cache, valid while layouts and config are the same.
    def parse_layouts(*args: object) -> bool:
        pytest.fail("layouts parsed again to learn what they read")

    monkeypatch.setattr(ssg.incremental.fingerprints.Dependencies, "_collect", parse_layouts)
    write_files(built, {source("c"): text("c", body="要約。\n\n書き直した続き")})
    build(config_for(built))
    monkeypatch.undo()
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_build_after_a_layout_starts_showing_bodies_through_site_learns_it(
    built: Path, tmp_path: Path
) -> None:
    write_files(built, {
        "layouts/archives.html": "{% for p in site.posts %}{{ p.html }}{% endfor %}",
        source("a"): text("a", body="要約。\n\nアーカイブに出る続き"),
    })  # fmt: skip
    build(config_for(built))
    assert "アーカイブに出る続き" in (built / "output/archives/index.html").read_text()
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


# ... and, in a new process, it makes no model of the site: the cache's view of the last
# planned site names the pages showing the post, and holds them (ssg.incremental.edit_view).


@pytest.fixture
def no_model() -> Iterator[pytest.MonkeyPatch]:
    """Fails the test if a build makes the site's model or plans the whole site, until
    `.undo()` (before a clean build to compare with)."""

    def fail(*args: object, **kwargs: object) -> None:
        pytest.fail("the build made the site's model")

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(ssg.build.stages, "make_model", fail)
        patched.setattr(ssg.build.stages, "plan_site", fail)
        yield patched


def test_a_build_after_a_body_edit_makes_no_model_of_the_site(
    built: Path, tmp_path: Path, no_model: pytest.MonkeyPatch
) -> None:
    write_files(built, {source("e"): text("e", body="要約。\n\nフィードにも出る続き")})
    report = build(config_for(built))
    no_model.undo()
    # Its page and its neighbours', the site's three feeds and its tag's two, search files.
    assert report.rendered == 3 + 3 + 2 + 2
    assert "フィードにも出る続き" in (built / "output/feed.xml").read_text(encoding="utf-8")
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_builds_after_body_edits_in_turn_keep_using_the_view(
    built: Path, tmp_path: Path, no_model: pytest.MonkeyPatch
) -> None:
    for step, name in enumerate("cdcb"):
        write_files(built, {source(name): text(name, body=f"要約。\n\n第{step}版")})
        build(config_for(built))
        assert build(config_for(built)).rendered == 0  # a no-change build keeps the view too
    no_model.undo()
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_metadata_edit_after_a_body_edit_plans_the_site_and_a_new_view(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(built, {source("c"): text("c", body="要約。\n\n本文だけ")})
    build(config_for(built))
    write_files(built, {source("c"): text("c", title="新しい題", body="要約。\n\n本文だけ")})
    assert build(config_for(built)).rendered > 3
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")
    # The view that full build left knows the new title: a body edit uses it.
    monkeypatch.setattr(ssg.build.stages, "make_model", None)
    write_files(built, {source("c"): text("c", title="新しい題", body="要約。\n\nまた本文")})
    build(config_for(built))
    monkeypatch.undo()
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean2")


def test_a_cache_missing_pages_of_the_view_takes_the_full_build(
    built: Path, tmp_path: Path, full_work: list[str]
) -> None:
    for group in (built / ".ssg-cache").glob("pages-*.pickle"):
        group.unlink()
    write_files(built, {source("c"): text("c", body="要約。\n\n書き直した続き")})
    build(config_for(built))
    assert "plan_site" in full_work
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_view_from_an_older_build_is_not_used(
    built: Path, tmp_path: Path, full_work: list[str]
) -> None:
    cache = built / ".ssg-cache"
    old_view = (cache / "view.pickle").read_bytes()
    write_files(built, {source("c"): text("c", tags="[AI, 半導体]")})
    build(config_for(built))  # plans the site: a new view, with a tag page more
    (cache / "view.pickle").write_bytes(old_view)
    write_files(built, {source("c"): text("c", tags="[AI, 半導体]", body="要約。\n\n新しい")})
    build(config_for(built))
    assert "plan_site" in full_work
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records each fork of this process."""
    forks: list[int] = []
    fork = os.fork

    def counting() -> int:
        forks.append(os.getpid())
        return fork()

    monkeypatch.setattr(os, "fork", counting)
    return forks


def test_a_large_site_s_view_is_saved_by_a_forked_process(
    site: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    monkeypatch.setattr(ssg.incremental.store, "FORK_VIEW_FROM", 0)
    monkeypatch.setattr(ssg.incremental.store, "FORK_WITH_POSTS_FROM", 0)
    build(config_for(site))
    assert len(forks) == 1 and (site / ".ssg-cache" / "view.pickle").is_file()


def test_the_view_is_saved_by_a_forked_process_only_beside_many_new_posts(
    site: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    monkeypatch.setattr(ssg.incremental.store, "FORK_VIEW_FROM", 0)
    monkeypatch.setattr(ssg.incremental.store, "FORK_WITH_POSTS_FROM", len(NAMES))
    build(config_for(site))  # every post parsed: forked
    write_files(site, {source("c"): text("c", tags="[AI, 半導体]")})
    build(config_for(site))  # one post parsed: saved by this process alone
    assert len(forks) == 1


def test_a_forked_process_s_error_saving_the_view_is_reported(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(store: object, state: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ssg.incremental.store, "FORK_VIEW_FROM", 0)
    monkeypatch.setattr(ssg.incremental.store, "FORK_WITH_POSTS_FROM", 0)
    monkeypatch.setattr(ssg.incremental.store.StateStore, "_save_view", full_disk)
    session = BuildSession(config_for(site))
    session.build()
    assert session.save() == (".ssg-cache: cannot save the build cache (No space left on "
                              "device); the next build does all the work again")  # fmt: skip
    assert not (site / ".ssg-cache" / "state.pickle").exists()


def test_a_term_layout_showing_bodies_gets_a_build_s_edit_too(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        site, {"layouts/term.html": "{{ term.name }}{% for p in paginator.posts %}{{ p.html }}"
               "{% endfor %}{% for p in term.posts %}{{ p.url }}{% endfor %}"}
    )  # fmt: skip
    build(config_for(site))
    monkeypatch.setattr(ssg.build.stages, "make_model", None)
    monkeypatch.setattr(ssg.build.stages, "plan_site", None)
    write_files(site, {source("f"): text("f", body="要約。\n\nタグにも出る続き")})
    build(config_for(site))
    monkeypatch.undo()
    tag_page = (site / "output/tags/ai/index.html").read_text(encoding="utf-8")
    assert "タグにも出る続き" in tag_page
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_the_preview_server_after_a_body_edit_since_the_last_build_keeps_a_model(
    built: Path, tmp_path: Path, full_work: list[str]
) -> None:
    write_files(built, {source("c"): text("c", body="要約。\n\n閉じている間の編集")})
    builder = SiteBuilder(config_for(built))
    builder()  # a body edit since `ssg build`: the server still wants the whole model
    full_work.clear()
    save(builder, built, {source("d"): text("d", body="要約。\n\n配信中の編集")})
    builder()
    assert full_work == []  # the watched edit is built from the model in memory
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")


def test_a_layout_edit_keeps_the_cached_pages_of_the_view(built: Path, tmp_path: Path) -> None:
    cache = built / ".ssg-cache"
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("pages-*.pickle")}
    write_files(built, {"layouts/post.html": "<h1>{{ post.title }}</h1>{{ post.html | safe }}"})
    build(config_for(built))
    assert before == {p.name: p.stat().st_mtime_ns for p in cache.glob("pages-*.pickle")}
    # ... and they are still right: a body edit renders them with the new layout.
    write_files(built, {source("c"): text("c", body="要約。\n\n新しい型で")})
    build(config_for(built))
    assert "<h1>記事c</h1>" in (built / "output/2025/01/03/c/index.html").read_text()
    assert tree(built / "output") == clean_build_of(built, tmp_path / "clean")
