"""URL rules: permalinks, output paths, hrefs, and which links are safe."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from ssg.content.urls import (
    href,
    is_safe_link,
    normalize_url,
    output_path_for,
    paginated_url,
    post_url,
)

TOKYO = ZoneInfo("Asia/Tokyo")
# 20:43 UTC on the 20th is 05:43 on the 21st in Tokyo.
LATE_UTC = datetime(2025, 11, 20, 20, 43, 29, tzinfo=UTC)


def test_default_permalink_uses_the_date_in_the_site_zone() -> None:
    url = post_url("/:year/:month/:day/:slug/", LATE_UTC, "openai-aws", (), TOKYO)
    assert url == "/2025/11/21/openai-aws/"


def test_permalink_date_follows_a_different_site_zone() -> None:
    url = post_url("/:year/:month/:day/:slug/", LATE_UTC, "openai-aws", (), UTC)
    assert url == "/2025/11/20/openai-aws/"


def test_permalink_time_and_short_forms() -> None:
    pattern = "/:short_year/:i_month/:i_day/:hour:minute:second-:title.html"
    assert post_url(pattern, LATE_UTC, "x", (), TOKYO) == "/25/11/21/054329-x.html"


def test_permalink_categories_become_path_segments() -> None:
    url = post_url("/:categories/:slug/", LATE_UTC, "x", ("投資分析", "ai-技術"), TOKYO)
    assert url == "/投資分析/ai-技術/x/"


def test_permalink_without_categories_leaves_no_empty_segment() -> None:
    assert post_url("/:categories/:slug/", LATE_UTC, "x", (), TOKYO) == "/x/"


def test_permalink_without_trailing_slash_gets_one() -> None:
    assert post_url("/blog/:slug", LATE_UTC, "x", (), TOKYO) == "/blog/x/"


def test_normalize_url_drops_dot_dot_so_nothing_climbs_out() -> None:
    assert normalize_url("/a/../../b/") == "/a/b/"
    assert normalize_url("../../etc/passwd") == "/etc/passwd/"


def test_normalize_url_treats_backslashes_as_separators() -> None:
    assert normalize_url("/a\\..\\b") == "/a/b/"


def test_normalize_url_collapses_empty_and_dot_segments() -> None:
    assert normalize_url("/a//./b") == "/a/b/"


def test_normalize_url_keeps_a_file_name() -> None:
    assert normalize_url("/feed.xml") == "/feed.xml"


@pytest.mark.parametrize("url", ["", "/", "//", "/./"])
def test_normalize_url_of_nothing_is_the_root(url: str) -> None:
    assert normalize_url(url) == "/"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/", "index.html"),
        ("/tags/半導体/", "tags/半導体/index.html"),
        ("/page/2/", "page/2/index.html"),
        ("/feed.xml", "feed.xml"),
        ("/404.html", "404.html"),
    ],
)
def test_output_path_for_a_url(url: str, path: str) -> None:
    assert output_path_for(url) == path


def test_href_percent_encodes_japanese() -> None:
    assert href("/", "/tags/半導体/") == "/tags/%E5%8D%8A%E5%B0%8E%E4%BD%93/"


def test_href_prefixes_the_base_path() -> None:
    assert href("/blog/", "/tags/AI/") == "/blog/tags/AI/"
    assert href("/blog/", "/") == "/blog/"


def test_href_encodes_spaces_but_keeps_query_and_fragment() -> None:
    assert href("/", "/a b/?q=1#x") == "/a%20b/?q=1#x"


@pytest.mark.parametrize("url", ["https://example.com/x", "mailto:a@example.com", "#fn1"])
def test_href_leaves_absolute_and_fragment_links_alone(url: str) -> None:
    assert href("/blog/", url) == url


def test_paginated_url_page_one_is_the_list_itself() -> None:
    assert paginated_url("/tags/ai/", 1) == "/tags/ai/"


def test_paginated_url_later_pages() -> None:
    assert paginated_url("/tags/ai/", 2) == "/tags/ai/page/2/"
    assert paginated_url("/", 3) == "/page/3/"


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_script_schemes_are_unsafe(link: str) -> None:
    assert not is_safe_link(link)


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/",
        "http://example.com/",
        "mailto:a@example.com",
        "/images/a.png",
        "images/a.png",
        "./a",
        "../a",
        "#section",
    ],
)
def test_web_and_relative_links_are_safe(link: str) -> None:
    assert is_safe_link(link)


def test_absolute_url_keeps_protocol_relative_links_on_their_host() -> None:
    from ssg.content.urls import absolute_url

    assert absolute_url("https://example.com/blog/", "//cdn.example.com/a.png") == (
        "https://cdn.example.com/a.png"
    )
    assert absolute_url("https://example.com/blog/", "/x/") == "https://example.com/blog/x/"
    assert absolute_url("/", "/x/") == "/x/"
