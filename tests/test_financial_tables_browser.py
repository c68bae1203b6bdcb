"""A wide financial table on a phone, in headless Chromium: the page keeps its width, the
table scrolls inside its box, its first column stays in view, and figures line up.

Run with `--basetemp=/tmp/ssg-tables` to keep the screenshots where you can look at them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, launch_chromium, post
from playwright.sync_api import Page, sync_playwright
from test_typography_browser import MEASURE_OVERFLOW, PHONE, serve_folder

WIDE_TABLE = """\
決算の比較です（説明用の数字）。

| 銘柄 | 売上高（億円） | 営業利益（億円） | 前年同期比 | 営業利益率 | 純利益（億円） | 配当利回り | 予想PER |
|---|---|---|---|---|---|---|---|
| トヨタ自動車（7203） | 117,000 | 12,500 | ▲18.6% | 10.7% | 11,700 | 2.8% | 9.8倍 |
| ソニーグループ（6758） | 31,000 | 3,400 | +12.0% | 11.0% | 2,600 | 0.6% | 19.5倍 |
| ソフトバンクグループ（9984） | 17,800 | (1,200) | △5.0% | ▲6.7% | ９，２００ | 0.5% | — |
"""  # noqa: E501
POST_PATH = "2025/11/20/wide/"

# Where the first column's cell and the third column's cell of the first body row are, and
# whether the first is the element a finger at its middle would touch (nothing over it).
CELL_POSITIONS = """() => {
  const row = document.querySelector('.post-body tbody tr');
  const first = row.cells[0].getBoundingClientRect();
  const third = row.cells[2].getBoundingClientRect();
  const box = document.querySelector('.table-wrap').getBoundingClientRect();
  const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
  return {firstLeft: first.left, firstRight: first.right, thirdLeft: third.left,
          boxLeft: box.left, firstOnTop: row.cells[0].contains(hit)};
}"""


@pytest.fixture(scope="module")
def phone() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport=PHONE)
            yield page
        finally:
            browser.close()


@pytest.fixture
def wide_post(phone: Page, make_site: Callable[..., Path]) -> Iterator[Page]:
    """The phone showing a sponsored post with positions, a data-as-of date and a wide table."""
    front = {
        "sponsored": "true",
        "as_of": "2025-11-19",
        "positions": "{7203.T: long, 6758.T: none}",
    }
    site = make_site({"content/posts/2025-11-20-wide.md": post(body=WIDE_TABLE, **front)})
    build_site(site)
    with serve_folder(site / "output") as url:
        phone.goto(url + POST_PATH)
        yield phone


def scroll_table(page: Page, left: int) -> Any:
    return page.evaluate(
        "left => { const w = document.querySelector('.table-wrap'); w.scrollLeft = left; return "
        "{scrollLeft: w.scrollLeft, scrollWidth: w.scrollWidth, clientWidth: w.clientWidth}; }",
        left,
    )


def test_a_wide_table_does_not_widen_the_page(wide_post: Page) -> None:
    measured = wide_post.evaluate(MEASURE_OVERFLOW)
    assert measured["scrollWidth"] <= measured["innerWidth"], measured["culprits"]


def test_a_wide_table_scrolls_inside_its_box(wide_post: Page) -> None:
    box = scroll_table(wide_post, 10_000)
    assert box["scrollWidth"] > box["clientWidth"] + 200  # really wider than the phone
    assert box["scrollLeft"] == box["scrollWidth"] - box["clientWidth"]
    assert wide_post.evaluate("window.scrollX") == 0  # the page itself did not move


def test_the_first_column_stays_in_view_when_the_table_scrolls(
    wide_post: Page, tmp_path: Path
) -> None:
    before = wide_post.evaluate(CELL_POSITIONS)
    wide_post.screenshot(path=str(tmp_path / "table-375-start.png"))
    scroll_table(wide_post, 300)
    after = wide_post.evaluate(CELL_POSITIONS)
    wide_post.screenshot(path=str(tmp_path / "table-375-scrolled.png"))
    assert after["thirdLeft"] < before["thirdLeft"] - 250  # the rest moved...
    assert after["firstLeft"] == pytest.approx(after["boxLeft"], abs=1)  # ...the first did not
    assert after["firstRight"] > after["boxLeft"] + 40
    assert after["firstOnTop"]  # and the scrolled cells pass under it, not over it


def test_figures_are_right_aligned_in_tabular_numerals_and_losses_coloured(
    wide_post: Page,
) -> None:
    style = wide_post.evaluate(
        """() => {
          const s = el => getComputedStyle(document.querySelector(el));
          return {align: s('.post-body td.num').textAlign,
                  numerals: s('.post-body td.num').fontVariantNumeric,
                  name: s('.post-body tbody td:first-child').textAlign,
                  loss: s('.post-body td.neg').color, gain: s('.post-body td.num').color};
        }"""
    )
    assert style["align"] == "right"
    assert style["numerals"] == "tabular-nums"
    assert style["name"] == "left"
    assert style["loss"] == "rgb(179, 38, 30)"
    assert style["gain"] != style["loss"]


def test_the_sponsored_label_is_visible_above_the_title(wide_post: Page) -> None:
    label = wide_post.locator(".post-header .sponsored-label")
    title = wide_post.locator(".post-header h1")
    assert label.is_visible() and label.inner_text() == "広告"
    label_box, title_box = label.bounding_box(), title.bounding_box()
    assert label_box is not None and title_box is not None
    assert label_box["y"] + label_box["height"] <= title_box["y"]


def test_screenshots_of_the_post_at_375px(wide_post: Page, tmp_path: Path) -> None:
    shot = tmp_path / "post-375.png"
    wide_post.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
