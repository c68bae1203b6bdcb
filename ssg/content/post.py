"""Source files to `Post` values: front matter checked, body rendered once.

Everything here is pure (text in, values out), so tests call it with strings.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import PurePosixPath
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from ssg.config import Config
from ssg.content.frontmatter import (
    FrontMatter,
    Meta,
    key_line,
    name_warnings,
    normalize_text,
    read_meta,
    remove_control_chars,
    split_front_matter,
)
from ssg.content.search_terms import search_terms
from ssg.content.slugs import term_key, term_slug, term_slug_map
from ssg.content.sources import DataReads
from ssg.content.summary import make_excerpt, reading_minutes
from ssg.content.template_syntax import template_syntax
from ssg.content.trends import Trend, read_trend
from ssg.content.urls import normalize_url, post_url
from ssg.errors import ContentError
from ssg.markdown.charts import ChartContext
from ssg.markdown.parser import Heading, RenderedMarkdown, render_markdown, render_title


# No slots: a plain __dict__ pickles several times faster, and 10,000 posts live in the cache.
@dataclass(frozen=True)
class Post:
    """A post (under content/posts/) or a standalone page, complete and immutable."""

    source_path: PurePosixPath  # relative to content/, e.g. posts/2025-11-20-openai.md
    kind: str  # "post" or "page"
    title: str  # as written: may hold inline Markdown (`**円安**の行方`)
    title_html: Markup  # the title's inline Markdown as HTML, for headings and links
    title_text: str  # the title as plain text, for <title>, feeds, OpenGraph, JSON-LD
    date: datetime | None  # aware; always set for posts
    updated: datetime | None
    slug: str
    url: str  # site-relative, e.g. /2025/11/20/openai/
    url_line: int | None  # front-matter line of the permalink or slug that chose `url`
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    author: str
    excerpt: str  # plain text, for meta descriptions and feeds
    excerpt_html: str  # HTML-safe, for list pages
    description: str  # for <meta name="description">: description, else the excerpt
    canonical_url: str | None  # absolute, or site-relative; None: the page's own URL
    robots: str | None  # <meta name="robots"> value, e.g. "noindex, nofollow"
    reading_time: int  # minutes
    layout: str  # layout name, without .html
    draft: bool
    image: str | None
    html: str  # the rendered body
    toc: tuple[Heading, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)  # front-matter keys not modelled
    # Disclosures: the disclaimer shown under the post ("" for none: turned off, or not
    # one of config's categories), whether it is sponsored (an ad: labelled, links
    # rel="sponsored"), the writer's positions ((ticker, long|short|none), ...), and the
    # date its figures are as of.
    disclaimer: str = ""
    sponsored: bool = False
    positions: tuple[tuple[str, str], ...] = ()
    as_of: datetime | None = None
    tickers: tuple[str, ...] = ()  # ticker symbols, normalised (NVDA, 7203.T)
    # The body as plain text, and its search keys (ssg.content.search_terms), for the
    # site's search; "" for pages and when `search` is off in config.
    search_text: str = ""
    search_terms: str = ""
    digest: str = ""  # identity of the source and parse settings; equal digest, equal post
    # identity of everything but `html` and `toc`: list pages that show no body use this
    meta_digest: str = ""
    # ... and but `categories`, `tags` and `tickers` too: lists whose layouts never name
    # those add them one by one (ssg.incremental.fingerprints), so a tag change leaves the
    # home page alone
    core_digest: str = ""
    # The data files its charts drew, as (path under data/, digest of the bytes): the cache
    # reuses the post only while they are unchanged.
    data_files: tuple[tuple[str, str], ...] = ()
    trend: Trend | None = None  # the trend header (front matter `trend:`), see content/trends.py
    aliases: tuple[str, ...] = ()  # old URLs redirecting here (`redirect_from:`, `aliases:`)

    def __reduce__(self) -> tuple[Any, tuple[type[Post]], dict[str, Any]]:
        # Pickling a str makes CPython keep its UTF-8 form inside the str for as long as it
        # lives: saving the cache would add 1.5 bytes per Japanese character of every body
        # to the build's memory (150 MB at 10,000 posts). So the long texts are pickled from
        # copies, which go when pickling ends. Unpickling is the default one (no Python call).
        state = dict(self.__dict__)
        for name in _LONG_TEXT:
            state[name] = _copy(state[name])
        return (copyreg.__newobj__, (Post,), state)  # type: ignore[attr-defined]  # not in typeshed


# The Post fields holding a body's worth of text.
_LONG_TEXT = ("html", "search_text", "search_terms", "excerpt", "excerpt_html", "description")


def _copy(text: str) -> str:
    """A new str equal to `text` (slicing or str() would hand back the same object)."""
    return (text + " ")[:-1]


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed file and the warnings it raised (errors are raised as ContentProblems)."""

    post: Post
    warnings: tuple[ContentError, ...]

    def __reduce__(self) -> tuple[type[Parsed], tuple[Post, tuple[ContentError, ...]]]:
        # The cache holds 10,000s: a constructor call unpickles faster than slots' setstate.
        return (Parsed, (self.post, self.warnings))


