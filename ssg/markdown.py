"""Markdown to HTML: markdown-it-py with GFM, Japanese-aware heading ids, Pygments code.

One parse per post yields everything later stages need (HTML, table of contents, excerpt
text, character counts), so no stage ever parses a post twice.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from types import MethodType
from typing import Any, NamedTuple

from markdown_it import MarkdownIt, rules_block
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_def
from mdit_py_plugins.gfm import gfm_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ssg.callouts import callouts
from ssg.cjk import cjk_friendly_emphasis, cjk_soft_breaks

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


def make_markdown(raw_html: bool = True, cjk: bool = True, base_path: str = "/") -> MarkdownIt:
    """A parser for posts: CommonMark + GFM (tables, strikethrough, task lists, autolinks,
    footnotes), heading ids, wrapped tables and Pygments-highlighted fences.

    Links to the site's own root (`/about/`) get `base_path` (`/blog/about/`), as layouts'
    links do, so a site published under a sub-path works."""
    md = MarkdownIt("commonmark", {"html": raw_html})
    if base_path != "/":
        md.core.ruler.push("base_path", lambda state: prefix_site_links(state, base_path))
    md.use(gfm_plugin)
    md.use(callouts)
    if cjk:
        md.use(cjk_friendly_emphasis)
        md.use(cjk_soft_breaks)
    md.core.ruler.push("heading_ids", add_heading_ids)
    md.inline.tokenize = MethodType(tokenize_dispatched, md.inline)  # type: ignore[method-assign]
    md.inline.parse = PlainInline(md.inline, md.inline.parse)  # type: ignore[method-assign]
    # callouts() registers its containers with the default ':' marker.
    starts = {_block_rule(md, name): ":" for name in ("container_callout", "container_details")}
    md.block.tokenize = BlockDispatch(md.block, starts)  # type: ignore[method-assign]
    md.add_render_rule("fence", render_fence)
    md.add_render_rule("table_open", lambda *a: '<div class="table-wrap"><table>\n')
    md.add_render_rule("table_close", lambda *a: "</table></div>\n")
    return md


def render_markdown(md: MarkdownIt, body: str) -> RenderedMarkdown:
    """Parse `body` once and return its HTML and everything derived from it."""
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    more_html = more_text = None
    cut = find_more_marker(tokens) if "<!--" in body else None
    if cut is not None:
        # The marker is a block of its own: an html_block, or with raw HTML off a paragraph.
        del tokens[cut : cut + (3 if tokens[cut].type == "paragraph_open" else 1)]
        before = tokens[:cut]
        more_html = md.renderer.render(before, md.options, env)
        more_text = " ".join(filter(None, (_plain_text(t) for t in before if t.type == "inline")))
    cjk, words = count_prose(tokens)
    return RenderedMarkdown(
        html=md.renderer.render(tokens, md.options, env),
        toc=tuple(env.get("toc", ())),
        first_paragraph=_first_paragraph(tokens),
        more_html=more_html,
        more_text=more_text,
        cjk_chars=cjk,
        latin_words=words,
    )


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
    # Counting runs, not characters, keeps findall from making a string per character.
    return sum(map(len, _CJK_RUN_RE.findall(text))), len(_WORD_RE.findall(text))


def _plain_text(inline: Token, code: bool = True) -> str:
    parts = []
    for child in inline.children or ():
        kind = child.type
        if kind == "text" or (code and kind == "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append("\n")
    text = "".join(parts)
    if "\n" in text:
        text = _JOIN_BREAK_RE.sub("", text).replace("\n", " ")
    return text.strip()


def _first_paragraph(tokens: list[Token]) -> str:
    """Plain text of the first top-level paragraph with text (an image alone has none)."""
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and not token.hidden:
            text = _plain_text(tokens[i + 1])
            if text:
                return text
    return ""


# Where each known inline rule can match: at any other character it returns False and
# changes nothing, so it need not be tried there. Keyed by module and name, so a rule
# this table does not know (a new plugin, a renamed rule) is tried everywhere as before.
_TEXT_RULE = ("markdown_it.rules_inline.text", "text")  # matches at non-terminators only
_INLINE_RULE_STARTS: dict[tuple[str, str], str] = {
    ("markdown_it.rules_inline.newline", "newline"): "\n",
    ("markdown_it.rules_inline.escape", "escape"): "\\",
    ("markdown_it.rules_inline.backticks", "backtick"): "`",
    ("markdown_it.rules_inline.strikethrough", "tokenize"): "~",
    ("markdown_it.rules_inline.emphasis", "tokenize"): "*_",
    ("markdown_it.rules_inline.link", "link"): "[",
    ("markdown_it.rules_inline.image", "image"): "!",
    ("markdown_it.rules_inline.autolink", "autolink"): "<",
    ("markdown_it.rules_inline.html_inline", "html_inline"): "<",
    ("markdown_it.rules_inline.entity", "entity"): "&",
    ("markdown_it.rules_inline.linkify", "linkify"): ":",
    ("mdit_py_plugins.footnote.index", "footnote_ref"): "[",
    ("mdit_py_plugins.gfm_autolink.index", "_www_inline_rule"): "w",
    ("mdit_py_plugins.gfm_autolink.index", "_protocol_rule"): ":",
    ("mdit_py_plugins.gfm_autolink.index", "_email_rule"): "@",
}
# Characters worth a list of their own: every rule start above, and every character
# markdown-it may make a terminator (where the text rule cannot match).
_DISPATCH_CHARS = frozenset("".join(_INLINE_RULE_STARTS.values()) + string.punctuation + "\n")

RuleLists = tuple[dict[str, list[Any]], list[Any]]


def _rule_key(rule: Any) -> tuple[str, str]:
    rule = getattr(rule, "func", rule)  # a functools.partial (footnote_ref) names its function
    return getattr(rule, "__module__", ""), getattr(rule, "__qualname__", "")


def _rules_by_char(rules: list[Any], terminator: re.Pattern[str]) -> RuleLists:
    """The rules to try at each character (same order as `rules`), and at any other one."""
    starts = [_INLINE_RULE_STARTS.get(_rule_key(rule)) for rule in rules]
    is_text = [_rule_key(rule) == _TEXT_RULE for rule in rules]

    def candidates(char: str | None) -> list[Any]:
        # char None stands for any character outside _DISPATCH_CHARS.
        stops_text = char is not None and terminator.fullmatch(char) is not None
        return [
            rule
            for rule, start, text in zip(rules, starts, is_text, strict=True)
            if (text and not stops_text)
            or (not text and (start is None or (char is not None and char in start)))
        ]

    return {char: candidates(char) for char in _DISPATCH_CHARS}, candidates(None)


def tokenize_dispatched(self: ParserInline, state: StateInline) -> None:
    """`ParserInline.tokenize`, trying at each position only the rules that can match there.

    markdown-it tries every inline rule at every terminator character; with GFM's rules a
    `%` or `=` in prose costs a dozen calls that all say no. Keep in step with markdown-it-py.
    """
    rules = self.ruler.getRules("")
    terminator = getattr(self, "terminator_re", None)
    if not isinstance(terminator, re.Pattern):
        # Not the markdown-it-py this was written for: the text rule's stops are unknown.
        ParserInline.tokenize(self, state)
        return
    cached = self.__dict__.get("_ssg_rules_by_char")
    if cached is None or cached[0] is not rules or cached[1] is not terminator:
        # The ruler hands out a new list whenever rules are enabled, disabled or added.
        cached = (rules, terminator, *_rules_by_char(rules, terminator))
        self.__dict__["_ssg_rules_by_char"] = cached
    by_char, others = cached[2], cached[3]
    end = state.posMax
    max_nesting = state.md.options["maxNesting"]
    src = state.src
    while state.pos < end:
        pos = state.pos
        ok = False
        if state.level < max_nesting:
            for rule in by_char.get(src[pos], others):
                ok = rule(state, False)
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        if ok:
            if state.pos >= end:
                break
            continue
        state.append_pending(src[state.pos])
        state.pos += 1
    if state.pending:
        state.pushPending()


# Post-processing rules that do nothing to an inline without delimiters (no `*`, `_`, `~`).
_PAIR_RULES = frozenset(
    [
        ("markdown_it.rules_inline.balance_pairs", "link_pairs"),
        ("markdown_it.rules_inline.strikethrough", "postProcess"),
        ("markdown_it.rules_inline.emphasis", "postProcess"),
        ("markdown_it.rules_inline.fragments_join", "fragments_join"),
    ]
)


class PlainInline:
    """An inline parser's `parse` that turns text with no terminator into one text token.

    Two thirds of inlines (list items, headings, table cells, plain Japanese sentences)
    hold no character any inline rule reacts to, and for them markdown-it's text rule
    would take the whole string in one step anyway; this skips building a parser state
    and running the pair rules over nothing.
    """

    def __init__(self, parser: ParserInline, parse: Callable[..., list[Token]]) -> None:
        self.parser = parser
        self.parse = parse  # the parse that handles everything else
        self.checked: tuple[list[Any], list[Any]] | None = None  # rule lists last checked
        self.enabled = False

    def __call__(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        terminator = getattr(self.parser, "terminator_re", None)
        if isinstance(terminator, re.Pattern) and terminator.search(src) is None and self._ok():
            if src:
                token = Token("text", "", 0)
                token.content = src
                tokens.append(token)
            return tokens
        return self.parse(src, md, env, tokens)

    def _ok(self) -> bool:
        # Valid while the text rule comes first (so it takes any text without a terminator)
        # and every post-processing rule is one of the pair rules.
        rules = self.parser.ruler.getRules("")
        rules2 = self.parser.ruler2.getRules("")
        if self.checked is None or self.checked[0] is not rules or self.checked[1] is not rules2:
            self.checked = (rules, rules2)
            self.enabled = (
                bool(rules)
                and _rule_key(rules[0]) == _TEXT_RULE
                and all(_rule_key(rule) in _PAIR_RULES for rule in rules2)
            )
        return self.enabled


# The first character (after indentation) of a line where each known block rule can
# start; table, code, lheading and paragraph can start anywhere. Keyed by the function
# itself: fences and containers are closures, so their names say nothing of their marker.
_BLOCK_RULE_STARTS: dict[Any, str] = {
    rules_block.fence: "`~",
    rules_block.blockquote: ">",
    rules_block.hr: "*-_",
    rules_block.list_block: "*-+0123456789",
    rules_block.reference: "[",
    rules_block.html_block: "<",
    rules_block.heading: "#",
    footnote_def: "[",
}


def _block_rule(md: MarkdownIt, name: str) -> Any:
    ruler = md.block.ruler
    return ruler.__rules__[ruler.__find__(name)].fn


class BlockDispatch:
    """`ParserBlock.tokenize`, trying on each line only the rules that can start there.

    markdown-it tries all fourteen block rules on every block's first line, and most say
    no after looking at one character. Keep in step with markdown-it-py.
    """

    def __init__(self, parser: ParserBlock, extra_starts: dict[Any, str]) -> None:
        self.parser = parser
        self.starts = {**_BLOCK_RULE_STARTS, **extra_starts}
        self.rules: list[Any] | None = None  # the ruler's list the tables were built from
        self.by_char: dict[str, list[Any]] = {}
        self.others: list[Any] = []

    def _tables(self, rules: list[Any]) -> None:
        starts = [self.starts.get(rule) for rule in rules]
        chars = set("".join(start for start in starts if start))
        self.by_char = {
            char: [
                rule
                for rule, start in zip(rules, starts, strict=True)
                if start is None or char in start
            ]
            for char in chars
        }
        self.others = [rule for rule, start in zip(rules, starts, strict=True) if start is None]
        self.rules = rules

    def __call__(self, state: StateBlock, startLine: int, endLine: int) -> None:
        rules = self.parser.ruler.getRules("")
        if rules is not self.rules:
            # The ruler hands out a new list whenever rules are enabled, disabled or added.
            self._tables(rules)
        by_char, others = self.by_char, self.others
        line = startLine
        maxNesting = state.md.options.maxNesting
        hasEmptyLines = False

        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine:
                break
            if state.sCount[line] < state.blkIndent:
                break
            if state.level >= maxNesting:
                state.line = endLine
                break

            # The line is not empty, so it has a first character.
            first = state.src[state.bMarks[line] + state.tShift[line]]
            ok = False
            for rule in by_char.get(first, others):
                ok = rule(state, line, endLine, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")

            state.tight = not hasEmptyLines
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                hasEmptyLines = True
            if line < endLine and state.isEmpty(line):
                hasEmptyLines = True
                line += 1
                state.line = line


def prefix_site_links(state: StateCore, base_path: str) -> None:
    """Core rule: `/x` in a link or image becomes `{base_path}x` (never `//host` links)."""
    for block in state.tokens:
        for token in block.children or ():
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else ""
            value = token.attrGet(attr) if attr else None
            if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                token.attrSet(attr, base_path.rstrip("/") + value)


def heading_id(text: str) -> str:
    """An id readable in Japanese: `## 投資の 結論！` -> `投資の-結論`."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    return _ID_DROP_RE.sub("", text).replace(" ", "-").strip("-") or "section"


