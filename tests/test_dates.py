"""Dates as Jekyll and Hugo posts write them, and as readers expect to see them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ssg.content.dates import (
    DateError,
    date_from_filename,
    format_date,
    parse_date,
    strip_date_prefix,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def test_jekyll_date_with_utc_offset_keeps_its_instant() -> None:
    moment = parse_date("2025-11-20 08:43:29 +0000", TOKYO)
    assert moment == datetime(2025, 11, 20, 8, 43, 29, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)


def test_date_with_japan_offset_and_no_seconds() -> None:
    moment = parse_date("2025-11-20 08:43 +0900", TOKYO)
    assert moment == datetime(2025, 11, 20, 8, 43, tzinfo=offset(9))


def test_iso_8601_with_t_and_colon_offset() -> None:
    moment = parse_date("2025-11-20T09:30:00+09:00", TOKYO)
    assert moment == datetime(2025, 11, 20, 9, 30, tzinfo=offset(9))


@pytest.mark.parametrize("text", ["2025-11-20T00:30:00Z", "2025-11-20t00:30:00z"])
def test_z_suffix_means_utc(text: str) -> None:
    assert parse_date(text, TOKYO) == datetime(2025, 11, 20, 0, 30, tzinfo=UTC)


def test_utc_written_as_a_word() -> None:
    assert parse_date("2025-11-20 08:43:29 UTC", TOKYO).utcoffset() == timedelta(0)


def test_negative_offset_and_fractional_seconds() -> None:
    moment = parse_date("2025-11-20 08:43:29.123 -05:00", TOKYO)
    assert moment == datetime(2025, 11, 20, 8, 43, 29, 123000, tzinfo=offset(-5))


@pytest.mark.parametrize("text", ["2025-11-20", "2025/11/20", " 2025-11-20 ", "2025-11-20 00:00"])
def test_date_only_forms_mean_midnight_in_the_site_zone(text: str) -> None:
    assert parse_date(text, TOKYO) == datetime(2025, 11, 20, tzinfo=TOKYO)


def test_time_without_offset_is_in_the_site_zone() -> None:
    moment = parse_date("2025-11-20 08:43:29", TOKYO)
    assert moment.tzinfo is TOKYO
    assert moment.hour == 8


def test_site_zone_is_what_the_caller_passes() -> None:
    assert parse_date("2025-11-20", UTC) == datetime(2025, 11, 20, tzinfo=UTC)


def test_single_digit_month_day_and_hour_are_accepted() -> None:
    assert parse_date("2025-1-5 8:05", TOKYO) == datetime(2025, 1, 5, 8, 5, tzinfo=TOKYO)


def test_yaml_date_becomes_midnight_in_the_site_zone() -> None:
    assert parse_date(date(2025, 11, 20), TOKYO) == datetime(2025, 11, 20, tzinfo=TOKYO)


def test_naive_yaml_datetime_is_in_the_site_zone() -> None:
    moment = parse_date(datetime(2025, 11, 20, 8, 0), TOKYO)
    assert moment == datetime(2025, 11, 20, 8, 0, tzinfo=TOKYO)


def test_aware_yaml_datetime_is_kept() -> None:
    aware = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert parse_date(aware, TOKYO) is aware


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", 'cannot parse "yesterday": expected a date like'),
        ("2025-13-01", 'cannot parse "2025-13-01": month must be in 1..12'),
        ("2025-02-30", 'cannot parse "2025-02-30": day is out of range'),
        ("2025-11-20 25:00", 'cannot parse "2025-11-20 25:00"'),
        ("2025-11-20 10:00 +2500", 'cannot parse "2025-11-20 10:00 +2500"'),
        (20251120, "cannot parse 20251120"),
        # A day from year 1's start or year 9999's end: moved to UTC it overflows.
        ("0001-01-01 00:00 +0900", 'cannot use "0001-01-01 00:00 +0900": the year must be'),
        ("9999-12-31 23:59 -0900", 'cannot use "9999-12-31 23:59 -0900": the year must be'),
    ],
)
def test_unreadable_dates_raise_an_error_quoting_the_value(value: object, message: str) -> None:
    with pytest.raises(DateError, match="^" + re.escape(message)):
        parse_date(value, TOKYO)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_date_from_a_jekyll_file_name() -> None:
    assert date_from_filename("2025-11-20-openai-aws", TOKYO) == datetime(
        2025, 11, 20, tzinfo=TOKYO
    )


@pytest.mark.parametrize(
    "stem", ["openai-aws", "2025-11-20", "2025-02-30-impossible", "0001-01-01-too-early"]
)
def test_file_names_without_a_valid_date_prefix_give_none(stem: str) -> None:
    assert date_from_filename(stem, TOKYO) is None


def test_strip_date_prefix_leaves_the_slug() -> None:
    assert strip_date_prefix("2025-11-20-openai-aws") == "openai-aws"


def test_strip_date_prefix_without_a_date_changes_nothing() -> None:
    assert strip_date_prefix("openai-aws") == "openai-aws"


def test_strip_date_prefix_never_returns_an_empty_name() -> None:
    assert strip_date_prefix("2025-11-20-") == "2025-11-20-"


def test_japanese_date_format() -> None:
    assert format_date(datetime(2025, 1, 5, tzinfo=TOKYO)) == "2025年1月5日"


def test_japanese_date_with_weekday() -> None:
    moment = datetime(2025, 11, 20, tzinfo=TOKYO)  # a Thursday
    assert format_date(moment, "ja", weekday=True) == "2025年11月20日(木)"


def test_english_date_format() -> None:
    assert format_date(datetime(2025, 11, 20, tzinfo=TOKYO), "en") == "November 20, 2025"


def test_english_date_with_weekday() -> None:
    moment = datetime(2025, 11, 20, tzinfo=TOKYO)
    assert format_date(moment, "en", weekday=True) == "Thursday, November 20, 2025"


def test_custom_format_with_japanese_weekday() -> None:
    moment = datetime(2025, 11, 23, tzinfo=TOKYO)  # a Sunday
    assert format_date(moment, fmt="%Y/%m/%d(%J)") == "2025/11/23(日)"
