"""Speeding up markdown-it-py's rule loops: try each rule only where it can match.

markdown-it tries every inline rule at every terminator character and every block rule on
every block's first line; most say no after one character. Profiling ssg's parse showed
that as the largest cost beyond the parsing itself, so `dispatch_rules` swaps in loops that
look the candidate rules up by character. They are copies of markdown-it-py's own loops
with that lookup added, so make_markdown installs them only on the markdown-it-py versions
they were copied from (ssg/markdown/pinned.py): keep them in step when adding one. A rule
these tables do not know is tried everywhere, as before, and tests/test_parse_speed_dispatch.py
renders random documents with and without the dispatch and requires identical output.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from types import MethodType
from typing import Any

from markdown_it import MarkdownIt, rules_block
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_def

from ssg.markdown.pair_rules import new_token


def dispatch_rules(md: MarkdownIt, block_starts: dict[str, str]) -> None:
    """Install the dispatching loops on `md`; `block_starts` names block rules added by
    plugins (by rule name) with the characters their lines start with."""
    md.inline.tokenize = MethodType(tokenize_dispatched, md.inline)  # type: ignore[method-assign]
    md.inline.parse = PlainInline(md.inline, md.inline.parse)  # type: ignore[method-assign]
    starts = {_block_rule(md, name): chars for name, chars in block_starts.items()}
    md.block.tokenize = BlockDispatch(md.block, starts)  # type: ignore[method-assign]


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
    ("ssg.markdown.pair_rules", "emphasis_tokenize"): "*_",
    ("markdown_it.rules_inline.link", "link"): "[",
    ("markdown_it.rules_inline.image", "image"): "!",
    ("markdown_it.rules_inline.autolink", "autolink"): "<",
    ("markdown_it.rules_inline.html_inline", "html_inline"): "<",
    ("markdown_it.rules_inline.entity", "entity"): "&",
    ("markdown_it.rules_inline.linkify", "linkify"): ":",
    ("mdit_py_plugins.footnote.index", "footnote_ref"): "[",
    ("mdit_py_plugins.gfm_autolink.index", "_www_inline_rule"): "w",
    ("mdit_py_plugins.gfm_autolink.index", "_protocol_rule"): ":",
    ("ssg.markdown.autolinks", "flush_long_pending"): ":",
    ("mdit_py_plugins.gfm_autolink.index", "_email_rule"): "@",
    ("ssg.markdown.attributes", "guarded_attr_rule"): "{",
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
        ("ssg.markdown.pair_rules", "link_pairs"),
        ("ssg.markdown.pair_rules", "fragments_join"),
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
                tokens.append(new_token("text", "", 0, 0, src))
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