class ContentProblems(Exception):
    """All errors found in one file (a build collects these from every file)."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def parse_post(
    source_path: PurePosixPath,
    raw: str,
    config: Config,
    md: MarkdownIt,
    digest: str = "",
    tickers: Collection[str] = frozenset(),
) -> Parsed:
    """One source file (path relative to content/) to a Post; `$SYMBOL` in its body links
    to the ticker's page for the symbols of `tickers` (data/tickers.yaml's) and a post's own.

    Raises ContentProblems listing every error in the file.
    """
    kind = "post" if source_path.parts[0] == "posts" else "page"
    text, removed = remove_control_chars(source_path, normalize_text(raw))
    try:
        fm = split_front_matter(source_path, text)
    except ContentError as exc:
        raise ContentProblems([exc]) from None
    meta, errors = read_meta(source_path, fm, kind, config)
    if meta is None:
        # The body's errors too (a chart's), so the writer fixes the file in one round.
        body = render_markdown(md, fm.body, ChartContext(config.language, DataReads(config)))
        line = fm.body_line - 1
        raise ContentProblems(errors + [ContentError(source_path, message, line + n)
                                        for n, message in body.errors])  # fmt: skip
    if kind == "post" and meta.tickers:
        tickers = {*tickers, *meta.tickers}
    reads = DataReads(config)
    charts = ChartContext(config.language, reads)
    sponsored_from = config.host if meta.sponsored else None
    rendered = render_markdown(md, fm.body, charts, sponsored_from, tickers)
    line = fm.body_line - 1  # the body's lines are counted from 1
    problems = [ContentError(source_path, message, line + n) for n, message in rendered.errors]
    trend = None
    if "trend" in meta.extra:
        trend, wrong = read_trend(meta.extra["trend"], charts)
        where = key_line(fm, "trend")
        problems = [ContentError(source_path, message, where) for message in wrong] + problems
    if problems:
        raise ContentProblems(problems)
    if reads.read:
        digest = with_data_files(digest, reads.read)
    parsed = assemble_post(source_path, kind, fm, meta, rendered, config, md, digest)
    if reads.read or trend is not None:
        files = tuple(sorted(reads.read.items()))
        post = dataclasses.replace(parsed.post, data_files=files, trend=trend)
        post = dataclasses.replace(post, meta_digest=metadata_digest(post),
                                   core_digest=metadata_digest(post, False))  # fmt: skip
        parsed = Parsed(post, parsed.warnings)
    if removed is None:
        return parsed
    return Parsed(parsed.post, (removed, *parsed.warnings))


def with_data_files(digest: str, read: Mapping[str, str]) -> str:
    """A post's digest with the data files its charts drew: a new file, a new post."""
    parts = [digest, *(f"{rel}\0{file_digest}" for rel, file_digest in sorted(read.items()))]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def assemble_post(
    source_path: PurePosixPath,
    kind: str,
    fm: FrontMatter,
    meta: Meta,
    rendered: RenderedMarkdown,
    config: Config,
    md: MarkdownIt,
    digest: str = "",
) -> Parsed:
    excerpt = (
        meta.excerpt
        or rendered.more_text
        or make_excerpt(rendered.first_paragraph, config.excerpt_length)
    )
    excerpt_html = escape(meta.excerpt) if meta.excerpt else rendered.more_html or escape(excerpt)
    title, warnings = meta.title, []
    if not title:
        title = _fallback_title(rendered, excerpt, meta.slug)
        line = key_line(fm, "title")
        warnings.append(ContentError(source_path, f'title is empty; using "{title}"', line))
    # A title made from a heading or the excerpt is plain text already.
    title_html, title_text = render_title(md, title) if meta.title else (escape(title), title)
    reading = meta.reading_time or reading_minutes(
        rendered.cjk_chars, rendered.latin_words,
        config.reading_chars_per_minute, config.reading_words_per_minute,
    )  # fmt: skip
    post = Post(
        source_path=source_path, kind=kind, title=title, title_html=Markup(title_html),
        title_text=title_text, date=meta.date, updated=meta.updated,
        slug=meta.slug, url=_url(source_path, kind, meta, config), url_line=_url_line(fm, meta),
        categories=meta.categories, tags=meta.tags, author=meta.author,
        excerpt=excerpt, excerpt_html=excerpt_html, description=meta.description or excerpt,
        canonical_url=meta.canonical_url, robots=meta.robots,
        reading_time=reading, layout=meta.layout, draft=meta.draft, image=meta.image,
        html=rendered.html, toc=rendered.toc, extra=meta.extra, tickers=meta.tickers,
        digest=digest, disclaimer=_disclaimer(kind, meta, config), sponsored=meta.sponsored,
        positions=meta.positions, as_of=meta.as_of, aliases=meta.aliases,
    )  # fmt: skip
    if config.search and kind == "post":
        terms = search_terms(title_text, rendered.text)
        post = dataclasses.replace(post, search_text=rendered.text, search_terms=terms)
    post = dataclasses.replace(
        post, meta_digest=metadata_digest(post), core_digest=metadata_digest(post, False)
    )
    slug_map = term_slug_map(config.taxonomy_slugs)
    warnings += name_warnings(source_path, fm, meta, kind, slug_map)
    line = fm.body_line - 1  # the body's lines are counted from 1
    warnings += [ContentError(source_path, text, line + n) for n, text in rendered.warnings]
    if "{{" in fm.body or "{%" in fm.body:  # a post from Jekyll or Hugo, or a code sample
        found = template_syntax(fm.body, rendered.html)
        warnings += [ContentError(source_path, text, line + n) for n, text in found]
    return Parsed(post, tuple(warnings))


