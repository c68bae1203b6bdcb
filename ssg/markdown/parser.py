"""Markdown to HTML: markdown-it-py with GFM, Japanese-aware heading ids, Pygments code.

One parse per post yields everything later stages need (HTML, table of contents, excerpt
text, character counts), so no stage ever parses a post twice.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.gfm import gfm_plugin
from pygments import format as pygments_format
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ssg.markdown.attributes import EXPLICIT_IDS, markdown_attributes
from ssg.markdown.autolinks import linear_autolinks
from ssg.markdown.callouts import callouts
from ssg.markdown.cashtags import KNOWN_TICKERS, cashtag_links
from ssg.markdown.charts import CHARTS_ENV, ChartContext, render_chart
from ssg.markdown.cjk import cjk_friendly_emphasis, cjk_soft_breaks
from ssg.markdown.figures import financial_tables
from ssg.markdown.footnotes import IN_EXCERPT, titled_footnotes
from ssg.markdown.heading_ids import Numbering, numbering_for
from ssg.markdown.links import nfc_site_links
from ssg.markdown.pair_rules import use_pair_rules
from ssg.markdown.pinned import copied_loops_fit
from ssg.markdown.rule_dispatch import dispatch_rules
from ssg.markdown.setext import single_line_setext_headings
from ssg.markdown.tasklists import labelled_task_lists

# Han, Hiragana, Katakana (incl. half-width), CJK punctuation and full-width forms.
CJK_CHARS = (
    "\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
_CJK_RUN_RE = re.compile(f"[{CJK_CHARS}]+")
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
_MORE_RE = re.compile(r"<!--\s*more\s*-->")
_JOIN_BREAK_RE = re.compile(f"(?<=[{CJK_CHARS}])\n(?=[{CJK_CHARS}])")
_ID_DROP_RE = re.compile(r"[^\w\- ]")


class Heading(NamedTuple):
    """One entry of a post's table of contents (a tuple: posts have many, and are cached)."""

    level: int  # 1-6
    id: str  # the heading's HTML id, unique in the page
    text: str  # plain text of the heading


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    """All a post's body yields, computed in one parse."""

    html: str
    toc: tuple[Heading, ...]
    first_paragraph: str  # plain text of the first top-level paragraph ("" if none)
    more_html: str | None  # HTML before <!--more-->, when the body has that marker
    more_text: str | None  # the same as plain text
    cjk_chars: int  # Japanese characters in prose (code excluded), for reading time
    latin_words: int  # Latin words in prose (code excluded)
    # The body as plain text, one line per paragraph, heading, cell or list item (code
    # blocks left out): what search finds and quotes.
    text: str = ""
    warnings: tuple[tuple[int, str], ...] = ()  # (line in the body, message)
    errors: tuple[tuple[int, str], ...] = ()  # (line in the body, message): charts that fail


