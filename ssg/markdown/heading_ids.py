"""Heading ids as Jekyll's and Hugo's Markdown parsers make them (config `heading_ids`).

A site moved from Jekyll or Hugo keeps its old `#anchor` links only if each heading gets
the id, and each repeat the number, its old generator gave it. These follow those
generators' own code (cited below), and were checked against kramdown 2.4 with
kramdown-parser-gfm 1.1 and Hugo 0.111 (Debian's): `## 投資の結論！` is `投資の結論` in both, a
second `## まとめ` is `まとめ-1`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it.token import Token

KRAMDOWN = "kramdown"
GOLDMARK = "goldmark"

_HYPHEN_RUN = re.compile(r"-{2,}")
# Unicode's Other_Alphabetic symbols (circled and squared letters), in Onigmo's \p{Word}
# though not letters by category.
_OTHER_ALPHABETIC = re.compile("[\u24b6-\u24e9\U0001f130-\U0001f149\U0001f150-\U0001f169"
                               "\U0001f170-\U0001f189]")  # fmt: skip


@lru_cache(maxsize=4096)
def _ruby_word(char: str) -> bool:
    """Onigmo's `\\p{Word}`: Alphabetic, Mark, Decimal_Number, Connector_Punctuation,
    Join_Control (Python's `\\w` differs: it keeps `①` and drops marks)."""
    category = unicodedata.category(char)
    return (
        category[0] in "LM"
        or category in ("Nd", "Nl", "Pc")
        or char in "\u200c\u200d"
        or _OTHER_ALPHABETIC.match(char) is not None
    )


def kramdown_heading_id(text: str) -> str:
    """kramdown-parser-gfm's `generate_gfm_header_id` (lib/kramdown/parser/gfm.rb, 1.1.0),
    before numbering: downcase, remove `[^\\p{Word}\\- \\t]`, each space or tab becomes
    `-`. Jekyll's `auto_id_prefix` is empty. Nothing is trimmed: `## 結論 ！` is `結論-`."""
    kept = "".join(c for c in text.lower() if c in "- \t" or _ruby_word(c))
    return kept.replace(" ", "-").replace("\t", "-")


def kramdown_text(inline: Token) -> str:
    """A heading's text as kramdown reads it for the id (`update_raw_text` in gfm.rb):
    text and code, where kramdown's typography has made `---` and `--` dashes, which the
    id then drops (`## A -- B` is `a--b`); code keeps its hyphens."""
    parts: list[str] = []
    run: list[str] = []
    for child in inline.children or ():
        if child.type == "text":
            run.append(child.content)
            continue
        parts.append(_typographic_dashes("".join(run)))
        run = []
        if child.type == "code_inline":
            parts.append(child.content)
    parts.append(_typographic_dashes("".join(run)))
    return "".join(parts).strip()


def _typographic_dashes(text: str) -> str:
    # kramdown reads hyphens left to right as `---` (em dash), then `--` (en dash): a run of
    # n leaves one `-` when n % 3 == 1.
    return _HYPHEN_RUN.sub(lambda m: "-" if len(m.group()) % 3 == 1 else "", text)


def goldmark_heading_id(source: str) -> str:
    """Hugo's `sanitizeAnchorNameWithHook` for its default `autoHeadingIDType: github`
    (markup/goldmark/autoid.go): the heading's Markdown source, trimmed; `-` and space
    are `-`; `_`, letters and digits (Go's unicode.IsLetter, IsDigit) lower-cased; the rest
    dropped. goldmark hands it the source, not the text: `## [a](/b)` is `ab`."""
    out = []
    for char in source.strip():
        if char in "- ":
            out.append("-")
        elif char == "_" or _go_letter_or_digit(char):
            # Go's unicode.ToLower maps one rune to one rune; only İ lower-cases to two
            # in Python.
            out.append("i" if char == "\u0130" else char.lower())
    return "".join(out)


@lru_cache(maxsize=4096)
def _go_letter_or_digit(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "L" or category == "Nd"


def goldmark_source(inline: Token) -> str:
    """The heading's own line of Markdown (goldmark takes a setext heading's last line)."""
    return inline.content.rsplit("\n", 1)[-1]


class KramdownNumbering:
    """Ids in a page as kramdown numbers them: a counter per id, the first bare, then
    `-1`, `-2`; a heading with its own id does not count. kramdown does not check that
    `x-1` is free, so `## a`, `## a`, `## a-1` all but repeat: the caller makes the third
    unique, and old links land where they did, on the first."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next_id(self, inline: Token) -> str:
        base = kramdown_heading_id(kramdown_text(inline))
        count = self.counts.get(base, -1) + 1
        self.counts[base] = count
        # kramdown leaves a heading with no usable text without an id, and numbers the
        # next such one `-1`: the first needs one here (the table of contents links it).
        return f"{base}-{count}" if count else base or "section"

    def put(self, explicit: str) -> None:
        """A heading's own id: kramdown's counter ignores it."""


class GoldmarkNumbering:
    """Ids in a page as Hugo's idFactory gives them: `heading` for one without usable
    text; a taken id gets `-1`, `-2`, … the first that is free, its own ids included."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        # The last suffix given per id: every lower one is taken (ids are never freed), so
        # the search goes on from there and 20,000 repeats stay linear.
        self.last: dict[str, int] = {}

    def next_id(self, inline: Token) -> str:
        base = goldmark_heading_id(goldmark_source(inline)) or "heading"
        unique, n = base, self.last.get(base, 0)
        if n:
            unique = f"{base}-{n}"
        while unique in self.taken:
            n += 1
            unique = f"{base}-{n}"
        self.last[base] = n
        self.taken.add(unique)
        return unique

    def put(self, explicit: str) -> None:
        self.taken.add(explicit)


Numbering = KramdownNumbering | GoldmarkNumbering


def numbering_for(style: str) -> Numbering:
    return KramdownNumbering() if style == KRAMDOWN else GoldmarkNumbering()
