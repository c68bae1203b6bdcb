"""Redirects from old URLs: a page at each that sends the reader on, and `/_redirects`.

The page is what Hugo writes for `aliases:` and jekyll-redirect-from for `redirect_from:`:
an immediate refresh, the new URL as canonical (search engines move its ranking over), and
`noindex` so the old URL leaves their index.
"""

from __future__ import annotations

from html import escape

from ssg.content.urls import absolute_url, href
from ssg.render.feeds import BuiltIn, never
from ssg.site.model import Site
from ssg.site.pages import REDIRECT_RENDERER, REDIRECTS_FILE_RENDERER, OutputPage

_MOVED = {"ja": "このページは移動しました:", "en": "This page has moved to"}


def render_redirect(page: OutputPage, site: Site) -> str:
    config = site.config
    target = escape(absolute_url(config.base_url, page.context["to"]))
    return (
        f'<!DOCTYPE html>\n<html lang="{config.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{target}</title>\n"
        f'<link rel="canonical" href="{target}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'</head>\n<body>\n<p>{_MOVED[config.language]} <a href="{target}">{target}</a></p>\n'
        "</body>\n</html>\n"
    )


def render_redirects_file(page: OutputPage, site: Site) -> str:
    """`old new 301` per line, paths percent-encoded and with the site's base path."""
    base = site.config.base_path
    lines = []
    for old, new in page.context["redirects"]:
        target = new if new.startswith(("http://", "https://")) else href(base, new)
        lines.append(f"{href(base, old)} {target} 301\n")
    return "".join(lines)


REDIRECT_FILES: dict[str, BuiltIn] = {
    REDIRECT_RENDERER: BuiltIn(render_redirect, never, frozenset()),
    REDIRECTS_FILE_RENDERER: BuiltIn(render_redirects_file, never, frozenset()),
}
