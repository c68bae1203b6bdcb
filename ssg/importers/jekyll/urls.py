"""Jekyll 4's URL rules, written down from its source (jekyll 4.3: url.rb, drops/url_drop.rb,
utils.rb, document.rb, page.rb), so an import knows every URL the old site served.

A *url* here is the one Jekyll computes, unescaped (`/2013/10/03/日本語/`); `served_url`
turns it into the file the old site wrote (`/about` was written as `/about.html`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from ssg.content.dates import DateError, parse_date


def slugify(text: str | None, mode: str = "default", cased: bool = False) -> str | None:
    """Utils.slugify: runs of characters the mode does not keep become one `-`, a leading
    and a trailing `-` are dropped, and the result is lower-cased unless `cased`."""
    if text is None:
        return None
    if mode not in ("raw", "default", "pretty", "ascii", "latin"):
        return text if cased else text.lower()
    if mode == "latin":  # I18n.transliterate turns what is not Latin into "?": ascii's rule
        mode = "ascii"
    slug = "".join(c if _keeps(c, mode) else "\0" for c in text)
    slug = re.sub("\0+", "-", slug)
    slug = re.sub(r"^-|-$", "", slug)
    return slug if cased else slug.lower()


_PRETTY_EXTRA = frozenset("._~!$&'()+,;=@")


def _keeps(c: str, mode: str) -> bool:
    """Whether slugify's `mode` keeps `c` (Utils::SLUGIFY_*_REGEXP). Ruby's \\p{M}\\p{L}\\p{Nd}
    is asked of the Unicode category: Python's \\w also takes `_` and other numbers."""
    if mode == "raw":
        return not c.isspace()
    if mode == "ascii":
        return c.isascii() and c.isalnum()
    if mode == "pretty" and c in _PRETTY_EXTRA:
        return True
    category = unicodedata.category(c)
    return category[0] in "ML" or category == "Nd"


# Configuration#style_to_permalink
PERMALINK_STYLES = {
    "pretty": "/:categories/:year/:month/:day/:title/",
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}


def style_to_permalink(style: str) -> str:
    return PERMALINK_STYLES.get(style, style)


def page_template(basename: str, output_ext: str, permalink_style: str) -> str:
    """Page#template: where a page goes when it has no `permalink:`."""
    if output_ext not in (".html", ".xhtml", ".htm"):
        return "/:path/:basename:output_ext"
    if basename == "index":
        return "/:path/"
    return add_permalink_suffix("/:path/:basename", permalink_style)


def add_permalink_suffix(template: str, permalink_style: str) -> str:
    """Utils.add_permalink_suffix: the ending (`/`, `:output_ext` or none) of the style."""
    if permalink_style == "pretty" or (
        permalink_style not in PERMALINK_STYLES and permalink_style.endswith("/")
    ):
        return template + "/"
    if permalink_style in ("date", "ordinal", "none") or permalink_style.endswith(":output_ext"):
        return template + ":output_ext"
    return template


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What a post's URL placeholders read (UrlDrop), already as Jekyll holds them."""

    date: datetime  # in the site's zone, as Time#localtime gives it
    slug: str | None  # front matter `slug:`, else the file name's slug
    basename: str  # the file name without its extension
    categories: tuple[str, ...]  # folder categories first, then front matter's
    path: str  # cleaned_relative_path: `/2013-10-03-x` (collection folder dropped)
    collection: str = "posts"
    output_ext: str = ".html"


_PLACEHOLDER = re.compile(r":([a-z_]+)")


