"""`heading_ids: kramdown | goldmark`: heading ids and repeat numbers as Jekyll and Hugo made
them, so an imported site's old `#anchor` links still land.

The expected ids were checked by hand against Debian's jekyll 4.3 (kramdown 2.4,
kramdown-parser-gfm 1.1) and hugo 0.111 building the same Markdown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, build_site, post

from ssg.config import load_config
from ssg.errors import ConfigError
from ssg.markdown.parser import make_markdown, render_markdown

KRAMDOWN = make_markdown(heading_ids="kramdown")
GOLDMARK = make_markdown(heading_ids="goldmark")


def ids(md, body: str) -> list[str]:
    return [h.id for h in render_markdown(md, body).toc]


@pytest.mark.parametrize("md", [KRAMDOWN, GOLDMARK], ids=["kramdown", "goldmark"])
def test_a_japanese_heading_drops_its_punctuation(md) -> None:
    assert ids(md, "## 投資の結論！\n") == ["投資の結論"]


@pytest.mark.parametrize("md", [KRAMDOWN, GOLDMARK], ids=["kramdown", "goldmark"])
def test_a_repeated_heading_is_numbered_from_one(md) -> None:
    assert ids(md, "## まとめ\n\n## まとめ\n\n## まとめ\n") == ["まとめ", "まとめ-1", "まとめ-2"]


def test_ssg_numbers_repeats_from_two() -> None:
    assert ids(make_markdown(), "## まとめ\n\n## まとめ\n") == ["まとめ", "まとめ-2"]


def test_kramdown_keeps_full_width_letters_and_drops_circled_digits() -> None:
    # Ruby's \p{Word} has no `①` (Python's \w has), and kramdown does not fold width.
    assert ids(KRAMDOWN, "## ＡＢＣ①_x\n") == ["ａｂｃ_x"]


def test_kramdown_turns_each_space_and_tab_into_a_hyphen_without_trimming() -> None:
    assert ids(KRAMDOWN, "## 結論 ！\n\n## Tab\there\n") == ["結論-", "tab-here"]


def test_kramdown_drops_double_hyphens_it_set_as_dashes_but_not_those_in_code() -> None:
    assert ids(KRAMDOWN, "## A -- B\n\n## `c--d` [Link](https://x.com/a)\n") == [
        "a--b",
        "c--d-link",
    ]


def test_kramdown_counts_a_heading_named_like_a_repeat_separately() -> None:
    # kramdown gives `まとめ-1` twice here; the second becomes unique, and old links to
    # #まとめ-1 still land on the first, as they did.
    assert ids(KRAMDOWN, "## まとめ\n\n## まとめ\n\n## まとめ-1\n\n## まとめ\n") == [
        "まとめ",
        "まとめ-1",
        "まとめ-1-2",
        "まとめ-2",
    ]


def test_kramdown_numbers_headings_without_text_from_one() -> None:
    # kramdown gives the first no id at all and the second `-1`.
    assert ids(KRAMDOWN, "## ！\n\n## ？\n") == ["section", "-1"]


def test_goldmark_reads_the_headings_markdown_not_its_text() -> None:
    body = "## **重要**な点\n\n## [Link](https://x.com/a) &amp; `c--d`\n\n## A -- B\n"
    assert ids(GOLDMARK, body) == ["重要な点", "linkhttpsxcoma-amp-c--d", "a----b"]


def test_goldmark_trims_drops_tabs_and_lowercases_one_rune_at_a_time() -> None:
    assert ids(GOLDMARK, "## Tab\there\n\n## ＡＢＣ①_x İ\n") == ["tabhere", "ａｂｃ_x-i"]


def test_goldmark_skips_ids_already_taken_by_a_heading_named_like_a_repeat() -> None:
    assert ids(GOLDMARK, "## まとめ\n\n## まとめ\n\n## まとめ-1\n\n## まとめ\n") == [
        "まとめ",
        "まとめ-1",
        "まとめ-1-1",
        "まとめ-2",
    ]


def test_goldmark_names_headings_without_text_heading() -> None:
    assert ids(GOLDMARK, "## ！\n\n## ？\n") == ["heading", "heading-1"]


def test_goldmark_takes_the_underlined_line_of_a_setext_heading() -> None:
    assert ids(GOLDMARK, "Summary Here\n---\n") == ["summary-here"]


@pytest.mark.parametrize("md", [KRAMDOWN, GOLDMARK], ids=["kramdown", "goldmark"])
def test_an_id_scripts_test_for_gets_a_section_suffix_in_every_style(md) -> None:
    assert ids(md, "## Exports\n") == ["exports-section"]


def test_goldmark_numbering_skips_an_id_the_writer_gave_a_heading() -> None:
    md = make_markdown(heading_ids="goldmark", attributes=True)
    assert ids(md, "{#まとめ}\n## 結論\n\n## まとめ\n") == ["まとめ", "まとめ-1"]


def test_twenty_thousand_repeats_in_goldmark_style_take_linear_time() -> None:
    toc = render_markdown(GOLDMARK, "## a\n\n" * 20_000).toc
    assert toc[-1].id == "a-19999"


def test_the_table_of_contents_follows_the_style() -> None:
    toc = render_markdown(KRAMDOWN, "## まとめ\n\n### まとめ\n").toc
    assert [(h.level, h.id, h.text) for h in toc] == [
        (2, "まとめ", "まとめ"),
        (3, "まとめ-1", "まとめ"),
    ]


def test_a_built_page_has_the_configured_ids(make_site) -> None:
    config = MINIMAL_CONFIG + "heading_ids: kramdown\n"
    body = "## まとめ\n\n本文\n\n## まとめ\n"
    site = make_site({"content/posts/a.md": post(body=body)}, config=config)
    build_site(site)
    html = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert [h["id"] for h in page.find_all("h2", id=True)] == ["まとめ", "まとめ-1"]


def test_changing_the_style_parses_the_posts_again(make_site) -> None:
    site = make_site({"content/posts/a.md": post(body="## まとめ\n\n## まとめ\n")})
    page = site / "output/2025/11/20/a/index.html"
    build_site(site)
    assert 'id="まとめ-2"' in page.read_text(encoding="utf-8")
    (site / "config.yaml").write_text(MINIMAL_CONFIG + "heading_ids: goldmark\n", encoding="utf-8")
    build_site(site)
    assert 'id="まとめ-1"' in page.read_text(encoding="utf-8")


def test_an_unknown_style_is_an_error_naming_the_styles(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("heading_ids: github\n", encoding="utf-8")
    with pytest.raises(ConfigError) as excinfo:
        load_config(tmp_path)
    assert "config.yaml:1: 'heading_ids' must be one of 'ssg', 'kramdown', 'goldmark', got " \
           "'github'" in str(excinfo.value)  # fmt: skip