def metadata_digest(post: Post, terms: bool = True) -> str:
    """A digest of every field of `post` but its body (`html`, `toc`) and digests; with
    `terms` False, without its categories, tags and tickers either."""
    left_out = _BODY_FIELDS if terms else _BODY_FIELDS | {"categories", "tags", "tickers"}
    values = [repr(getattr(post, f.name)) for f in dataclasses.fields(post)
              if f.name not in left_out]  # fmt: skip
    return hashlib.blake2b("\0".join(values).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()  # fmt: skip


_BODY_FIELDS = frozenset(
    {
        "html",
        "toc",
        "search_text",
        "search_terms",
        "digest",
        "meta_digest",
        "core_digest",
        "data_files",
    }
)


def _disclaimer(kind: str, meta: Meta, config: Config) -> str:
    """The disclaimer under this post: its own text, none, or config's when it applies to
    the post's categories. Standalone pages get one only if they write their own."""
    if isinstance(meta.disclaimer, str):
        return meta.disclaimer
    if not meta.disclaimer or kind != "post":
        return ""
    return config.post_disclaimer.for_categories(meta.categories, term_key)


def _fallback_title(rendered: RenderedMarkdown, excerpt: str, slug: str) -> str:
    # Jekyll builds untitled posts; the first heading, then the excerpt, say what it is.
    if rendered.toc:
        return rendered.toc[0].text
    if excerpt:
        return make_excerpt(excerpt, 40)
    return slug


def _url_line(fm: FrontMatter, meta: Meta) -> int | None:
    # Only a collision message needs it, so only files that choose their url pay for it.
    if meta.permalink:
        return key_line(fm, "permalink")
    if fm.data.get("slug") is not None:
        return key_line(fm, "slug")
    return None


def _url(source_path: PurePosixPath, kind: str, meta: Meta, config: Config) -> str:
    if meta.permalink:
        return normalize_url(meta.permalink)
    if kind == "page":
        stem = source_path.with_suffix("")
        if stem.name == "index":  # docs/index.md is the folder's page, /docs/
            return normalize_url("/".join(stem.parts[:-1]))
        return normalize_url("/".join(stem.parts[:-1] + (meta.slug,)))
    assert meta.date is not None  # read_meta reports a post without a date
    slug_map = term_slug_map(config.taxonomy_slugs)
    categories = tuple(term_slug(name, slug_map) for name in meta.categories)
    return post_url(config.permalink, meta.date, meta.slug, categories, config.tz)
