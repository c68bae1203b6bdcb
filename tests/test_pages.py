"""The page plan: every page's url, layout and posts, before anything is rendered."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from ssg.config import Config
from ssg.content.post import Post, parse_post
from ssg.markdown.parser import make_markdown
from ssg.site.model import Site, make_site
from ssg.site.pages import (
    ATOM_FEED_RENDERER,
    RSS_FEED_RENDERER,
    OutputPage,
    find_collisions,
    plan_list,
    plan_pages,
)
from ssg.site.taxonomy import TAXONOMIES

CONFIG = Config(
    site_dir=Path("/site"),
    paginate=2,
    build_time=datetime(2030, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
)
MD = make_markdown()


def post(name: str, date: str, tags: tuple[str, ...] = (), extra: str = "") -> Post:
    text = f"---\ntitle: {name}\ndate: {date}\ntags: {list(tags)}\n{extra}---\n本文。\n"
    return parse_post(PurePosixPath(f"posts/{name}.md"), text, CONFIG, MD).post


def page(path: str, extra: str = "") -> Post:
    text = f"---\ntitle: {path}\n{extra}---\n本文。\n"
    return parse_post(PurePosixPath(path), text, CONFIG, MD).post


def site_of(*documents: Post, config: Config = CONFIG) -> Site:
    return make_site(config, documents)


def plan_by_url(site: Site) -> dict[str, OutputPage]:
    return {p.url: p for p in plan_pages(site)}


def listed(page: OutputPage) -> list[str]:
    return [p.slug for p in page.context["paginator"].posts]


FIVE = (
    post("a", "2025-01-01", tags=("AI",)),
    post("b", "2025-02-01", tags=("ai",)),
    post("c", "2025-03-01", tags=("ＡＩ",)),
    post("d", "2025-03-02"),
    post("e", "2025-03-03"),
)


def test_every_post_gets_a_page_with_its_layout() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert plan["/2025/01/01/a/"].template == "post.html"
    assert plan["/2025/01/01/a/"].output_path == "2025/01/01/a/index.html"


def test_post_pages_know_their_newer_and_older_neighbours() -> None:
    plan = plan_by_url(site_of(*FIVE))
    context = plan["/2025/03/01/c/"].context
    assert (context["newer"].slug, context["older"].slug) == ("d", "b")


def test_newest_and_oldest_posts_have_no_neighbour_beyond_them() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert plan["/2025/03/03/e/"].context["newer"] is None
    assert plan["/2025/01/01/a/"].context["older"] is None


def test_home_page_is_paginated_under_page_n() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert [listed(plan[u]) for u in ("/", "/page/2/", "/page/3/")] == [
        ["e", "d"],
        ["c", "b"],
        ["a"],
    ]
    assert "/page/1/" not in plan


def test_pagination_links_point_to_neighbouring_pages() -> None:
    plan = plan_by_url(site_of(*FIVE))
    first, middle, last = (plan[u].context["paginator"] for u in ("/", "/page/2/", "/page/3/"))
    assert (first.prev_url, first.next_url) == (None, "/page/2/")
    assert (middle.prev_url, middle.next_url) == ("/", "/page/3/")
    assert (last.prev_url, last.next_url) == ("/page/2/", None)
    assert (last.page, last.total_pages, last.total_posts) == (3, 3, 5)


def test_an_empty_list_still_has_one_page() -> None:
    (only,) = plan_list("/", (), 10, "list.html", "home page")
    assert (only.url, only.context["paginator"].posts, only.context["paginator"].total_pages) == (
        "/",
        (),
        1,
    )


def test_each_term_gets_a_paginated_page_with_its_posts() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert listed(plan["/tags/ai/"]) == ["c", "b"]
    assert listed(plan["/tags/ai/page/2/"]) == ["a"]
    assert plan["/tags/ai/"].template == "term.html"


def test_term_page_title_uses_the_japanese_label() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert plan["/tags/ai/"].context["title"] == "タグ: AI"


def test_each_taxonomy_gets_an_overview_page() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert plan["/tags/"].template == plan["/categories/"].template == "terms.html"
    assert plan["/categories/"].context["title"] == "カテゴリー"


def test_archives_by_year_and_month_in_japanese() -> None:
    plan = plan_by_url(site_of(*FIVE))
    assert plan["/archives/"].template == "archives.html"
    assert plan["/2025/"].context["title"] == "2025年"
    assert plan["/2025/03/"].context["title"] == "2025年3月"
    assert [p.slug for p in plan["/2025/03/"].context["archive"].posts] == ["e", "d", "c"]


def test_archives_in_english() -> None:
    config = dataclasses.replace(CONFIG, language="en")
    plan = plan_by_url(site_of(post("a", "2025-03-01"), config=config))
    assert (plan["/2025/"].context["title"], plan["/2025/03/"].context["title"]) == (
        "2025",
        "2025-03",
    )


def test_monthly_archives_can_be_turned_off() -> None:
    config = dataclasses.replace(CONFIG, monthly_archives=False)
    plan = plan_by_url(site_of(post("a", "2025-03-01"), config=config))
    assert "/2025/" in plan
    assert "/2025/03/" not in plan


def test_archive_month_is_taken_in_the_site_zone() -> None:
    # 2025-03-31 16:00 UTC is April 1st in Tokyo.
    plan = plan_by_url(site_of(post("a", '"2025-03-31 16:00 +0000"')))
    assert "/2025/04/" in plan
    assert "/2025/03/" not in plan


def test_standalone_pages_and_the_404_page_are_planned() -> None:
    plan = plan_by_url(site_of(page("about.md")))
    assert (plan["/about/"].template, plan["/about/"].source) == ("page.html", "about.md")
    assert plan["/404.html"].output_path == "404.html"


def test_drafts_are_not_planned() -> None:
    plan = plan_by_url(site_of(post("a", "2025-01-01", extra="draft: true\n")))
    assert "/2025/01/01/a/" not in plan


def test_future_posts_are_not_planned() -> None:
    plan = plan_by_url(site_of(post("a", "2031-01-01")))
    assert "/2031/01/01/a/" not in plan


def test_the_plan_has_no_collisions_for_an_ordinary_site() -> None:
    pages = plan_pages(site_of(*FIVE, page("about.md")))
    assert find_collisions(pages) == []


def test_a_collision_names_both_sources_and_the_file() -> None:
    pages = plan_pages(site_of(post("a", "2025-01-01"), page("about.md")))
    files = [("/about/", "static/about/index.html")]
    assert find_collisions(pages, files) == [
        "content/about.md and static/about/index.html both write about/index.html"
    ]


def test_a_collision_names_the_permalink_line_that_chose_the_url() -> None:
    pages = plan_pages(site_of(post("a", "2025-01-01"), page("about.md", "permalink: /tags/\n")))
    assert find_collisions(pages) == [
        "content/about.md:3 and tags overview both write tags/index.html"
    ]


def test_a_collision_names_the_slug_line_that_chose_the_url() -> None:
    first = post("a", "2025-01-01")
    second = post("b", "2025-01-01", extra="slug: a\n")
    assert find_collisions(plan_pages(site_of(first, second))) == [
        "content/posts/b.md:5 and content/posts/a.md both write 2025/01/01/a/index.html"
    ]


def test_every_source_writing_one_file_is_named_in_one_problem() -> None:
    pages = plan_pages(site_of(page("a.md", "permalink: /x/\n"), page("x.md")))
    files = [("/x/", "static/x/index.html")]
    assert find_collisions(pages, files) == [
        "content/a.md:3, content/x.md and static/x/index.html all write x/index.html"
    ]


def test_a_file_where_a_page_needs_a_folder_names_the_page_with_its_line() -> None:
    pages = plan_pages(site_of(post("a", "2025-01-01", extra="permalink: /guide/a/\n")))
    assert find_collisions(pages, [("/guide", "static/guide")]) == [
        "static/guide writes the file guide, where content/posts/a.md:5 needs a folder"
    ]


def test_urls_differing_only_in_case_collide() -> None:
    problems = find_collisions([], [("/tags/AI/", "tags 'AI'"), ("/tags/ai/", "static/x")])
    assert problems == ["tags 'AI' and static/x both write tags/ai/index.html"]


def test_every_term_of_every_taxonomy_has_an_atom_and_an_rss_feed() -> None:
    extra = "categories: [投資分析]\ntickers: [NVDA]\n"
    site = site_of(*FIVE, post("f", "2025-03-04", extra=extra))
    plan = plan_by_url(site)
    terms = [term for taxonomy in TAXONOMIES for term in getattr(site, taxonomy)]
    assert {t.taxonomy for t in terms} == set(TAXONOMIES)
    for term in terms:
        assert plan[f"{term.url}feed.xml"].template == ATOM_FEED_RENDERER
        assert plan[f"{term.url}rss.xml"].template == RSS_FEED_RENDERER


def test_a_term_feed_holds_its_newest_posts_up_to_the_feed_limit() -> None:
    site = site_of(*FIVE, config=dataclasses.replace(CONFIG, feed_limit=2))
    feed = plan_by_url(site)["/tags/ai/rss.xml"]
    assert [p.slug for p in feed.context["posts"]] == ["c", "b"]


def test_robots_txt_is_planned_unless_the_site_has_its_own() -> None:
    site = site_of(*FIVE)
    assert "/robots.txt" in {p.url for p in plan_pages(site)}
    assert "/robots.txt" not in {p.url for p in plan_pages(site, {"robots.txt"})}


def test_a_page_at_a_term_feeds_url_is_a_collision() -> None:
    pages = plan_pages(site_of(*FIVE, page("x.md", "permalink: /tags/ai/feed.xml\n")))
    assert find_collisions(pages) == [
        "content/x.md:3 and the Atom feed of tags 'AI' both write tags/ai/feed.xml"
    ]


def sitemap_urls(site: Site) -> list[str]:
    return [url for url, _lastmod in plan_by_url(site)["/sitemap.xml"].context["entries"]]


def test_jekylls_sitemap_no_leaves_a_post_out_of_the_sitemap_as_false_does() -> None:
    site = site_of(post("a", "2025-01-01", extra="sitemap: no\n"),
                   post("b", "2025-01-02", extra="sitemap: false\n"),
                   post("c", "2025-01-03", extra="sitemap: yes\n"))  # fmt: skip
    urls = sitemap_urls(site)
    assert "/2025/01/03/c/" in urls
    assert "/2025/01/01/a/" not in urls and "/2025/01/02/b/" not in urls
