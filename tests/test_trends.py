"""The trend header (front matter `trend:`) and the /trends/ page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post, write_files

from ssg.errors import BuildFailed

TREND = '{keyword: ai, region: JP, buzz: "2,000+", data: trends/ai}'
INTEREST = "日付,関心度,前年\n2025-11-01,30,5\n2025-11-02,100,8\n2025-11-03,60,7\n"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / path / "index.html").read_text(), "html.parser")


@pytest.fixture
def trend_site(make_site) -> Path:  # type: ignore[no-untyped-def]
    site: Path = make_site({
        "content/posts/2025-11-20-ai.md": post(title="AI契約", date="2025-11-20", trend=TREND),
        "content/posts/2025-11-10-yen.md": post(
            title="円安", date="2025-11-10", trend="{keyword: 円安, region: US, buzz: 500+}"
        ),
        "content/posts/2025-11-01-plain.md": post(title="普通の記事", date="2025-11-01"),
        "data/trends/ai.csv": INTEREST,
    })  # fmt: skip
    build_site(site)
    return site


def test_the_trend_header_shows_keyword_buzz_region_and_interest_above_the_article(
    trend_site: Path,
) -> None:
    header = page(trend_site, "2025/11/20/ai").select_one("aside.trend-header")
    assert header is not None
    assert header.find_next_sibling("article", class_="post") is not None  # above the article
    assert header.select_one(".trend-keyword").text == "ai"  # type: ignore[union-attr]
    assert header.select_one(".trend-buzz").text == "2,000+"  # type: ignore[union-attr]
    region = header.select_one(".trend-region").text  # type: ignore[union-attr]
    assert "🇯🇵" in region and "日本" in region
    chart = header.select_one("figure.chart svg")
    assert chart is not None and chart.title.text == "「ai」への関心の推移"  # type: ignore[union-attr]
    assert len(header.select("figure.chart tbody tr")) == 3
    # The first column after the dates is the interest; the chart draws only it.
    assert len(header.select("figure.chart svg > g.chart-series")) == 1


def test_a_trend_without_data_has_no_chart(trend_site: Path) -> None:
    header = page(trend_site, "2025/11/10/yen").select_one("aside.trend-header")
    assert header is not None and header.select_one("figure") is None
    assert "アメリカ" in header.text


def test_a_post_without_a_trend_has_no_header(trend_site: Path) -> None:
    assert page(trend_site, "2025/11/01/plain").select_one(".trend-header") is None


def test_the_trends_page_lists_trend_posts_newest_first_with_a_sparkline(trend_site: Path) -> None:
    items = page(trend_site, "trends").select("li.trend-item")
    assert [i.select_one("a").text for i in items] == ["AI契約", "円安"]  # type: ignore[union-attr]
    assert items[0].select_one("svg.sparkline polyline") is not None
    assert items[1].select_one("svg") is None  # no data, no line


def test_a_site_without_trends_has_no_trends_page(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/posts/2025-11-01-plain.md": post()})
    build_site(site)
    assert not (site / "output/trends").exists()


def test_a_bad_region_and_a_missing_data_file_fail_at_the_trend_line(make_site) -> None:  # type: ignore[no-untyped-def]
    trend = "{keyword: ai, region: Japan, data: nope}"
    site = make_site({"content/posts/2025-11-01-x.md": post(trend=trend)})
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert [str(e) for e in failed.value.errors] == [
        "content/posts/2025-11-01-x.md:4: trend: region `Japan` is not a two-letter country "
        "code (JP, US)",
        "content/posts/2025-11-01-x.md:4: trend: no data file data/nope.csv (nor .json, .yaml)",
    ]


def test_editing_the_trend_data_redraws_its_post_and_the_trends_page(trend_site: Path) -> None:
    write_files(trend_site, {"data/trends/ai.csv": INTEREST + "2025-11-04,45,6\n"})
    build_site(trend_site)
    assert len(page(trend_site, "2025/11/20/ai").select(".trend-header tbody tr")) == 4
    line = page(trend_site, "trends").select_one("svg.sparkline polyline")
    assert line is not None and len(str(line["points"]).split()) == 4
