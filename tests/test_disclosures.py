"""Disclosures on posts: the configured disclaimer, sponsored posts, positions, as_of."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, build_site, config_for, post

from ssg.config import DEFAULT_DISCLAIMERS
from ssg.errors import BuildFailed, ConfigError

POST = "content/posts/2025-11-20-a.md"
PAGE = "2025/11/20/a/index.html"
JA_DEFAULT = (
    "本記事は情報提供を目的としたものであり、特定の銘柄の売買を推奨するものではありません。"
    "投資判断はご自身の責任で行ってください。"
)
MakeSite = Callable[..., Path]


def page(site: Path, rel: str = PAGE) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / rel).read_text(encoding="utf-8"), "html.parser")


def built(make_site: MakeSite, files: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    site = make_site(files, config)
    build_site(site)
    return site


def disclaimer(doc: BeautifulSoup) -> str | None:
    box = doc.select_one("aside.disclaimer")
    return box.get_text(strip=True) if box else None


def json_ld(doc: BeautifulSoup) -> dict[str, Any]:
    script = doc.find("script", type="application/ld+json")
    assert script is not None
    data: dict[str, Any] = json.loads(script.string or "")
    return data


def build_error(site: Path) -> str:
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    return str(failure.value)


# The disclaimer


def test_every_post_carries_the_japanese_default_disclaimer(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()})
    assert disclaimer(page(site)) == JA_DEFAULT


def test_an_english_site_gets_the_english_default(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()}, MINIMAL_CONFIG + "language: en\n")
    assert disclaimer(page(site)) == DEFAULT_DISCLAIMERS["en"]


def test_the_configured_text_replaces_the_default(make_site: MakeSite) -> None:
    config = MINIMAL_CONFIG + "disclaimer:\n  text: 投資は自己責任で。\n"
    site = built(make_site, {POST: post()}, config)
    assert disclaimer(page(site)) == "投資は自己責任で。"


def test_configured_categories_limit_the_disclaimer_to_their_posts(make_site: MakeSite) -> None:
    config = MINIMAL_CONFIG + "disclaimer:\n  categories: [投資分析]\n"
    files = {
        POST: post(categories="[投資分析]"),
        "content/posts/2025-11-21-b.md": post(date="2025-11-21", categories="[雑記]"),
    }
    site = built(make_site, files, config)
    assert disclaimer(page(site)) == JA_DEFAULT
    assert disclaimer(page(site, "2025/11/21/b/index.html")) is None


def test_categories_match_as_terms_do_whatever_the_case_or_width(make_site: MakeSite) -> None:
    config = MINIMAL_CONFIG + "disclaimer:\n  categories: [ai]\n"
    site = built(make_site, {POST: post(categories="[ＡＩ]")}, config)
    assert disclaimer(page(site)) == JA_DEFAULT


def test_disclaimer_false_in_config_turns_it_off(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()}, MINIMAL_CONFIG + "disclaimer: false\n")
    assert disclaimer(page(site)) is None


def test_a_post_can_turn_the_disclaimer_off(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(disclaimer="false")})
    assert disclaimer(page(site)) is None


def test_a_post_can_give_its_own_disclaimer(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(disclaimer="筆者は本記事の銘柄を保有しています。")})
    assert disclaimer(page(site)) == "筆者は本記事の銘柄を保有しています。"


def test_standalone_pages_get_no_configured_disclaimer(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(), "content/about.md": "---\ntitle: 概要\n---\n\n本文\n"})
    assert disclaimer(page(site, "about/index.html")) is None


def test_a_bad_disclaimer_value_is_an_error_at_its_line(make_site: MakeSite) -> None:
    site = make_site({POST: post(disclaimer="[1, 2]")})
    assert f"{POST}:4: disclaimer: must be false, true or the text" in build_error(site)


def test_bad_disclaimer_config_is_reported_at_its_line(make_site: MakeSite) -> None:
    config = MINIMAL_CONFIG + "disclaimer:\n  txt: 免責\n  categories: 3\n"
    site = make_site({POST: post()}, config)
    with pytest.raises(ConfigError) as failure:
        config_for(site)
    message = str(failure.value)
    assert "config.yaml:3: 'disclaimer' has an unknown key 'txt'" in message
    assert "config.yaml:3: 'disclaimer' categories must be a list of category names" in message


# Sponsored posts


def test_a_sponsored_post_is_labelled_above_its_title(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(sponsored="true")})
    header = page(site).select_one("header.post-header")
    assert header is not None
    first = header.find(True)
    assert first is not None and first.get_text() == "広告"
    assert "sponsored-label" in first["class"]


def test_the_sponsored_label_is_configurable(make_site: MakeSite) -> None:
    config = MINIMAL_CONFIG + "sponsored_label: PR\n"
    site = built(make_site, {POST: post(sponsored="true")}, config)
    label = page(site).select_one(".post-header .sponsored-label")
    assert label is not None and label.get_text() == "PR"


def test_a_sponsored_post_is_labelled_on_list_pages_too(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(sponsored="true")})
    card = page(site, "index.html").select_one("article.post-card")
    assert card is not None and card.select_one(".sponsored-label") is not None


def test_a_post_that_is_not_sponsored_has_no_label(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()})
    assert page(site).select(".sponsored-label") == []


def test_outbound_links_of_a_sponsored_post_are_rel_sponsored(make_site: MakeSite) -> None:
    body = "[申込](https://broker.example.jp/x) と [自サイト](https://example.com/about/)\n"
    site = built(make_site, {POST: post(body=body, sponsored="true")})
    links = {a.get_text(): a.get("rel") for a in page(site).select(".post-body a")}
    assert links == {"申込": ["sponsored"], "自サイト": None}


def test_site_relative_links_of_a_sponsored_post_stay_as_they_are(make_site: MakeSite) -> None:
    body = "[概要](/about/) と <https://shop.example.org/>\n"
    site = built(make_site, {POST: post(body=body, sponsored="true")})
    links = {a.get_text(): a.get("rel") for a in page(site).select(".post-body a")}
    assert links == {"概要": None, "https://shop.example.org/": ["sponsored"]}


def test_links_of_a_post_that_is_not_sponsored_get_no_rel(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(body="[申込](https://broker.example.jp/x)\n")})
    link = page(site).select_one(".post-body a")
    assert link is not None and link.get("rel") is None


# Positions


def test_positions_name_each_ticker_and_its_position(make_site: MakeSite) -> None:
    front = {"positions": "\n  nvda: long\n  7203.T: none\n  9984.T: short"}
    site = built(make_site, {POST: post(**front)})
    items = [li.get_text() for li in page(site).select(".positions li")]
    assert items == ["NVDA：買いポジションを保有", "7203.T：ポジションなし",
                     "9984.T：売りポジション（空売り）を保有"]  # fmt: skip


def test_positions_are_labelled_for_screen_readers(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(positions="{NVDA: long}")})
    box = page(site).select_one("aside.positions")
    assert box is not None
    title = page(site).find(id=box["aria-labelledby"])
    assert title is not None and title.get_text() == "ポジション開示"


def test_a_post_without_positions_has_no_disclosure_box(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()})
    assert page(site).select("aside.positions") == []


def test_an_unknown_position_is_an_error_at_its_own_line(make_site: MakeSite) -> None:
    front = {"positions": "\n  NVDA: long\n  7203.T: buy"}
    site = make_site({POST: post(**front)})
    message = build_error(site)
    assert f"{POST}:6: positions: 7203.T: 'buy' is not a position; use long, short or none" in (
        message
    )


def test_positions_must_be_a_mapping(make_site: MakeSite) -> None:
    site = make_site({POST: post(positions="[NVDA]")})
    assert f"{POST}:4: positions: must map tickers to long, short or none" in build_error(site)


def test_a_ticker_listed_twice_is_an_error(make_site: MakeSite) -> None:
    site = make_site({POST: post(positions="\n  NVDA: long\n  nvda: none")})
    assert f"{POST}:6: positions: NVDA is listed twice" in build_error(site)


# As of


def test_as_of_shows_the_date_of_the_figures_near_the_top(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(as_of="2025-11-19")})
    as_of = page(site).select_one("header.post-header .as-of")
    assert as_of is not None and as_of.get_text() == "データは2025年11月19日時点"
    time = as_of.find("time")
    assert time is not None and time["datetime"] == "2025-11-19T00:00:00+09:00"


def test_as_of_is_the_temporal_coverage_in_json_ld(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post(as_of="2025/11/19")})
    data = json_ld(page(site))
    assert data["temporalCoverage"] == "2025-11-19T00:00:00+09:00"
    assert data["dateModified"] == data["datePublished"]


def test_without_as_of_there_is_no_date_of_figures(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()})
    assert page(site).select(".as-of") == []
    assert "temporalCoverage" not in json_ld(page(site))


def test_an_unreadable_as_of_is_an_error_at_its_line(make_site: MakeSite) -> None:
    site = make_site({POST: post(as_of="2025-13-40")})
    assert f"{POST}:4: as_of:" in build_error(site)


# Rebuilds


def test_changing_the_configured_disclaimer_updates_every_post(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()}, MINIMAL_CONFIG + "disclaimer:\n  text: 旧文言\n")
    (site / "config.yaml").write_text(MINIMAL_CONFIG + "disclaimer:\n  text: 新文言\n")
    build_site(site)
    assert disclaimer(page(site)) == "新文言"


def test_making_a_post_sponsored_relabels_its_card_on_the_home_page(make_site: MakeSite) -> None:
    site = built(make_site, {POST: post()})
    (site / POST).write_text(post(sponsored="true"), encoding="utf-8")
    build_site(site)
    assert page(site, "index.html").select(".post-card .sponsored-label") != []


def test_a_key_that_is_no_ticker_is_an_error_at_its_line(make_site: MakeSite) -> None:
    site = make_site({POST: post(positions="\n  NVDA: long\n  エヌビディア: long")})
    assert f"{POST}:6: positions: 'エヌビディア' is not a ticker such as NVDA" in build_error(site)
