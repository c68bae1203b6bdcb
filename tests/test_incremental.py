"""Cached and incremental builds give byte-identical output to a clean build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_site, post, write_files

from ssg.errors import BuildFailed


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def clean_build_of(site: Path, scratch: Path) -> dict[str, bytes]:
    """Build a copy of `site` with no cache and no previous output."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("output", ".ssg-cache"))
    build_site(scratch)
    return tree(scratch / "output")


def edit(rel: str, text: str) -> Callable[[Path], None]:
    return lambda site: write_files(site, {rel: text})


def delete(rel: str) -> Callable[[Path], None]:
    return lambda site: (site / rel).unlink()


def rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda site: (site / old).rename(site / new)


STEPS = [
    ("edit a body", edit("content/posts/2025-01-02-b.md", post(body="本文を書き換えた。"))),
    ("change tags", edit("content/posts/2025-01-03-c.md", post(tags="[新タグ, AI]"))),
    ("rename a post", rename("content/posts/2025-01-04-d.md", "content/posts/2025-01-04-e.md")),
    ("delete a post", delete("content/posts/2025-01-06-f.md")),
    ("change a layout", edit("layouts/_tags.html", "<p class=x>{{ post.tags|length }}</p>")),
    ("change the card layout", edit("layouts/_post_card.html", "<p>{{ post.title }}</p>")),
    ("change config", edit("config.yaml", "title: 新しい名前\npaginate: 2\n")),
    ("change a title", edit("content/posts/2025-01-01-a.md", post(title="新題", tags="[AI]"))),
]  # fmt: skip


@pytest.fixture
def site(make_site) -> Path:
    files = {
        f"content/posts/2025-01-0{i}-{name}.md": post(title=f"記事{name}", tags="[AI, 半導体]",
                                                       date=f"2025-01-0{i}")
        for i, name in enumerate("abcdef", start=1)
    }  # fmt: skip
    site = make_site({**files, "content/about.md": "---\ntitle: 紹介\n---\n本文"},
                     config="title: テスト\npaginate: 2\n")  # fmt: skip
    build_site(site)
    return site


def test_each_edit_then_rebuild_matches_a_clean_build(site: Path, tmp_path: Path) -> None:
    for label, change in STEPS:
        change(site)
        build_site(site)
        assert tree(site / "output") == clean_build_of(site, tmp_path / "clean"), label


def test_rebuild_with_nothing_changed_renders_nothing(site: Path) -> None:
    report = build_site(site)
    assert report.rendered == 0
    assert report.written == 0


def test_body_edit_renders_only_pages_that_show_the_post(site: Path) -> None:
    before = tree(site / "output")
    new_text = post(title="記事b", tags="[AI, 半導体]", date="2025-01-02", body="新しい本文")
    edit("content/posts/2025-01-02-b.md", new_text)(site)
    report = build_site(site)
    after = tree(site / "output")
    changed = {path for path in after if after[path] != before.get(path)}
    assert "2025/01/02/b/index.html" in changed
    # The post, its neighbours, the list pages it is on, the feeds: not the whole site.
    assert report.rendered < len(after) / 2


def test_a_body_edit_past_the_excerpt_leaves_list_and_archive_pages_alone(site: Path) -> None:
    text = post(title="記事b", tags="[AI, 半導体]", date="2025-01-02", body="要約。\n\n続き")
    edit("content/posts/2025-01-02-b.md", text)(site)
    build_site(site)
    before = {path: (site / "output" / path).stat().st_mtime_ns for path in tree(site / "output")}
    edit("content/posts/2025-01-02-b.md", text.replace("続き", "書き直した続き"))(site)
    report = build_site(site)
    # The post and its two neighbours show its body or toc, and the feeds it is in (the
    # site's three, two for each of its two tags) its full text; lists show title and excerpt.
    # Search: its entry, and the index shard of its new words.
    assert report.rendered == 3 + 3 + 2 * 2 + 2
    for unchanged in ("index.html", "archives/index.html", "tags/ai/index.html"):
        assert (site / "output" / unchanged).stat().st_mtime_ns == before[unchanged]


