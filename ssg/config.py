"""The site's settings: declared once in `Config`, read and validated by `load_config`."""

from __future__ import annotations

import dataclasses
import difflib
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ssg.errors import ConfigError, not_utf8

CONFIG_FILE = "config.yaml"
CACHE_DIR = ".ssg-cache"  # beside config.yaml: the build state (ssg.incremental.store), ...
SHARE_IMAGE_CACHE = "share-images"  # ... drawn share images (ssg.render.share_images)
LAYOUT_CODE_CACHE = "layouts"  # ... and layouts compiled by Jinja (ssg.render.templates)
# The layouts ssg ships, used where the site has none of its own (ssg.render.templates).
DEFAULT_LAYOUTS = Path(__file__).parent / "default_layouts"
# Where systems put a bold Japanese font, first found wins: Debian and Ubuntu's
# fonts-noto-cjk, Arch's and Fedora's Noto CJK, macOS's Hiragino.
DEFAULT_SHARE_IMAGE_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W6.ttc",
)


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who publishes the site, for search engines' JSON-LD (`publisher:` in config.yaml)."""

    name: str = ""  # "" means the site's title
    logo: str = ""  # an image URL, absolute or site-relative; "" for none


@dataclass(frozen=True, slots=True)
class Disclaimer:
    """The disclaimer under posts (`disclaimer:` in config.yaml); a post may turn it off or
    give its own text (front matter `disclaimer:`)."""

    text: str = ""  # "" means none
    categories: tuple[str, ...] = ()  # shown on posts of these categories; () means all posts

    def for_categories(self, categories: tuple[str, ...], key: Callable[[str], str]) -> str:
        """The text for a post of `categories` ("" when none applies); `key` tells which
        names are one category (case, width, NFC)."""
        if not self.categories:
            return self.text
        wanted = {key(name) for name in self.categories}
        return self.text if any(key(name) in wanted for name in categories) else ""


# The default disclaimer and sponsored-post label by site language. 「広告」 rather than
# 「PR」: the Consumer Affairs Agency's stealth-marketing guidance (Oct. 2023) accepts
# either, and asks for a label every reader understands; 「広告」 is plain Japanese, while
# 「PR」 also reads as self-promotion (自己PR).
DEFAULT_DISCLAIMERS = {
    "ja": "本記事は情報提供を目的としたものであり、特定の銘柄の売買を推奨するものではありま"
    "せん。投資判断はご自身の責任で行ってください。",
    "en": "This article is for information only and is not a recommendation to buy or sell "
    "any security. Investment decisions are your own responsibility.",
}
DEFAULT_SPONSORED_LABELS = {"ja": "広告", "en": "Sponsored"}

