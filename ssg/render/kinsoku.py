"""Breaking a title into lines by Japanese rules (kinsoku shori, JIS X 4051's simple form).

No line starts with closing punctuation, a prolonged-sound mark or a small kana (`、。」）ー
っ`), no line ends with an opening bracket (`「（`), and Latin words and numbers (`NVIDIA`,
`1,200`, `3.5%`) are never split unless one is wider than a whole line. Pure: the caller
hands in how wide a piece of text is, so tests measure in characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# May not begin a line: closing brackets and quotes, sentence and clause marks, iteration
# and prolonged-sound marks, small kana, and the marks that belong to what precedes them.
NO_LINE_START = frozenset(
    "、。，．,.)）]］}｝〕〉》」』】〙〗〟’”｠»"
    "ゝゞヽヾ々〻ー‐゠–〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "?!？！‼⁇⁈⁉・：；:;/…‥%％"
)
# May not end a line: opening brackets and quotes.
NO_LINE_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“｟«")
ELLIPSIS = "…"
# A Latin word or number with the marks inside it (`U.S.`, `1,200`, `AI-driven`, `$38B`):
# one unbreakable piece. Anything else is a piece per character.
_WORD = re.compile(r"[$¥€£#@]?[0-9A-Za-z\u00c0-\u024f]+(?:[.,'’&+\-_/][0-9A-Za-z\u00c0-\u024f]+)*")
_SPACE = re.compile(r"[ \u3000\t]+")

Measure = Callable[[str], float]  # the width of a piece of text, in any unit


def pieces(text: str) -> list[str]:
    """`text` as the pieces lines may break between: words, single characters, and " "
    for each run of spaces; a piece that may not start a line is joined to the one before,
    and one that may not end a line to the one after."""
    raw: list[str] = []
    position = 0
    while position < len(text):
        space = _SPACE.match(text, position)
        word = space or _WORD.match(text, position)
        if space:
            raw.append(" ")
        else:
            raw.append(word.group() if word else text[position])
        position = word.end() if word else position + 1
    return _glue(raw)


def _glue(raw: Sequence[str]) -> list[str]:
    glued: list[str] = []
    for piece in raw:
        after_open = bool(glued) and glued[-1][-1] in NO_LINE_END
        if piece == " " or not glued or not (after_open or piece[0] in NO_LINE_START):
            glued.append(piece)
        elif glued[-1] == " ":
            # `word !`: the space stays, but is no place to break.
            glued.pop()
            glued[-1:] = [glued[-1] + " " + piece] if glued else [piece]
        else:
            glued[-1] += piece
    return glued


def break_lines(text: str, measure: Measure, max_width: float) -> list[str]:
    """`text` broken into lines no wider than `max_width` (as `measure` tells, which must
    add up: the width of "ab" is that of "a" plus "b"), greedily, at the places Japanese
    and English rules allow; spaces at a break are dropped."""
    lines: list[str] = []
    line, width, space = "", 0.0, False
    space_width = measure(" ")
    for piece in pieces(text.strip()):
        if piece == " ":
            space = bool(line)
            continue
        piece_width = measure(piece)
        added = piece_width + (space_width if space else 0.0)
        if line and width + added > max_width:
            lines.append(line)
            line, width = piece, piece_width
        else:
            line, width = (f"{line} {piece}" if space else line + piece), width + added
        space = False
    if line:
        lines.append(line)
    return [part for line in lines for part in _split_wide(line, measure, max_width)]


def _split_wide(line: str, measure: Measure, max_width: float) -> list[str]:
    """A line wider than a whole line (a long URL-like word) cut by characters."""
    if measure(line) <= max_width:
        return [line]
    parts, part = [], ""
    for char in line:
        if part and measure(part + char) > max_width:
            parts.append(part)
            part = ""
        part += char
    return [*parts, part] if part else parts


def fit_lines(lines: Sequence[str], max_lines: int, measure: Measure,
              max_width: float) -> list[str]:  # fmt: skip
    """`lines` cut to `max_lines`, the last ending in `…` when some text was left out."""
    if len(lines) <= max_lines:
        return list(lines)
    kept = list(lines[:max_lines])
    last = kept[-1]
    while last and measure(last.rstrip() + ELLIPSIS) > max_width:
        last = last[:-1]
    # Nor may the cut end with an opening bracket or a space.
    last = last.rstrip()
    while last and last[-1] in NO_LINE_END:
        last = last[:-1].rstrip()
    kept[-1] = last + ELLIPSIS
    return kept
