"""Front matter: split it from the body, load it safely, and check every known key.

Real Jekyll and Hugo posts are messy (tags as lists or space-separated strings, dates in
several shapes, empty titles), so this accepts what they contain and rejects only what
cannot be meant, each time naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from ssg.config import Config
from ssg.content.dates import date_from_filename, parse_date, strip_date_prefix
from ssg.content.slugs import slug_change, slugify, term_key, term_slug_change
from ssg.content.urls import is_safe_link, normalize_url, unportable_segments
from ssg.errors import ContentError
from ssg.markdown.ticker_symbols import normalize_ticker, ticker_problem


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (the C one when libyaml is there, several times faster), typing
    values as the writer meant them, YAML 1.2-style:

    - dates stay text: PyYAML would crash on `date: 2025-13-01` and silently convert some
      date shapes but not others; ssg parses every shape itself and reports the line;
    - only true/false are booleans: `tags: [yes, on]` are two tags, not one `True`;
    - numbers keep the text they were written as (`title: 1.10` is "1.10", not 1.1)."""


class YamlInt(int):
    """An int from front matter that prints as it was written (`007`, `1_000`)."""

    source: str

    def __str__(self) -> str:
        return self.source


class YamlFloat(float):
    """A float from front matter that prints as it was written (`1.10`)."""

    source: str

    def __str__(self) -> str:
        return self.source


def _number(kind: type[int] | type[float]) -> Any:
    name = kind.__name__
    base = _checked(f"tag:yaml.org,2002:{name}", "a whole number" if kind is int else "a number")
    wrapper = YamlInt if kind is int else YamlFloat

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        number = wrapper(base(loader, node))
        number.source = str(node.value)
        return number

    return construct


def _checked(tag: str, what: str) -> Any:
    """PyYAML's constructor for `tag`, raising a located YAML error where PyYAML's own
    raises ValueError or KeyError (`!!int abc`, `!!bool maybe`, an int of 5,000 digits)."""
    base = yaml.SafeLoader.yaml_constructors[tag]

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return base(loader, node)
        except (ValueError, KeyError):
            problem = f"cannot read {_clip(str(node.value))!r} as {what}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return construct


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class YamlWord(str):
    """A plain `yes`, `no`, `on` or `off`: text (a tag, a title), except where a flag is
    expected (`draft: no`), where it means what YAML 1.1, and so Jekyll, reads it as."""

    def flag(self) -> bool:
        return self.lower() in ("yes", "on")


