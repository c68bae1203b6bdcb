"""Ticker symbols, and `$NVDA` in a post's text as a link to the ticker's page.

Symbols are letters, digits, `.` and `-` (`NVDA`, `7203.T`, `130A`, `BRK-B`), compared in
capitals after NFKC, so `nvda` and full-width `ＮＶＤＡ` are `NVDA`. A `$` before one links
it only when the symbol is known (the build hands the set in through the parser's env)
and is not a number (`$100`), and only in text: code spans, code blocks and links are
other tokens, never looked at.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# env key: the ticker symbols a post may link with `$SYMBOL`
KNOWN_TICKERS = "known_tickers"
# `$` not glued to a word or another `$` (`US$5`, `$$`), then the symbol's characters.
_CASHTAG = re.compile(r"(?<![0-9A-Za-z$])\$([0-9A-Za-z][0-9A-Za-z.\-]*)")
_NUMBER = re.compile(r"[0-9][0-9.,]*")
_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def mentioned_symbol(written: str, known: Collection[str]) -> str | None:
    """The known symbol `$written` names: `NVDA.` at a sentence's end is `NVDA`, and
    `NVDA.The` falls back to `NVDA`; None for numbers and unknown symbols."""
    candidate = written.rstrip(".-").upper()
    while candidate:
        if candidate in known and not _NUMBER.fullmatch(candidate):
            return candidate
        candidate = candidate.rpartition(".")[0].rstrip(".-")
    return None


def cashtag_links(md: MarkdownIt, url_of: str = "/tickers/{}/") -> None:
    """Plugin: `$SYMBOL` in text, for a symbol in env[KNOWN_TICKERS], links to `url_of`
    with the symbol in it. Runs before the base-path rule, which then prefixes it."""

    def rule(state: StateCore) -> None:
        known = state.env.get(KNOWN_TICKERS)
        if not known or "$" not in state.src:
            return
        for block in state.tokens:
            if block.type == "inline" and block.children and "$" in block.content:
                block.children = list(_linked(block.children, known, url_of))

    md.core.ruler.after("text_join", "cashtag_links", rule)


def _linked(children: list[Token], known: Collection[str], url_of: str) -> Iterable[Token]:
    depth = 0  # inside a link (Markdown's, an autolink's, raw HTML's): left alone
    for token in children:
        kind = token.type
        if kind == "link_open":
            depth += 1
        elif kind == "link_close":
            depth -= 1
        elif kind == "html_inline":
            depth += bool(_LINK_OPEN.match(token.content)) - bool(_LINK_CLOSE.match(token.content))
        elif kind == "text" and depth <= 0 and "$" in token.content:
            yield from _split(token, known, url_of)
            continue
        yield token


def _split(token: Token, known: Collection[str], url_of: str) -> Iterable[Token]:
    text, start = token.content, 0
    for match in _CASHTAG.finditer(text):
        symbol = mentioned_symbol(match.group(1), known)
        end = match.start(1) + len(symbol) if symbol else 0
        if symbol is None or text[end : end + 1] == "$":  # `$X$` is TeX, not a ticker
            continue
        if match.start() > start:
            yield _text(token, text[start : match.start()])
        link = Token("link_open", "a", 1, attrs={"href": url_of.format(symbol),
                                                  "class": "ticker-link"})  # fmt: skip
        yield link
        yield _text(token, text[match.start() : end])
        yield Token("link_close", "a", -1)
        start = end
    if start < len(text):
        yield _text(token, text[start:])


def _text(like: Token, content: str) -> Token:
    token = Token("text", "", 0, level=like.level)
    token.content = content
    return token
