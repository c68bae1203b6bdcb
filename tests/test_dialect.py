"""The dialect report of an import: each construct that reads differently in ssg than in
Jekyll (kramdown) or Hugo (goldmark), at its file line, and the fixes safe to make.

Each difference is shown on ssg's side by rendering with ssg's parser; the generators' side
was checked by hand with Debian's jekyll 4.3 and hugo 0.111 (see ssg/importers/dialect.py).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, build_site, post

from ssg.importers.dialect import (
    convert_dialect,
    dialect_notes,
    move_heading_attributes,
    separate_html_blocks,
)
from ssg.markdown.parser import make_markdown, render_markdown

# A post whose body starts on file line 6 (four front-matter lines, `---`, a blank line).
BODY_LINE = 6


def ssg_html(body: str, **options: object) -> BeautifulSoup:
    html = render_markdown(make_markdown(**options), body).html  # type: ignore[arg-type]
    return BeautifulSoup(html, "html.parser")


def noted_lines(body: str, generator: str) -> list[int]:
    return [line for line, _ in dialect_notes(body, BODY_LINE, generator)]


def note_at(body: str, generator: str, line: int) -> str:
    notes = dict(dialect_notes(body, BODY_LINE, generator))
    assert line in notes, notes
    return notes[line]


DISCLAIMER = "【免責事項】本記事は情報提供を目的としています。\n投資判断はご自身で。\n---\n"


def test_ssg_shows_dashes_under_a_long_paragraph_as_a_rule() -> None:
    page = ssg_html(DISCLAIMER)
    assert page.find("h2") is None
    assert page.find("hr") is not None


def test_dashes_under_a_long_paragraph_are_noted_for_jekyll_as_a_dash_it_showed() -> None:
    assert "dash (—)" in note_at(DISCLAIMER, "jekyll", BODY_LINE + 2)


def test_dashes_under_a_long_paragraph_are_noted_for_hugo_as_the_heading_it_made() -> None:
    assert "<h2>" in note_at(DISCLAIMER, "hugo", BODY_LINE + 2)


def test_dashes_under_one_line_are_a_heading_everywhere_and_not_noted() -> None:
    body = "まとめ\n---\n"
    assert ssg_html(body).h2.text == "まとめ"
    assert noted_lines(body, "jekyll") == noted_lines(body, "hugo") == []


def test_ssg_keeps_equals_under_a_long_paragraph_as_text() -> None:
    page = ssg_html("一行目\n二行目\n===\n")
    assert page.find("h1") is None
    assert "===" in page.p.text


def test_equals_under_a_long_paragraph_are_noted_for_hugo_only() -> None:
    body = "一行目\n二行目\n===\n"
    assert "<h1>" in note_at(body, "hugo", BODY_LINE + 2)
    assert noted_lines(body, "jekyll") == []


TABLE = "前の段落\n\n| 銘柄 | 株価 |\n| NVDA | 180 |\n"


def test_ssg_shows_pipe_rows_without_a_separator_as_text() -> None:
    page = ssg_html(TABLE)
    assert page.find("table") is None
    assert "| NVDA | 180 |" in page.find_all("p")[1].text


def test_pipe_rows_without_a_separator_are_noted_for_jekyll_at_their_first_line() -> None:
    assert "table without a header row" in note_at(TABLE, "jekyll", BODY_LINE + 2)


def test_pipe_rows_without_a_separator_are_not_noted_for_hugo() -> None:
    assert noted_lines(TABLE, "hugo") == []


def test_pipes_only_inside_code_are_no_table() -> None:
    assert noted_lines("`a | b` を使う\n", "jekyll") == []


def test_pipe_rows_right_under_a_paragraph_line_are_no_table_in_kramdown_either() -> None:
    assert noted_lines("前の段落\n| a | b |\n", "jekyll") == []


def test_a_real_table_is_not_noted() -> None:
    assert noted_lines("| a | b |\n|---|---|\n| 1 | 2 |\n", "jekyll") == []


HTML_THEN_MARKDOWN = '<div class="box">\n<p>注目</p>\n</div>\n**太字**の段落\n'


def test_ssg_keeps_markdown_right_after_an_html_block_as_typed() -> None:
    page = ssg_html(HTML_THEN_MARKDOWN)
    assert page.find("strong") is None
    assert "**太字**" in page.text


def test_markdown_right_after_an_html_block_is_noted_for_jekyll_at_its_line() -> None:
    assert "blank line above" in note_at(HTML_THEN_MARKDOWN, "jekyll", BODY_LINE + 3)


def test_markdown_right_after_an_html_block_is_not_noted_for_hugo() -> None:
    # goldmark is CommonMark here: it keeps the line in the HTML block too.
    assert noted_lines(HTML_THEN_MARKDOWN, "hugo") == []


def test_html_lines_after_an_html_block_are_not_noted() -> None:
    assert noted_lines("<div>\nA\n</div>\n<div>\nB\n</div>\n", "jekyll") == []


def test_markdown_inside_the_html_element_is_not_noted() -> None:
    # kramdown does not parse Markdown inside a block element either.
    assert noted_lines("<div>\n**x**\n</div>\n", "jekyll") == []


def test_separating_html_blocks_inserts_a_blank_line_after_the_closing_tag() -> None:
    body, lines = separate_html_blocks(HTML_THEN_MARKDOWN, BODY_LINE)
    assert body == '<div class="box">\n<p>注目</p>\n</div>\n\n**太字**の段落\n'
    assert lines == [BODY_LINE + 2]


def test_after_separating_html_blocks_ssg_renders_the_markdown() -> None:
    body, _ = separate_html_blocks(HTML_THEN_MARKDOWN)
    assert ssg_html(body).strong.text == "太字"


def test_separating_html_blocks_leaves_inline_html_and_code_alone() -> None:
    body = '<img src="a.png">\n**説明**\n\n```html\n<div>\n</div>\n**x**\n```\n'
    assert separate_html_blocks(body) == (body, [])


def test_separating_html_blocks_leaves_blocks_inside_a_quote_alone() -> None:
    # A blank line would end the quote.
    body = "> <div>\n> </div>\n> **x**\n"
    assert separate_html_blocks(body) == (body, [])


def test_markdown_right_after_inline_html_is_noted_but_not_fixed() -> None:
    body = '<img src="chart.png">\n**図1** 売上高の推移\n'
    assert "stands on its own" in note_at(body, "jekyll", BODY_LINE + 1)
    assert separate_html_blocks(body)[1] == []


DEFINITIONS = "PER\n: 株価収益率\n"


def test_ssg_shows_a_definition_list_as_text() -> None:
    page = ssg_html(DEFINITIONS)
    assert page.find("dl") is None
    assert ": 株価収益率" in page.p.text


@pytest.mark.parametrize("generator", ["jekyll", "hugo"])
def test_a_definition_list_is_noted_for_both_generators(generator: str) -> None:
    assert "definition list" in note_at(DEFINITIONS, generator, BODY_LINE + 1)


def test_an_abbreviation_line_is_noted_for_jekyll() -> None:
    body = "HTMLの話\n\n*[HTML]: Hyper Text Markup Language\n"
    assert "<abbr>" in note_at(body, "jekyll", BODY_LINE + 2)
    assert "*[HTML]" in ssg_html(body).text


def test_math_is_noted_for_jekyll() -> None:
    body = "$$E = mc^2$$\n"
    assert "MathJax" in note_at(body, "jekyll", BODY_LINE)
    assert "$$E = mc^2$$" in ssg_html(body).text


def test_a_kramdown_comment_is_noted_for_jekyll_as_text_ssg_shows() -> None:
    body = "{::comment}\n下書きメモ\n{:/comment}\n"
    assert "{::comment}" in note_at(body, "jekyll", BODY_LINE)
    assert "下書きメモ" in ssg_html(body).text


def test_kramdown_syntax_is_not_noted_for_hugo() -> None:
    body = "*[HTML]: x\n\n$$x$$\n\n{::comment}\nx\n{:/comment}\n"
    assert noted_lines(body, "hugo") == []


def test_nothing_inside_fenced_code_is_noted() -> None:
    body = "```markdown\n一行目\n二行目\n---\n| a | b |\n: x\n*[A]: b\n$$x$$\n## Exports\n```\n"
    assert noted_lines(body, "jekyll") == noted_lines(body, "hugo") == []


def test_a_kramdown_heading_id_is_noted_for_jekyll() -> None:
    body = "## はじめに {#intro}\n"
    assert "{#intro}" in note_at(body, "jekyll", BODY_LINE)
    assert "{#intro}" in ssg_html(body).h2.text


def test_goldmark_heading_attributes_are_noted_for_hugo_only() -> None:
    body = "## はじめに {#intro .lead}\n"
    assert "{#intro .lead}" in note_at(body, "hugo", BODY_LINE)
    assert noted_lines(body, "jekyll") == []  # kramdown reads only a lone {#id}


def test_moving_heading_attributes_puts_them_on_the_line_above() -> None:
    body, lines = move_heading_attributes("段落\n## はじめに {#intro}\n", "jekyll", BODY_LINE)
    assert body == "段落\n\n{#intro}\n## はじめに\n"
    assert lines == [BODY_LINE + 1]


def test_moved_heading_attributes_give_the_heading_its_old_id() -> None:
    body, _ = move_heading_attributes("## はじめに {#intro .lead}\n", "hugo")
    heading = ssg_html(body, attributes=True).h2
    assert (heading["id"], heading["class"], heading.text) == ("intro", ["lead"], "はじめに")


def test_a_heading_id_ssg_renames_for_scripts_is_noted() -> None:
    body = "## Exports\n\n輸出の話\n"
    assert "#exports" in note_at(body, "hugo", BODY_LINE)
    assert ssg_html(body, heading_ids="goldmark").h2["id"] == "exports-section"


def test_a_heading_that_only_reads_like_the_renamed_id_is_not_noted() -> None:
    assert noted_lines("## Exports Section\n", "jekyll") == []


def test_notes_come_in_line_order_one_per_place() -> None:
    body = DISCLAIMER + "\n" + TABLE + "\n" + HTML_THEN_MARKDOWN
    lines = noted_lines(body, "jekyll")
    assert lines == sorted(set(lines)) and len(lines) == 3


def test_an_unknown_generator_is_an_error() -> None:
    with pytest.raises(ValueError, match="generator must be"):
        dialect_notes("本文\n", 1, "pelican")


def test_a_site_built_from_a_separated_body_shows_the_markdown(make_site) -> None:
    body, _ = separate_html_blocks(HTML_THEN_MARKDOWN)
    site = make_site({"content/posts/a.md": post(body=body)}, config=MINIMAL_CONFIG)
    build_site(site)
    html = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").find("strong", string="太字") is not None


def test_a_liquid_filters_bar_makes_no_headerless_table() -> None:
    body = '![図]({{ "/a.png" | relative_url }})\n\n記事は {{ site.posts | size }} 本。\n'
    assert dialect_notes(body, 1, "jekyll") == []


def test_convert_dialect_fixes_swallowed_markdown_and_says_so() -> None:
    body = "<div>\n囲み\n</div>\n**太字**の段落。\n"
    converted, fixed, left = convert_dialect(body, body, 10, "jekyll")
    assert converted == "<div>\n囲み\n</div>\n\n**太字**の段落。\n"
    assert [line for line, _ in fixed] == [13]
    assert left == []


def test_convert_dialect_moves_hugo_heading_attributes_and_reports_none() -> None:
    body = "## 見出し {#my-id}\n\n本文\n"
    converted, fixed, left = convert_dialect(body, body, 1, "hugo")
    assert converted.startswith("{#my-id}\n## 見出し\n")
    assert (fixed, left) == ([], [])
