"""Feeds (Atom 1.0, RSS 2.0, JSON Feed 1.1), the sitemap and robots.txt: returned as
strings, so tests parse them without writing files.

The XML is written as text, every value through `_xml` (or `_attr` in attributes): a site
has two feeds per term (hundreds), and ElementTree's namespace registry is global, so
Atom's default namespace would leak into RSS. `_xml` also drops the characters XML cannot
hold at all (C0 controls from a YAML escape in front matter or config), which would make a
whole feed unreadable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from ssg.config import Config
from ssg.content.post import Post
from ssg.content.urls import absolute_url
from ssg.render.share_images import CachedFile, NewCachedFile
from ssg.site.model import Site
from ssg.site.pages import (
    ATOM_FEED_RENDERER,
    JSON_FEED_RENDERER,
    ROBOTS_RENDERER,
    RSS_FEED_RENDERER,
    SITEMAP_RENDERER,
    OutputPage,
)
from ssg.site.taxonomy import TAXONOMIES

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_RSS_NAMESPACES = (
    f'xmlns:atom="{ATOM}" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# What XML 1.0 cannot hold, even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EPOCH = "1970-01-01T00:00:00+00:00"


class Feed(NamedTuple):
    """What a feed is of: its title, the page it stands for, its own URL (site-relative)."""

    title: str
    link: str
    url: str


def render_atom(site: Site, posts: Iterable[Post] | None = None, url: str = "/feed.xml",
                title: str | None = None, link: str = "/") -> str:  # fmt: skip
    """An Atom 1.0 feed of the newest posts (or of `posts`), for the page at `link`."""
    config = site.config
    entries = _newest(site, posts)
    feed = Feed(title or config.title, link, url)
    home = _absolute(config, feed.link)
    parts = [
        f'{_DECLARATION}<feed xmlns="{ATOM}" xml:lang="{_attr(config.language)}">\n',
        f"<title>{_xml(feed.title)}</title>\n",
        f"<subtitle>{_xml(config.description)}</subtitle>\n" if config.description else "",
        f"<id>{_xml(home)}</id>\n",
        f'<link href="{_attr(_absolute(config, feed.url))}" rel="self" />\n',
        f'<link href="{_attr(home)}" rel="alternate" />\n',
        f"<updated>{_newest_time(entries) or _EPOCH}</updated>\n",
        f"<author><name>{_xml(config.author or config.title)}</name></author>\n",
        "<generator>ssg</generator>\n",
    ]
    full = config.feed_content == "full"
    parts += [_atom_entry(config, post, full) for post in entries]
    parts.append("</feed>\n")
    return "".join(parts)


def _atom_entry(config: Config, post: Post, full: bool) -> str:
    link = _attr(_absolute(config, post.url))
    assert post.date is not None
    categories = "".join(f'<category term="{_attr(name)}" />' for name in _terms(post))
    content = f'<content type="html">{_xml_html(post)}</content>\n' if full else ""
    return (
        f"<entry>\n<title>{_xml(post.title_text)}</title>\n"
        f'<link href="{link}" rel="alternate" />\n<id>{link}</id>\n'
        f"<published>{post.date.isoformat()}</published>\n"
        f"<updated>{(post.updated or post.date).isoformat()}</updated>\n"
        f"<author><name>{_xml(_author(config, post))}</name></author>\n"
        f"{categories}\n<summary>{_xml(post.excerpt)}</summary>\n{content}</entry>\n"
    )


def render_rss(site: Site, posts: Iterable[Post] | None = None, url: str = "/rss.xml",
               title: str | None = None, link: str = "/") -> str:  # fmt: skip
    """An RSS 2.0 feed of the newest posts (or of `posts`), for the page at `link`."""
    config = site.config
    entries = _newest(site, posts)
    feed = Feed(title or config.title, link, url)
    newest = max((p.updated or p.date for p in entries if p.date), default=None)
    parts = [
        f'{_DECLARATION}<rss version="2.0" {_RSS_NAMESPACES}>\n<channel>\n',
        f"<title>{_xml(feed.title)}</title>\n",
        f"<link>{_xml(_absolute(config, feed.link))}</link>\n",
        f"<description>{_xml(config.description or feed.title)}</description>\n",
        f"<language>{_xml(config.language)}</language>\n",
        f"<lastBuildDate>{_rfc822(newest)}</lastBuildDate>\n" if newest else "",
        "<generator>ssg</generator>\n",
        f'<atom:link href="{_attr(_absolute(config, feed.url))}" rel="self" '
        'type="application/rss+xml" />\n',
    ]
    full = config.feed_content == "full"
    parts += [_rss_item(config, post, full) for post in entries]
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def _rss_item(config: Config, post: Post, full: bool) -> str:
    link = _xml(_absolute(config, post.url))
    assert post.date is not None
    categories = "".join(f"<category>{_xml(name)}</category>" for name in _terms(post))
    content = f"<content:encoded>{_xml_html(post)}</content:encoded>\n" if full else ""
    return (
        f"<item>\n<title>{_xml(post.title_text)}</title>\n<link>{link}</link>\n"
        f'<guid isPermaLink="true">{link}</guid>\n'
        f"<pubDate>{_rfc822(post.date)}</pubDate>\n"
        f"<dc:creator>{_xml(_author(config, post))}</dc:creator>\n"
        f"{categories}\n<description>{_xml(post.excerpt)}</description>\n{content}</item>\n"
    )


def render_json_feed(site: Site, posts: Iterable[Post] | None = None,
                     url: str = "/feed.json", title: str | None = None,
                     link: str = "/") -> str:  # fmt: skip
    """A JSON Feed 1.1 of the newest posts (or of `posts`), for the page at `link`."""
    config = site.config
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": title or config.title,
        "home_page_url": _absolute(config, link),
        "feed_url": _absolute(config, url),
    }
    if config.description:
        feed["description"] = config.description
    feed["language"] = config.language
    feed["authors"] = [{"name": config.author or config.title}]
    full = config.feed_content == "full"
    feed["items"] = [_json_item(config, post, full) for post in _newest(site, posts)]
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def _json_item(config: Config, post: Post, full: bool) -> dict[str, object]:
    link = _absolute(config, post.url)
    assert post.date is not None
    item: dict[str, object] = {"id": link, "url": link, "title": post.title_text}
    item["content_html" if full else "content_text"] = post.html if full else post.excerpt
    item["summary"] = post.excerpt
    if post.image:
        item["image"] = _absolute(config, post.image)
    item["date_published"] = post.date.isoformat()
    item["date_modified"] = (post.updated or post.date).isoformat()
    item["authors"] = [{"name": _author(config, post)}]
    item["tags"] = list(_terms(post))
    return item


def _newest(site: Site, posts: Iterable[Post] | None) -> Sequence[Post]:
    return list(posts if posts is not None else site.posts)[: site.config.feed_limit]


def _newest_time(posts: Iterable[Post]) -> str | None:
    # The newest post's time, not the build time, so an unchanged site gives the same bytes.
    newest: datetime | None = max((p.updated or p.date for p in posts if p.date), default=None)
    return newest.isoformat() if newest else None


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rfc822(time: datetime) -> str:
    """RSS's date format, `Sat, 01 Feb 2025 09:30:00 +0900`, in English whatever the locale
    (email.utils.format_datetime does the same, but imports socket: 15 ms per build)."""
    day, month = _DAYS[time.weekday()], _MONTHS[time.month - 1]
    return f"{day}, {time.day:02d} {month} {time.year:04d} {time:%H:%M:%S %z}"


def _terms(post: Post) -> tuple[str, ...]:
    """The post's terms of every taxonomy, categories first."""
    return tuple(name for taxonomy in TAXONOMIES for name in getattr(post, taxonomy))


