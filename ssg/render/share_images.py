"""Share images: a 1200×630 PNG with a post's title, the site's name and the date (Pillow).

Drawn in the render workers like any other page. Speed comes from doing per process what
does not change per image (the font at each size, the width of each character, the
background with the site's name) and from the image's form: one 8-bit channel of ink
coverage whose palette gives the colours (a palette PNG, small and fast to encode).
Compressing the pixels was most of an image's time, so only the rows a title and date ink
are compressed per image, with zlib-ng: the background's rows between them are compressed
once per process (`PngEncoder`).
Rendered images are kept in `.ssg-cache/share-images/` by the digest of what they show,
as hard links to the files output/ got: an output folder built again from scratch links
them instead of drawing or writing them.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from zlib_ng import zlib_ng

from ssg.config import Config
from ssg.files import write_file
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
PNG_COMPRESS_LEVEL = 6
# Inked rows are compressed in bands of whole multiples of this many rows, so that the
# background's bands between them come in few shapes, each compressed once per process.
BAND_ROWS = 8


class ShareImageError(Exception):
    """The font cannot be read (deleted or replaced since config.yaml was checked)."""


class CachedFile(NamedTuple):
    """A rendered file whose bytes are those of `path`, a file in the cache that is never
    changed in place: the writer links it into output/ instead of writing it again."""

    path: Path


class NewCachedFile(NamedTuple):
    """A rendered file that belongs in the cache at `path` too: the writer writes `data`
    once, into staging, and links that file into the cache (`keep_staged`)."""

    data: bytes
    path: Path


def render_share_image(image: ShareImage, config: Config) -> bytes | CachedFile | NewCachedFile:
    """The PNG of `image`: the cache's file when a build drew it before, else drawn, to be
    put there too (just the bytes when the build runs without a cache)."""
    cached = _cache_path(image, config)
    if cached is not None and cached.is_file():
        return CachedFile(cached)
    png = draw_share_image(image, config)
    return NewCachedFile(png, cached) if cached is not None else png


def keep_staged(staged: Path, image: NewCachedFile) -> None:
    """Put the image `staged` holds (a file never changed in place: committed into output/
    by a rename) in the cache as a hard link, or, where links cannot be made, as a copy
    written whole. One file where writing the cache's first and linking it into staging
    took two and a rename: file creation is much of a cold build's system time."""
    try:
        try:
            os.link(staged, image.path)
        except FileNotFoundError:  # the cache's first image
            os.makedirs(image.path.parent, exist_ok=True)
            os.link(staged, image.path)
    except FileExistsError:  # another worker drew the same image: the same bytes
        pass
    except OSError:  # another file system, or one without hard links
        _keep(image.path, image.data)


def draw_share_image(image: ShareImage, config: Config) -> bytes:
    """Draw the PNG: the title as large as fits its box (at most a few lines, then `…`)."""
    font_path = str(config.share_image_font)
    canvas = _background(font_path, image.site_name).copy()
    size, lines = title_layout(image.title, font_path)
    step = round(size * LINE_HEIGHT)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - step * len(lines)) // 2
    glyphs = _glyphs(font_path, size)
    inked = [
        _draw_line(canvas, glyphs, (MARGIN, top + number * step), line, TEXT_INK)
        for number, line in enumerate(lines)
    ]
    label = _glyphs(font_path, LABEL_SIZE)
    at = (MARGIN, HEIGHT - MARGIN - LABEL_SIZE)
    inked.append(_draw_line(canvas, label, at, image.date, LABEL_INK))
    return _encoder(font_path, image.site_name).encode(canvas, inked)


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
               ink: int) -> tuple[int, int]:  # fmt: skip
    """Draw `line` with its pen starting at `at`; the rows inked, from first to past last
    (an empty range when nothing was)."""
    x, y = float(at[0]), at[1]
    first, last = HEIGHT, 0
    for char in line:
        mask, left, top, advance = glyphs[char]
        if mask.width and mask.height:
            canvas.paste(ink, (round(x) + left, y + top), mask)
            first, last = min(first, y + top), max(last, y + top + mask.height)
        x += advance
    return first, last


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


@lru_cache(maxsize=4)
def _encoder(font_path: str, site_name: str) -> PngEncoder:
    return PngEncoder(_background(font_path, site_name), _palette())