_BOOL_TAG = "tag:yaml.org,2002:bool"
_WORD_TAG = "tag:ssg,2026:yaml11-bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_YAML11_WORD = re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")
_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, _YAML12_BOOL if tag == _BOOL_TAG else regexp) for tag, regexp in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}  # fmt: skip
_FrontMatterLoader.add_implicit_resolver(_WORD_TAG, _YAML11_WORD, list("yYnNoO"))
_FrontMatterLoader.add_constructor(_WORD_TAG, lambda loader, node: YamlWord(node.value))
_FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _number(int))
_FrontMatterLoader.add_constructor("tag:yaml.org,2002:float", _number(float))
_FrontMatterLoader.add_constructor(_BOOL_TAG, _checked(_BOOL_TAG, "true or false"))
# An explicit `!!timestamp` stays text too, for parse_date to read or report.
_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
_FM_OPEN = re.compile(r"---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

KNOWN_KEYS = frozenset(
    [
        "title",
        "date",
        "updated",
        "tags",
        "categories",
        "tag",
        "category",
        "tickers",
        "ticker",
        "author",
        "excerpt",
        "description",
        "reading_time",
        "slug",
        "permalink",
        "layout",
        "draft",
        "image",
        "canonical_url",
        "robots",
        "redirect_from",
        "aliases",
        "disclaimer",
        "sponsored",
        "positions",
        "as_of",
    ]
)

# A position in a ticker, as disclosures name them (front matter `positions:`).
POSITIONS = ("long", "short", "none")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML block of a file, where it sits, and the body after it."""

    data: dict[str, Any]
    text: str  # the YAML source, for finding a key's line
    body: str
    body_line: int  # 1-based file line where the body starts


@dataclass(frozen=True, slots=True)
class Meta:
    """Front matter after checking: every known key typed, the rest kept in `extra`."""

    title: str
    date: datetime | None
    updated: datetime | None
    slug: str
    permalink: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    author: str
    excerpt: str | None
    description: str | None
    reading_time: int | None
    layout: str
    draft: bool
    image: str | None
    canonical_url: str | None
    robots: str | None
    # Disclosures: True for the configured disclaimer, False for none, or the post's text.
    disclaimer: bool | str = True
    sponsored: bool = False
    positions: tuple[tuple[str, str], ...] = ()  # (ticker, one of POSITIONS), as written
    as_of: datetime | None = None  # the date the post's figures are as of
    extra: dict[str, Any] = field(default_factory=dict)
    tickers: tuple[str, ...] = ()  # normalised: `nvda` and `ＮＶＤＡ` are NVDA
    # Old URLs that redirect here: Jekyll's `redirect_from:`, Hugo's `aliases:`.
    aliases: tuple[str, ...] = ()


def normalize_text(raw: str) -> str:
    """A UTF-8 BOM and CRLF/CR line endings build exactly like clean files."""
    return raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def body_start(text: str) -> int:
    """Where the body of `text` (normalized) starts, as split_front_matter finds it but
    without reading the YAML: the offset of its first line; 0 without front matter."""
    if not _FM_OPEN.match(text):
        return 0
    close = _FM_CLOSE.search(text, text.index("\n") + 1)
    if close is None:
        return 0
    end = text.find("\n", close.end())
    return len(text) if end < 0 else end + 1


# C0 controls but tab and newline, DEL, C1 controls and Unicode's noncharacters: text
# pasted from PDFs, chat tools and mis-decoded files carries them. HTML allows none of
# them; a C0 control or U+FFFE in a title or body makes feed.xml invalid XML for every
# reader, and YAML refuses a C1 control in front matter.
# The astral noncharacters (U+1FFFE, U+1FFFF, ... U+10FFFF) are not listed one by one: a
# character class of them makes every search ten times slower. The class takes all code
# points from U+1FFFE up (rare kanji of CJK Extension B among them) and _unfit sorts them.
_CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)


def _unfit(char: str) -> bool:
    """A character _CONTROL_CHARS matches that is a control or noncharacter indeed."""
    return char < "\U0001fffe" or ord(char) & 0xFFFE == 0xFFFE


def _first_unfit(text: str) -> re.Match[str] | None:
    return next((m for m in _CONTROL_CHARS.finditer(text) if _unfit(m.group())), None)


def remove_control_chars(path: PurePosixPath, text: str) -> tuple[str, ContentError | None]:
    """`text` without control characters, and a warning at the first one's line if any."""
    first = _first_unfit(text)
    if first is None:
        return text, None
    line = text.count("\n", 0, first.start()) + 1
    count = sum(map(_unfit, _CONTROL_CHARS.findall(text)))
    name = f"U+{ord(first.group()):04X}"
    message = (f"removed {count} control character{'s' * (count > 1)} or noncharacter"
               f"{'s' * (count > 1)} (first: {name}); HTML does not allow them")  # fmt: skip
    kept = _CONTROL_CHARS.sub(lambda m: "" if _unfit(m.group()) else m.group(), text)
    return kept, ContentError(path, message, line)


def split_front_matter(path: PurePosixPath, text: str) -> FrontMatter:
    """Split `---\\nyaml\\n---\\nbody`; raise ContentError with the line of any YAML error."""
    if not _FM_OPEN.match(text):
        raise ContentError(path, "no front matter; the file must start with a '---' line", 1)
    start = text.index("\n") + 1
    close = _FM_CLOSE.search(text, start)
    if close is None:
        raise ContentError(path, "front matter is not closed; add a '---' line after it", 1)
    yaml_text = text[start : close.start()]
    end = text.find("\n", close.end())
    body = "" if end < 0 else text[end + 1 :]
    data = load_yaml(path, yaml_text)
    return FrontMatter(data, yaml_text, body, yaml_text.count("\n") + 3)


# Front matter as blogs write it: one `key: value` per line, the value double-quoted,
# plain, or a one-line flow list of such values (`tickers: [7203.T, NVDA]`). Loading that
# needs no YAML parser, and PyYAML builds a node per value in Python; anything else
# (comments, nesting, escapes, block lists, odd characters) goes to PyYAML, which then
# also reports any error.
_SIMPLE_LINE = re.compile(r"([A-Za-z_][\w-]{0,100}):(?: +(.*?))? *")
_QUOTED = re.compile(r'"([^"\\]*)"')
# No indicator first, and no character that can start a comment or a flow collection.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#,\[\]{}]*")
# Characters YAML reads as plain text: no tab, control, BOM or Unicode line separator.
_ORDINARY_TEXT = re.compile(
    "[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
_STR_TAG = "tag:yaml.org,2002:str"
# Tags a plain scalar may resolve to whose SafeLoader constructors need only the text.
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
) | {_WORD_TAG}


_NOT_SIMPLE = object()  # what _plain returns for a value it leaves to PyYAML


@cache
def _scalar_loader() -> Any:
    # Only its resolver and scalar constructors are used; they keep no state.
    return _FrontMatterLoader("")


def _load_simple_yaml(yaml_text: str) -> dict[str, Any] | None:
    """What PyYAML loads from `yaml_text`, when it is simple enough; else None."""
    if not _ORDINARY_TEXT.fullmatch(yaml_text):
        return None
    data: dict[str, Any] = {}
    for line in yaml_text.split("\n"):
        if not line:
            continue
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match[1], match[2] or ""
        if _plain(key) is not key:
            return None  # a key YAML reads as something else (`on`, `null`, `true`)
        if value.startswith('"'):
            quoted = _QUOTED.fullmatch(value)
            if quoted is None:
                return None
            data[key] = quoted[1]
        elif value.startswith("["):
            items = _flow_list(value)
            if items is None:
                return None
            data[key] = items
        else:
            scalar = _plain(value)
            if scalar is _NOT_SIMPLE:
                return None
            data[key] = scalar
    return data


def _flow_list(text: str) -> list[Any] | None:
    """A one-line flow list of double-quoted strings and plain scalars as PyYAML loads it,
    or None for anything else (a comma inside quotes, nesting, an empty item, a colon)."""
    if not text.endswith("]"):
        return None
    inner = text[1:-1].strip(" ")
    if not inner:
        return []
    items: list[Any] = []
    for item in inner.split(","):
        item = item.strip(" ")
        if item.startswith('"'):
            quoted = _QUOTED.fullmatch(item)
            if quoted is None:
                return None
            items.append(quoted[1])
            continue
        # A colon in a flow list may make a mapping (`[a: b]`) or an error (`[a:]`).
        scalar = _plain(item) if item and ":" not in item else _NOT_SIMPLE
        if scalar is _NOT_SIMPLE:
            return None
        items.append(scalar)
    return items


def _plain(text: str) -> Any:
    """A plain scalar as PyYAML loads it (str, int, float, bool or None), or _NOT_SIMPLE."""
    if text == "":
        return None
    if not _PLAIN.fullmatch(text) or ": " in text or text.endswith(":"):
        return _NOT_SIMPLE
    loader = _scalar_loader()
    tag = loader.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR_TAG:
        return text
    if tag not in _SCALAR_TAGS:
        return _NOT_SIMPLE
    try:
        return loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, text))
    except yaml.YAMLError:
        return _NOT_SIMPLE  # PyYAML reports it at its line


