"""Faster copies of markdown-it-py's emphasis, pair, text-joining and normalizing rules,
of its inline state's `push`, and of `renderToken` for emphasis tags: the same tokens, the
same HTML.

Profiling a long-form post's parse put markdown-it-py's `emphasis` rule first among the
rules (Japanese posts bold every other quotation, `**「…」**`): for each marker it calls
`state.push`, which checks pending text, nesting and delimiter stacks, and builds a Token
through a dataclass __init__; the pair rules after it walk every token of every inline
with indexing loops. The copies here do the same steps with the checks a text token never
needs left out. Like rule_dispatch.py's loops, they match only the markdown-it-py code
they were copied from, so make_markdown installs them only on the versions in
ssg/markdown/pinned.py, and tests/test_markdown_pair_rules.py compares their tokens and
HTML with markdown-it-py's own on random documents.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.ruler import Ruler
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.balance_pairs import processDelimiters
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

# Token's fields as new_token sets them; a markdown-it-py with other fields gets its own
# constructor instead.
_TOKEN_FIELDS = ("type", "tag", "nesting", "attrs", "map", "level", "children", "content",
                 "markup", "info", "meta", "block", "hidden")  # fmt: skip
_FIELDS_KNOWN = tuple(field.name for field in dataclasses.fields(Token)) == _TOKEN_FIELDS
_new = Token.__new__


def new_token(kind: str, tag: str, nesting: Literal[-1, 0, 1], level: int = 0,
              content: str = "") -> Token:  # fmt: skip
    """`Token(kind, tag, nesting, level=level, content=content)` in a quarter of the time:
    the dataclass's __init__ calls two default factories and a __post_init__ that makes a
    third dictionary, and a long post makes a thousand tokens or more."""
    if not _FIELDS_KNOWN:
        return Token(kind, tag, nesting, level=level, content=content)
    token = _new(Token)
    token.type, token.tag, token.nesting, token.attrs = kind, tag, nesting, {}
    token.map, token.level, token.children, token.content = None, level, None, content
    token.markup, token.info, token.meta, token.block, token.hidden = "", "", {}, False, False
    return token


class FastStateInline(StateInline):
    """Inline parser state whose `push` and `pushPending` (copies of markdown-it-py's)
    make their tokens with new_token."""

    def pushPending(self) -> Token:
        token = new_token("text", "", 0, self.pendingLevel, self.pending)
        self.tokens.append(token)
        self.pending = ""
        return token

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        if self.pending:
            self.pushPending()
        token_meta = None
        if nesting < 0:
            # closing tag
            self.level -= 1
            self.delimiters = self._prev_delimiters.pop()
        token = new_token(ttype, tag, nesting, self.level)
        if nesting > 0:
            # opening tag
            self.level += 1
            self._prev_delimiters.append(self.delimiters)
            self.delimiters = []
            token_meta = {"delimiters": self.delimiters}
        self.pendingLevel = self.level
        self.tokens.append(token)
        self.tokens_meta.append(token_meta)
        return token


def use_pair_rules(md: MarkdownIt) -> None:
    """Replace `md`'s emphasis, balance_pairs, fragments_join, text_join and normalize rules
    by the
    copies below (each only while `md` still has markdown-it-py's own), and render
    emphasis tags without the generic renderToken."""
    inline, inline2, core = md.inline.ruler, md.inline.ruler2, md.core.ruler
    _replace(inline, "emphasis", "markdown_it.rules_inline.emphasis", emphasis_tokenize)
    _replace(inline2, "balance_pairs", "markdown_it.rules_inline.balance_pairs", link_pairs)
    _replace(inline2, "fragments_join", "markdown_it.rules_inline.fragments_join",
             fragments_join)  # fmt: skip
    _replace(core, "text_join", "markdown_it.rules_core.text_join", text_join)
    _replace(core, "normalize", "markdown_it.rules_core.normalize", normalize)
    rendered = getattr(md.renderer, "rules", {})  # the kinds with a render rule already
    for kind in ("em_open", "em_close", "strong_open", "strong_close"):
        if kind not in rendered:
            md.add_render_rule(kind, render_emphasis_tag)


def render_emphasis_tag(self: RendererHTML, tokens: Sequence[Token], idx: int,
                        options: OptionsDict, env: EnvType) -> str:  # fmt: skip
    """What `renderToken` makes of an emphasis token: `<strong>`, `</em>`; the generic
    renderToken (checks for blocks, hidden tokens, attributes) for anything else."""
    token = tokens[idx]
    if token.attrs or token.block or token.hidden or token.nesting == 0:
        return self.renderToken(tokens, idx, options, env)
    return ("</" if token.nesting < 0 else "<") + token.tag + ">"


def _replace(ruler: Ruler[Any], name: str, module: str, rule: Any) -> None:
    for entry in ruler.__rules__:
        if entry.name == name and getattr(entry.fn, "__module__", "") == module:
            ruler.at(name, rule, {"alt": entry.alt})
            return


def emphasis_tokenize(state: StateInline, silent: bool) -> bool:
    """markdown-it-py's `emphasis.tokenize`: each `*` or `_` of a run becomes a text token
    and a delimiter. `state.push` of a text token changes no level and no delimiter
    stack, so the tokens are appended here directly."""
    if silent:
        return False
    start = state.pos
    marker = state.src[start]
    if marker != "*" and marker != "_":
        return False
    can_open, can_close, length = state.scanDelims(start, marker == "*")
    if state.pending:
        state.pushPending()
    tokens, delimiters = state.tokens, state.delimiters
    level, code, first = state.level, ord(marker), len(tokens)
    for index in range(first, first + length):
        tokens.append(new_token("text", "", 0, level, marker))
        delimiters.append(Delimiter(code, length, index, -1, can_open, can_close))
    state.tokens_meta += [None] * length
    state.pendingLevel = level
    state.pos = start + length
    return True


def link_pairs(state: StateInline) -> None:
    """markdown-it-py's `balance_pairs.link_pairs`: match delimiters at each level."""
    processDelimiters(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            processDelimiters(state, meta["delimiters"])


def fragments_join(state: StateInline) -> None:
    """markdown-it-py's `fragments_join`: recompute the tokens' levels, and merge runs of
    adjacent text tokens into the last of each run."""
    tokens = state.tokens
    joined: list[Token] = []
    level = 0
    run: list[str] = []  # contents of the text tokens before `token` in its run
    for index, token in enumerate(tokens):
        nesting = token.nesting
        if nesting < 0:
            level -= 1
        token.level = level
        if nesting > 0:
            level += 1
        if token.type == "text" and index + 1 < len(tokens) and tokens[index + 1].type == "text":
            run.append(token.content)
            continue
        if run:
            run.append(token.content)
            token.content = "".join(run)
            run = []
        joined.append(token)
    if len(joined) != len(tokens):
        tokens[:] = joined


def normalize(state: StateCore) -> None:
    """markdown-it-py's core `normalize`: CR LF and CR become LF, NUL U+FFFD. Its regex
    replaces every LF by itself; a post has none of the three most of the time."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def text_join(state: StateCore) -> None:
    """markdown-it-py's core `text_join`: `text_special` tokens become text, and runs of
    adjacent text tokens one (the first of each run)."""
    for block in state.tokens:
        if block.type != "inline":
            continue
        children = block.children or []
        for child in children:
            # an image's alt text is a token tree of its own
            if child.children:
                child.children = _join_text_tokens(child.children)
        block.children = _join_text_tokens(children)


def _join_text_tokens(tokens: list[Token]) -> list[Token]:
    joined: list[Token] = []
    run: list[str] = []  # contents of a run of text tokens after its first, joined[-1]
    last_is_text = False
    for token in tokens:
        kind = token.type
        if kind == "text_special":
            token.type = kind = "text"
        if kind == "text" and last_is_text:
            run.append(token.content)
            continue
        if run:
            joined[-1].content += "".join(run)
            run = []
        joined.append(token)
        last_is_text = kind == "text"
    if run:
        joined[-1].content += "".join(run)
    return joined
