"""List URLs as another generator had them: `paginate_path` and `taxonomy_paths`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, build_site, post

from ssg.errors import ConfigError, SsgError

POSTS = {
    f"content/posts/2025-01-0{n}-p{n}.md": post(
        title=f"記事{n}", date=f"2025-01-0{n} 09:00 +0900", tags="[半導体]", categories="[投資]"
    )
    for n in range(1, 4)
}


def test_paginate_path_gives_jekylls_page_urls(make_site: Callable[..., Path]) -> None:
    site = make_site(POSTS, MINIMAL_CONFIG + "paginate: 1\npaginate_path: /page:num/\n")
    build_site(site)
    output = site / "output"
    assert (output / "page2" / "index.html").is_file()
    assert (output / "page3" / "index.html").is_file()
    assert not (output / "page").exists()


def test_paginate_path_applies_to_term_lists_too(make_site: Callable[..., Path]) -> None:
    site = make_site(POSTS, MINIMAL_CONFIG + "paginate: 1\npaginate_path: p/:num\n")
    build_site(site)
    assert (site / "output" / "tags" / "半導体" / "p" / "2" / "index.html").is_file()


def test_the_next_page_link_follows_paginate_path(make_site: Callable[..., Path]) -> None:
    site = make_site(POSTS, MINIMAL_CONFIG + "paginate: 1\npaginate_path: /page:num/\n")
    build_site(site)
    home = BeautifulSoup(
        (site / "output" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "/page2/" in {a["href"] for a in home.find_all("a", href=True)}


def test_taxonomy_paths_move_terms_and_overview(make_site: Callable[..., Path]) -> None:
    config = MINIMAL_CONFIG + "taxonomy_paths:\n  tags: /tag/\n  categories: /category\n"
    site = make_site(POSTS, config)
    build_site(site)
    output = site / "output"
    assert (output / "tag" / "index.html").is_file()
    assert (output / "tag" / "半導体" / "index.html").is_file()
    assert (output / "category" / "投資" / "index.html").is_file()
    assert not (output / "tags").exists()


def test_the_menu_links_the_moved_taxonomy(make_site: Callable[..., Path]) -> None:
    site = make_site(POSTS, MINIMAL_CONFIG + "taxonomy_paths:\n  tags: /tag/\n")
    build_site(site)
    page = (site / "output" / "index.html").read_text(encoding="utf-8")
    nav = BeautifulSoup(page, "html.parser").select_one("nav.site-nav")
    assert nav is not None
    assert "/tag/" in [a["href"] for a in nav.find_all("a")]


def test_a_moved_tickers_path_moves_cashtag_links(make_site: Callable[..., Path]) -> None:
    files = {
        "content/posts/2025-01-01-a.md": post(
            date="2025-01-01 09:00 +0900", body="$NVDA を見る。", tickers="[NVDA]"
        )
    }
    site = make_site(files, MINIMAL_CONFIG + "taxonomy_paths:\n  tickers: /stock/\n")
    build_site(site)
    page = (site / "output" / "2025" / "01" / "01" / "a" / "index.html").read_text("utf-8")
    assert 'href="/stock/NVDA/"' in page
    assert (site / "output" / "stock" / "NVDA" / "index.html").is_file()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("paginate_path: page/\n", "holding the page number as :num"),
        ("taxonomy_paths:\n  labels: /label/\n", "unknown taxonomy 'labels'"),
        ("taxonomy_paths:\n  tags: tag/\n", "must be a folder such as /tag/"),
        ("taxonomy_paths:\n  tags: /\n", "must be a folder such as /tag/"),
    ],
)
def test_bad_list_url_settings_are_located(make_site: Callable[..., Path], setting: str,
                                            message: str) -> None:  # fmt: skip
    site = make_site(POSTS, MINIMAL_CONFIG + setting)
    with pytest.raises(ConfigError) as caught:
        build_site(site)
    assert message in str(caught.value)
    assert "config.yaml:3" in str(caught.value)


def test_a_taxonomy_moved_onto_a_post_url_is_a_collision(make_site: Callable[..., Path]) -> None:
    files = {"content/tag.md": "---\ntitle: タグ\n---\n本文\n", **POSTS}
    site = make_site(files, MINIMAL_CONFIG + "taxonomy_paths:\n  tags: /tag/\n")
    with pytest.raises(SsgError, match="tag/index.html"):
        build_site(site)
