"""Atom feed and sitemap, parsed the way feed readers and crawlers read them."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser

from ssg.config import Config
from ssg.content.post import Post, parse_post
from ssg.markdown.parser import make_markdown
from ssg.render.feeds import render_atom, render_sitemap
from ssg.site.model import Site, make_site

CONFIG = Config(
    site_dir=Path("/site"),
    title="投資ブログ",
    description="決算と市場の分析",
    author="編集部",
    base_url="https://example.com/blog/",
    build_time=datetime(2030, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo")),
)
MD = make_markdown()
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def post(name: str, date: str, front: str = "", body: str = "本文です。", title: str = "") -> Post:
    text = f"---\ntitle: {title or name}\ndate: {date}\n{front}---\n{body}\n"
    return parse_post(PurePosixPath(f"posts/{name}.md"), text, CONFIG, MD).post


def site_of(*posts: Post, config: Config = CONFIG) -> Site:
    return make_site(config, posts)


def feed_of(site: Site) -> feedparser.FeedParserDict:
    feed = feedparser.parse(render_atom(site))
    assert not feed.bozo, feed.bozo_exception
    return feed


TWO = (post("old", "2025-01-01"), post("new", "2025-02-01 09:30 +0900"))


def test_feed_describes_the_site() -> None:
    feed = feed_of(site_of(*TWO)).feed
    assert (feed.title, feed.subtitle, feed.author, feed.language) == (
        "投資ブログ",
        "決算と市場の分析",
        "編集部",
        "ja",
    )


def test_feed_links_to_itself_and_the_site_absolutely() -> None:
    links = {link.rel: link.href for link in feed_of(site_of(*TWO)).feed.links}
    assert links == {
        "self": "https://example.com/blog/feed.xml",
        "alternate": "https://example.com/blog/",
    }


def test_entries_are_newest_first() -> None:
    assert [e.title for e in feed_of(site_of(*TWO)).entries] == ["new", "old"]


def test_entry_links_and_ids_are_absolute() -> None:
    entry = feed_of(site_of(*TWO)).entries[0]
    assert entry.link == entry.id == "https://example.com/blog/2025/02/01/new/"


def test_entry_links_percent_encode_japanese() -> None:
    entry = feed_of(site_of(post("半導体", "2025-01-01"))).entries[0]
    assert entry.link == "https://example.com/blog/2025/01/01/%E5%8D%8A%E5%B0%8E%E4%BD%93/"


def test_entry_dates_keep_their_instant() -> None:
    entry = feed_of(site_of(*TWO)).entries[0]
    assert entry.published == "2025-02-01T09:30:00+09:00"
    assert tuple(entry.published_parsed)[:5] == (2025, 2, 1, 0, 30)  # UTC


def test_entry_updated_is_the_updated_date_when_given() -> None:
    site = site_of(post("a", "2025-01-01", front="updated: 2025-01-05\n"))
    assert feed_of(site).entries[0].updated == "2025-01-05T00:00:00+09:00"


def test_feed_updated_is_the_newest_post_time_not_the_build_time() -> None:
    assert feed_of(site_of(*TWO)).feed.updated == "2025-02-01T09:30:00+09:00"


def test_entry_carries_title_summary_and_full_html_content() -> None:
    site = site_of(post("a", "2025-01-01", front="excerpt: 要約です。\n", body="**本文**です。"))
    entry = feed_of(site).entries[0]
    assert entry.summary == "要約です。"
    assert entry.content[0].value.strip() == "<p><strong>本文</strong>です。</p>"


def test_special_characters_in_titles_survive() -> None:
    site = site_of(post("a", "2025-01-01", title='"S&P 500 <速報>"'))
    assert feed_of(site).entries[0].title == "S&P 500 <速報>"


def test_entry_categories_are_its_categories_and_tags() -> None:
    front = "categories: [投資分析]\ntags: [AI, 半導体]\n"
    entry = feed_of(site_of(post("a", "2025-01-01", front=front))).entries[0]
    assert [t.term for t in entry.tags] == ["投資分析", "AI", "半導体"]


def test_entry_author_defaults_to_the_site_author() -> None:
    assert feed_of(site_of(*TWO)).entries[0].author == "編集部"


def test_feed_limit_keeps_only_the_newest_posts() -> None:
    site = site_of(*TWO, config=dataclasses.replace(CONFIG, feed_limit=1))
    assert [e.title for e in feed_of(site).entries] == ["new"]


def test_drafts_are_not_in_the_feed() -> None:
    site = site_of(*TWO, post("secret", "2025-03-01", front="draft: true\n"))
    assert [e.title for e in feed_of(site).entries] == ["new", "old"]


def test_a_feed_of_chosen_posts_links_to_its_own_url() -> None:
    site = site_of(*TWO)
    feed = feedparser.parse(render_atom(site, site.posts[1:], "/tags/ai/feed.xml"))
    assert [e.title for e in feed.entries] == ["old"]
    assert feed.feed.links[0].href == "https://example.com/blog/tags/ai/feed.xml"


def test_the_same_site_gives_the_same_feed_bytes() -> None:
    assert render_atom(site_of(*TWO)) == render_atom(site_of(*TWO))


def test_sitemap_lists_absolute_encoded_urls() -> None:
    xml = render_sitemap(site_of(*TWO), ["/", "/tags/半導体/"])
    root = ET.fromstring(xml)
    assert root.tag == f"{SITEMAP}urlset"
    assert [loc.text for loc in root.iter(f"{SITEMAP}loc")] == [
        "https://example.com/blog/",
        "https://example.com/blog/tags/%E5%8D%8A%E5%B0%8E%E4%BD%93/",
    ]


def test_sitemap_starts_with_an_xml_declaration() -> None:
    assert (
        render_sitemap(site_of(*TWO), ["/"])
        .lower()
        .startswith('<?xml version="1.0" encoding="utf-8"?>')
    )