def test_a_list_layout_showing_bodies_is_rendered_again_after_a_body_edit(site: Path) -> None:
    bodies = "{% for p in paginator.posts %}{{ p.html }}{% endfor %}"
    write_files(site, {"layouts/list.html": bodies})
    text = post(title="記事f", tags="[AI, 半導体]", date="2025-01-06", body="要約。\n\n続き")
    edit("content/posts/2025-01-06-f.md", text)(site)
    build_site(site)
    edit("content/posts/2025-01-06-f.md", text.replace("続き", "書き直した続き"))(site)
    build_site(site)
    assert "書き直した続き" in (site / "output/index.html").read_text(encoding="utf-8")


def test_a_tag_change_rewrites_the_post_its_tag_pages_and_the_feeds_only(site: Path) -> None:
    before = tree(site / "output")
    new_tags = post(title="記事c", tags="[AI, 半導体, 新タグ]", date="2025-01-03")
    edit("content/posts/2025-01-03-c.md", new_tags)(site)
    build_site(site)
    after = tree(site / "output")
    changed = {path for path in after.keys() | before.keys() if after.get(path) != before.get(path)}
    assert changed == {
        "2025/01/03/c/index.html",  # shows its tags
        "tags/新タグ/index.html",  # the new term's page
        "tags/index.html",  # every term with its count
        # entries carry their categories and tags: the site's feeds and its terms'
        "feed.xml", "rss.xml", "feed.json",
        "tags/ai/feed.xml", "tags/ai/rss.xml", "tags/半導体/feed.xml", "tags/半導体/rss.xml",
        "tags/新タグ/feed.xml", "tags/新タグ/rss.xml",  # the new term's feeds
        "sitemap.xml",  # lists the new term's page
    }  # fmt: skip


def search_number(site: Path, rel: str) -> int:
    """The number of the search entry of the post at `rel` (the entry names its URL)."""
    import json

    post_url = "/" + "/".join(rel.split("/")[-1].removesuffix(".md").split("-", 3)) + "/"
    for entry in (site / "output/search/docs").glob("*.json"):
        if json.loads(entry.read_text("utf-8"))["u"] == post_url:
            return int(entry.stem)
    raise AssertionError(f"no search entry for {rel}")


def test_a_tag_change_leaves_pages_whose_layouts_never_name_tags_unrendered(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssg.render.templates

    rendered: list[str] = []
    real = ssg.render.templates.render_page

    def recording(env, page, site_model):  # noqa: ANN001, ANN202
        rendered.append(page.url)
        return real(env, page, site_model)

    monkeypatch.setattr(ssg.render.templates, "render_page", recording)
    edit("content/posts/2025-01-03-c.md", post(title="記事c", tags="[AI, 半導体, 新タグ]",
                                               date="2025-01-03"))(site)  # fmt: skip
    build_site(site)
    # The default list, archive and category layouts show titles, dates and categories only.
    assert sorted(rendered) == sorted([
        "/2025/01/02/b/", "/2025/01/03/c/", "/2025/01/04/d/",  # the post and its neighbours
        "/tags/", "/tags/新タグ/",
        "/feed.xml", "/rss.xml", "/feed.json",  # its entries carry their tags
        "/tags/ai/feed.xml", "/tags/ai/rss.xml", "/tags/半導体/feed.xml", "/tags/半導体/rss.xml",
        "/tags/新タグ/feed.xml", "/tags/新タグ/rss.xml",
        "/sitemap.xml",  # lists the new tag's page
        f"/search/docs/{search_number(site, 'content/posts/2025-01-03-c.md')}.json",
    ])  # fmt: skip


def test_a_list_layout_naming_tags_is_rendered_again_after_a_tag_change(site: Path) -> None:
    tags = "{% for p in paginator.posts %}{{ p.tags }}{% endfor %}"
    write_files(site, {"layouts/list.html": tags})
    build_site(site)
    edit("content/posts/2025-01-06-f.md", post(title="記事f", tags="[AI, 別タグ]",
                                               date="2025-01-06"))(site)  # fmt: skip
    build_site(site)
    assert "別タグ" in (site / "output/index.html").read_text(encoding="utf-8")


def test_hand_edited_output_file_is_rendered_again(site: Path) -> None:
    page = site / "output/2025/01/01/a/index.html"
    original = page.read_bytes()
    page.write_text("tampered", encoding="utf-8")
    build_site(site)
    assert page.read_bytes() == original


def test_corrupt_cache_is_discarded(site: Path) -> None:
    for pickled in (site / ".ssg-cache").glob("*.pickle"):
        pickled.write_bytes(b"not a pickle")
    report = build_site(site)
    assert report.written == 0  # output already right; the cache was simply rebuilt
    assert report.rendered > 0


def test_an_older_ssgs_cache_shards_are_removed(site: Path) -> None:
    old = site / ".ssg-cache" / "posts-a.pickle"  # by the digest's first hex digit
    old.write_bytes(b"from an older ssg")
    shutil.rmtree(site / "output")  # a build with something to do saves the cache
    build_site(site)
    assert not old.exists()
    assert any((site / ".ssg-cache").glob("posts-??.pickle"))


def test_a_body_edit_rewrites_at_most_two_shards_of_the_cache(site: Path) -> None:
    cache = site / ".ssg-cache"
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("posts-*.pickle")}
    edited = post(title="記事a", tags="[AI, 半導体]", date="2025-01-01", body="書き直した本文。")
    edit("content/posts/2025-01-01-a.md", edited)(site)
    build_site(site)
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("posts-*.pickle")}
    assert set(after) == set(before)
    assert 1 <= sum(after[name] != before[name] for name in after) <= 2


