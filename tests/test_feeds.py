"""Feeds (Atom, RSS, JSON Feed), sitemap and robots.txt, parsed the way feed readers and
crawlers read them."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser
import jsonschema
import pytest

from ssg.config import Config
from ssg.content.post import Post, parse_post
from ssg.markdown.parser import make_markdown
from ssg.render.feeds import (
    render_atom,
    render_json_feed,
    render_robots,
    render_rss,
    render_sitemap,
)
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
JSON_FEED_SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
XML_FEEDS = {"atom": render_atom, "rss": render_rss}


def post(name: str, date: str, front: str = "", body: str = "本文です。", title: str = "") -> Post:
    text = f"---\ntitle: {title or name}\ndate: {date}\n{front}---\n{body}\n"
    return parse_post(PurePosixPath(f"posts/{name}.md"), text, CONFIG, MD).post


def site_of(*posts: Post, config: Config = CONFIG) -> Site:
    return make_site(config, posts)


def feed_of(site: Site, kind: str = "atom") -> feedparser.FeedParserDict:
    feed = feedparser.parse(XML_FEEDS[kind](site))
    assert not feed.bozo, feed.bozo_exception
    return feed


def json_feed_of(site: Site) -> dict:
    feed = json.loads(render_json_feed(site))
    jsonschema.validate(feed, JSON_FEED_SCHEMA)
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


def test_rss_describes_the_site_and_links_to_itself() -> None:
    feed = feed_of(site_of(*TWO), "rss")
    assert feed.version == "rss20"
    assert (feed.feed.title, feed.feed.link, feed.feed.subtitle, feed.feed.language) == (
        "投資ブログ",
        "https://example.com/blog/",
        "決算と市場の分析",
        "ja",
    )
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == ["https://example.com/blog/rss.xml"]


def test_rss_items_are_newest_first_with_absolute_links_and_guids() -> None:
    entries = feed_of(site_of(*TWO), "rss").entries
    assert [e.title for e in entries] == ["new", "old"]
    assert entries[0].link == entries[0].id == "https://example.com/blog/2025/02/01/new/"


def test_rss_dates_carry_their_offset() -> None:
    entry = feed_of(site_of(*TWO), "rss").entries[0]
    assert entry.published == "Sat, 01 Feb 2025 09:30:00 +0900"
    assert tuple(entry.published_parsed)[:5] == (2025, 2, 1, 0, 30)


def test_rss_items_carry_author_categories_excerpt_and_full_html() -> None:
    front = "categories: [投資分析]\ntags: [AI]\nauthor: 山田\nexcerpt: 要約です。\n"
    site = site_of(post("a", "2025-01-01", front=front, body="**本文**"))
    entry = feed_of(site, "rss").entries[0]
    assert entry.author == "山田"
    assert [t.term for t in entry.tags] == ["投資分析", "AI"]
    assert entry.summary == "要約です。"
    assert entry.content[0].value.strip() == "<p><strong>本文</strong></p>"


def test_json_feed_describes_the_site_with_absolute_urls() -> None:
    feed = json_feed_of(site_of(*TWO))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert (feed["title"], feed["home_page_url"], feed["feed_url"], feed["language"]) == (
        "投資ブログ",
        "https://example.com/blog/",
        "https://example.com/blog/feed.json",
        "ja",
    )
    assert feed["authors"] == [{"name": "編集部"}]


def test_json_feed_items_carry_dates_with_offsets_author_tags_and_html() -> None:
    front = "categories: [投資分析]\ntags: [AI]\nupdated: 2025-02-03 10:00 +0900\n"
    site = site_of(post("a", "2025-02-01 09:30 +0900", front=front, body="**本文**"))
    item = json_feed_of(site)["items"][0]
    assert item["id"] == item["url"] == "https://example.com/blog/2025/02/01/a/"
    assert (item["date_published"], item["date_modified"]) == (
        "2025-02-01T09:30:00+09:00",
        "2025-02-03T10:00:00+09:00",
    )
    assert item["authors"] == [{"name": "編集部"}]
    assert item["tags"] == ["投資分析", "AI"]
    assert item["content_html"].strip() == "<p><strong>本文</strong></p>"


def test_json_feed_item_image_is_absolute() -> None:
    site = site_of(post("a", "2025-01-01", front="image: /img/図.png\n"))
    image = json_feed_of(site)["items"][0]["image"]
    assert image == "https://example.com/blog/img/%E5%9B%B3.png"


def test_feed_limit_applies_to_every_format() -> None:
    site = site_of(*TWO, config=dataclasses.replace(CONFIG, feed_limit=1))
    assert [e.title for e in feed_of(site, "rss").entries] == ["new"]
    assert [i["title"] for i in json_feed_of(site)["items"]] == ["new"]


EXCERPT_ONLY = dataclasses.replace(CONFIG, feed_content="excerpt")


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_excerpt_feeds_carry_the_excerpt_and_not_the_body(kind: str) -> None:
    one = post("a", "2025-01-01", front="excerpt: 要約です。\n", body="秘密の本文")
    xml = XML_FEEDS[kind](site_of(one, config=EXCERPT_ONLY))
    entry = feedparser.parse(xml).entries[0]
    assert entry.summary == "要約です。"
    assert "content" not in entry and "秘密の本文" not in xml


def test_excerpt_json_feed_has_text_content_only() -> None:
    one = post("a", "2025-01-01", front="excerpt: 要約です。\n", body="秘密の本文")
    item = json_feed_of(site_of(one, config=EXCERPT_ONLY))["items"][0]
    assert item["content_text"] == "要約です。" and "content_html" not in item


TRICKY = "Q&A: <円安> はどこまで続くか？"


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_a_title_with_markup_characters_survives_xml_feeds(kind: str) -> None:
    site = site_of(post("a", "2025-01-01", title=f'"{TRICKY}"'))
    assert feed_of(site, kind).entries[0].title == TRICKY


def test_a_title_with_markup_characters_survives_the_json_feed() -> None:
    site = site_of(post("a", "2025-01-01", title=f'"{TRICKY}"'))
    assert json_feed_of(site)["items"][0]["title"] == TRICKY


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_a_feed_title_with_markup_characters_survives(kind: str) -> None:
    xml = XML_FEEDS[kind](site_of(*TWO), None, "/tags/x/feed.xml", TRICKY, "/tags/x/")
    feed = feedparser.parse(xml)
    assert not feed.bozo and feed.feed.title == TRICKY


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_terms_with_quotes_and_ampersands_survive_as_categories(kind: str) -> None:
    front = "tags: ['S&P \"500\"', '<速報>']\n"
    entry = feed_of(site_of(post("a", "2025-01-01", front=front)), kind).entries[0]
    assert [t.term for t in entry.tags] == ['S&P "500"', "<速報>"]


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_control_characters_never_reach_xml(kind: str) -> None:
    # Front matter refuses controls (even written as YAML escapes), but config values and
    # posts made by other code may still hold them: the feed drops what XML cannot hold.
    config = dataclasses.replace(CONFIG, title="投資\x01ブログ", description="説明\x1b")
    one = dataclasses.replace(post("a", "2025-01-01", body="本文"), title="見出し\x0bです",
                              title_text="見出し\x0bです", tags=("タグ\x02",))  # fmt: skip
    xml = XML_FEEDS[kind](site_of(one, config=config))
    ET.fromstring(xml.encode("utf-8"))  # strict: raises on any character XML forbids
    entry = feedparser.parse(xml).entries[0]
    assert entry.title == "見出しです" and [t.term for t in entry.tags] == ["タグ"]


def test_a_feed_of_chosen_posts_in_every_format_links_to_its_page() -> None:
    site = site_of(*TWO)
    rss = feedparser.parse(render_rss(site, site.posts[1:], "/tags/ai/rss.xml", "AI", "/tags/ai/"))
    assert [e.title for e in rss.entries] == ["old"]
    assert rss.feed.link == "https://example.com/blog/tags/ai/"
    atom = feedparser.parse(render_atom(site, site.posts[1:], "/tags/ai/feed.xml", "AI",
                                        "/tags/ai/"))  # fmt: skip
    assert atom.feed.id == "https://example.com/blog/tags/ai/"


def test_sitemap_lists_absolute_encoded_urls_with_lastmod() -> None:
    xml = render_sitemap(site_of(*TWO), [("/", "2025-02-01T09:30:00+09:00"), ("/tags/半導体/", "")])
    root = ET.fromstring(xml)
    assert root.tag == f"{SITEMAP}urlset"
    assert [loc.text for loc in root.iter(f"{SITEMAP}loc")] == [
        "https://example.com/blog/",
        "https://example.com/blog/tags/%E5%8D%8A%E5%B0%8E%E4%BD%93/",
    ]
    assert [m.text for m in root.iter(f"{SITEMAP}lastmod")] == ["2025-02-01T09:30:00+09:00"]


def test_sitemap_starts_with_an_xml_declaration() -> None:
    assert (
        render_sitemap(site_of(*TWO), [("/", "")])
        .lower()
        .startswith('<?xml version="1.0" encoding="utf-8"?>')
    )


def test_robots_txt_names_the_sitemap_absolutely() -> None:
    assert "Sitemap: https://example.com/blog/sitemap.xml\n" in render_robots(site_of(*TWO))
