"""The search files: one JSON per post with what a result shows, and the index shards
(their text is made by ssg.site.search; here it is only handed over)."""

from __future__ import annotations

import json

from ssg.content.dates import format_date
from ssg.content.urls import href
from ssg.render.feeds import BuiltIn
from ssg.site.model import Site
from ssg.site.pages import SEARCH_DOC_RENDERER, SEARCH_SHARD_RENDERER, OutputPage


def render_search_doc(page: OutputPage, site: Site) -> str:
    """`{"t": title, "u": URL, "d": date, "x": text}`: the title and date a result lists,
    the URL it links, the plain text its snippet quotes and its match is checked in."""
    post, config = page.context["post"], site.config
    assert post.date is not None
    doc = {
        "t": post.title_text,
        "u": href(config.base_path, post.url),
        "d": format_date(post.date.astimezone(config.tz), config.language),
        "x": post.search_text,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def render_search_shard(page: OutputPage, site: Site) -> str:
    text: str = page.context["json"]
    return text


SEARCH_FILES: dict[str, BuiltIn] = {
    SEARCH_DOC_RENDERER: BuiltIn(render_search_doc, lambda config: True, frozenset()),
    SEARCH_SHARD_RENDERER: BuiltIn(render_search_shard, lambda config: False, frozenset()),
}
