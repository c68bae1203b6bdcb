"""ssg.markdown.cjk: emphasis next to CJK punctuation, and no stray spaces from newlines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from ssg.markdown.cjk import cjk_friendly_emphasis, cjk_soft_breaks

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases(name: str) -> Any:
    """Fixture-file examples as pytest params, named by their title line."""
    return [
        pytest.param(source, expected, id=title)
        for _, title, source, expected in read_fixture_file(FIXTURES / name)
    ]


def emphasis_markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("strikethrough").use(cjk_friendly_emphasis)


def cjk_markdown(**options: Any) -> MarkdownIt:
    return MarkdownIt("commonmark", options).use(cjk_friendly_emphasis).use(cjk_soft_breaks)


# --- CJK-friendly emphasis -------------------------------------------------------------


def test_strong_closes_between_closing_bracket_and_kanji() -> None:
    html = cjk_markdown().render("これは**「重要」**原則です。")

    assert html == "<p>これは<strong>「重要」</strong>原則です。</p>\n"


def test_strong_closes_between_closing_bracket_and_hiragana() -> None:
    html = cjk_markdown().render("**「AI」**が重要")

    assert html == "<p><strong>「AI」</strong>が重要</p>\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("これは*「重要」*原則", "<p>これは<em>「重要」</em>原則</p>\n", id="*"),
        pytest.param(
            "これは**「重要」**原則", "<p>これは<strong>「重要」</strong>原則</p>\n", id="**"
        ),
        pytest.param("これは~~「重要」~~原則", "<p>これは<s>「重要」</s>原則</p>\n", id="~~"),
        # `_` only changes when a variation selector follows the punctuation (here U+FE01).
        pytest.param(
            "正體字。\ufe01_Traditional._",
            "<p>正體字。\ufe01<em>Traditional.</em></p>\n",
            id="_",
        ),
        pytest.param(
            "正體字。\ufe01__Traditional.__",
            "<p>正體字。\ufe01<strong>Traditional.</strong></p>\n",
            id="__",
        ),
    ],
)
def test_every_delimiter_follows_the_cjk_rules(source: str, expected: str) -> None:
    assert emphasis_markdown().render(source) == expected


def test_underscore_still_does_not_emphasise_inside_a_latin_word() -> None:
    assert emphasis_markdown().render("snake__case__name") == "<p>snake__case__name</p>\n"


def test_underscore_next_to_japanese_emphasises_because_japanese_has_no_spaces() -> None:
    # ssg's one step beyond the amendment, which keeps `日本__語__です` literal.
    assert emphasis_markdown().render("日本__語__です") == "<p>日本<strong>語</strong>です</p>\n"
    assert emphasis_markdown().render("__「長期保有」__が基本") == (
        "<p><strong>「長期保有」</strong>が基本</p>\n"
    )


def test_other_markdown_instances_keep_plain_commonmark() -> None:
    cjk_markdown()

    html = MarkdownIt("commonmark").render("これは**「重要」**原則です。")

    assert html == "<p>これは**「重要」**原則です。</p>\n"


@pytest.mark.parametrize(("source", "expected"), fixture_cases("cjk_emphasis.md"))
def test_proposal_examples_render_as_the_reference_plugin(source: str, expected: str) -> None:
    assert emphasis_markdown().render(source) == expected


@pytest.mark.parametrize(("source", "expected"), fixture_cases("commonmark_emphasis.md"))
def test_commonmark_emphasis_examples_are_unchanged(source: str, expected: str) -> None:
    md = MarkdownIt("commonmark").use(cjk_friendly_emphasis).use(cjk_soft_breaks)

    assert md.render(source) == expected


# --- Soft line breaks -----------------------------------------------------------------


def test_newline_between_japanese_characters_disappears() -> None:
    assert cjk_markdown().render("日本語の\n文章です。") == "<p>日本語の文章です。</p>\n"


def test_newline_between_full_width_punctuation_and_kanji_disappears() -> None:
    assert cjk_markdown().render("終わり。\n「次」") == "<p>終わり。「次」</p>\n"


def test_newline_after_emphasis_looks_at_the_emphasised_text() -> None:
    html = cjk_markdown().render("**強調**\n次の行")

    assert html == "<p><strong>強調</strong>次の行</p>\n"


def test_newline_before_a_link_looks_at_the_link_text() -> None:
    html = cjk_markdown().render("詳しくは\n[公式サイト](https://example.com)へ")

    assert html == '<p>詳しくは<a href="https://example.com">公式サイト</a>へ</p>\n'


def test_newline_between_japanese_and_latin_is_kept() -> None:
    assert cjk_markdown().render("日本\nEnglish") == "<p>日本\nEnglish</p>\n"


def test_newline_between_latin_and_japanese_is_kept() -> None:
    assert cjk_markdown().render("English\n日本") == "<p>English\n日本</p>\n"


def test_newline_between_latin_words_is_kept() -> None:
    assert cjk_markdown().render("foo\nbar") == "<p>foo\nbar</p>\n"


def test_newline_between_hangul_is_kept() -> None:
    # Korean separates words with spaces, so the newline still stands for one.
    assert cjk_markdown().render("한국어\n문장") == "<p>한국어\n문장</p>\n"


def test_newline_next_to_an_image_is_kept() -> None:
    html = cjk_markdown().render("図\n![グラフ](g.png)")

    assert html == '<p>図\n<img src="g.png" alt="グラフ" /></p>\n'


def test_breaks_option_keeps_every_line_break() -> None:
    html = cjk_markdown(breaks=True).render("日本語の\n文章です。")

    assert html == "<p>日本語の<br />\n文章です。</p>\n"


def test_hard_break_between_japanese_characters_is_kept() -> None:
    assert cjk_markdown().render("日本語の  \n文章です。") == "<p>日本語の<br />\n文章です。</p>\n"


def test_removed_break_is_gone_from_the_token_stream() -> None:
    # Plain-text consumers (excerpts, character counts) read tokens, not HTML.
    inline = cjk_markdown().parse("日本語の\n文章です。")[1]

    assert [(child.type, child.content) for child in inline.children or []] == [
        ("text", "日本語の文章です。")
    ]
