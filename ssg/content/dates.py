"""Dates as real blogs write them, and as Japanese (or English) readers expect to see them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

# Jekyll and Hugo posts carry all of: "2025-11-20 08:43:29 +0000", "2025-11-20 08:43 +0900",
# "2025-11-20T09:30:00+09:00", "2025-11-20", "2025/11/20", with or without quotes.
_DATE_RE = re.compile(
    r"""^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})
        (?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d+))?)?)?
        \s*(?P<tz>[Zz]|(?:UTC|GMT)|[+-]\d{2}(?::?\d{2})?)?$""",
    re.VERBOSE,
)
_FILE_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
_WEEKDAYS_JA = "月火水木金土日"
# Dates are moved between zones (the site's, UTC) to be shown, sorted and put in the feed;
# one within a day of year 1's start or year 9999's end overflows Python's datetime there.
FIRST_YEAR, LAST_YEAR = 2, 9998


class DateError(ValueError):
    """A value that is not a date we can read; the message quotes it."""


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Turn a front-matter value into an aware datetime.

    PyYAML hands us a str, a date or a datetime depending on the exact shape, so all three
    are accepted. A value without an offset is taken to be in the site's zone `tz`.
    """
    moment = _parse_date(value, tz)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        written = f'"{value.strip()}"' if isinstance(value, str) else repr(value)
        raise DateError(
            f"cannot use {written}: the year must be between {FIRST_YEAR} and {LAST_YEAR}"
        )
    return moment


def _parse_date(value: object, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if isinstance(value, str):
        return _parse_date_text(value.strip(), tz)
    raise DateError(f"cannot parse {value!r}: expected a date like 2025-11-20 08:43:29 +0900")


def _parse_date_text(text: str, tz: tzinfo) -> datetime:
    match = _DATE_RE.match(text)
    if not match:
        raise DateError(f'cannot parse "{text}": expected a date like 2025-11-20 08:43:29 +0900')
    g = match.groupdict()
    fraction = (g["f"] or "0")[:6].ljust(6, "0")
    try:
        return datetime(
            int(g["y"]), int(g["m"]), int(g["d"]),
            int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0), int(fraction),
            tzinfo=_offset(g["tz"], tz),
        )  # fmt: skip
    except ValueError as exc:
        raise DateError(f'cannot parse "{text}": {exc}') from None


def _offset(text: str | None, default: tzinfo) -> tzinfo:
    if not text:
        return default
    if text in ("Z", "z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f'cannot parse offset "{text}"')
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def date_from_filename(stem: str, tz: tzinfo) -> datetime | None:
    """The date of a Jekyll-named file (`2025-11-20-title`), or None."""
    match = _FILE_DATE_RE.match(stem)
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return datetime.combine(day, time(), tzinfo=tz)


def strip_date_prefix(stem: str) -> str:
    """`2025-11-20-openai-aws` -> `openai-aws` (Jekyll's slug rule)."""
    return _FILE_DATE_RE.sub("", stem, count=1) or stem


def utc_instant(moment: datetime) -> datetime:
    """`moment` (aware) as a naive UTC datetime: as a sort key, it compares as the aware
    value does, without two `utcoffset()` calls per comparison (posts carry different
    time-zone objects, one per offset written)."""
    offset = moment.utcoffset()
    return moment.replace(tzinfo=None) - offset if offset else moment.replace(tzinfo=None)


def format_date(moment: datetime, language: str = "ja", fmt: str | None = None,
                weekday: bool = False) -> str:  # fmt: skip
    """`2025年11月20日` (ja) or `November 20, 2025` (en); `fmt` is strftime-style."""
    if fmt:
        # %a/%A would follow the process locale; Japanese weekday names are spelled out here.
        fmt = fmt.replace("%J", _WEEKDAYS_JA[moment.weekday()])
        return moment.strftime(fmt)
    if language == "ja":
        text = f"{moment.year}年{moment.month}月{moment.day}日"
        return text + f"({_WEEKDAYS_JA[moment.weekday()]})" if weekday else text
    text = f"{moment:%B} {moment.day}, {moment.year}"
    return f"{moment:%A}, {text}" if weekday else text
