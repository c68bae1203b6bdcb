"""markdown-it-py plugins that make emphasis and line breaks behave in Japanese prose.

- `cjk_friendly_emphasis`: the CommonMark "CJK-friendly amendments"
  (https://github.com/tats-u/markdown-cjk-friendly/blob/main/specification.md, the rules of
  the JS package markdown-it-cjk-friendly 3.0), so `これは**「重要」**原則です。` gets its
  `<strong>`. Under plain CommonMark the closing `**` sits between `」` and `原`, and a run
  after punctuation and before a letter is not right-flanking, so the asterisks stay visible.
- `cjk_soft_breaks`: a newline between two CJK characters in a paragraph renders as nothing,
  because Japanese puts no space between words and a browser shows the newline as one.

Both are plain functions for `md.use(...)` and change only the MarkdownIt they are given.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from types import MethodType
from typing import TYPE_CHECKING, NamedTuple

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline

from ssg.markdown.pair_rules import FastStateInline

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.parser_inline import ParserInline
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it.utils import EnvType


def _range_pattern(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    """A regex matching one character in any of the inclusive code point `ranges`."""
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]")


# The spec's "CJK character": East Asian Width W, F or H and not a default-emoji-presentation
# character, or Hangul. Copied from the proposal's ranges.md (Unicode 16) rather than computed
# from `unicodedata`, whose Unicode version depends on the Python running the build.
# fmt: off
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x20A9, 0x20A9), (0x2329, 0x232A), (0x2630, 0x2637),
    (0x268A, 0x268F), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5),
    (0x2FF0, 0x303E), (0x3041, 0x3096), (0x3099, 0x30FF), (0x3105, 0x312F),
    (0x3131, 0x318E), (0x3190, 0x31E5), (0x31EF, 0x321E), (0x3220, 0x3247),
    (0x3250, 0xA48C), (0xA490, 0xA4C6), (0xA960, 0xA97C), (0xAC00, 0xD7A3),
    (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xF900, 0xFAFF), (0xFE10, 0xFE19),
    (0xFE30, 0xFE52), (0xFE54, 0xFE66), (0xFE68, 0xFE6B), (0xFF01, 0xFFBE),
    (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC),
    (0xFFE0, 0xFFE6), (0xFFE8, 0xFFEE), (0x16FE0, 0x16FE4), (0x16FF0, 0x16FF6),
    (0x17000, 0x18CD5), (0x18CFF, 0x18D1E), (0x18D80, 0x18DF2), (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122), (0x1B132, 0x1B132),
    (0x1B150, 0x1B152), (0x1B155, 0x1B155), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB),
    (0x1D300, 0x1D356), (0x1D360, 0x1D376), (0x1F200, 0x1F200), (0x1F202, 0x1F202),
    (0x1F210, 0x1F219), (0x1F21B, 0x1F22E), (0x1F230, 0x1F231), (0x1F237, 0x1F237),
    (0x1F23B, 0x1F23B), (0x1F240, 0x1F248), (0x1F260, 0x1F265), (0x20000, 0x3FFFD),
)
# fmt: on
_CJK_RE = _range_pattern(_CJK_RANGES)

# Korean separates words with spaces, so a newline next to Hangul still means a space
# (CSS Text 3 makes the same exception when it discards segment breaks).
_HANGUL_RE = _range_pattern(
    ((0x1100, 0x11FF), (0x3131, 0x318E), (0x3200, 0x321E), (0x3260, 0x327E),
     (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))
)  # fmt: skip

# A quotation mark followed by U+FE01 is its full-width (CJK) form: the spec's
# "CJK ambiguous punctuation sequence".
_FULLWIDTH_SELECTOR = "\ufe01"
_AMBIGUOUS_QUOTES = frozenset("\u2018\u2019\u201c\u201d")


def _is_cjk(ch: str) -> bool:
    # Nothing below U+1100 is CJK, and that covers ASCII, the common case.
    return ch >= "\u1100" and _CJK_RE.match(ch) is not None


class _CharClass(NamedTuple):
    space: bool  # CommonMark "Unicode whitespace"
    punct: bool  # CommonMark "Unicode punctuation character" (P* and S* categories)
    cjk: bool  # the spec's "CJK character"


@cache
def _char_class(ch: str) -> _CharClass:
    # Memoised: a whole site uses a few thousand distinct characters, and this turns the
    # per-delimiter cost into two dictionary lookups.
    code = ord(ch)
    return _CharClass(
        space=isWhiteSpace(code),
        punct=isMdAsciiPunct(code) or isPunctChar(ch),
        cjk=_is_cjk(ch),
    )


def _is_general_selector(ch: str) -> bool:
    """A variation selector that may follow a CJK character (U+FE0F asks for emoji instead)."""
    return "\ufe00" <= ch <= "\ufe0e"


def _is_ideographic_selector(ch: str) -> bool:
    return "\U000e0100" <= ch <= "\U000e01ef"


def _main_char(src: str, pos: int) -> str:
    """The character that the variation selector at `pos` varies.

    A selector after a space is left as it is; the spec leaves that case open, and
    markdown-it-cjk-friendly treats the selector as an ordinary letter.
    """
    if pos > 0 and unicodedata.category(src[pos - 1]) != "Zs":
        return src[pos - 1]
    return src[pos]


def _follows_cjk(src: str, start: int) -> bool:
    """Whether the text before `start` ends in a CJK character or sequence."""
    last = src[start - 1]
    if _is_general_selector(last):
        base = src[start - 2] if start > 1 else " "
        return _char_class(base).cjk or (last == _FULLWIDTH_SELECTOR and base in _AMBIGUOUS_QUOTES)
    return _char_class(last).cjk or _is_ideographic_selector(last)


def scan_delims(src: str, start: int, end: int, can_split_word: bool) -> Scanned:
    """Length of the delimiter run at `start` and whether it can open or close emphasis.

    Same contract as `StateInline.scanDelims`; `can_split_word` is true for `*` and `~`.
    """
    marker = src[start]
    pos = start + 1
    while pos < end and src[pos] == marker:
        pos += 1
    count = pos - start

    # The beginning and the end of the line count as whitespace.
    last = src[start - 1] if start > 0 else " "
    if _is_general_selector(last):
        last = _main_char(src, start - 1)
    last_space, last_punct, _ = _char_class(last)
    next_space, next_punct, next_cjk = _char_class(src[pos] if pos < end else " ")
    if last_space or next_space:
        return Scanned(not next_space, not last_space, count)

    if not can_split_word:
        # `_` never opens or closes inside a word; with no whitespace around, only punctuation
        # on the side facing away from the emphasised text lets it through. ssg goes one step
        # beyond the amendment here: Japanese has no spaces between words, so a CJK character
        # on that side is a word boundary too (`__「長期保有」__が` is bold, as writers mean).
        last_cjk = _follows_cjk(src, start)
        return Scanned(last_punct or last_cjk, next_punct or next_cjk, count)
    if last_punct == next_punct:
        # Letters (or punctuation) on both sides: the run both opens and closes.
        return Scanned(True, True, count)
    # Punctuation on one side only: CommonMark refuses the side facing the punctuation, the
    # amendment allows it when either neighbour is CJK (`」**原` closes, `の**「` opens).
    cjk = next_cjk or _follows_cjk(src, start)
    return Scanned(last_punct or cjk, next_punct or cjk, count)


class CjkFriendlyStateInline(FastStateInline):
    """Inline parser state whose delimiter runs follow the CJK-friendly flanking rules."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        return scan_delims(self.src, start, self.posMax, canSplitWord)