def add_heading_ids(state: StateCore) -> None:
    """Core rule: give each heading an id from its own text, and collect the TOC.

    Ids depend on the heading's text only (plus a -2, -3 suffix for repeats), so editing
    one heading never renumbers the others.
    """
    seen: set[str] = set()
    toc = []
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _plain_text(tokens[i + 1])
        base = heading_id(text)
        unique, n = base, 1
        while unique in seen:
            n += 1
            unique = f"{base}-{n}"
        seen.add(unique)
        token.attrSet("id", unique)
        toc.append(Heading(int(token.tag[1]), unique, text))
    state.env["toc"] = toc


def render_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Fenced code: Pygments classes for known languages, escaped text otherwise.

    `python:main.py` (the Zenn/Qiita form) shows `main.py` as the block's file name.
    """
    token = tokens[idx]
    info = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    lang, _, filename = info.partition(":")
    code = highlight_code(lang, token.content) if lang else escape(token.content)
    lang_class = f' class="language-{escape(lang)}"' if lang else ""
    block = f'<pre class="highlight"><code{lang_class}>{code}</code></pre>'
    if filename:
        name = f'<div class="code-filename">{escape(filename)}</div>'
        return f'<div class="code-block">{name}{block}</div>\n'
    return block + "\n"


_FORMATTER = HtmlFormatter(nowrap=True)


# Pygments is the dearest step of a post with code; sites repeat snippets (install
# commands, config files), and a hit costs one dictionary lookup. Bounded, since code
# blocks can be large.
@lru_cache(maxsize=512)
def highlight_code(lang: str, code: str) -> str:
    """`code` as Pygments-highlighted HTML for `lang`, or escaped when Pygments has no lexer."""
    lexer = find_lexer(lang)
    return pygments_highlight(code, lexer, _FORMATTER) if lexer else escape(code)


@lru_cache(maxsize=256)
def find_lexer(lang: str) -> Lexer | None:
    """The Pygments lexer for a fence's language, or None when Pygments has none."""
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def highlight_css() -> str:
    """The stylesheet for highlighted code (Pygments' `default` style, light)."""
    return HtmlFormatter(style="default").get_style_defs(".highlight")
