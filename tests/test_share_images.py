"""Generated share images: a 1200×630 PNG per post without `image:`, its title broken by
Japanese rules in a Japanese font, drawn once and kept in the cache."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest
from conftest import BUILD_TIME, build, build_site, config_for, post
from html5lib.constants import namespaces
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

import ssg.config
from ssg.build.session import BuildSession
from ssg.errors import BuildFailed, ConfigError
from ssg.render import share_images
from ssg.render.kinsoku import NO_LINE_END, NO_LINE_START, break_lines, fit_lines
from ssg.render.share_images import TITLE_SIZES, title_layout
from ssg.site.share import ShareImage

CONFIG = 'title: 投資ノート\nbase_url: "https://example.com/blog/"\n'
POST_PATH = "content/posts/2025-11-20-a.md"
POST_PAGE = "2025/11/20/a/index.html"
TITLE = "OpenAIとAWSの380億ドル契約、その「真意」とは何か？"
NS = {"h": namespaces["html"]}
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def head(site: Path, rel: str = POST_PAGE) -> dict[str, str]:
    """og:image, twitter:image and the JSON-LD image of a built page ("" when absent)."""
    doc = html5lib.parse((site / "output" / rel).read_text(encoding="utf-8"))
    found = {"og:image": "", "twitter:image": ""}
    for element in doc.iterfind(".//h:head/h:meta", NS):
        key = element.get("property") or element.get("name")
        if key in found:
            found[key] = element.get("content")
    script = doc.find(".//h:script[@type='application/ld+json']", NS)
    found["json-ld"] = json.loads(script.text).get("image", "") if script is not None else ""
    return found


def image_file(site: Path, url: str) -> Path:
    assert url.startswith("https://example.com/blog/share/"), url
    return site / "output" / url.removeprefix("https://example.com/blog/")


def share_files(site: Path) -> list[str]:
    folder = site / "output" / "share"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def one_post(make_site: Callable[..., Path]) -> Callable[..., Path]:
    def make(config: str = CONFIG, **fields: str) -> Path:
        return make_site({POST_PATH: post(title=TITLE, **fields)}, config=config)

    return make


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the share images drawn (small sites render in this process)."""
    drawn: list[str] = []
    draw = share_images.draw_share_image

    def counting(image: Any, config: Any) -> bytes:
        drawn.append(image.title)
        return draw(image, config)

    monkeypatch.setattr(share_images, "draw_share_image", counting)
    return drawn


# --- the image and the page metadata pointing at it


def test_a_post_without_an_image_gets_a_1200_by_630_png(one_post: Callable[..., Path]) -> None:
    site = one_post()
    build_site(site)
    with Image.open(image_file(site, head(site)["og:image"])) as image:
        image.load()
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_og_twitter_and_json_ld_all_point_at_it_under_the_base_path(
    one_post: Callable[..., Path],
) -> None:
    site = one_post()
    build_site(site)
    found = head(site)
    assert found["og:image"] == found["twitter:image"] == found["json-ld"]
    assert image_file(site, found["og:image"]).is_file()


def test_a_post_with_its_own_image_keeps_it_and_gets_none_made(
    one_post: Callable[..., Path],
) -> None:
    site = one_post(image="/img/cover.png")
    build_site(site)
    expected = "https://example.com/blog/img/cover.png"
    assert set(head(site).values()) == {expected}
    assert share_files(site) == []


def test_share_images_false_makes_none(one_post: Callable[..., Path]) -> None:
    site = one_post(config=CONFIG + "share_images: false\n")
    build_site(site)
    assert set(head(site).values()) == {""}
    assert share_files(site) == []