def load_yaml(path: PurePosixPath, yaml_text: str) -> dict[str, Any]:
    simple = _load_simple_yaml(yaml_text)
    if simple is not None:
        return simple
    try:
        data = yaml.load(yaml_text, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        raise ContentError(path, *_yaml_problem(exc)) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"invalid YAML in front matter: {exc}", 2) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ContentError(path, f"front matter must be a mapping of keys, got a {kind}", 2)
    problem = _too_big(data)
    if problem:
        raise ContentError(path, f"front matter {problem}", 2)
    data = {str(k): v for k, v in data.items()}
    if "\\" in yaml_text:  # only an escape in double quotes ("\0") can write a control
        for key, value in data.items():
            char = _control_char(value)
            if char is not None:
                message = (
                    f"{key}: holds U+{ord(char):04X}, a control character or "
                    "noncharacter (written as an escape); HTML does not allow it"
                )
                raise ContentError(path, message, _key_line(yaml_text, key))
    return data


def _control_char(value: Any) -> str | None:
    """The first control character or noncharacter in the text of `value`, if any."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found = _first_unfit(value)
            if found:
                return found.group()
        elif isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value
    return None


# Front matter is a few dozen values; these bounds stop a YAML alias bomb (nine aliases of
# nine aliases of ... is 9^9 values) or lists nested 900 deep, which would otherwise take
# minutes and gigabytes once digested and cached, or overflow the stack.
MAX_VALUES = 10_000
MAX_DEPTH = 50


def _too_big(data: Any) -> str | None:
    """Why `data` is too large to take (None if it is not), looking at no more than
    MAX_VALUES values: aliases count once per place they appear."""
    budget = MAX_VALUES
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        budget -= 1
        if budget < 0:
            return (f"holds more than {MAX_VALUES:,} values once its YAML aliases are "
                    "expanded; is it an alias bomb?")  # fmt: skip
        if depth > MAX_DEPTH:
            return f"is nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return None


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[str, int]:
    """The message and file line of a YAML error (the YAML starts on file line 2).

    When the construct that went wrong started earlier (an unclosed quote or bracket),
    the message says where, since that is usually the line to fix.
    """
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 2 if mark else 2
    message = f"invalid YAML in front matter: {exc.problem}"
    if exc.context and exc.context_mark and exc.context_mark.line + 2 != line:
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 2})"
    return message, line


def key_line(fm: FrontMatter, key: str) -> int:
    """File line of `key:` in the front matter (the opening `---` is line 1)."""
    return _key_line(fm.text, key)


def _key_line(yaml_text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", yaml_text, re.MULTILINE)
    return yaml_text.count("\n", 0, match.start()) + 2 if match else 1


def read_meta(path: PurePosixPath, fm: FrontMatter, kind: str,
              config: Config) -> tuple[Meta | None, list[ContentError]]:  # fmt: skip
    """Check every known key; return the Meta, or None and every error found."""
    errors: list[ContentError] = []

    def take(key: str, check: Callable[[Any], Any]) -> Any:
        if fm.data.get(key) is None:
            return None
        try:
            return check(fm.data[key])
        except (TypeError, ValueError) as exc:
            errors.append(ContentError(path, f"{key}: {exc}", key_line(fm, key)))
            return None

    tz = config.tz
    date = take("date", lambda v: parse_date(v, tz)) or date_from_filename(path.stem, tz)
    if kind == "post" and date is None and fm.data.get("date") is None:
        hint = "no date: add 'date:' to the front matter or name the file YYYY-MM-DD-slug.md"
        errors.append(ContentError(path, hint, key_line(fm, "date")))
    categories = _terms(take("categories", _term_list), take("category", _single_term))
    tags = _terms(take("tags", _term_list), take("tag", _single_term))
    tickers = (*(take("tickers", _ticker_list) or ()), *(take("ticker", _single_ticker) or ()))
    meta = Meta(
        title=take("title", _text) or "",
        date=date,
        updated=take("updated", lambda v: parse_date(v, tz)),
        slug=take("slug", _slug) or slugify(strip_date_prefix(path.stem)),
        permalink=take("permalink", _permalink),
        categories=categories,
        tags=tags,
        author=take("author", _text) or config.author,
        excerpt=take("excerpt", _text),
        description=take("description", _text),
        reading_time=take("reading_time", _minutes),
        layout=take("layout", _layout_name) or kind,
        # Jekyll's `published: false` means the same as a draft.
        draft=bool(take("draft", _flag)) or take("published", _flag) is False,
        image=take("image", _link),
        canonical_url=take("canonical_url", _canonical_url),
        robots=take("robots", _robots),
        disclaimer=True if fm.data.get("disclaimer") is None else take("disclaimer", _disclaimer),
        sponsored=bool(take("sponsored", _flag)),
        positions=_positions(path, fm, errors),
        as_of=take("as_of", lambda v: parse_date(v, tz)),
        extra={k: v for k, v in fm.data.items() if k not in KNOWN_KEYS},
        tickers=tuple(dict.fromkeys(tickers)),
        aliases=tuple(
            dict.fromkeys(
                (*(take("redirect_from", _old_urls) or ()), *(take("aliases", _old_urls) or ()))
            )
        ),  # fmt: skip
    )
    errors.sort(key=lambda e: e.line or 0)
    return (None if errors else meta), errors


def _positions(path: PurePosixPath, fm: FrontMatter,
               errors: list[ContentError]) -> tuple[tuple[str, str], ...]:  # fmt: skip
    """`positions: {NVDA: long, 7203.T: none}` as ((ticker, position), ...), tickers
    upper-cased; each bad entry is an error at its own line."""
    value = fm.data.get("positions")
    if value is None:
        return ()
    if not isinstance(value, dict):
        message = (f"positions: must map tickers to {_choices()}, e.g. {{NVDA: long}}, "
                   f"got {_describe(value)}")  # fmt: skip
        errors.append(ContentError(path, message, key_line(fm, "positions")))
        return ()
    found: dict[str, tuple[str, str]] = {}
    for raw_ticker, raw_position in value.items():
        ticker = _position_ticker(raw_ticker)
        line = _entry_line(fm, "positions", str(raw_ticker))
        position = raw_position.lower() if isinstance(raw_position, str) else raw_position
        if ticker is None:
            message = f"positions: {_clip(repr(raw_ticker))} is not a ticker such as NVDA or 7203.T"
            errors.append(ContentError(path, message, line))
        elif position not in POSITIONS:
            shown = "nothing" if raw_position is None else _clip(_describe(raw_position))
            message = f"positions: {ticker}: {shown} is not a position; use {_choices()}"
            errors.append(ContentError(path, message, line))
        elif ticker in found:
            message = f"positions: {ticker} is listed twice ({found[ticker][0]} and {raw_ticker})"
            errors.append(ContentError(path, message, line))
        else:
            found[ticker] = (str(raw_ticker), position)
    return tuple((ticker, position) for ticker, (_, position) in found.items())


def _choices() -> str:
    return ", ".join(POSITIONS[:-1]) + " or " + POSITIONS[-1]


def _position_ticker(value: Any) -> str | None:
    """A ticker as `tickers:` takes it (`ｎｖｄａ` is NVDA; ssg.markdown.cashtags), or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    symbol = normalize_ticker(_text(value))
    return None if ticker_problem(symbol) else symbol