def make_markdown(
    raw_html: bool = True,
    cjk: bool = True,
    base_path: str = "/",
    copied_loops: bool | None = None,
    language: str = "ja",
    ticker_path: str = "/tickers/",
    attributes: bool = False,
    heading_ids: str = "ssg",
) -> MarkdownIt:
    """A parser for posts: CommonMark + GFM (tables, strikethrough, task lists, autolinks,
    footnotes), heading ids, wrapped tables and Pygments-highlighted fences.

    Links to the site's own root (`/about/`) get `base_path` (`/blog/about/`), as layouts'
    links do, so a site published under a sub-path works.

    `copied_loops` chooses between ssg's faster copies of markdown-it-py's loops and
    markdown-it-py's own (same HTML); by default the copies run on the markdown-it-py
    versions they were copied from (ssg/markdown/pinned.py) and nowhere else.

    `language` names the tables' scroll boxes for screen readers (表, Table); `$NVDA` links
    to NVDA's page in `ticker_path` (config's taxonomy path of tickers).

    `attributes` reads `{.class #id}` attributes (ssg.markdown.attributes); `heading_ids`
    is "ssg", or the generator whose ids an imported site keeps: "kramdown", "goldmark"."""
    if copied_loops is None:
        copied_loops = copied_loops_fit()
    md = MarkdownIt("commonmark", {"html": raw_html})
    if base_path != "/":
        md.core.ruler.push("base_path", lambda state: prefix_site_links(state, base_path))
    md.use(gfm_plugin)
    # gfm_plugin turns on GitHub's single-tilde strikethrough, but Japanese writes ranges with
    # `~` (3~5%), and Zenn, Qiita and kramdown strike only `~~`: markdown-it's own rule.
    md.options["strikethrough_single_tilde"] = False
    md.use(linear_autolinks)
    md.use(single_line_setext_headings)
    md.use(nfc_site_links)
    md.use(callouts)
    md.use(labelled_task_lists)
    md.use(cashtag_links, ticker_path + "{}/")
    md.use(titled_footnotes)
    md.use(financial_tables)
    if attributes:
        md.use(markdown_attributes)
    if cjk:
        md.use(cjk_friendly_emphasis, copied_loops)
        md.use(cjk_soft_breaks)
    if heading_ids == "ssg":
        md.core.ruler.push("heading_ids", add_heading_ids)
    else:
        md.core.ruler.push("heading_ids", lambda state: add_generator_heading_ids(
            state, lambda: numbering_for(heading_ids)))  # fmt: skip
    if copied_loops:
        # callouts() registers its containers with the default ':' marker; attribute
        # lines start with '{'.
        starts = {name: ":" for name in ("container_callout", "container_details")}
        dispatch_rules(md, starts | ({"attr": "{"} if attributes else {}))
        use_pair_rules(md)
    md.add_render_rule("fence", render_fence)
    # A table wider than the screen scrolls in its box; keyboard users scroll it once it
    # can take focus, and a focusable box needs a role and a name (axe, WCAG 2.1.1).
    name = TABLE_NAMES[language]
    table_open = f'<div class="table-wrap" tabindex="0" role="region" aria-label="{name}"><table>\n'
    md.add_render_rule("table_open", lambda *a: table_open)
    md.add_render_rule("table_close", lambda *a: "</table></div>\n")
    return md


TABLE_NAMES = {"ja": "表", "en": "Table"}


def render_markdown(md: MarkdownIt, body: str, charts: ChartContext | None = None,
                    sponsored_from: str | None = None, tickers: Collection[str] = frozenset()
                    ) -> RenderedMarkdown:  # fmt: skip
    """Parse `body` once and return its HTML and everything derived from it; `charts`
    gives ```chart fences the site's language and data files; `$SYMBOL` links to the
    ticker's page for each of `tickers` (ssg.markdown.cashtags).

    With `sponsored_from` (the site's host, "" for a site without one), the body is
    sponsored: its links to other hosts get `rel="sponsored"`."""
    env: dict[str, Any] = {CHARTS_ENV: charts} if charts is not None else {}
    if tickers:
        env[KNOWN_TICKERS] = tickers
    tokens = md.parse(body, env)
    if sponsored_from is not None:
        mark_sponsored_links(tokens, sponsored_from)
    more_html = more_text = None
    cut = find_more_marker(tokens) if "<!--" in body else None
    if cut is not None:
        # The marker is a block of its own: an html_block, or with raw HTML off a paragraph.
        del tokens[cut : cut + (3 if tokens[cut].type == "paragraph_open" else 1)]
    html = md.renderer.render(tokens, md.options, env)
    if cut is not None:
        before = tokens[:cut]
        more_html = render_excerpt(md, before, env)
        more_text = " ".join(filter(None, (_plain_text(t) for t in before if t.type == "inline")))
    text, has_code = _body_text(tokens)
    # Without inline code the prose is the text (count_prose's counts of it are the same).
    cjk, words = count_prose(tokens) if has_code else _count_text(text)
    return RenderedMarkdown(
        html=html,
        toc=tuple(env.get("toc", ())),
        first_paragraph=_first_paragraph(tokens),
        more_html=more_html,
        more_text=more_text,
        cjk_chars=cjk,
        latin_words=words,
        text=text,
        warnings=tuple(sorted(env.get("warnings", {}).items())),
        errors=tuple(sorted(env.get("errors", {}))),
    )


