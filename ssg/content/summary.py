"""Reading time and excerpts, measured the way Japanese text is read."""

from __future__ import annotations

import math
import re

# A sentence ends at a Japanese or Latin full stop, question or exclamation mark,
# plus any closing bracket or quote that follows it.
_SENTENCE_END = re.compile(r"[。！？!?]+[」』）)】〕\"'”’]*|\.(?=\s|$)[\"'”’)]*")
_ELLIPSIS = "…"
_TRAILING_WORD = re.compile(r"[A-Za-z0-9'’-]+$")


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def reading_minutes(cjk_chars: int, latin_words: int, chars_per_minute: int = 500,
                    words_per_minute: int = 200) -> int:  # fmt: skip
    """Minutes to read: Japanese by characters, Latin text by words, never under 1."""
    minutes = cjk_chars / chars_per_minute + latin_words / words_per_minute
    return max(1, math.ceil(minutes))


def make_excerpt(text: str, limit: int = 120) -> str:
    """The start of `text`, at most `limit` characters, cut at a sentence end if one fits.

    Without a sentence end, cut at the last space for Latin text (never mid-word) and
    mark the cut with an ellipsis; Japanese has no spaces, so any character boundary is fine.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]].rstrip()
    cut = head[: limit - 1]
    if _is_word_char(text[limit - 1]):
        # Never cut a Latin word: back up to its start (a space, or Japanese before it).
        word = _TRAILING_WORD.search(cut)
        if word and word.start() > 0:
            cut = cut[: word.start()]
    return cut.rstrip(" 、,") + _ELLIPSIS