def _entry_line(fm: FrontMatter, key: str, entry: str) -> int:
    """File line of `entry:` in the block under `key:`; the key's line if it is written
    inline (`positions: {NVDA: long}`)."""
    start = key_line(fm, key)
    lines = fm.text.split("\n")
    for n in range(start - 1, len(lines)):  # lines[start - 2] is the key's own line
        line = lines[n]
        if line and not line[0].isspace():
            break
        if re.match(rf"\s+['\"]?{re.escape(entry)}['\"]?\s*:", line):
            return n + 2
    return start


def _disclaimer(value: Any) -> bool | str:
    """`disclaimer: false` (none), `true` (the configured one) or the post's own text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, YamlWord):
        return value.flag()
    if isinstance(value, str) and value.strip():
        return value.strip()
    what = "must be false, true or the text of this post's disclaimer"
    raise TypeError(f"{what}, got {_describe(value)}")


def name_warnings(path: PurePosixPath, fm: FrontMatter, meta: Meta, kind: str,
                  slug_map: Mapping[str, str]) -> list[ContentError]:  # fmt: skip
    """A warning for each name of this file that had to change to be a file name: a slug
    or term too long (shortened), or one Windows cannot write (escaped), at its key's
    line; a folder of a standalone page, at the file."""
    warnings: list[ContentError] = []
    if meta.permalink:
        line = key_line(fm, "permalink")
        for segment, portable, why in unportable_segments(meta.permalink):
            message = f'permalink segment "{segment}" {why}; using "{portable}"'
            warnings.append(ContentError(path, message, line))
    elif kind == "post" or path.stem != "index":
        written = fm.data.get("slug")
        text = strip_date_prefix(path.stem) if written is None else _text(written)
        change = slug_change("slug", text)
        if change:
            slug_line = None if written is None else key_line(fm, "slug")
            warnings.append(ContentError(path, change, slug_line))
    if kind == "page" and not meta.permalink:
        for segment, portable, why in unportable_segments("/".join(path.parts[:-1])):
            warnings.append(ContentError(path, f'folder "{segment}" {why}; using "{portable}"'))
    for key in ("categories", "category", "tags", "tag"):
        if fm.data.get(key) is None:
            continue
        names = _term_list(fm.data[key]) if key.endswith("s") else _single_term(fm.data[key])
        kind_of_term = "category" if key.startswith("categor") else "tag"
        for name in names:
            subject = f'{kind_of_term} "{_brief(name)}"'
            change = term_slug_change(name, slug_map, subject)
            if change:
                warnings.append(ContentError(path, change, key_line(fm, key)))
    for symbol in meta.tickers:
        change = slug_change(f'ticker "{symbol}"', symbol)  # CON, PRN: device names
        if change:
            key = "tickers" if fm.data.get("tickers") is not None else "ticker"
            warnings.append(ContentError(path, change, key_line(fm, key)))
    return sorted(warnings, key=lambda w: w.line or 0)


def _brief(name: str) -> str:
    return name if len(name) <= 20 else name[:20] + "…"


def _text(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(getattr(value, "source", value)).strip()  # a number as it was written
    raise TypeError(f"must be text, got {_describe(value)}")


def _term_list(value: Any) -> tuple[str, ...]:
    # Jekyll's rule: a string of tags is split on whitespace.
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(name for name in map(_text, value) if name)
    raise TypeError(f"must be a list of strings, got {_describe(value)}")


def _ticker_list(value: Any) -> tuple[str, ...]:
    """`[NVDA, 7203.T]`, `NVDA 7203.T` or `NVDA, 7203.T`; numbers keep their text
    (`7203`, `0700`), each symbol normalised (ssg.markdown.cashtags)."""
    if isinstance(value, str):
        return tuple(_symbol(name) for name in re.split(r"[\s,、]+", value) if name)
    if isinstance(value, list) and all(isinstance(v, str | int | float) and not isinstance(v, bool)
                                       for v in value):  # fmt: skip
        return tuple(_symbol(_text(v)) for v in value)
    raise TypeError(
        f"must be a list of ticker symbols such as [NVDA, 7203.T], got {_describe(value)}"
    )


def _single_ticker(value: Any) -> tuple[str, ...]:
    return (_symbol(_text(value)),)


def _symbol(text: str) -> str:
    symbol = normalize_ticker(text)
    problem = ticker_problem(symbol)
    if problem:
        raise ValueError(problem)
    return symbol


def _single_term(value: Any) -> tuple[str, ...]:
    return (_text(value),) if _text(value) else ()


def _terms(*groups: tuple[str, ...] | None) -> tuple[str, ...]:
    """Merge `tags` with `tag` (and categories), keeping order and dropping repeats: `AI`
    and `ai` are one term (term_key), written as it first appears."""
    first: dict[str, str] = {}
    for group in groups:
        for name in group or ():
            first.setdefault(term_key(name), name)
    return tuple(first.values())


def _slug(value: Any) -> str:
    slug = slugify(_text(value))
    if slug == "-":
        raise ValueError(f"{value!r} gives an empty slug; use letters, digits or Japanese")
    return slug


def _permalink(value: Any) -> str:
    text = _text(value)
    if any(ord(c) < 32 for c in text):
        raise ValueError(f"must not contain control characters, got {text!r}")
    if not text.startswith("/") or not is_safe_link(text):
        raise ValueError(f"must be a path starting with '/', got {text!r}")
    return text


def _old_urls(value: Any) -> tuple[str, ...]:
    """One site path or a list of them, each as the URL it names (`/old.html`, `/old/`)."""
    urls = []
    for item in value if isinstance(value, list) else [value]:
        text = _text(item)
        if not text.startswith("/") or text.startswith("//") or not is_safe_link(text):
            raise ValueError(f"must be paths of this site starting with '/', got {text!r}")
        urls.append(normalize_url(text.split("#")[0]))
    return tuple(urls)


def _minutes(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return int(value)  # a plain int: posts are cached by the 10,000
    raise TypeError(f"must be a whole number of minutes (1 or more), got {_describe(value)}")


def _layout_name(value: Any) -> str:
    name = _text(value).removesuffix(".html")
    if not re.fullmatch(r"[\w-]+", name):
        raise ValueError(f"must be a layout name such as 'post', got {value!r}")
    return name


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, YamlWord):
        return value.flag()
    raise TypeError(f"must be true or false, got {_describe(value)}")


def _link(value: Any) -> str:
    text = _text(value)
    if not is_safe_link(text):
        raise ValueError(f"{text!r} is not an http(s) or site-relative link")
    return text


def _canonical_url(value: Any) -> str:
    # Text only: `canonical_url: 12` is a slip, not the path "12".
    if not isinstance(value, str):
        raise TypeError(
            f"must be a URL such as https://example.com/a/ or /a/, got {_describe(value)}"
        )
    text = value.strip()
    parts = urlsplit(text)
    absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not absolute and not (text.startswith("/") and not text.startswith("//")):
        raise ValueError(f"must be an http(s) URL or a path starting with '/', got {text!r}")
    if any(c.isspace() or ord(c) < 32 for c in text):
        raise ValueError(f"must not contain spaces or control characters, got {text!r}")
    return text


# A robots directive: `noindex`, `max-snippet: 50`, `unavailable_after: 2026-01-01`.
_ROBOTS_DIRECTIVE = re.compile(r"[A-Za-z][\w-]*(?: *: *[^,:\s][^,]*)?")


def _robots(value: Any) -> str:
    """`noindex, nofollow` or a list of directives, as the meta robots value."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise TypeError(f"must be directives such as 'noindex, nofollow', got {_describe(value)}")
    directives = [d.strip() for item in items for d in item.split(",")]
    for directive in directives:
        if not _ROBOTS_DIRECTIVE.fullmatch(directive):
            raise ValueError(f"{directive!r} is not a robots directive such as noindex or nofollow")
    return ", ".join(directives)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list of " + ", ".join(sorted({_type_name(v) for v in value}) or ["nothing"])
    return repr(value)


def _type_name(value: Any) -> str:
    """`int` for a YamlInt, `str` for a YamlWord: what YAML calls it, not ssg's class."""
    return next(t.__name__ for t in type(value).__mro__ if t.__module__ == "builtins")
