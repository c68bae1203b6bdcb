"""Reading time and automatic excerpts."""

from __future__ import annotations

from ssg.content.summary import make_excerpt, reading_minutes

ENGLISH = "The quick brown fox jumps over the lazy dog and keeps running far into the night"


def test_reading_time_is_at_least_one_minute() -> None:
    assert reading_minutes(0, 0) == 1


def test_japanese_is_read_at_500_characters_a_minute() -> None:
    assert reading_minutes(500, 0) == 1
    assert reading_minutes(501, 0) == 2
    assert reading_minutes(3999, 0) == 8


def test_latin_text_is_read_at_200_words_a_minute() -> None:
    assert reading_minutes(0, 200) == 1
    assert reading_minutes(0, 201) == 2


def test_mixed_text_adds_both_times() -> None:
    assert reading_minutes(750, 100) == 2


def test_reading_speeds_come_from_the_caller() -> None:
    assert reading_minutes(1000, 0, chars_per_minute=250) == 4
    assert reading_minutes(0, 300, words_per_minute=100) == 3


def test_short_text_is_its_own_excerpt() -> None:
    assert make_excerpt("短い文。", 120) == "短い文。"


def test_excerpt_collapses_whitespace() -> None:
    assert make_excerpt("line one\n\nline   two", 120) == "line one line two"


def test_excerpt_ends_at_the_last_japanese_sentence_that_fits() -> None:
    text = "今日は晴れです。明日は雨が降るでしょう。" * 5
    assert make_excerpt(text, 30) == "今日は晴れです。明日は雨が降るでしょう。今日は晴れです。"


def test_excerpt_keeps_a_closing_quote_after_the_sentence_end() -> None:
    text = "「本当に？」と彼は言った。それから長い沈黙が続き、誰も何も話さなかった"
    assert make_excerpt(text, 20) == "「本当に？」と彼は言った。"


def test_excerpt_ends_at_an_english_sentence_end() -> None:
    text = "First sentence here. Second sentence is much longer than the first one"
    assert make_excerpt(text, 40) == "First sentence here."


def test_a_decimal_point_is_not_a_sentence_end() -> None:
    text = "Version 3.5 is out now and it brings many new features to everyone"
    assert make_excerpt(text, 30) == "Version 3.5 is out now and it…"


def test_a_very_early_sentence_end_is_not_used() -> None:
    # Cutting after "A." would give a useless excerpt.
    text = "A. Then a very long second sentence without any end in sight here"
    assert make_excerpt(text, 40) == "A. Then a very long second sentence…"


def test_latin_excerpt_without_sentence_end_is_cut_between_words() -> None:
    assert make_excerpt(ENGLISH, 30) == "The quick brown fox jumps…"


def test_excerpt_is_never_longer_than_the_limit() -> None:
    for limit in (10, 20, 30, 45):
        assert len(make_excerpt(ENGLISH, limit)) <= limit
        assert len(make_excerpt("あ" * 200, limit)) <= limit


def test_japanese_without_sentence_end_is_cut_at_the_limit_with_an_ellipsis() -> None:
    assert make_excerpt("あ" * 200, 50) == "あ" * 49 + "…"