def mark_sponsored_links(tokens: list[Token], site_host: str) -> None:
    """`rel="sponsored"` on every link to a host other than `site_host` (Google's mark for
    paid links; Japan's stealth-marketing rules make sponsored posts say what they are)."""
    for block in tokens:
        for token in block.children or ():
            if token.type != "link_open":
                continue
            try:
                parts = urlsplit(str(token.attrGet("href") or ""))
                host = parts.hostname if parts.scheme in ("http", "https", "") else None
            except ValueError:  # `http://[x`: no host to tell; the link stays as written
                continue
            if host and host != site_host.lower():
                token.attrSet("rel", "sponsored")


def render_excerpt(md: MarkdownIt, before: list[Token], env: dict[str, Any]) -> str:
    """The HTML before `<!--more-->`, for list pages, where many posts' excerpts meet: with
    no heading ids (two posts opening with `## はじめに` would repeat one) and footnote
    references as plain marks (their ids would repeat, and the notes are not on the page).

    Runs after the whole body is rendered: it takes the ids off the body's own tokens."""
    for token in before:
        if token.type == "heading_open" and token.attrs:
            token.attrs.pop("id", None)
    excerpt: str = md.renderer.render(before, md.options, {**env, IN_EXCERPT: True})
    return excerpt


# Characters that can start inline Markdown (or an entity, or raw HTML, escaped either
# way): a title without them is its own plain text, and skips the parser.
_INLINE_MARKUP = re.compile(r"[*_`~\\\[\]!<>&:]")


def render_title(md: MarkdownIt, title: str) -> tuple[str, str]:
    """A title's inline Markdown as (HTML, plain text): `**円安**の行方` ->
    (`<strong>円安</strong>の行方`, `円安の行方`).

    Emphasis, code and strikethrough only: raw HTML shows as text, and links and images
    become their text, since layouts put titles inside links of their own."""
    if not _INLINE_MARKUP.search(title):
        return escape(title), title
    tokens = md.parseInline(title, {})[0].children or []
    kept: list[Token] = []
    for token in tokens:
        if token.type in ("link_open", "link_close"):
            continue
        if token.type in ("html_inline", "image"):
            text = Token("text", "", 0)
            text.content = token.content
            token = text
        kept.append(token)
    html = md.renderer.render(kept, md.options, {})
    plain = Token("inline", "", 0)
    plain.children = kept
    return html.strip(), _plain_text(plain)


def find_more_marker(tokens: list[Token]) -> int | None:
    """Index of the top-level `<!--more-->` block; one inside code or a list is not a marker."""
    for i, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.type == "html_block" and _MORE_RE.fullmatch(token.content.strip()):
            return i
        if (
            token.type == "paragraph_open"
            and i + 1 < len(tokens)
            and _MORE_RE.fullmatch(tokens[i + 1].content.strip())
        ):
            return i
    return None


def count_prose(tokens: list[Token]) -> tuple[int, int]:
    """(Japanese characters, Latin words) in the text of `tokens`, code excluded."""
    # The raw text of every inline, breaks as newlines: joining or spacing lines (what
    # _plain_text does) neither adds nor removes a CJK character or a Latin word, so one
    # join and two scans count the same without cleaning each inline on its own.
    parts = []
    for token in tokens:
        if token.type == "inline":
            for child in token.children or ():
                kind = child.type
                if kind == "text":
                    parts.append(child.content)
                elif kind == "softbreak" or kind == "hardbreak":
                    parts.append("\n")
            parts.append("\n")
    text = "".join(parts)
    if "\u3000" in text:
        # The one CJK character that is whitespace: _plain_text strips it at an inline's
        # edges, so it only counts where it sits inside a line.
        text = "\n".join(_plain_text(t, code=False) for t in tokens if t.type == "inline")
    return _count_text(text)


def _count_text(text: str) -> tuple[int, int]:
    """(Japanese characters, Latin words) in `text`."""
    # Counting runs, not characters, keeps findall from making a string per character.
    return sum(map(len, _CJK_RUN_RE.findall(text))), len(_WORD_RE.findall(text))