@pytest.fixture
def posts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The digests of the posts builds read from the cache's shards."""
    import ssg.incremental.store

    read: list[str] = []
    real = ssg.incremental.store._ShardFile.read

    def spy(self: object, digests: object) -> dict[str, object]:
        found = real(self, digests)  # type: ignore[arg-type]
        read.extend(found)
        return found  # type: ignore[return-value]

    monkeypatch.setattr(ssg.incremental.store._ShardFile, "read", spy)
    return read


def body_edited_site_of_28_posts(make_site: Callable[..., Path]) -> Path:
    """28 posts with a tag each, built; then the body of the 14th edited past its excerpt
    (not yet built again)."""
    files = {f"content/posts/2025-01-{day:02d}-p{day}.md": post(date=f"2025-01-{day:02d}",
                                                                tags=f"[T{day}]")
             for day in range(1, 29)}  # fmt: skip
    site = make_site(files, config="title: テスト\nfeed_limit: 3\n")
    build_site(site)
    edited = post(date="2025-01-14", tags="[T14]", body="本文です。\n\n書き足した段落。")
    edit("content/posts/2025-01-14-p14.md", edited)(site)
    return site


def test_a_build_after_a_body_edit_reads_only_the_posts_its_pages_show(
    make_site, tmp_path: Path, posts_read: list[str]
) -> None:
    site = body_edited_site_of_28_posts(make_site)
    build_site(site)
    # The post as last built, and the other posts on the pages showing it: its neighbours
    # (on its page and theirs), and theirs (on their pages).
    assert len(posts_read) == 1 + 2 + 2
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_a_shard_rewritten_after_an_edit_keeps_its_other_posts_without_reading_them(
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posts_read: list[str]
) -> None:
    import ssg.incremental.store

    monkeypatch.setattr(ssg.incremental.store, "_shard_of", lambda digest: "00")
    site = body_edited_site_of_28_posts(make_site)
    build_site(site)
    assert len(posts_read) == 5  # the edit's, none more for the save
    posts_read.clear()
    edit("content/posts/2025-01-02-p2.md", post(date="2025-01-02", tags="[T14]"))(site)
    build_site(site)  # a tag edit plans the site: every post as last built read from the shard
    assert len(set(posts_read)) == 28
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def cached_posts(site: Path) -> tuple[set[str], set[str]]:
    """The digests the cache's catalog lists, and those its shards hold."""
    import pickle

    cache = site / ".ssg-cache"
    listed = set(pickle.loads((cache / "catalog.pickle").read_bytes())["facts"])
    held: set[str] = set()
    for shard in cache.glob("posts-*.pickle"):
        with shard.open("rb") as file:
            held |= set(pickle.load(file)["posts"])
    return listed, held