def _author(config: Config, post: Post) -> str:
    return post.author or config.author or config.title


def _absolute(config: Config, url: str) -> str:
    return absolute_url(config.base_url, url)


def render_sitemap(site: Site, entries: Iterable[tuple[str, str]]) -> str:
    """sitemap.xml: each page's absolute URL (site-relative in `entries`) and, when known,
    when it last changed (`lastmod`, ISO 8601, or "")."""
    base_url = site.config.base_url
    lines = []
    for url, lastmod in entries:
        when = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{_xml(absolute_url(base_url, url))}</loc>{when}</url>\n")
    return f'{_DECLARATION}<urlset xmlns="{SITEMAP}">\n{"".join(lines)}</urlset>\n'


def render_robots(site: Site) -> str:
    """robots.txt: everything may be crawled, and the sitemap is there."""
    sitemap = absolute_url(site.config.base_url, "/sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"


def _xml(text: str) -> str:
    """`text` as XML character data."""
    # xml.sax.saxutils.escape does the same, but imports urllib.request (10 ms per build).
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NOT_XML.sub("", text)


def _xml_html(post: Post) -> str:
    """The post's HTML as XML character data."""
    return _xml_html_of(post.html)


# A post is in the site's feeds and in each of its terms' (ten and more files): its HTML is
# escaped once per process (a string keeps its hash, so a hit costs no pass over it).
@lru_cache(maxsize=1024)
def _xml_html_of(html: str) -> str:
    return _xml(html)


def _attr(text: str) -> str:
    """`text` as a double-quoted XML attribute value."""
    return _xml(text).replace('"', "&quot;")


class BuiltIn(NamedTuple):
    """A file ssg renders without a layout (text, or a share image's PNG: bytes, a file in
    the cache, or bytes to put there), and what of its posts it shows (for fingerprints: a
    layout's reads are found in its Jinja code)."""

    render: Callable[[OutputPage, Site], str | bytes | CachedFile | NewCachedFile]
    body: Callable[[Config], bool]  # shows posts' HTML, with this config
    taxonomies: frozenset[str]  # shows posts' categories, tags


def _full_content(config: Config) -> bool:
    return config.feed_content == "full"


def never(config: Config) -> bool:
    return False


def _feed(render: Callable[..., str]) -> BuiltIn:
    def render_page(page: OutputPage, site: Site) -> str:
        context = page.context
        return render(site, context["posts"], page.url, context["title"], context["link"])

    return BuiltIn(render_page, _full_content, frozenset(TAXONOMIES))


FEED_FILES: dict[str, BuiltIn] = {
    ATOM_FEED_RENDERER: _feed(render_atom),
    RSS_FEED_RENDERER: _feed(render_rss),
    JSON_FEED_RENDERER: _feed(render_json_feed),
    SITEMAP_RENDERER: BuiltIn(
        lambda page, site: render_sitemap(site, page.context["entries"]),
        never,
        frozenset(),
    ),
    ROBOTS_RENDERER: BuiltIn(lambda page, site: render_robots(site), never, frozenset()),
}
