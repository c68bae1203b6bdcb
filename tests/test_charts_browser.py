"""Charts (and a trend header drawn by them) as a reader sees them: headless Chromium at
phone and desktop widths.

Run with `--basetemp=/tmp/ssg-charts` to keep the screenshots where you can look at them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_site, launch_chromium, post
from PIL import Image
from playwright.sync_api import Browser, sync_playwright
from test_typography_browser import MEASURE_OVERFLOW, serve_folder

WIDTHS = (375, 1280)
MONTHS = "\n".join(f"2024-{m:02d},{140 + m * 1.5},{-3 + m * 0.8}" for m in range(1, 13))
BODY = """\
ドル円と金利差の推移です。

```chart
type: line
title: ドル円と日米金利差
x_label: 月
y_label: 円 / %
data: fx
```

```chart
type: stacked-bar
title: セグメント別売上高
unit: 円
data: |
  年度,国内,海外
  2022,8.1e11,1.2e12
  2023,8.5e11,1.6e12
  2024,9.0e11,2.1e12
```

| 銘柄 | 売上高（億円） | 営業利益（億円） | 純利益（億円） | 前年同期比 | 営業利益率 | 配当利回り |
|---|---|---|---|---|---|---|
| トヨタ自動車（7203） | 117,000 | 12,500 | 9,800 | ▲18.6% | 10.7% | 2.8% |
| ソフトバンクグループ（9984） | 17,800 | (1,200) | (2,400) | △5.0% | ▲6.7% | — |
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def chart_site(make_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    site: Path = make_site({
        "content/posts/2025-11-01-fx.md": post(
            title="為替", date="2025-11-01", body=BODY,
            trend='{keyword: ドル円, region: JP, buzz: "10,000+", data: fx}',
        ),
        "data/fx.csv": f"月,ドル円,金利差\n{MONTHS}\n",
    })  # fmt: skip
    build_site(site)
    with serve_folder(site / "output") as url:
        yield url + "2025/11/01/fx/"


def test_a_trend_header_charts_and_a_wide_table_fit_a_phone_the_table_scrolling_in_its_box(
    browser: Browser, chart_site: str
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900})
    try:
        page.goto(chart_site)
        measured = page.evaluate(MEASURE_OVERFLOW)
        assert measured["scrollWidth"] <= 375, measured["culprits"]
        assert page.locator(".trend-header").count() == 1
        table_box = page.locator(".table-wrap").first
        widths = table_box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] > widths[1]  # wider than the phone: it scrolls inside its box
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_post_with_charts_fits_the_screen_and_the_charts_fill_the_column(
    browser: Browser, chart_site: str, width: int, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(chart_site)
        measured = page.evaluate(MEASURE_OVERFLOW)
        assert measured["scrollWidth"] <= measured["innerWidth"], measured["culprits"]
        column = page.locator(".post-body").bounding_box()
        figures = page.locator("figure.chart svg").all()
        assert len(figures) == 3  # the trend header's and the post's two
        for index, figure in enumerate(figures):
            box = figure.bounding_box()
            assert box is not None and column is not None
            if index:  # the post's charts fill its column; the trend's, its box
                assert box["width"] == pytest.approx(column["width"], abs=1)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            # The viewBox's aspect ratio is kept: no squashed text.
            assert box["height"] == pytest.approx(box["width"] * 280 / 440, abs=1)
            shot = tmp_path / f"chart-{index}-{width}.png"
            figure.screenshot(path=str(shot))
            assert drawn_in_first_colour(shot) > 200  # the series were drawn, in --chart-1
        page.screenshot(path=str(tmp_path / f"page-{width}.png"), full_page=True)
    finally:
        page.close()


def drawn_in_first_colour(shot: Path) -> int:
    """How many pixels of the screenshot are about the first series' colour (#0b5cad)."""
    with Image.open(shot) as image:
        data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if abs(r - 11) + abs(g - 92) + abs(b - 173) < 40)


def test_the_tick_labels_are_readable_on_a_phone(browser: Browser, chart_site: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900})
    try:
        page.goto(chart_site)
        sizes = page.locator("figure.chart .chart-axis text").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().height)"
        )
        assert sizes and min(sizes) >= 9  # px on screen, after the SVG is scaled down
    finally:
        page.close()