class PngEncoder:
    """PNG files of canvases that are a copy of one background with some rows inked.

    A PNG's pixels are one zlib stream of rows, each led by its filter (0: none). The
    stream is written as deflate pieces that each end on a byte boundary and refer to
    nothing before them, so they can be joined: the inked rows are compressed per image,
    the background's rows between them once per shape of gap, and the checksum of the
    whole is put together from the pieces' checksums without reading their rows again.
    """

    BANDS_KEPT = 1024  # background bands: a few dozen layouts use a few each

    def __init__(self, background: Image.Image, palette: list[int]) -> None:
        self.width, self.height = background.size
        self._background = background.tobytes()
        # Bit depth 8, colour type 3 (palette), deflate, no filtering choice, no interlace.
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 3, 0, 0, 0)
        self._head = _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"PLTE", bytes(palette))
        self._bands: dict[tuple[int, int], tuple[bytes, int]] = {}

    def encode(self, canvas: Image.Image, inked: list[tuple[int, int]]) -> bytes:
        """The PNG of `canvas`, whose rows outside the `inked` ranges are the background's."""
        pieces = [b"\x78\x9c"]  # zlib's header: deflate, 32 KB window
        checksum, row = 1, 0  # Adler-32 starts at 1
        for first, last in [*self._inked_bands(inked), (self.height, self.height)]:
            if row < first:
                deflated, band_checksum = self._background_band(row, first)
                pieces.append(deflated)
                band_length = (first - row) * (self.width + 1)
                checksum = adler32_combine(checksum, band_checksum, band_length)
            if first < last:
                rows = _filtered(canvas.crop((0, first, self.width, last)).tobytes(), self.width)
                pieces.append(_deflate(rows))
                checksum = zlib_ng.adler32(rows, checksum)
            row = last
        pieces += (_LAST_BLOCK, struct.pack(">I", checksum))
        return self._head + _chunk(b"IDAT", b"".join(pieces)) + _END

    def _inked_bands(self, inked: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The inked row ranges widened to whole bands, in order, overlapping ones merged."""
        bands: list[tuple[int, int]] = []
        for first, last in sorted(inked):
            if first >= last:
                continue
            first = max(0, first - first % BAND_ROWS)
            last = min(self.height, last + -last % BAND_ROWS)
            if bands and first <= bands[-1][1]:
                bands[-1] = (bands[-1][0], max(bands[-1][1], last))
            else:
                bands.append((first, last))
        return bands

    def _background_band(self, first: int, last: int) -> tuple[bytes, int]:
        band = self._bands.get((first, last))
        if band is None:
            if len(self._bands) >= self.BANDS_KEPT:
                self._bands.clear()
            rows = _filtered(self._background[first * self.width : last * self.width], self.width)
            band = self._bands[first, last] = (_deflate(rows), zlib_ng.adler32(rows))
        return band


def _filtered(pixels: bytes, width: int) -> bytes:
    """Rows of `width` pixels, each led by PNG's filter byte 0."""
    return b"".join(b"\0" + pixels[at : at + width] for at in range(0, len(pixels), width))


def _deflate(data: bytes) -> bytes:
    """`data` as deflate blocks that end on a byte boundary, not the stream's last.

    zlib-ng: the same format, in a quarter of zlib's time for this strategy (and its
    Adler-32, below, in a twentieth)."""
    compressor = zlib_ng.compressobj(PNG_COMPRESS_LEVEL, zlib_ng.DEFLATED, -15, 9, zlib_ng.Z_RLE)
    return compressor.compress(data) + compressor.flush(zlib_ng.Z_SYNC_FLUSH)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces of data joined, from theirs (zlib's adler32_combine)."""
    base = 65521
    first_sum, second_sum = first & 0xFFFF, second & 0xFFFF
    total = (first_sum + second_sum - 1) % base
    running = ((first >> 16) + (second >> 16) + second_length * (first_sum - 1)) % base
    return running << 16 | total


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib_ng.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# An empty last deflate block, which ends the stream.
_LAST_BLOCK = zlib_ng.compressobj(wbits=-15).flush()
_END = _chunk(b"IEND", b"")


def _cache_path(image: ShareImage, config: Config) -> Path | None:
    folder = config.share_image_cache
    return folder / f"{image.digest}.png" if folder is not None else None


def _keep(path: Path, png: bytes) -> None:
    """Put `png` in the cache, whole or not at all (a new file renamed into place, so a file
    linked into output/ never changes); if it cannot be written, the next build only
    draws it again."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        write_file(temporary, png)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


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