# og:locale by site language.
_LOCALES = {"ja": "ja_JP", "en": "en_US"}


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs to know, validated; paths are absolute."""

    site_dir: Path
    # Site identity, shown by layouts and feeds.
    title: str = "ssg site"
    description: str = ""
    author: str = ""
    # Absolute URL of the published site; its path part prefixes every link.
    base_url: str = "/"
    # "ja" (default) or "en": date formats, reading-time wording, <html lang>.
    language: str = "ja"
    # IANA zone for dates written without an offset, and for URL date parts.
    timezone: str = "Asia/Tokyo"
    # Posts per list page (home, tag, category).
    paginate: int = 10
    # Where page N (2, 3, ...) of a list lives, below the list's URL: `/tags/ai/page/2/`.
    # Jekyll's `/page:num/` is `page:num/` here (a leading slash is dropped).
    paginate_path: str = "page/:num/"
    # The URL folder of each taxonomy's overview, its terms below it: {tags: /tag/} gives
    # `/tag/` and `/tag/半導体/`, as Jekyll's archives plugin has them.
    taxonomy_paths: Mapping[str, str] = field(default_factory=dict)
    # Old URL -> where it moved (site-relative or absolute): a redirect page at each old URL,
    # and a line in /_redirects for hosts that read one.
    redirects: Mapping[str, str] = field(default_factory=dict)
    # Jekyll-style pattern for post URLs.
    permalink: str = "/:year/:month/:day/:slug/"
    # Explicit ASCII slugs for taxonomy terms, e.g. {"半導体": "semiconductor"}.
    taxonomy_slugs: Mapping[str, str] = field(default_factory=dict)
    # Raw HTML in Markdown passes through (the writer owns the site) unless False.
    raw_html: bool = True
    # `{.class #id key=value}` attributes after links, images and code and on a line before
    # a block (mdit-py-plugins' attrs plugins); off, braces are text as before.
    markdown_attributes: bool = False
    # How heading ids are made and repeats numbered: "ssg" (readable Japanese, repeats -2,
    # -3), or as an imported site's generator made them, so its old #anchors still land:
    # "kramdown" (Jekyll), "goldmark" (Hugo), repeats -1, -2.
    heading_ids: str = "ssg"
    # Reading speed for Japanese (characters/minute) and Latin text (words/minute).
    reading_chars_per_minute: int = 500
    reading_words_per_minute: int = 200
    # Longest automatic excerpt, in characters.
    excerpt_length: int = 120
    # Also emit /YYYY/MM/ archive pages besides the yearly ones.
    monthly_archives: bool = True
    # Newest posts in each feed (the site's and every term's).
    feed_limit: int = 20
    # "full": feeds carry each post's HTML; "excerpt": its excerpt only.
    feed_content: str = "full"
    # Related posts listed under each post (shared tags and categories); 0 lists none.
    related_posts: int = 5
    # A search page (/search/) over static index files; False: no search files at all.
    search: bool = True
    # The publisher named in posts' JSON-LD: {name: ..., logo: /assets/logo.png}.
    publisher: Publisher = field(default_factory=Publisher)
    # Posts without `image:` get a generated 1200x630 PNG for social shares, with their
    # title set in `share_image_font` (a .ttf/.otf/.ttc with Japanese glyphs; face 0).
    share_images: bool = True
    share_image_font: Path | None = None
    # The disclaimer on posts (None: the language's default text, on every post) and the
    # label atop sponsored posts ("": the language's default).
    disclaimer: Disclaimer | None = None
    sponsored_label: str = ""
    # Free-form values for layouts: {{ site.config.extra.whatever }}.
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Folders, relative to the site in config.yaml, absolute here.
    content_dir: Path = Path("content")
    layouts_dir: Path = Path("layouts")
    static_dir: Path = Path("static")
    data_dir: Path = Path("data")
    output_dir: Path = Path("output")
    # Set by the command line, not config.yaml.
    include_drafts: bool = False
    include_future: bool = False
    use_cache: bool = True  # False with --no-cache: nothing read from or kept in .ssg-cache/
    # "Now" for the future-post cut-off and the footer; injected so tests are deterministic.
    build_time: datetime | None = None

    @property
    def config_path(self) -> Path:
        return self.site_dir / CONFIG_FILE

    @property
    def share_image_cache(self) -> Path | None:
        """Where drawn share images are kept between builds (None: nowhere)."""
        return self.site_dir / CACHE_DIR / SHARE_IMAGE_CACHE if self.use_cache else None

    @property
    def layout_code_cache(self) -> Path | None:
        """Where layouts compiled to Python code are kept between builds (None: nowhere)."""
        return self.site_dir / CACHE_DIR / LAYOUT_CODE_CACHE if self.use_cache else None

    @property
    def tz(self) -> tzinfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def host(self) -> str:
        """The host name of base_url, lower-case; "" when base_url is a bare path."""
        return urlsplit(self.base_url).hostname or ""

    def taxonomy_path(self, taxonomy: str) -> str:
        """The URL folder of `taxonomy`'s pages: `/tags/` unless `taxonomy_paths` moves it."""
        return self.taxonomy_paths.get(taxonomy) or f"/{taxonomy}/"

    @property
    def locale(self) -> str:
        """OpenGraph's locale for the site's language: ja_JP, en_US."""
        return _LOCALES[self.language]

    @property
    def post_disclaimer(self) -> Disclaimer:
        """The disclaimer posts get, the language's default unless config.yaml sets one."""
        if self.disclaimer is None:
            return Disclaimer(DEFAULT_DISCLAIMERS[self.language])
        return self.disclaimer

    @property
    def sponsored_text(self) -> str:
        """The label atop sponsored posts: `sponsored_label`, else the language's default."""
        return self.sponsored_label or DEFAULT_SPONSORED_LABELS[self.language]

    @property
    def now(self) -> datetime:
        return self.build_time or datetime.now(self.tz)


# `heading_ids` values: ssg's own, Jekyll's kramdown, Hugo's goldmark (ssg.markdown.heading_ids).
HEADING_ID_STYLES = ("ssg", "kramdown", "goldmark")

