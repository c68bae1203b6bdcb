"""Files ssg renders itself, without a layout, by renderer name (`OutputPage.template`)."""

from __future__ import annotations

from ssg.render.feeds import FEED_FILES, BuiltIn, never
from ssg.render.redirects import REDIRECT_FILES
from ssg.render.search import SEARCH_FILES
from ssg.render.share_images import render_share_image
from ssg.site.pages import SHARE_IMAGE_RENDERER
from ssg.site.share import ShareImage

SHARE_IMAGE_FILES: dict[str, BuiltIn] = {
    SHARE_IMAGE_RENDERER: BuiltIn(
        lambda page, site: render_share_image(ShareImage(**page.context), site.config),
        never,
        frozenset(),
    ),
}

BUILT_IN: dict[str, BuiltIn] = {
    **FEED_FILES,
    **SEARCH_FILES,
    **SHARE_IMAGE_FILES,
    **REDIRECT_FILES,
}

__all__ = ["BUILT_IN", "BuiltIn"]
