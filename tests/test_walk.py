"""ssg.site.walk: finding, keying and replacing the posts inside page values agree."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import pytest

from ssg.config import Config
from ssg.content.post import Post, parse_post
from ssg.markdown.parser import make_markdown
from ssg.site import walk
from ssg.site.model import make_site
from ssg.site.pages import OutputPage, plan_pages

CONFIG = Config(
    site_dir=Path("/site"),
    paginate=2,
    build_time=datetime(2030, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
)
MD = make_markdown()


def post(name: str, date: str, tags: tuple[str, ...] = ("AI",)) -> Post:
    front = f"title: {name}\ndate: {date}\ncategories: [投資]\ntags: {list(tags)}"
    text = f"---\n{front}\n---\n本文。\n"
    return parse_post(PurePosixPath(f"posts/{name}.md"), text, CONFIG, MD).post


POSTS = [post(n, f"2025-0{i + 1}-01") for i, n in enumerate("abcde")]
PAGES = plan_pages(make_site(CONFIG, POSTS))


def edited(p: Post) -> Post:
    return dataclasses.replace(p, html=p.html + "<p>追記</p>", digest=p.digest + "x")


def key(page: OutputPage) -> str:
    return walk.value_key(page.context, lambda p: p.digest)


def test_every_holder_type_has_posts_a_key_and_a_way_to_replace_them() -> None:
    for kind in walk.HOLDER_TYPES:
        assert {"posts"} <= {f.name for f in dataclasses.fields(kind)}
        assert callable(kind.holder_key) and callable(kind.with_posts)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url)
def test_replacing_a_post_changes_exactly_the_pages_that_hold_it(page: OutputPage) -> None:
    target = POSTS[2]
    holds = target in walk.posts_in(page.context.values())
    replaced = walk.replace_posts(dict(page.context), lambda p: edited(p) if p is target else p)
    changed = walk.value_key(replaced, lambda p: p.digest) != key(page)
    assert changed == holds


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url)
def test_after_a_replacement_the_walker_finds_the_new_posts_only(page: OutputPage) -> None:
    new = {p.source_path: edited(p) for p in POSTS}
    replaced = walk.replace_posts(dict(page.context), lambda p: new[p.source_path])
    found = list(walk.posts_in(replaced.values()))
    assert all(p in new.values() for p in found)
    assert len(found) == len(list(walk.posts_in(page.context.values())))


def test_a_term_counts_by_its_name_and_size_unless_its_posts_are_listed() -> None:
    term_page = next(p for p in PAGES if "term" in p.context)
    term = term_page.context["term"]
    assert list(walk.posts_in([term], deep_terms=False)) == []
    assert list(walk.posts_in([term], deep_terms=True)) == list(term.posts)
    shallow = walk.value_key(term, lambda p: p.digest, deep_terms=False)
    assert shallow == term.holder_key()


def test_replacing_keeps_the_shape_of_lists_tuples_and_mappings() -> None:
    value = {"a": [POSTS[0]], "b": (POSTS[1], 3), "c": "文字"}
    replaced = walk.replace_posts(value, lambda p: p)
    assert replaced == value
    assert type(replaced["a"]) is list and type(replaced["b"]) is tuple


def test_a_subclass_of_a_known_kind_is_walked_like_it() -> None:
    class Posts(tuple):  # a layout helper's own sequence type
        pass

    assert list(walk.posts_in([Posts(POSTS[:2])])) == POSTS[:2]


def sitemap_key(posts: list[Post]) -> str:
    pages = plan_pages(make_site(CONFIG, posts))
    sitemap = next(page for page in pages if page.url == "/sitemap.xml")
    return walk.value_key(sitemap.context, lambda p: p.digest)


def test_the_sitemaps_key_changes_with_a_posts_updated_date() -> None:
    moved = [dataclasses.replace(POSTS[0], updated=datetime(2029, 1, 1, tzinfo=ZoneInfo("UTC")))]
    assert sitemap_key(moved + POSTS[1:]) != sitemap_key(POSTS)


def test_the_sitemaps_key_stays_when_a_body_changes() -> None:
    assert sitemap_key([edited(POSTS[0]), *POSTS[1:]]) == sitemap_key(POSTS)


def test_planning_the_site_leaves_the_sitemaps_dates_to_the_first_reader() -> None:
    # A build after body edits never reads them: at 100,000 posts they take seconds.
    sitemap = next(
        page for page in plan_pages(make_site(CONFIG, POSTS)) if page.url == "/sitemap.xml"
    )
    entries = sitemap.context["entries"]
    assert entries._entries is None
    assert ("/", POSTS[-1].date.isoformat()) in list(entries)