# Keys config.yaml may set, with the type each must have.
_FILE_KEYS: dict[str, type] = {
    "title": str,
    "description": str,
    "author": str,
    "base_url": str,
    "language": str,
    "timezone": str,
    "paginate": int,
    "paginate_path": str,
    "taxonomy_paths": dict,
    "redirects": dict,
    "permalink": str,
    "taxonomy_slugs": dict,
    "raw_html": bool,
    "markdown_attributes": bool,
    "heading_ids": str,
    "reading_chars_per_minute": int,
    "reading_words_per_minute": int,
    "excerpt_length": int,
    "monthly_archives": bool,
    "feed_limit": int,
    "feed_content": str,
    "related_posts": int,
    "search": bool,
    "publisher": dict,
    "share_images": bool,
    "share_image_font": str,
    "disclaimer": object,  # a mapping or false: checked in _check_disclaimer
    "sponsored_label": str,
    "extra": dict,
    "content_dir": str,
    "layouts_dir": str,
    "static_dir": str,
    "data_dir": str,
    "output_dir": str,
}
_PATH_KEYS = ("content_dir", "layouts_dir", "static_dir", "data_dir", "output_dir")
_POSITIVE_KEYS = (
    "paginate",
    "reading_chars_per_minute",
    "reading_words_per_minute",
    "excerpt_length",
    "feed_limit",
)


# One problem found in config.yaml: the key it is about (None: no key), and what is wrong.
Problem = tuple[str | None, str]


def load_config(site_dir: Path, **overrides: Any) -> Config:
    """Read `site_dir/config.yaml`, check every key, and return a Config.

    `overrides` are command-line values (output_dir, base_url, include_drafts, ...);
    they win over the file. All problems are reported together in one ConfigError.
    """
    site_dir = site_dir.resolve()
    raw, key_lines = read_config_file(site_dir / CONFIG_FILE)
    problems = check_config_values(raw)
    font, font_problem = share_image_font(raw, site_dir)
    problems += font_problem
    if isinstance(overrides.get("base_url"), str):  # --base-url gets the file's checks too
        checked = _check_semantics({"base_url": overrides["base_url"]})
        problems += [(None, f"--base-url: {message}") for _, message in checked]
    if problems:
        raise _located_error(problems, key_lines)
    values = dict(raw)
    if "taxonomy_slugs" in values:  # YAML reads `2025: y2025` with a number as the key
        values["taxonomy_slugs"] = {str(k): v for k, v in values["taxonomy_slugs"].items()}
    if "paginate_path" in values:
        values["paginate_path"] = _folder(values["paginate_path"]).lstrip("/")
    if "taxonomy_paths" in values:
        values["taxonomy_paths"] = {k: _folder(v) for k, v in values["taxonomy_paths"].items()}
    if "publisher" in values:
        values["publisher"] = Publisher(**values["publisher"])
    if "disclaimer" in values:
        values["disclaimer"] = _disclaimer(values["disclaimer"], values.get("language", "ja"))
    for key in _PATH_KEYS:
        if key in values:
            values[key] = Path(values[key])
    values["share_image_font"] = font
    values.update({k: v for k, v in overrides.items() if v is not None})
    return _with_absolute_dirs(Config(site_dir=site_dir, **values))


