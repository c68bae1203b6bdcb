"""Atom feed and sitemap: returned as strings, so tests parse them without writing files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple
from xml.etree import ElementTree as ET

from ssg.content.post import Post
from ssg.content.urls import absolute_url
from ssg.site.model import Site
from ssg.site.pages import ATOM_FEED_RENDERER, SITEMAP_RENDERER, OutputPage
from ssg.site.taxonomy import TAXONOMIES

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_atom(site: Site, posts: Iterable[Post] | None = None, url: str = "/feed.xml") -> str:
    """An Atom 1.0 feed of the newest posts (or of `posts`), full content included."""
    config = site.config
    entries = list(posts if posts is not None else site.posts)[: config.feed_limit]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": config.language})
    _sub(feed, "title", config.title)
    if config.description:
        _sub(feed, "subtitle", config.description)
    _sub(feed, "id", absolute_url(config.base_url, "/"))
    _sub(feed, "link", href=absolute_url(config.base_url, url), rel="self")
    _sub(feed, "link", href=absolute_url(config.base_url, "/"), rel="alternate")
    # The newest post's time, not the build time, so an unchanged site gives the same bytes.
    newest = max((p.updated or p.date for p in entries if p.date), default=None)
    _sub(feed, "updated", newest.isoformat() if newest else "1970-01-01T00:00:00+00:00")
    _sub(_sub(feed, "author"), "name", config.author or config.title)
    _sub(feed, "generator", "ssg")
    for post in entries:
        feed.append(_entry(site, post))
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _entry(site: Site, post: Post) -> ET.Element:
    config = site.config
    entry = ET.Element(f"{{{ATOM}}}entry")
    link = absolute_url(config.base_url, post.url)
    _sub(entry, "title", post.title_text)
    _sub(entry, "link", href=link, rel="alternate")
    _sub(entry, "id", link)
    assert post.date is not None
    _sub(entry, "published", post.date.isoformat())
    _sub(entry, "updated", (post.updated or post.date).isoformat())
    _sub(_sub(entry, "author"), "name", post.author or config.author or config.title)
    for name in (*post.categories, *post.tags):
        _sub(entry, "category", term=name)
    _sub(entry, "summary", post.excerpt)
    _sub(entry, "content", post.html, type="html")
    return entry


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def render_sitemap(site: Site, urls: Iterable[str]) -> str:
    """sitemap.xml listing every HTML page's absolute URL (string-built: sites have 10,000s)."""
    entries = "".join(
        f"<url><loc>{_xml_text(absolute_url(site.config.base_url, url))}</loc></url>\n"
        for url in urls
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP}">\n{entries}</urlset>\n'
    )


def _xml_text(text: str) -> str:
    # xml.sax.saxutils.escape, without its import of urllib.request (10 ms per build)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class BuiltIn(NamedTuple):
    """A file ssg renders without a layout, and what of its posts it shows (for
    fingerprints: a layout's reads are found in its Jinja code)."""

    render: Callable[[OutputPage, Site], str]
    body: bool  # shows posts' HTML
    taxonomies: frozenset[str]  # shows posts' categories, tags


BUILT_IN: dict[str, BuiltIn] = {
    ATOM_FEED_RENDERER: BuiltIn(
        lambda page, site: render_atom(site, page.context["posts"], page.url),
        body=True,
        taxonomies=frozenset(TAXONOMIES),
    ),
    SITEMAP_RENDERER: BuiltIn(
        lambda page, site: render_sitemap(site, page.context["urls"]),
        body=False,
        taxonomies=frozenset(),
    ),
}