BODY_ONLY = post(title="記事b", tags="[AI, 半導体]", date="2025-01-02", body="本文です。\n\n続き。")


@pytest.mark.parametrize(
    ("label", "change"),
    [*STEPS, ("edit a body only", edit("content/posts/2025-01-02-b.md", BODY_ONLY))],
)
def test_after_each_edit_the_cache_s_shards_hold_the_posts_its_catalog_lists(
    site: Path, label: str, change: Callable[[Path], None]
) -> None:
    change(site)
    build_site(site)
    listed, held = cached_posts(site)
    assert listed == held
    assert len(listed) == len(list((site / "content").rglob("*.md")))


def test_a_post_s_warnings_are_reported_by_a_build_that_does_not_read_it(site: Path) -> None:
    write_files(site, {"content/posts/2025-01-07-g.md": "---\ntitle:\ndate: 2025-01-07\n---\n本文"})
    assert any("title is empty" in w for w in build_site(site).warnings)
    body_edited = post(
        title="記事a", tags="[AI, 半導体]", date="2025-01-01", body="本文です。\n\n続き。"
    )
    edit("content/posts/2025-01-01-a.md", body_edited)(site)
    assert any("title is empty" in w for w in build_site(site).warnings)


def test_a_shard_of_the_cache_deleted_by_hand_makes_the_build_start_over(
    site: Path, tmp_path: Path
) -> None:
    for shard in (site / ".ssg-cache").glob("posts-*.pickle"):
        shard.unlink()  # the catalog still lists their posts
    edit("content/posts/2025-01-01-a.md", post(title="新題", tags="[AI]"))(site)
    build_site(site)
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")
    assert build_site(site).rendered == 0


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files builds parse (not taken from the cache)."""
    import ssg.build.parse

    names: list[str] = []
    real = ssg.build.parse.parse_job
    monkeypatch.setattr(
        ssg.build.parse,
        "parse_job",
        lambda job, c, **known: names.append(job[0].name) or real(job, c, **known),
    )
    return names


def test_a_cache_without_its_catalog_reads_its_posts_from_the_shards(
    site: Path, tmp_path: Path, parsed: list[str]
) -> None:
    (site / ".ssg-cache" / "catalog.pickle").unlink()
    edit("content/posts/2025-01-01-a.md", post(title="新題", tags="[AI]"))(site)
    build_site(site)
    assert parsed == ["2025-01-01-a.md"]
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_after_a_failed_build_only_the_fixed_file_is_parsed_again(
    site: Path, parsed: list[str]
) -> None:
    write_files(site, {"content/posts/2025-02-01-new.md": post(date="bad date")})
    for i in range(3):
        write_files(site, {f"content/posts/2025-02-0{i + 2}-ok{i}.md": post(body=f"新規{i}")})
    with pytest.raises(BuildFailed):
        build_site(site)
    parsed.clear()
    write_files(site, {"content/posts/2025-02-01-new.md": post()})
    build_site(site)
    assert parsed == ["2025-02-01-new.md"]


LAYOUTS_THAT_READ_MORE = {
    "term counts through term_for": (
        "layouts/_tags.html",
        "{% for n in post.tags %}{% set t = site.term_for('tags', n) %}{{ t.name }}({{ t.count }})"
        "{% endfor %}",
    ),
    "the paginator's total": ("layouts/list.html", "total {{ paginator.total_posts }}"),
    "site through an alias": ("layouts/page.html", "{% set s = site %}{{ s.posts | length }}"),
}


@pytest.mark.parametrize("name", LAYOUTS_THAT_READ_MORE)
def test_layouts_reading_more_of_the_site_still_match_a_clean_build(
    site: Path, tmp_path: Path, name: str
) -> None:
    rel, layout = LAYOUTS_THAT_READ_MORE[name]
    write_files(site, {rel: layout})
    build_site(site)
    write_files(site, {"content/posts/2024-12-31-z.md": post(tags="[AI]", date="2024-12-31")})
    build_site(site)
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_a_layout_reading_the_clock_is_rendered_again_the_next_day(site: Path) -> None:
    from datetime import timedelta

    from conftest import BUILD_TIME

    write_files(site, {"layouts/404.html": "{{ site.config.now.date() }}"})  # a footer year
    build_site(site)
    build_site(site, build_time=BUILD_TIME + timedelta(days=1))
    assert (site / "output/404.html").read_text() == str((BUILD_TIME + timedelta(days=1)).date())


# Layouts that read posts' tags in ways a scan for the word `tags` in their code misses.
LAYOUTS_READING_TAGS_INDIRECTLY = {
    "by a computed subscript": {
        "layouts/term.html": "{% for p in paginator.posts %}{{ p[term.taxonomy] }}{% endfor %}"
    },
    "by an attribute path in a string": {
        "layouts/list.html": "{{ paginator.posts | map(attribute='tags.0') | join }}"
    },
    "by several sort keys": {
        "layouts/list.html":
            "{% for p in paginator.posts | sort(attribute='tags,title') %}{{ p.title }}{% endfor %}"
    },
    "after an escaped quote": {
        "layouts/list.html": "{{ 'Don\\'t' }}{% for p in paginator.posts %}{{ p.tags }}{% endfor %}"
                             "{{ 'end' }}"
    },
    "in a card called with a space": {
        "layouts/_post_card.html": "{{ post.tags | join(',') }}",
        "layouts/list.html": "{% for p in paginator.posts %}{{ post_card (p) }}{% endfor %}",
    },
    "in a card called through another name": {
        "layouts/_post_card.html": "{{ post.tags | join(',') }}",
        "layouts/list.html": "{% set card = post_card %}{% for p in paginator.posts %}"
                             "{{ card(p) }}{% endfor %}",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", LAYOUTS_READING_TAGS_INDIRECTLY)
def test_a_tag_change_read_indirectly_still_matches_a_clean_build(
    site: Path, tmp_path: Path, name: str
) -> None:
    write_files(site, LAYOUTS_READING_TAGS_INDIRECTLY[name])
    build_site(site)
    # "ゼロ" sorts after "AI": post c moves behind post d in a list sorted by tags.
    edit("content/posts/2025-01-03-c.md", post(title="記事c", tags="[ゼロ, AI]",
                                               date="2025-01-03"))(site)  # fmt: skip
    build_site(site)
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_an_archive_layout_looking_up_its_posts_terms_matches_a_clean_build(
    make_site, tmp_path: Path
) -> None:
    # The 2025 archive shows the term of its post, whose name the 2024 post spells first.
    archive = "{% for post in archive.posts %}{% include '_post_meta.html' %}{% endfor %}"
    site = make_site({
        "content/posts/2024-01-01-old.md": post(title="old", categories="[AI]", date="2024-01-01"),
        "content/posts/2025-01-01-new.md": post(title="new", categories="[ai]", date="2025-01-01"),
        "layouts/archive.html": archive,
    })  # fmt: skip
    build_site(site)
    edit("content/posts/2024-01-01-old.md", post(title="old", categories="[Ai]",
                                                 date="2024-01-01"))(site)  # fmt: skip
    build_site(site)
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_code_digest_changes_with_a_module_in_any_sub_package(tmp_path: Path) -> None:
    from ssg.incremental.keys import code_digest

    write_files(tmp_path, {"__init__.py": "", "content/post.py": "A = 1\n"})
    before = code_digest(tmp_path)
    (tmp_path / "content" / "post.py").write_text("A = 2\n")
    assert code_digest(tmp_path) != before


def test_code_digest_changes_when_a_module_moves(tmp_path: Path) -> None:
    from ssg.incremental.keys import code_digest

    write_files(tmp_path, {"__init__.py": "", "a/m.py": "A = 1\n"})
    before = code_digest(tmp_path)
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "m.py").rename(tmp_path / "b" / "m.py")
    assert code_digest(tmp_path) != before
