"""Slugs keep Japanese readable and can never name a path outside output/."""

from __future__ import annotations

import unicodedata

import pytest

from ssg.content.slugs import slugify, term_key, term_slug, term_slug_map


def test_japanese_is_kept() -> None:
    assert slugify("半導体") == "半導体"


def test_spaces_become_single_dashes() -> None:
    assert slugify("OpenAI  AWS 契約") == "OpenAI-AWS-契約"


def test_letter_case_is_kept_like_jekyll() -> None:
    assert slugify("Hello World") == "Hello-World"


def test_url_and_shell_characters_are_replaced() -> None:
    assert slugify("C++ & Rust?") == "C-Rust"


def test_decomposed_kana_is_composed() -> None:
    assert slugify(unicodedata.normalize("NFD", "ガイド")) == "ガイド"
    assert len(slugify(unicodedata.normalize("NFD", "ガイド"))) == 3


def test_control_characters_are_dropped() -> None:
    assert slugify("x\x00y\u200ez") == "xyz"


def test_leading_dots_cannot_make_a_hidden_file() -> None:
    assert slugify(".hidden") == "hidden"


def test_a_path_cannot_escape_through_a_slug() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"


@pytest.mark.parametrize("text", ["", "  ", ".", "..", "...", "/", "\\", "???"])
def test_text_with_nothing_usable_gives_a_dash(text: str) -> None:
    assert slugify(text) == "-"


@pytest.mark.parametrize(
    "text", ["..", ".", "a/b", "a\\b", "../x", "x/..", "/", "\\\\server\\share", "..\\..\\x"]
)
def test_a_slug_is_never_dot_dotdot_or_contains_a_separator(text: str) -> None:
    slug = slugify(text)
    assert slug not in (".", "..")
    assert "/" not in slug
    assert "\\" not in slug


def test_term_key_folds_case() -> None:
    assert term_key("AI") == term_key("ai") == term_key("Ai")


def test_term_key_folds_full_width_letters() -> None:
    assert term_key("ＡＩ") == term_key("AI")


def test_term_key_folds_nfc_and_nfd() -> None:
    assert term_key(unicodedata.normalize("NFD", "ガイド")) == term_key("ガイド")


def test_term_key_ignores_surrounding_spaces() -> None:
    assert term_key(" AI ") == term_key("AI")


def test_term_key_keeps_different_words_apart() -> None:
    assert term_key("半導体") != term_key("半導体株")


def test_term_slug_is_the_folded_name() -> None:
    assert term_slug("ＡＩ", {}) == "ai"


def test_term_slug_keeps_japanese() -> None:
    assert term_slug("半導体", {}) == "半導体"


def test_config_slug_mapping_wins() -> None:
    slug_map = term_slug_map({"半導体": "semiconductor"})
    assert term_slug("半導体", slug_map) == "semiconductor"


def test_config_slug_mapping_matches_any_spelling_of_the_term() -> None:
    slug_map = term_slug_map({"AI": "artificial-intelligence"})
    assert term_slug("ａｉ", slug_map) == "artificial-intelligence"


def test_config_slug_mapping_is_slugified_too() -> None:
    slug_map = term_slug_map({"x": "../../evil"})
    assert term_slug("x", slug_map) == "evil"