def _parse_cjk_friendly(
    self: ParserInline, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]
) -> list[Token]:
    # `ParserInline.parse` with the state class swapped: a copy, so it runs only on the
    # versions in ssg/markdown/pinned.py.
    state = CjkFriendlyStateInline(src, md, env, tokens)
    self.tokenize(state)
    for rule in self.ruler2.getRules(""):
        rule(state)
    return state.tokens


def _tokenize_cjk_friendly(self: ParserInline, state: StateInline) -> None:
    # markdown-it-py's own parse hands its plain state to tokenize: give that state the
    # CJK-friendly scanDelims, then run markdown-it-py's own tokenize.
    state.scanDelims = MethodType(CjkFriendlyStateInline.scanDelims, state)  # type: ignore[method-assign]
    type(self).tokenize(self, state)


def cjk_friendly_emphasis(md: MarkdownIt, copied_loop: bool = True) -> None:
    """Apply the CJK-friendly flanking rules to `*`, `_`, `~` and their doubles in `md`.

    JS markdown-it plugins subclass `md.inline.State`; markdown-it-py has no such hook and
    builds a plain `StateInline` in `ParserInline.parse`. So we shadow a method on this
    instance's inline parser only: every rule that calls `state.scanDelims` (emphasis,
    strikethrough, plugins) sees the new rules, and other MarkdownIt objects, even in the
    same process, keep plain CommonMark.

    With `copied_loop` (on the markdown-it-py versions in ssg/markdown/pinned.py) that is
    `parse`, copied to build our state class; otherwise `tokenize`, which sets the method
    on markdown-it-py's own state, one bound method per inline.
    """
    if copied_loop:
        md.inline.parse = MethodType(_parse_cjk_friendly, md.inline)  # type: ignore[method-assign]
    else:
        md.inline.tokenize = MethodType(_tokenize_cjk_friendly, md.inline)  # type: ignore[method-assign]


def _is_cjk_prose(ch: str) -> bool:
    """Whether `ch` is CJK written without spaces; false for "" (no visible neighbour)."""
    return ch != "" and _char_class(ch).cjk and _HANGUL_RE.match(ch) is None


def _edge_char(children: list[Token], index: int, step: int) -> str:
    """The visible character next to `children[index]` in direction `step` (-1 or 1).

    Looks through markup such as `strong_open` and `link_close`, so `**強調**\\n次` sees `調`.
    Returns "" at the edge of the paragraph or at anything that is not text (an image,
    inline HTML, another break), where we cannot tell what the reader sees.
    """
    index += step
    while 0 <= index < len(children):
        token = children[index]
        if token.nesting == 0:
            if token.type not in ("text", "text_special", "code_inline"):
                return ""
            if token.content:
                return token.content[-1] if step < 0 else token.content[0]
        index += step
    return ""


def _joins_cjk(children: list[Token], index: int) -> bool:
    return _is_cjk_prose(_edge_char(children, index, -1)) and _is_cjk_prose(
        _edge_char(children, index, 1)
    )


def _drop_cjk_soft_breaks(state: StateCore) -> None:
    if state.md.options.breaks:
        # Soft breaks render as <br />: the author asked to see every line break.
        return
    for token in state.tokens:
        children = token.children
        if token.type != "inline" or not children or "\n" not in token.content:
            continue
        token.children = [
            child
            for i, child in enumerate(children)
            if child.type != "softbreak" or not _joins_cjk(children, i)
        ]


def cjk_soft_breaks(md: MarkdownIt) -> None:
    """Render a soft line break between two CJK characters as nothing.

    A core rule rather than a `softbreak` render rule: it deletes the tokens, so everything
    that reads the token stream (HTML, plain-text excerpts, character counts) agrees. It runs
    right after `inline`, before plugins that rewrite text (linkify, typographer).
    """
    md.core.ruler.after("inline", "cjk_soft_breaks", _drop_cjk_soft_breaks)
