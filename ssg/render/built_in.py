"""Files ssg renders itself, without a layout, by renderer name (`OutputPage.template`)."""

from __future__ import annotations

from ssg.render.feeds import FEED_FILES, BuiltIn
from ssg.render.search import SEARCH_FILES

BUILT_IN: dict[str, BuiltIn] = {**FEED_FILES, **SEARCH_FILES}

__all__ = ["BUILT_IN", "BuiltIn"]