def test_standalone_pages_get_no_share_image(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/about.md": post(title="このサイトについて")}, config=CONFIG)
    build_site(site)
    assert head(site, "about/index.html")["og:image"] == ""
    assert share_files(site) == []


def test_share_images_are_not_in_the_sitemap(one_post: Callable[..., Path]) -> None:
    site = one_post()
    build_site(site)
    assert "/share/" not in (site / "output" / "sitemap.xml").read_text(encoding="utf-8")


def test_posts_that_would_show_the_same_image_share_one_file(
    make_site: Callable[..., Path],
) -> None:
    same = post(title=TITLE, date="2025-11-20 09:00:00 +0900")
    site = make_site({POST_PATH: same, "content/posts/2025-11-20-b.md": same}, config=CONFIG)
    build_site(site)
    assert head(site)["og:image"] == head(site, "2025/11/20/b/index.html")["og:image"]
    assert len(share_files(site)) == 1


# --- Japanese line breaking (pure: widths in characters)


def chars(text: str) -> float:
    return len(text)


def test_no_line_starts_with_a_comma_or_full_stop() -> None:
    # A naive break after 9 characters would start the second line with 、
    assert break_lines("あいうえおかきくけ、こさし", chars, 9) == ["あいうえおかきく", "け、こさし"]


def test_no_line_starts_with_a_closing_bracket() -> None:
    lines = break_lines("あいうえお「かきくけ」こさし", chars, 10)
    assert lines == ["あいうえお「かきく", "け」こさし"]


def test_no_line_ends_with_an_opening_bracket() -> None:
    assert break_lines("あいうえおかきく「けこ」", chars, 9) == ["あいうえおかきく", "「けこ」"]


def test_small_kana_and_the_long_vowel_mark_never_start_a_line() -> None:
    assert break_lines("あいうえおかきくけっこ", chars, 9) == ["あいうえおかきく", "けっこ"]
    assert break_lines("あいうえおかきくデータ", chars, 9) == ["あいうえおかきく", "データ"]


def test_english_words_and_numbers_are_not_split() -> None:
    assert break_lines("NVIDIAとAMDの決算", chars, 8) == ["NVIDIAと", "AMDの決算"]
    assert break_lines("売上は1,200億円", chars, 6) == ["売上は", "1,200億", "円"]


def test_spaces_at_a_break_are_dropped() -> None:
    lines = break_lines("Apple and Microsoft report", chars, 12)
    assert lines == ["Apple and", "Microsoft", "report"]


def test_a_word_wider_than_a_line_is_cut_by_characters() -> None:
    assert break_lines("abcdefghij", chars, 4) == ["abcd", "efgh", "ij"]


def test_text_beyond_the_last_line_becomes_an_ellipsis() -> None:
    lines = break_lines("あいうえおかきくけこさしすせそたちつてと", chars, 6)
    assert fit_lines(lines, 2, chars, 6) == ["あいうえおか", "きくけこさ…"]


def test_an_ellipsis_never_follows_an_opening_bracket() -> None:
    assert fit_lines(["あいうえ", "おかきく「け", "こ"], 2, chars, 6) == ["あいうえ", "おかきく…"]


def test_every_line_of_a_real_title_keeps_the_rules() -> None:
    title = "Nscaleの11億ドル調達、その「真意」とは何か？AIデータセンター市場の行方を読み解く"
    for width in range(4, 30):
        lines = break_lines(title, chars, width)
        assert "".join(lines) == title
        assert all(line[0] not in NO_LINE_START and line[-1] not in NO_LINE_END for line in lines)


def test_long_titles_are_set_smaller_then_cut() -> None:
    short, _ = title_layout("円安の行方", FONT)
    longer, _ = title_layout("円安はどこまで続くか？" * 4, FONT)
    smallest, lines = title_layout("円安はどこまで続くか？" * 20, FONT)
    assert short == TITLE_SIZES[0] and TITLE_SIZES[0] > longer > smallest == TITLE_SIZES[-1]
    assert lines[-1].endswith("…")


# --- glyphs: no tofu


def glyph_pixels(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    canvas = Image.new("L", (80, 80), 0)
    ImageDraw.Draw(canvas).text((4, 4), char, fill=255, font=font)
    return canvas.tobytes()


def test_the_default_font_draws_every_character_of_a_japanese_title() -> None:
    config = config_for(Path(__file__).parent.parent)
    font = ImageFont.truetype(str(config.share_image_font), 48)
    tofu = glyph_pixels(font, "\U0010fffd")  # a private-use character no font has
    assert glyph_pixels(font, "\U0001fa77") == tofu  # the check can tell a missing glyph
    title = TITLE + "円安・半導体「生成AI」ー、。っ％＆"
    missing = {char for char in title if glyph_pixels(font, char) == tofu}
    assert missing == set()


# --- drawn once, kept in the cache


def test_a_rebuild_draws_no_image(one_post: Callable[..., Path], draws: list[str]) -> None:
    site = one_post()
    build_site(site)
    build_site(site)
    assert draws == [TITLE]


def test_a_body_edit_draws_no_image(one_post: Callable[..., Path], draws: list[str]) -> None:
    site = one_post()
    build_site(site)
    (site / POST_PATH).write_text(post(title=TITLE, body="書き直した本文。"), encoding="utf-8")
    build_site(site)
    assert draws == [TITLE]
    assert "書き直した本文" in (site / "output" / POST_PAGE).read_text(encoding="utf-8")


def test_a_config_change_the_images_do_not_show_draws_none(
    one_post: Callable[..., Path], draws: list[str]
) -> None:
    site = one_post()
    build_site(site)
    (site / "config.yaml").write_text(CONFIG + "description: 新しい説明\n", encoding="utf-8")
    build_site(site)
    assert draws == [TITLE] and len(share_files(site)) == 1


def test_a_new_output_folder_copies_images_from_the_cache(
    one_post: Callable[..., Path], draws: list[str]
) -> None:
    site = one_post()
    build_site(site)
    before = share_files(site)
    shutil.rmtree(site / "output")
    build_site(site)
    assert draws == [TITLE] and share_files(site) == before


def test_the_output_image_is_the_cache_file_linked_not_a_copy(
    one_post: Callable[..., Path],
) -> None:
    site = one_post()
    build_site(site)
    path = image_file(site, head(site)["og:image"])
    assert os.path.samefile(path, site / ".ssg-cache" / "share-images" / path.name)


def test_an_image_drawn_again_for_the_same_output_is_cached_as_a_link_to_it(
    one_post: Callable[..., Path], draws: list[str]
) -> None:
    site = one_post()
    build_site(site)
    shutil.rmtree(site / ".ssg-cache")
    build_site(site)
    path = image_file(site, head(site)["og:image"])
    assert draws == [TITLE, TITLE]
    assert os.path.samefile(path, site / ".ssg-cache" / "share-images" / path.name)


def test_where_links_fail_the_image_is_copied(
    one_post: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    site = one_post()
    build_site(site)
    path = image_file(site, head(site)["og:image"])
    cached = site / ".ssg-cache" / "share-images" / path.name
    assert not os.path.samefile(path, cached) and path.read_bytes() == cached.read_bytes()


def test_without_the_cache_images_are_drawn_and_not_kept(
    one_post: Callable[..., Path], draws: list[str]
) -> None:
    site = one_post()
    BuildSession(config_for(site), use_cache=False).build()
    assert draws == [TITLE] and share_files(site) != []
    assert not (site / ".ssg-cache").exists()


def test_a_new_title_makes_a_new_image_and_removes_the_old(
    one_post: Callable[..., Path], draws: list[str]
) -> None:
    site = one_post()
    build_site(site)
    old = head(site)["og:image"]
    (site / POST_PATH).write_text(post(title="円安はどこまで続くか"), encoding="utf-8")
    build_site(site)
    new = head(site)["og:image"]
    assert new != old and draws == [TITLE, "円安はどこまで続くか"]
    assert share_files(site) == [Path(new).name]


def test_the_cache_keeps_only_the_images_the_site_has(one_post: Callable[..., Path]) -> None:
    site = one_post()
    build_site(site)
    (site / POST_PATH).write_text(post(title="円安はどこまで続くか"), encoding="utf-8")
    build_site(site)
    cached = sorted(p.name for p in (site / ".ssg-cache" / "share-images").iterdir())
    assert cached == share_files(site)


def test_a_new_site_name_makes_new_images(one_post: Callable[..., Path], draws: list[str]) -> None:
    site = one_post()
    build_site(site)
    (site / "config.yaml").write_text(CONFIG.replace("投資ノート", "市場ノート"), encoding="utf-8")
    build_site(site)
    assert len(draws) == 2 and len(share_files(site)) == 1


def test_the_same_image_decodes_the_same_from_the_cache(one_post: Callable[..., Path]) -> None:
    site = one_post()
    build_site(site)
    path = image_file(site, head(site)["og:image"])
    first = path.read_bytes()
    with Image.open(io.BytesIO(first)) as image:
        assert image.mode == "P"  # one byte a pixel: small and fast to encode
    shutil.rmtree(site / "output")
    build_site(site)
    assert path.read_bytes() == first


# --- the PNG: only the inked rows compressed per image


def png_chunks(png: bytes) -> dict[bytes, bytes]:
    """A PNG's chunks by kind (IDATs joined), each chunk's CRC checked."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data)
        chunks[kind] = chunks.get(kind, b"") + data
        at += 12 + length
    return chunks


@pytest.fixture
def drawn_canvases(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Image.Image, bytes]]:
    """Each canvas the encoder is given (a copy) and the PNG it made of it."""
    made: list[tuple[Image.Image, bytes]] = []
    encode = share_images.PngEncoder.encode

    def keeping(self: share_images.PngEncoder, canvas: Image.Image, inked: Any) -> bytes:
        png = encode(self, canvas, inked)
        made.append((canvas.copy(), png))
        return png

    monkeypatch.setattr(share_images.PngEncoder, "encode", keeping)
    return made


@pytest.mark.parametrize(
    "title",
    [TITLE, "", "gjpqy Ágjy", "円安はどこまで続くか？" * 20, "一", "A" * 3 + "\n" + "漢字"],
)
def test_a_share_image_decodes_to_exactly_the_pixels_drawn(
    title: str, drawn_canvases: list[tuple[Image.Image, bytes]]
) -> None:
    config = config_for(Path(__file__).parent.parent)
    image = ShareImage(title, "2025年11月20日", "投資ノート", "0")
    png = share_images.draw_share_image(image, config)
    [(canvas, made)] = drawn_canvases
    assert made == png
    with Image.open(io.BytesIO(png)) as decoded:
        decoded.load()
        assert (decoded.mode, decoded.size) == ("P", canvas.size)
        assert decoded.tobytes() == canvas.tobytes()
    # zlib checks the stream's own checksum (a decoder may stop before reading it).
    rows = zlib.decompress(png_chunks(png)[b"IDAT"])
    assert rows == b"".join(b"\0" + canvas.tobytes()[y * 1200 : (y + 1) * 1200] for y in range(630))


def test_the_palette_gives_the_title_white_on_the_background() -> None:
    config = config_for(Path(__file__).parent.parent)
    png = share_images.draw_share_image(ShareImage(TITLE, "2025年11月20日", "n", "0"), config)
    with Image.open(io.BytesIO(png)) as decoded:
        colours = {colour for _, colour in decoded.convert("RGB").getcolors(1 << 16)}
    assert {share_images.BACKGROUND, share_images.TEXT, share_images.ACCENT} <= colours


@settings(max_examples=60, deadline=None)
@given(
    bands=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 12), st.integers(0, 255)), max_size=5
    )
)
def test_any_inked_rows_on_a_background_encode_exactly(
    bands: list[tuple[int, int, int]],
) -> None:
    background = Image.new("L", (37, 48), 0)
    ImageDraw.Draw(background).rectangle((0, 0, 3, 47), fill=15)
    ImageDraw.Draw(background).rectangle((5, 20, 30, 22), fill=9)
    encoder = share_images.PngEncoder(background, list(range(48)) * 16)
    canvas = background.copy()
    inked = []
    for first, rows, ink in bands:
        last = min(48, first + rows)
        if first < last:
            ImageDraw.Draw(canvas).line((first % 37, first, 36, last - 1), fill=ink)
        inked.append((first, last))
    with Image.open(io.BytesIO(encoder.encode(canvas, inked))) as decoded:
        assert decoded.tobytes() == canvas.tobytes()
    assert zlib.decompress(png_chunks(encoder.encode(canvas, inked))[b"IDAT"])


@given(first=st.binary(max_size=300), second=st.binary(max_size=70000))
def test_adler32_of_joined_data_comes_from_the_pieces(first: bytes, second: bytes) -> None:
    combined = share_images.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(first + second)


# --- configuration


def config_problems(site: Path) -> list[str]:
    with pytest.raises(ConfigError) as failure:
        config_for(site)
    return failure.value.messages


def test_a_missing_font_file_is_an_error_at_its_line(one_post: Callable[..., Path]) -> None:
    site = one_post(config=CONFIG + "share_image_font: fonts/none.ttc\n")
    assert config_problems(site) == [
        "config.yaml:3: 'share_image_font' 'fonts/none.ttc': no such font file "
        "(a .ttf, .otf or .ttc with Japanese glyphs)"
    ]


def test_a_missing_font_is_no_error_without_share_images(one_post: Callable[..., Path]) -> None:
    site = one_post(config=CONFIG + "share_images: false\nshare_image_font: none.ttc\n")
    assert config_for(site).share_images is False


def test_no_font_found_by_default_says_how_to_get_one(
    one_post: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ssg.config, "DEFAULT_SHARE_IMAGE_FONTS", ("/nowhere/font.ttc",))
    site = one_post(config=CONFIG + "share_images: true\n")
    [problem] = config_problems(site)
    assert problem.startswith("config.yaml:3: no Japanese font found for share images")
    assert "apt-get install fonts-noto-cjk" in problem and "share_images: false" in problem


def test_share_images_must_be_true_or_false(one_post: Callable[..., Path]) -> None:
    site = one_post(config=CONFIG + "share_images: always\n")
    assert config_problems(site) == [
        "config.yaml:3: 'share_images' must be true or false, got 'always'"
    ]


def test_a_font_file_that_is_no_font_fails_the_build_at_config(
    one_post: Callable[..., Path],
) -> None:
    site = one_post(config=CONFIG + "share_image_font: broken.ttf\n")
    (site / "broken.ttf").write_text("not a font", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(config_for(site, build_time=BUILD_TIME))
    [error] = failure.value.errors
    assert str(error).startswith("config.yaml: share_image_font ")
    assert "broken.ttf cannot be read as a font" in str(error)
    assert not (site / "output").exists()


def test_a_build_that_draws_no_image_does_not_import_pillow(
    make_site: Callable[..., Path],
) -> None:
    import subprocess
    import sys

    site = make_site({"content/posts/a.md": post()}, config="title: テスト\nshare_images: false\n")
    code = (
        "import sys; from ssg.cli import main; "
        "assert main(['build', '-q', '-s', sys.argv[1]]) == 0; "
        "assert 'PIL' not in sys.modules, 'Pillow imported'"
    )
    done = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