def read_config_file(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The file's mapping, and the line each of its keys is on."""
    if not path.is_file():  # named in full: the folder it was looked for in may be wrong
        raise ConfigError(path, ["not found; is this the site folder? (use -s SITE_DIR)"])
    where = Path(CONFIG_FILE)
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8-sig"))
        try:
            # safe_load's own two steps, keeping the node tree, which knows each key's line.
            node = loader.get_single_node()
            raw = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        message, line = _yaml_problem(exc)
        raise ConfigError(where, [message], [line]) from None
    except UnicodeDecodeError:
        problem = not_utf8(where, path.read_bytes())
        raise ConfigError(where, [problem.message], [problem.line]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(where, [f"cannot read: {exc}"]) from None
    except OSError as exc:  # no permission
        raise ConfigError(where, [f"cannot read: {exc.strerror}"]) from None
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        raise ConfigError(where, ["must be a mapping of keys to values"])
    return raw, _key_lines(node)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[str, int | None]:
    """The message and line of a YAML error; where the construct it broke began, too."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    return message, line


def _key_lines(document: yaml.Node | None) -> dict[str, int]:
    if not isinstance(document, yaml.MappingNode):
        return {}
    return {
        key.value: key.start_mark.line + 1
        for key, _ in document.value
        if isinstance(key, yaml.ScalarNode)
    }


def _located_error(problems: list[Problem], key_lines: Mapping[str, int]) -> ConfigError:
    """One ConfigError naming every problem at its key's line, in the file's order."""
    lines = [key_lines.get(key) if key is not None else None for key, _ in problems]
    ordered = sorted(zip(lines, problems, strict=True), key=lambda pair: pair[0] or 0)
    path = Path(CONFIG_FILE)
    return ConfigError(path, [p[1] for _, p in ordered], [line for line, _ in ordered])


def check_config_values(raw: Mapping[str, Any]) -> list[Problem]:
    """Every problem with the file's keys and values, as readable sentences."""
    problems: list[Problem] = []
    for key, value in raw.items():
        if key not in _FILE_KEYS:
            problems.append((str(key), _unknown_key_message(str(key))))
            continue
        expected = _FILE_KEYS[key]
        # bool is an int in Python; a paginate of `true` is still wrong.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problems.append((key, f"'{key}' must be {_type_name(expected)}, got {value!r}"))
        elif key in _POSITIVE_KEYS and isinstance(value, int) and value < 1:
            problems.append((key, f"'{key}' must be at least 1, got {value}"))
    problems += _check_semantics(raw)
    return problems


def _check_semantics(raw: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append((key, f"'{key}' {message}"))

    zone = raw.get("timezone")
    if isinstance(zone, str):
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problem("timezone", f"{zone!r} is not an IANA time zone (e.g. Asia/Tokyo)")
    lang = raw.get("language")
    if isinstance(lang, str) and lang not in ("ja", "en"):
        problem("language", f"must be 'ja' or 'en', got {lang!r}")
    heading_ids = raw.get("heading_ids")
    if isinstance(heading_ids, str) and heading_ids not in HEADING_ID_STYLES:
        styles = ", ".join(f"'{name}'" for name in HEADING_ID_STYLES)
        problem("heading_ids", f"must be one of {styles}, got {heading_ids!r}")
    feed_content = raw.get("feed_content")
    if isinstance(feed_content, str) and feed_content not in ("full", "excerpt"):
        problem("feed_content", f"must be 'full' or 'excerpt', got {feed_content!r}")
    base_url = raw.get("base_url")
    if isinstance(base_url, str) and not _is_base_url(base_url):
        problem("base_url", "must be an absolute URL such as https://example.com/ "
                f"or a path starting with '/', got {base_url!r}")  # fmt: skip
    permalink = raw.get("permalink")
    if isinstance(permalink, str) and not permalink.startswith("/"):
        problem("permalink", f"must start with '/', got {permalink!r}")
    problems += _check_list_urls(raw)
    related = raw.get("related_posts")
    if isinstance(related, int) and not isinstance(related, bool) and related < 0:
        problem("related_posts", f"must be 0 (none) or more, got {related}")
    publisher = raw.get("publisher")
    if isinstance(publisher, dict):
        for key, value in publisher.items():
            if key not in ("name", "logo"):
                problem("publisher", f"has an unknown key {key!r}; it takes 'name' and 'logo'")
            elif not isinstance(value, str):
                problem("publisher", f"{key} must be a string, got {value!r}")
        logo = publisher.get("logo")
        if isinstance(logo, str) and logo and not _is_base_url(logo):
            problem("publisher", "logo must be an http(s) URL or a path starting with '/', "
                    f"got {logo!r}")  # fmt: skip
    problems += _check_disclaimer(raw.get("disclaimer"))
    label = raw.get("sponsored_label")
    if isinstance(label, str) and not label.strip():
        problem("sponsored_label", "must not be empty: sponsored posts must say they are ads")
    slugs = raw.get("taxonomy_slugs")
    if isinstance(slugs, dict) and not all(isinstance(v, str) for v in slugs.values()):
        problem("taxonomy_slugs", "must map term names to slug strings")
    return problems


# The taxonomies `taxonomy_paths` may move (ssg.site.taxonomy.TAXONOMIES).
TAXONOMY_NAMES = ("categories", "tags", "tickers")


def _check_list_urls(raw: Mapping[str, Any]) -> list[Problem]:
    """`paginate_path` holds `:num`; `taxonomy_paths` maps taxonomies to paths; `redirects`
    maps site paths to URLs."""
    problems: list[Problem] = []
    pattern = raw.get("paginate_path")
    if isinstance(pattern, str) and (":num" not in pattern or "//" in pattern):
        problems.append(("paginate_path", "'paginate_path' must be a path holding the page "
                         f"number as :num, such as page/:num/, got {pattern!r}"))  # fmt: skip
    paths = raw.get("taxonomy_paths")
    if isinstance(paths, dict):
        for taxonomy, path in paths.items():
            if taxonomy not in TAXONOMY_NAMES:
                names = ", ".join(TAXONOMY_NAMES)
                problems.append(("taxonomy_paths", f"'taxonomy_paths' has an unknown taxonomy "
                                 f"{taxonomy!r}; it takes {names}"))  # fmt: skip
            elif not isinstance(path, str) or not path.startswith("/") or _folder(path) == "/":
                problems.append(("taxonomy_paths", f"'taxonomy_paths' {taxonomy} must be a "
                                 f"folder such as /tag/, got {path!r}"))  # fmt: skip
    redirects = raw.get("redirects")
    if isinstance(redirects, dict):
        for old, new in redirects.items():
            if not isinstance(old, str) or not old.startswith("/") or old.startswith("//"):
                problems.append(("redirects", "'redirects' must map old paths starting with "
                                 f"'/' to new URLs, got {old!r}"))  # fmt: skip
            elif not isinstance(new, str) or not _is_base_url(new):
                problems.append(("redirects", f"'redirects' {old}: the new URL must be an "
                                 "http(s) URL or a path starting with '/', "
                                 f"got {new!r}"))  # fmt: skip
    return problems


def _folder(path: str) -> str:
    """`tag` or `/tag` -> `/tag/`: list URLs are folders."""
    segments = [s for s in path.split("/") if s not in ("", ".", "..")]
    return "/" + "/".join(segments) + "/" if segments else "/"


def _check_disclaimer(value: Any) -> list[Problem]:
    """`disclaimer:` is false, or a mapping of `text` (a string) and `categories` (a list of
    names, or one name)."""
    if value is None or isinstance(value, bool):
        return []
    if not isinstance(value, dict):
        return [("disclaimer", "'disclaimer' must be true, false or a mapping such as "
                 f"{{text: ..., categories: [投資分析]}}, got {value!r}")]  # fmt: skip
    problems: list[Problem] = []
    for key, item in value.items():
        if key == "text":
            if not isinstance(item, str) or not item.strip():
                problems.append(("disclaimer", f"'disclaimer' text must be a non-empty "
                                 f"string, got {item!r}"))  # fmt: skip
        elif key == "categories":
            names = [item] if isinstance(item, str) else item
            if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
                problems.append(("disclaimer", "'disclaimer' categories must be a list of "
                                 f"category names, got {item!r}"))  # fmt: skip
        else:
            problems.append(("disclaimer", f"'disclaimer' has an unknown key {key!r}; it "
                             "takes 'text' and 'categories'"))  # fmt: skip
    return problems


def _disclaimer(value: Any, language: Any) -> Disclaimer:
    """The checked `disclaimer:` value as a Disclaimer (false: no text)."""
    if value is None or value is True:
        return Disclaimer(DEFAULT_DISCLAIMERS.get(language, DEFAULT_DISCLAIMERS["ja"]))
    if value is False:
        return Disclaimer()
    text = value.get("text") or DEFAULT_DISCLAIMERS.get(language, DEFAULT_DISCLAIMERS["ja"])
    names = value.get("categories") or ()
    return Disclaimer(text.strip(), (names,) if isinstance(names, str) else tuple(names))


def share_image_font(raw: Mapping[str, Any], site_dir: Path) -> tuple[Path | None, list[Problem]]:
    """The font file for share images: `share_image_font` (relative to the site), else the
    first of DEFAULT_SHARE_IMAGE_FONTS there is; a problem when images are on and it is
    not a file."""
    on = raw.get("share_images", True) is True
    named = raw.get("share_image_font")
    if isinstance(named, str) and named:
        font = (site_dir / Path(named).expanduser()).resolve()
        if on and not font.is_file():
            return font, [("share_image_font", f"'share_image_font' {named!r}: no such font "
                           "file (a .ttf, .otf or .ttc with Japanese glyphs)")]  # fmt: skip
        return font, []
    found = next((Path(p) for p in DEFAULT_SHARE_IMAGE_FONTS if Path(p).is_file()), None)
    if on and found is None:
        return None, [("share_images", "no Japanese font found for share images (looked "
                       f"for {DEFAULT_SHARE_IMAGE_FONTS[0]} and others): install one "
                       "(Debian: apt-get install fonts-noto-cjk), name a font file with "
                       "'share_image_font', or set 'share_images: false'")]  # fmt: skip
    return found, []


def _is_base_url(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return value.startswith("/") and not value.startswith("//")


def _unknown_key_message(key: str) -> str:
    close = difflib.get_close_matches(key, _FILE_KEYS, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint}"


def _type_name(expected: type) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", dict: "a mapping"}
    return names.get(expected, str(expected))


def _with_absolute_dirs(config: Config) -> Config:
    def absolute(folder: Path) -> Path:
        return (config.site_dir / folder).resolve()

    return dataclasses.replace(
        config,
        content_dir=absolute(config.content_dir),
        layouts_dir=absolute(config.layouts_dir),
        static_dir=absolute(config.static_dir),
        data_dir=absolute(config.data_dir),
        output_dir=absolute(config.output_dir),
    )
