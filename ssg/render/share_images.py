"""Share images: a 1200×630 PNG with a post's title, the site's name and the date (Pillow).

Drawn in the render workers like any other page. Speed comes from doing per process what
does not change per image (the font at each size, the width of each character, the
background with the site's name) and from the image's form: one 8-bit channel of ink
coverage whose palette gives the colours (a palette PNG, small and fast to encode).
Rendered images are kept in `.ssg-cache/share-images/` by the digest of what they show,
and output/ gets hard links to those files: an output folder built again from scratch
links them instead of drawing or writing them.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ssg.config import Config
from ssg.render.kinsoku import Measure, break_lines, fit_lines
from ssg.site.share import SHARE_IMAGE_SIZE, ShareImage

if TYPE_CHECKING:  # Pillow is imported when an image is drawn: most builds draw none
    from PIL import Image, ImageFont

WIDTH, HEIGHT = SHARE_IMAGE_SIZE
MARGIN = 80
# The title's box, between the site's name and the date.
TITLE_TOP, TITLE_BOTTOM = 150, 490
TITLE_WIDTH = WIDTH - 2 * MARGIN
# Title sizes tried, largest first, and the line height as a share of the size.
TITLE_SIZES = (72, 64, 56, 50, 44)
LINE_HEIGHT = 1.4
LABEL_SIZE = 30
# Ink levels: 0 is the background, TEXT_INK the title; the palette runs between their
# colours, so anti-aliased edges blend (drawing with ink 14 on 0 leaves 15 levels, which
# compress better than 256: 24 KB where 256 levels took 29 KB). One level more is solid
# accent colour, and a 17th, unused entry keeps the PNG at 8 bits a pixel: Pillow would
# pack 16 colours into 4 bits, 16% smaller but 0.4 ms slower to encode.
TEXT_INK, LABEL_INK, ACCENT_INK = 14, 9, 15
BACKGROUND, TEXT, ACCENT = (17, 32, 58), (255, 255, 255), (230, 120, 40)
# zlib's run-length strategy: the image is mostly runs of one colour (measured with 256
# levels: 1.9 ms and 36 KB, where the default strategy took 3.1 ms for 40 KB at level 1,
# 7.4 ms for 33 KB at level 6; the level hardly matters to this strategy).
PNG_COMPRESS_LEVEL, PNG_Z_RLE = 6, 3


class ShareImageError(Exception):
    """The font cannot be read (deleted or replaced since config.yaml was checked)."""


class CachedFile(NamedTuple):
    """A rendered file whose bytes are those of `path`, a file in the cache that is never
    changed in place: the writer links it into output/ instead of writing it again."""

    path: Path


def render_share_image(image: ShareImage, config: Config) -> bytes | CachedFile:
    """The PNG of `image`: the cache's file when a build drew it before, else drawn and put
    there (just the bytes when the build runs without a cache, or it cannot be written)."""
    cached = _cache_path(image, config)
    if cached is not None and cached.is_file():
        return CachedFile(cached)
    png = draw_share_image(image, config)
    if cached is not None and _keep(cached, png):
        return CachedFile(cached)
    return png


def draw_share_image(image: ShareImage, config: Config) -> bytes:
    """Draw the PNG: the title as large as fits its box (at most a few lines, then `…`)."""
    font_path = str(config.share_image_font)
    canvas = _background(font_path, image.site_name).copy()
    size, lines = title_layout(image.title, font_path)
    step = round(size * LINE_HEIGHT)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - step * len(lines)) // 2
    glyphs = _glyphs(font_path, size)
    for number, line in enumerate(lines):
        _draw_line(canvas, glyphs, (MARGIN, top + number * step), line, TEXT_INK)
    label = _glyphs(font_path, LABEL_SIZE)
    _draw_line(canvas, label, (MARGIN, HEIGHT - MARGIN - LABEL_SIZE), image.date, LABEL_INK)
    canvas.putpalette(_palette())
    out = io.BytesIO()
    canvas.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL, compress_type=PNG_Z_RLE)
    return out.getvalue()


def title_layout(title: str, font_path: str) -> tuple[int, list[str]]:
    """The title's font size and lines: the largest size at which it fits the box, else
    the smallest with the text cut to the lines there are."""
    for size in TITLE_SIZES:
        measure = _measure(font_path, size)
        lines = break_lines(title, measure, TITLE_WIDTH)
        if len(lines) <= max_lines(size):
            return size, lines
    size = TITLE_SIZES[-1]
    measure = _measure(font_path, size)
    return size, fit_lines(lines, max_lines(size), measure, TITLE_WIDTH)


def max_lines(size: int) -> int:
    return int((TITLE_BOTTOM - TITLE_TOP) // round(size * LINE_HEIGHT))


# Per process (each render worker has its own): loading the 20 MB collection takes ~20 ms.
@lru_cache(maxsize=16)
def _font(font_path: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.BASIC)
    except OSError as exc:
        raise ShareImageError(
            f"share_image_font {font_path} cannot be read as a font ({exc}); "
            "name a .ttf, .otf or .ttc file"
        ) from None


@lru_cache(maxsize=16)
def _measure(font_path: str, size: int) -> Measure:
    font = _font(font_path, size)
    widths: dict[str, float] = {}

    def measure(text: str) -> float:
        total = 0.0
        for char in text:
            width = widths.get(char)
            if width is None:
                width = widths[char] = font.getlength(char)
            total += width
        return total

    return measure


# A drawn character: its coverage mask, where the mask goes from the pen, the advance.
Glyph = tuple["Image.Image", int, int, float]


class GlyphTable:
    """The characters of one font at one size, each drawn once per process: FreeType
    rasterizing every glyph of every title was a third of an image's time."""

    LIMIT = 4096  # characters kept: a few MB

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        self.font = font
        self._glyphs: dict[str, Glyph] = {}

    def __getitem__(self, char: str) -> Glyph:
        glyph = self._glyphs.get(char)
        if glyph is None:
            if len(self._glyphs) >= self.LIMIT:
                self._glyphs.clear()
            glyph = self._glyphs[char] = self._draw(char)
        return glyph

    def _draw(self, char: str) -> Glyph:
        from PIL import Image, ImageDraw

        left, top, right, bottom = (int(v) for v in self.font.getbbox(char))
        mask = Image.new("L", (max(0, right - left), max(0, bottom - top)), 0)
        if mask.width and mask.height:
            ImageDraw.Draw(mask).text((-left, -top), char, fill=255, font=self.font)
        return mask, left, top, self.font.getlength(char)


