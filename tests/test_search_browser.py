"""The search page in a real headless Chromium: type a query, read the results."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import build_site, launch_chromium, post, write_files
from playwright.sync_api import Browser, Page, expect, sync_playwright
from test_typography_browser import serve_folder

COMPOUND_ONCE = "今期は半導体の話題が少しある。"
COMPOUND_OFTEN = "半導体の需要が急増。半導体メーカーは増産し、半導体株が上昇。半導体投資。半導体。"
SCATTERED = "半分の人が導入に賛成し、体制を整えた。半年後に導線と体験を見直す。"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = write_files(
        tmp_path_factory.mktemp("search"),
        {
            "config.yaml": 'title: 検索テスト\nbase_url: "https://example.com/"\n',
            # The scattered characters are in the newest post, so recency alone would put
            # it first.
            "content/posts/2025-11-01-often.md": post("市況メモ", "2025-11-01", COMPOUND_OFTEN),
            "content/posts/2025-11-02-once.md": post("今期の見通し", "2025-11-02", COMPOUND_ONCE),
            "content/posts/2025-11-03-scattered.md": post("体制の話", "2025-11-03", SCATTERED),
            "content/posts/2025-11-04-nvidia.md": post(
                "NVIDIAの決算", "2025-11-04", "エヌビディア（NVIDIA）の決算。トヨタ（7203.T）も。"
            ),
            "content/posts/2025-11-05-ai.md": post("生成AIの波", "2025-11-05", "生成AIが広がる。"),
            "content/posts/2025-11-06-apart.md": post(
                "AIと生成", "2025-11-06", "AIは道具だ。新しい市場が生成される。"
            ),
        },
    )
    build_site(site)
    with serve_folder(site / "output") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    page = browser.new_page()
    page.goto(site_url + "search/")
    yield page
    page.close()


def search(page: Page, query: str) -> list[str]:
    page.fill("#search-query", query)
    page.press("#search-query", "Enter")
    expect(page.locator(".search-status")).not_to_have_text("")
    expect(page.locator(".search-status")).not_to_contain_text("検索中")
    titles: list[str] = page.locator(".search-result h2").all_inner_texts()
    return titles


def test_a_compound_finds_the_posts_holding_it_most_mentions_first(page: Page) -> None:
    assert search(page, "半導体") == ["市況メモ", "今期の見通し"]


def test_scattered_characters_are_not_a_match(page: Page) -> None:
    assert "体制の話" not in search(page, "半導体")


def test_the_snippet_marks_the_match(page: Page) -> None:
    search(page, "半導体")
    marks = page.locator(".search-result").first.locator(".search-snippet mark")
    expect(marks.first).to_have_text("半導体")


def test_a_mixed_japanese_and_latin_compound_ranks_where_it_stands_together(page: Page) -> None:
    assert search(page, "生成AI")[0] == "生成AIの波"


def test_english_words_are_found_in_any_case_and_width(page: Page) -> None:
    assert search(page, "ｎｖｉｄｉａ") == ["NVIDIAの決算"]


def test_a_ticker_is_found(page: Page) -> None:
    assert search(page, "7203.T") == ["NVIDIAの決算"]


def test_no_match_says_so(page: Page) -> None:
    assert search(page, "暗号資産") == []
    expect(page.locator(".search-status")).to_contain_text("一致する記事はありません")


def test_a_query_in_the_address_runs_on_load(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/?q=決算%20NVIDIA")
    expect(page.locator(".search-status")).to_contain_text("1件")
    expect(page.locator("#search-query")).to_have_value("決算 NVIDIA")


def test_a_result_links_to_its_post(page: Page, site_url: str) -> None:
    search(page, "エヌビディア")
    page.locator(".search-result h2 a").first.click()
    expect(page).to_have_url(site_url + "2025/11/04/nvidia/")