def _body_text(tokens: list[Token]) -> tuple[str, bool]:
    """The plain text of `tokens`, one line per inline (empty ones left out), and whether
    any inline holds code."""
    lines, has_code = [], False
    for token in tokens:
        if token.type == "inline":
            line, code = _inline_text(token)
            if line:
                lines.append(line)
            has_code = has_code or code
    return "\n".join(lines), has_code


def _plain_text(inline: Token, code: bool = True) -> str:
    return _inline_text(inline, code)[0]


def _inline_text(inline: Token, code: bool = True) -> tuple[str, bool]:
    """The plain text of `inline` (with its inline code if `code`) and whether it has any."""
    parts = []
    has_code = False
    for child in inline.children or ():
        kind = child.type
        if kind == "text":
            parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append("\n")
        elif kind == "code_inline":
            has_code = True
            if code:
                parts.append(child.content)
    text = "".join(parts)
    if "\n" in text:
        text = _JOIN_BREAK_RE.sub("", text).replace("\n", " ")
    return text.strip(), has_code


def _first_paragraph(tokens: list[Token]) -> str:
    """Plain text of the first top-level paragraph with text (an image alone has none)."""
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and not token.hidden:
            text = _plain_text(tokens[i + 1])
            if text:
                return text
    return ""


def prefix_site_links(state: StateCore, base_path: str) -> None:
    """Core rule: `/x` in a link or image becomes `{base_path}x` (never `//host` links)."""
    for block in state.tokens:
        for token in block.children or ():
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else ""
            value = token.attrGet(attr) if attr else None
            if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                token.attrSet(attr, base_path.rstrip("/") + value)


# Browsers make each element id a global variable (`window.exports` is `<h2 id="exports">`)
# unless window already has a property of that name, so an id can never hide one of
# window's or document's own (checked in Chromium), but it can define a variable that
# scripts look for to tell a browser from Node, CommonJS or AMD: a heading "Exports" made
# a webpack UMD library register itself on the heading, "Process" made
# `process.env.NODE_ENV` throw. Such ids get `-section`.
SCRIPT_GLOBALS = frozenset({"exports", "module", "require", "define", "global", "process"})


def heading_id(text: str) -> str:
    """An id readable in Japanese: `## 投資の 結論！` -> `投資の-結論`; never a name in
    SCRIPT_GLOBALS (`## Exports` -> `exports-section`)."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    base = _ID_DROP_RE.sub("", text).replace(" ", "-").strip("-") or "section"
    return f"{base}-section" if base in SCRIPT_GLOBALS else base


def add_heading_ids(state: StateCore) -> None:
    """Core rule: give each heading an id from its own text, and collect the TOC.

    Ids depend on the heading's text only (plus a -2, -3 suffix for repeats), so editing
    one heading never renumbers the others.
    """
    # Ids the writer set with attributes (markdown_attributes) are kept and never reused.
    seen: set[str] = set(state.env.get(EXPLICIT_IDS, ()))
    # The last suffix tried per id: 20,000 repeats of one heading stay linear.
    last_suffix: dict[str, int] = {}
    toc = []
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _plain_text(tokens[i + 1])
        if token.attrs and "id" in token.attrs:
            toc.append(Heading(int(token.tag[1]), str(token.attrs["id"]), text))
            continue
        base = heading_id(text)
        unique, n = base, last_suffix.get(base, 1)
        if n > 1:
            unique = f"{base}-{n}"
        while unique in seen:
            n += 1
            unique = f"{base}-{n}"
        last_suffix[base] = n
        seen.add(unique)
        token.attrSet("id", unique)
        toc.append(Heading(int(token.tag[1]), unique, text))
    state.env["toc"] = toc


def add_generator_heading_ids(state: StateCore, numbering: Callable[[], Numbering]) -> None:
    """Core rule: heading ids as another generator made them (ssg.markdown.heading_ids),
    and the TOC.

    Two things differ from that generator, both to keep the page sound: an id that is a
    name in SCRIPT_GLOBALS gets `-section`, as ssg's own do; and an id already in the page
    (kramdown repeats one when `## a-1` follows two `## a`) gets -2, -3, leaving the
    first, where a browser took old links, as it was."""
    ids = numbering()
    seen: set[str] = set(state.env.get(EXPLICIT_IDS, ()))
    toc = []
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        explicit = token.attrs.get("id") if token.attrs else None
        if explicit is not None:
            ids.put(str(explicit))
            unique = str(explicit)
        else:
            base = ids.next_id(inline)
            unique = base = f"{base}-section" if base in SCRIPT_GLOBALS else base
            n = 1
            while unique in seen:
                n += 1
                unique = f"{base}-{n}"
            token.attrSet("id", unique)
        seen.add(unique)
        toc.append(Heading(int(token.tag[1]), unique, _plain_text(inline)))
    state.env["toc"] = toc


def render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Fenced code: Pygments classes for known languages, escaped text otherwise.

    `python:main.py` (the Zenn/Qiita form) shows `main.py` as the block's file name.
    """
    token = tokens[idx]
    info = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    lang, _, filename = info.partition(":")
    if lang == "chart":
        return _render_chart_fence(token, env)
    code = highlight_code(lang, token.content) if lang else None
    if code is None:
        if lang:
            line = token.map[0] + 1 if token.map else 1
            env.setdefault("warnings", {})[line] = (
                f"the {lang} code block was not highlighted: Pygments took over "
                f"{HIGHLIGHT_SECONDS:g} s on it; it is shown as plain text"
            )
        code = escape(token.content)
    lang_class = f' class="language-{escape(lang)}"' if lang else ""
    block = f'<pre class="highlight"><code{lang_class}>{code}</code></pre>'
    if filename:
        name = f'<div class="code-filename">{escape(filename)}</div>'
        return f'<div class="code-block">{name}{block}</div>\n'
    return block + "\n"


