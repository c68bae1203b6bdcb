"""Every Markdown feature ssg adds, as the example site's posts use it, through the real build.

The plugins have tests of their own on parsers those tests build; these check the parser
the build uses. Each test names the part of make_markdown it depends on, so unplugging any
`md.use(...)`, rule or option there fails at least one of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, copy_example_site

POST = "2025/10/27/earnings-guidance/index.html"


@pytest.fixture(scope="module")
def page(example_build: Path) -> BeautifulSoup:
    return BeautifulSoup((example_build / POST).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def body(page: BeautifulSoup) -> BeautifulSoup:
    return page.select_one(".post-body")


def test_a_japanese_paragraph_written_over_lines_has_no_line_breaks(body: BeautifulSoup) -> None:
    # cjk_soft_breaks: the source breaks this sentence after 「よりも、」.
    first = body.p.get_text()
    assert "そのものよりも、会社が示す来期の見通し" in first
    assert "\n" not in first


def test_bold_next_to_japanese_brackets_is_strong(body: BeautifulSoup) -> None:
    # cjk_friendly_emphasis: `**「ガイダンス」**が` closes between 」 and が.
    assert [s.get_text() for s in body.find_all("strong")] == ["「ガイダンス」", "「ガイダンス」"]
    assert "**" not in body.get_text()


def test_zenn_and_qiita_boxes_are_asides_of_their_kind(body: BeautifulSoup) -> None:
    # callouts: :::message, :::note warn, :::message alert, and a :::note warn nested in details.
    kinds = [aside["class"][1] for aside in body.select("aside.callout")]
    assert kinds == ["callout-info", "callout-warn", "callout-alert", "callout-warn"]


def test_details_blocks_are_collapsible_with_their_titles(body: BeautifulSoup) -> None:
    summaries = [s.get_text() for s in body.select("details.callout-details > summary")]
    assert summaries == ["用語メモ：ガイダンスとは", "過去のメモ：ガイダンスで売られた例"]


def test_a_box_nests_inside_a_details_with_a_longer_fence(body: BeautifulSoup) -> None:
    outer = body.select("details.callout-details")[1]
    assert outer.select_one("aside.callout-warn").get_text(strip=True).startswith("個別の銘柄名")
    assert ":::" not in body.get_text()


def test_headings_get_ids_from_their_japanese_text(page: BeautifulSoup) -> None:
    # add_heading_ids, and the table of contents it collects.
    # The footnotes' own heading (titled_footnotes) is inside their section: not the writer's.
    ids = [h["id"] for h in page.select(".post-body > h2")]
    assert ids == ["決算で見る3つの数字", "サプライズ率を計算する", "決算発表の夜のチェックリスト"]
    assert [a["href"] for a in page.select(".toc a")] == [f"#{i}" for i in ids]


def test_a_fence_with_a_file_name_shows_the_name_over_highlighted_code(
    body: BeautifulSoup,
) -> None:
    # render_fence: ```python:surprise.py
    block = body.select_one("div.code-block")
    assert block.select_one(".code-filename").get_text() == "surprise.py"
    code = block.select_one("pre.highlight > code.language-python")
    assert code.select_one("span.k").get_text() == "def"  # Pygments' keyword class


def test_tables_are_wrapped_for_scrolling(body: BeautifulSoup) -> None:
    # the table_open / table_close render rules, on gfm_plugin's tables.
    table = body.select_one("div.table-wrap > table")
    assert [th.get_text() for th in table.select("thead th")] == [
        "項目", "見るところ", "株価への効き方",
    ]  # fmt: skip
    assert table.parent["tabindex"] == "0"  # keyboard users can scroll it
    assert "</table></div>" in str(body)


def test_tildes_strike_through(body: BeautifulSoup) -> None:
    assert body.select_one("s").get_text() == "EPSが予想を上回れば株価は上がる"


def test_a_single_tilde_is_a_range(body: BeautifulSoup) -> None:
    # the strikethrough_single_tilde option, which gfm_plugin turns on and make_markdown off.
    assert "サプライズ率が1~3%なら想定内、5~10%になると" in body.get_text()
    assert len(body.select("s")) == 1


def test_lines_followed_by_dashes_are_a_paragraph_and_a_rule(body: BeautifulSoup) -> None:
    # single_line_setext_headings: `---` under the three lines of the note at the end.
    notes = [p for p in body.find_all("p") if p.get_text().startswith("【この記事の数字について】")]
    note = notes[0]
    assert note.get_text().endswith("実在の企業の決算とは関係ありません。")
    assert note.find_next_sibling().name == "hr"


def test_task_lists_are_disabled_checkboxes_labelled_by_their_items(body: BeautifulSoup) -> None:
    boxes = body.select("li.task-list-item > label > input[type=checkbox][disabled]")
    assert [box.has_attr("checked") for box in boxes] == [True, True, False, False]


def test_a_bare_url_becomes_a_link(body: BeautifulSoup) -> None:
    assert body.select_one('a[href="https://www.sec.gov/"]').get_text() == "https://www.sec.gov/"


def test_footnotes_link_both_ways(body: BeautifulSoup) -> None:
    assert body.select_one("sup.footnote-ref a")["href"] == "#fn1"
    note = body.select_one("section.footnotes li#fn1")
    assert note.get_text(strip=True).startswith("あくまで私の体感で")
    assert note.select_one("a.footnote-backref")["href"] == "#fnref1"


def test_raw_html_passes_through(body: BeautifulSoup) -> None:
    # the {"html": raw_html} option, raw_html being true by default.
    assert body.select_one('abbr[title="Earnings Per Share"]').get_text() == "EPS"


def test_the_more_marker_ends_the_excerpt(page: BeautifulSoup) -> None:
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description == page.select_one(".post-body p").get_text()
    assert "<!--more-->" not in str(page)


def test_links_to_the_sites_own_pages_get_the_base_path(tmp_path: Path) -> None:
    # prefix_site_links, installed only when base_url has a path.
    site = copy_example_site(tmp_path / "site")
    build_site(site, base_url="https://example.com/blog/")
    html = (site / "output" / POST).read_text(encoding="utf-8")
    body = BeautifulSoup(html, "html.parser").select_one(".post-body")
    assert body.select_one('a[href="/blog/about/"]').get_text() == "このブログについて"


def test_raw_html_is_escaped_when_the_site_turns_it_off(tmp_path: Path) -> None:
    site = copy_example_site(tmp_path / "site")
    build_site(site, raw_html=False)
    html = (site / "output" / POST).read_text(encoding="utf-8")
    body = BeautifulSoup(html, "html.parser").select_one(".post-body")
    assert body.select_one("abbr") is None
    assert '<abbr title="Earnings Per Share">EPS</abbr>' in body.get_text()