def _draw_line(canvas: Image.Image, glyphs: GlyphTable, at: tuple[int, int], line: str,
               ink: int) -> None:  # fmt: skip
    x, y = float(at[0]), at[1]
    for char in line:
        mask, left, top, advance = glyphs[char]
        if mask.width and mask.height:
            canvas.paste(ink, (round(x) + left, y + top), mask)
        x += advance


@lru_cache(maxsize=16)
def _glyphs(font_path: str, size: int) -> GlyphTable:
    return GlyphTable(_font(font_path, size))


@lru_cache(maxsize=4)
def _background(font_path: str, site_name: str) -> Image.Image:
    """What every image of the site shares: the colours, the accent bar, the site's name."""
    from PIL import Image, ImageDraw

    canvas = Image.new("L", SHARE_IMAGE_SIZE, 0)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT_INK)
    draw.rectangle((MARGIN, 118, MARGIN + 96, 124), fill=ACCENT_INK)
    draw.text((MARGIN, 60), site_name, fill=LABEL_INK, font=_font(font_path, LABEL_SIZE))
    return canvas


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    ramp = [
        round(b + (t - b) * level / TEXT_INK)
        for level in range(TEXT_INK + 1)
        for b, t in zip(BACKGROUND, TEXT, strict=True)
    ]
    return ramp + list(ACCENT) + list(BACKGROUND)


def _cache_path(image: ShareImage, config: Config) -> Path | None:
    folder = config.share_image_cache
    return folder / f"{image.digest}.png" if folder is not None else None


def _keep(path: Path, png: bytes) -> bool:
    """Put `png` in the cache, whole or not at all (a new file renamed into place, so a file
    linked into output/ never changes); False if it cannot be written, which only makes
    the next build slower."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(png)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


def prune_cache(config: Config, kept: Collection[str]) -> None:
    """Remove cached images other than `kept` (digests): those of old titles and deleted
    posts, so the cache does not grow with every edit."""
    folder = config.share_image_cache
    if folder is None:
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.removesuffix(".png") not in kept:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