def _render_chart_fence(token: Token, env: Any) -> str:
    """A ```chart fence as a drawn chart; its problems go to env["errors"] at their lines
    in the body (the fence's YAML starts on the line after the fence)."""
    context = env.get(CHARTS_ENV) or ChartContext()
    html, problems = render_chart(token.content, context)
    first = token.map[0] + 2 if token.map else 1
    errors = env.setdefault("errors", {})
    for line, message in problems:
        errors[first + line, message] = None  # a dict: the excerpt renders a chart again
    return html


_FORMATTER = HtmlFormatter(nowrap=True)


# Pygments is the dearest step of a post with code; sites repeat snippets (install
# commands, config files), and a hit costs one dictionary lookup. Bounded, since code
# blocks can be large.
@lru_cache(maxsize=512)
def highlight_code(lang: str, code: str) -> str | None:
    """`code` as Pygments-highlighted HTML for `lang`, escaped when Pygments has no lexer,
    None when highlighting takes longer than HIGHLIGHT_SECONDS."""
    lexer = find_lexer(lang)
    if lexer is None:
        return escape(code)
    deadline = time.monotonic() + HIGHLIGHT_SECONDS
    try:
        return pygments_format(_until(deadline, lexer.get_tokens(code)), _FORMATTER)
    except _OverBudget:
        return None


# Some lexers take time quadratic in unclosed constructs (100 KB of Perl `s{`: minutes);
# normal blocks take milliseconds, so this bound changes nothing for real posts.
HIGHLIGHT_SECONDS = 2.0


class _OverBudget(Exception):
    pass


def _until(deadline: float, tokens: Iterator[Any]) -> Iterator[Any]:
    for count, token in enumerate(tokens):
        if not count & 63 and time.monotonic() > deadline:
            raise _OverBudget
        yield token


@lru_cache(maxsize=256)
def find_lexer(lang: str) -> Lexer | None:
    """The Pygments lexer for a fence's language, or None when Pygments has none."""
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def highlight_css() -> str:
    """The stylesheet for highlighted code (Pygments' `default` style, light)."""
    css: str = HtmlFormatter(style="default").get_style_defs(".highlight")  # type: ignore[no-untyped-call]  # Pygments' stubs leave it untyped
    return css
