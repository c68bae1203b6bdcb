"""Files saved in another encoding than UTF-8 are errors at the line of the first bad byte."""

from __future__ import annotations

import pytest
from conftest import build_site, post

from ssg.config import load_config
from ssg.errors import BuildFailed, ConfigError

GOOD = {"content/posts/good.md": post()}


def build_error(site) -> str:
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    return str(failure.value)


def test_a_shift_jis_post_is_reported_at_the_line_and_column_of_the_first_bad_byte(
    make_site,
) -> None:
    head = "---\ntitle: 決算\ndate: 2025-11-20\n---\n\n本文です。\n"
    site = make_site({"content/posts/x.md": head.encode() + "「引用」です。\n".encode("cp932")})
    # Line 7 starts with 「, 0x81 0x75 in Shift_JIS.
    assert "content/posts/x.md:7: not UTF-8 (byte 0x81 at column 1); save the file as UTF-8" in (
        build_error(site)
    )


def test_the_column_counts_the_characters_before_the_bad_byte(make_site) -> None:
    text = post(body="あいう")
    site = make_site({"content/posts/x.md": text.encode().replace("う".encode(), b"\x82\xa0")})
    assert "content/posts/x.md:6: not UTF-8 (byte 0x82 at column 3)" in build_error(site)


def test_a_utf16_post_is_named_as_utf16(make_site) -> None:
    site = make_site({"content/posts/x.md": post().encode("utf-16")})
    assert "content/posts/x.md: saved as UTF-16; save the file as UTF-8" in build_error(site)


def test_a_big_endian_utf16_post_is_named_as_utf16_too(make_site) -> None:
    site = make_site({"content/posts/x.md": b"\xfe\xff" + post().encode("utf-16-be")})
    assert "content/posts/x.md: saved as UTF-16" in build_error(site)


def test_a_data_file_not_in_utf8_is_reported_at_its_line(make_site) -> None:
    site = make_site({**GOOD, "data/tickers.yaml": "NVDA: 1\nトヨタ: 2\n".encode("cp932")})
    assert "data/tickers.yaml:2: not UTF-8 (byte 0x83 at column 1)" in build_error(site)


def test_a_layout_not_in_utf8_is_reported_at_its_own_line(make_site) -> None:
    layout = "<footer>\n免責事項</footer>\n".encode("cp932")
    site = make_site({**GOOD, "layouts/_disclaimer.html": layout})
    assert "layouts/_disclaimer.html:2: not UTF-8 (byte 0x96 at column 1)" in build_error(site)


def test_a_layout_saved_with_a_utf8_bom_puts_no_bom_in_pages(make_site) -> None:
    site = make_site({**GOOD, "layouts/_disclaimer.html": "\ufeff<footer>免責</footer>\n"})
    report = build_site(site)
    page = (site / "output/2025/11/20/good/index.html").read_text(encoding="utf-8")
    assert "<footer>免責</footer>" in page
    assert "\ufeff" not in page
    assert report.warnings == ()


def test_a_config_not_in_utf8_is_reported_at_its_line(make_site) -> None:
    site = make_site(GOOD, config="title: t\n")
    (site / "config.yaml").write_bytes("title: t\nauthor: 編集部\n".encode("cp932"))
    with pytest.raises(ConfigError) as failure:
        load_config(site)
    assert str(failure.value) == (
        "config.yaml:2: not UTF-8 (byte 0x95 at column 9); save the file as UTF-8"
    )
