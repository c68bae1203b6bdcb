"""Which posts get a generated share image, what it shows, and where it goes.

A post without `image:` gets one (when `share_images` is on). Its URL is
`/share/<digest>.png`, the digest of everything the image shows and how it is drawn: a new
title makes a new file (social sites cache images by URL, so a stale card cannot stay),
and two builds that would draw the same image share one file in the cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ssg.config import Config
from ssg.content.dates import format_date
from ssg.content.post import Post

SHARE_IMAGE_SIZE = (1200, 630)
SHARE_FOLDER = "/share/"
# Bumped when the drawing changes (ssg.render.share_images), so images are drawn again.
DESIGN_VERSION = "1"


@dataclass(frozen=True, slots=True)
class ShareImage:
    """What one share image shows, and its digest (its file name)."""

    title: str  # plain text
    date: str  # as the site shows dates: 2025年11月20日
    site_name: str
    digest: str

    @property
    def url(self) -> str:
        return f"{SHARE_FOLDER}{self.digest}.png"


def share_image_of(post: Post, config: Config) -> ShareImage | None:
    """The generated share image of `post`, or None: it has its own `image:`, is not a post,
    or the site makes none."""
    if not config.share_images or post.image or post.kind != "post" or post.date is None:
        return None
    date = format_date(post.date.astimezone(config.tz), config.language)
    font = config.share_image_font
    parts = (DESIGN_VERSION, f"{SHARE_IMAGE_SIZE}", str(font), post.title_text, date, config.title)
    digest = hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=10)
    return ShareImage(post.title_text, date, config.title, digest.hexdigest())
