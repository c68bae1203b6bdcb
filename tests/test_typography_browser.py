"""The default theme as a Japanese reader sees it: headless Chromium on the built example site.

Run with `--basetemp=/tmp/ssg-typography` to keep the screenshots where you can look at them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import build_site, launch_chromium, post
from playwright.sync_api import Browser, Page, sync_playwright

PHONE = {"width": 375, "height": 812}  # iPhone X–15 mini class: the narrowest common phone
DESKTOP = {"width": 1280, "height": 900}
POST_URL = "2025/07/15/hyperscaler-capex/"  # tables, a code block and long numbers
JAPANESE_FONTS = {
    "Hiragino Kaku Gothic ProN",
    "Hiragino Sans",
    "BIZ UDPGothic",
    "Noto Sans JP",
    "Noto Sans CJK JP",
    "Yu Gothic UI",
    "Yu Gothic",
    "Meiryo",
}

# The document's width against the viewport's, plus what sticks out, for the message:
# elements past the right edge that are not inside a box scrolling on its own (a wide
# table inside .table-wrap, say, is fine).
MEASURE_OVERFLOW = """() => {
  const limit = window.innerWidth;
  const scrollsOnItsOwn = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > limit + 0.5 && !scrollsOnItsOwn(el))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: limit, culprits};
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest's output to the test results


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on an ephemeral port; yields its base URL."""
    handler = partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example_url(example_build: Path) -> Iterator[str]:
    with serve_folder(example_build) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport=PHONE)
    yield page
    page.close()


@pytest.fixture
def phone(page: Page) -> Page:
    """The shared page, at phone width whatever the previous test left it at."""
    page.set_viewport_size(PHONE)
    return page


def site_pages(output: Path) -> list[str]:
    """Every page of a built site as a URL path: each index.html, plus 404.html."""
    paths = sorted(p.relative_to(output).parent.as_posix() for p in output.rglob("index.html"))
    return ["" if p == "." else f"{p}/" for p in paths] + ["404.html"]


def horizontal_overflow(page: Page, url: str) -> str | None:
    """None if `url` fits the viewport's width; else what sticks out, for the message."""
    page.goto(url)
    measured = page.evaluate(MEASURE_OVERFLOW)
    if measured["scrollWidth"] <= measured["innerWidth"]:
        return None
    return f"{url}: {measured['scrollWidth']}px wide, culprits {measured['culprits']}"


def overflowing_pages(page: Page, base_url: str, paths: list[str]) -> list[str]:
    return [o for path in paths if (o := horizontal_overflow(page, base_url + path))]


# No sideways scrolling on a phone


def test_no_page_of_the_example_site_scrolls_sideways_on_a_phone(
    phone: Page, example_url: str, example_build: Path
) -> None:
    paths = site_pages(example_build)
    assert len(paths) > 20  # the whole site, not just the home page
    assert overflowing_pages(phone, example_url, paths) == []


# Unbreakable runs longer than a phone is wide are the point of this post.
STRESS_BODY = """\
長いURLの例：https://example.com/investor-relations/2025/q3/financial-results/supplementary-materials-and-presentation-slides.pdf を参照。

ティッカー一覧：NVDA,AMD,AVGO,TSM,ASML,MU,SKHYNIX,SAMSUNG,INTC,QCOM,ARM,MRVL,LRCX,AMAT,KLAC,TXN,ADI,NXPI,ON,MCHP

`VeryLongInlineCodeIdentifierWithoutAnyBreakOpportunityWhatsoever_2025Q3_Consolidated`

| 銘柄 | 2021年度 | 2022年度 | 2023年度 | 2024年度 | 2025年度予想 | 2026年度予想 | 備考 |
|---|---:|---:|---:|---:|---:|---:|---|
| NVIDIA | 16,675 | 26,974 | 26,974 | 60,922 | 130,497 | 200,000 | データセンター向けが牽引 |

```python
revenue_growth_by_segment = {"datacenter": 1.42, "gaming": 0.15, "automotive": 0.08, "professional": 0.2}
```

:::message alert
**注意**：https://example.com/a-very-long-url-inside-a-callout-that-must-wrap-instead-of-overflowing
:::

::::details 計算の前提（https://example.com/assumptions/with/a/long/path/in/the/summary/title）
:::note warn
入れ子の中の表も横にはみ出さない。

| 項目 | 値 | 項目 | 値 | 項目 | 値 | 項目 | 値 |
|---|---|---|---|---|---|---|---|
| 売上高成長率 | 122% | 営業利益率 | 62% | 自己資本利益率 | 91% | 配当性向 | 1% |
:::
::::
"""  # noqa: E501


def test_long_urls_tickers_tables_code_and_callouts_fit_a_phone(
    phone: Page, make_site: Callable[..., Path]
) -> None:
    site = make_site({"content/posts/2025-11-20-stress.md": post(body=STRESS_BODY)})
    build_site(site)
    with serve_folder(site / "output") as url:
        phone.goto(url + "2025/11/20/stress/")
        phone.locator("details.callout-details summary").click()  # measure it open too
        assert phone.locator("details.callout-details").get_attribute("open") is not None
        measured = phone.evaluate(MEASURE_OVERFLOW)
    assert measured["scrollWidth"] <= measured["innerWidth"], measured["culprits"]


def test_the_overflow_check_catches_a_page_that_is_too_wide(phone: Page, example_url: str) -> None:
    # The check above must be able to fail: widen one page on purpose and measure it.
    phone.goto(example_url)
    phone.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<div style=\"width:600px\">x</div>')"
    )
    measured = phone.evaluate(MEASURE_OVERFLOW)
    assert measured["scrollWidth"] > measured["innerWidth"]
    assert measured["culprits"] == ["div"]


# Japanese text settings on the post body


def post_body_style(page: Page, base_url: str) -> dict[str, str]:
    page.goto(base_url + POST_URL)
    return page.evaluate(
        """() => {
          const s = getComputedStyle(document.querySelector('.post-body'));
          return {lineBreak: s.lineBreak, overflowWrap: s.overflowWrap, fontFamily: s.fontFamily};
        }"""
    )


def test_post_body_breaks_lines_by_the_strict_japanese_rules(phone: Page, example_url: str) -> None:
    # strict: no line starts with 。、」ー or small kana such as ッ.
    assert post_body_style(phone, example_url)["lineBreak"] == "strict"


def test_post_body_wraps_anything_rather_than_overflow(phone: Page, example_url: str) -> None:
    assert post_body_style(phone, example_url)["overflowWrap"] == "anywhere"


def test_post_body_font_stack_starts_with_japanese_fonts(phone: Page, example_url: str) -> None:
    # A Latin font first would draw kanji from whatever fallback the OS picks (often Chinese).
    families = [
        f.strip().strip("\"'") for f in post_body_style(phone, example_url)["fontFamily"].split(",")
    ]
    assert families[0] in JAPANESE_FONTS
    assert "Noto Sans CJK JP" in families  # the Linux and Android font


# Screenshots, to look at by eye


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_screenshots_of_a_post_and_the_home_page(
    page: Page, example_url: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    for name, path in [("home", ""), ("post", POST_URL)]:
        page.goto(example_url + path)
        shot = tmp_path / f"{name}-{viewport['width']}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