# Ruby's strftime names (%b %B %a %A) are English whatever the locale; Python's follow it.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def post_placeholders(facts: PostFacts) -> dict[str, str]:
    d = facts.date
    slug_source = facts.slug if facts.slug is not None else facts.basename
    categories = dict.fromkeys(c.lower() for c in facts.categories)
    slugged = dict.fromkeys(slugify(c) or "" for c in facts.categories)
    return {
        "collection": facts.collection, "output_ext": facts.output_ext, "path": facts.path,
        "name": slugify(facts.basename) or "",
        "title": slugify(slug_source, "pretty", cased=True) or "",
        "slug": slugify(slug_source) or "",
        "categories": "/".join(categories), "slugified_categories": "/".join(slugged),
        "year": f"{d.year:04d}", "month": f"{d.month:02d}", "day": f"{d.day:02d}",
        "hour": f"{d.hour:02d}", "minute": f"{d.minute:02d}", "second": f"{d.second:02d}",
        "i_day": str(d.day), "i_month": str(d.month), "short_month": _MONTHS[d.month - 1][:3],
        "long_month": _MONTHS[d.month - 1], "short_year": f"{d.year % 100:02d}",
        "w_year": str(d.isocalendar().year), "week": f"{d.isocalendar().week:02d}",
        "w_day": str(d.isoweekday()), "short_day": _DAYS[d.weekday()][:3],
        "long_day": _DAYS[d.weekday()],
        "y_day": f"{d.timetuple().tm_yday:03d}",
    }  # fmt: skip


class UnknownPlaceholder(ValueError):
    """A permalink names a placeholder Jekyll does not have (Jekyll stops the build)."""


def expand_drop(template: str, values: dict[str, str]) -> str:
    """URL#generate_url_from_drop: `:name` replaced by its value; `:month_` may mean
    `:month` followed by `_`."""

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        for key in (name, name.rstrip("_")) if name.endswith("_") else (name,):
            if key in values:
                return values[key] + name[len(key) :]
        raise UnknownPlaceholder(f"the permalink {template!r} has no placeholder :{name}")

    return _PLACEHOLDER.sub(replace, template)


def expand_hash(template: str, values: dict[str, str | None]) -> str:
    """URL#generate_url_from_hash (pages): each key replaced in turn; a missing value takes
    its leading `/` with it."""
    for key, value in values.items():
        if ":" not in template:
            break
        template = (
            template.replace(f"/:{key}", "")
            if value is None
            else template.replace(f":{key}", value)
        )
    return template


def sanitize_url(url: str) -> str:
    """URL#sanitize_url: a leading `/`, `..` and `./` removed, slashes squeezed."""
    result = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub("/{2,}", "/", result)


def served_url(url: str, output_ext: str = ".html") -> str:
    """The URL of the file Jekyll wrote for `url` (Document#destination): a URL without a
    trailing slash or the output extension gets the extension (`/about` -> `/about.html`)."""
    if url.endswith("/") or url.endswith(output_ext):
        return url
    return url + output_ext


# Psych's timestamp (YAML 1.1, seconds required); Jekyll's front matter goes through Psych.
_PSYCH_TIME = re.compile(
    r"^-?(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?"
    r"(?:\s*(Z|[-+]\d{1,2}(?::?\d\d)?))?$"
)
_PSYCH_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FILENAME_DATE = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-")


def jekyll_date(value: str, tz: tzinfo) -> datetime:
    """A front-matter `date:` as Jekyll 4 reads it, in the site's zone `tz`.

    Psych makes a timestamp with seconds but no offset a UTC time (so `2020-01-01 20:35:00`
    is 05:35 the next day in Tokyo); any other text goes through Time.parse in the site's
    zone; either way Jekyll then moves it to the site's zone (Utils.parse_date's localtime).
    """
    text = value.strip()
    match = _PSYCH_TIME.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
        micro = int((match[7] or "0")[:6].ljust(6, "0"))
        moment = datetime(y, mo, d, h, mi, s, micro, tzinfo=_psych_zone(match[8]))
        return moment.astimezone(tz)
    if _PSYCH_DATE.match(text):
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=tz)
    try:
        return parse_date(text, tz).astimezone(tz)
    except DateError:
        raise ValueError(f"cannot read date {text!r}") from None


def _psych_zone(text: str | None) -> tzinfo:
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, _, minutes = text[1:].partition(":")
    if not minutes and len(hours) > 2:
        hours, minutes = hours[:-2], hours[-2:]
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))


def filename_date(name: str, tz: tzinfo) -> datetime | None:
    """The date of a post named `2013-10-03-slug.md` (Document::DATE_FILENAME_MATCHER),
    midnight in the site's zone."""
    match = _FILENAME_DATE.match(name)
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return datetime.combine(day, time(), tzinfo=tz)


def filename_slug(name: str) -> str:
    """The slug Jekyll takes from a post's file name: date and extension off, trailing
    dots dropped."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return _FILENAME_DATE.sub("", stem, count=1).rstrip(".")
