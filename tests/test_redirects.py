"""Redirects from old URLs: front matter `redirect_from:` / `aliases:`, config `redirects`,
a page at each old URL and `/_redirects`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, build_site, post

from ssg.errors import SsgError

NEW = "https://example.com/2025/01/01/a/"


def _page(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / relative).read_text(encoding="utf-8"), "html.parser")


def _refresh(page: BeautifulSoup) -> str:
    meta = page.find("meta", attrs={"http-equiv": "refresh"})
    assert meta is not None
    return str(meta["content"])


def test_redirect_from_writes_a_page_sending_readers_on(make_site: Callable[..., Path]) -> None:
    files = {
        "content/posts/2025-01-01-a.md": post(
            date="2025-01-01 09:00 +0900", redirect_from="/2013/10/03/old.html"
        )
    }
    site = make_site(files)
    build_site(site)
    page = _page(site, "2013/10/03/old.html")
    assert _refresh(page) == f"0; url={NEW}"
    assert page.find("link", rel="canonical")["href"] == NEW
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("a")["href"] == NEW


def test_hugo_aliases_are_a_list_of_old_urls(make_site: Callable[..., Path]) -> None:
    files = {
        "content/posts/2025-01-01-a.md": post(
            date="2025-01-01 09:00 +0900", aliases="[/old/a/, /古い/記事]"
        )
    }
    site = make_site(files)
    build_site(site)
    assert _refresh(_page(site, "old/a/index.html")).endswith(NEW)
    assert _refresh(_page(site, "古い/記事/index.html")).endswith(NEW)


def test_a_page_can_redirect_from_old_urls(make_site: Callable[..., Path]) -> None:
    files = {"content/about.md": "---\ntitle: 概要\nredirect_from: /about.html\n---\n本文\n"}
    site = make_site(files)
    build_site(site)
    assert _refresh(_page(site, "about.html")) == "0; url=https://example.com/about/"


def test_config_redirects_send_old_list_urls_on(make_site: Callable[..., Path]) -> None:
    config = MINIMAL_CONFIG + 'redirects:\n  /archive/: /archives/\n  /feed/: "/feed.xml"\n'
    site = make_site({"content/posts/2025-01-01-a.md": post()}, config)
    build_site(site)
    assert _refresh(_page(site, "archive/index.html")) == "0; url=https://example.com/archives/"
    assert _refresh(_page(site, "feed/index.html")) == "0; url=https://example.com/feed.xml"


def test_the_redirects_file_lists_every_move_as_a_301(make_site: Callable[..., Path]) -> None:
    files = {
        "content/posts/2025-01-01-a.md": post(
            date="2025-01-01 09:00 +0900", redirect_from="[/old/, /古い/]"
        )
    }
    site = make_site(files, MINIMAL_CONFIG.replace("example.com/", "example.com/blog/")
                     + "redirects:\n  /archive/: https://archive.example.org/\n")  # fmt: skip
    build_site(site)
    lines = (site / "output" / "_redirects").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "/blog/old/ /blog/2025/01/01/a/ 301",
        "/blog/%E5%8F%A4%E3%81%84/ /blog/2025/01/01/a/ 301",
        "/blog/archive/ https://archive.example.org/ 301",
    ]


def test_a_site_without_redirects_has_no_redirects_file(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/posts/2025-01-01-a.md": post()})
    build_site(site)
    assert not (site / "output" / "_redirects").exists()


def test_static_redirects_file_wins(make_site: Callable[..., Path]) -> None:
    files = {
        "content/posts/2025-01-01-a.md": post(redirect_from="/old/"),
        "static/_redirects": "/x /y 302\n",
    }
    site = make_site(files)
    build_site(site)
    assert (site / "output" / "_redirects").read_text(encoding="utf-8") == "/x /y 302\n"
    assert (site / "output" / "old" / "index.html").is_file()


def test_redirect_pages_stay_out_of_the_sitemap(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/posts/2025-01-01-a.md": post(
                date="2025-01-01 09:00 +0900", redirect_from="/old/"
            )
        }
    )
    build_site(site)
    assert "/old/" not in (site / "output" / "sitemap.xml").read_text(encoding="utf-8")


def test_a_redirect_onto_a_real_page_is_a_collision(make_site: Callable[..., Path]) -> None:
    files = {
        "content/posts/2025-01-01-a.md": post(
            date="2025-01-01 09:00 +0900", redirect_from="/2025/01/02/b/"
        ),
        "content/posts/2025-01-02-b.md": post(date="2025-01-02 09:00 +0900"),
    }
    site = make_site(files)
    with pytest.raises(SsgError, match=r"redirect_from of content/posts/2025-01-01-a.md"):
        build_site(site)


@pytest.mark.parametrize("value", ["old/", "//evil.example/", "javascript:alert(1)", "[/ok/, 3]"])
def test_a_redirect_from_that_is_not_a_site_path_is_located(
    make_site: Callable[..., Path], value: str
) -> None:
    site = make_site(
        {"content/posts/2025-01-01-a.md": post(date="2025-01-01 09:00 +0900", redirect_from=value)}
    )
    with pytest.raises(SsgError, match=r"content/posts/2025-01-01-a.md:4: redirect_from"):
        build_site(site)


def test_changing_redirect_from_rebuilds_the_redirects(make_site: Callable[..., Path]) -> None:
    rel = "content/posts/2025-01-01-a.md"
    site = make_site({rel: post(date="2025-01-01 09:00 +0900", redirect_from="/old/")})
    build_site(site)
    (site / rel).write_text(
        post(date="2025-01-01 09:00 +0900", redirect_from="/older/"), encoding="utf-8"
    )
    build_site(site)
    assert not (site / "output" / "old").exists()
    assert (site / "output" / "older" / "index.html").is_file()
    assert "/older/" in (site / "output" / "_redirects").read_text(encoding="utf-8")
