"""What a post can be found by: its words as the search index keys them.

Japanese has no spaces, so words cannot be split off reliably without a dictionary; the
index keys Japanese text by overlapping character pairs (半導体 -> 半導, 導体), which find
a compound only where its characters stand together, and single kanji (金, 株), which
find one-character queries. Latin words, numbers and tickers (`nvidia`, `7203.t`, `s&p500`)
are keys whole. Text is NFKC-folded and lower-cased first (ＮＶＩＤＩＡ = NVIDIA = nvidia,
half-width katakana = full-width); `static/assets/search.js` folds queries the same way.

Each key carries a weight from 1 to 7: how often it occurs in the body (1 once, 2 two to
four times, 3 five or more, 0 never) plus 4 when it is in the title.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from operator import add

# Runs of Japanese: kana, the long-vowel mark, kanji and their iteration marks. The same
# classes are in search.js.
_KANJI_CLASS = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_JAPANESE_RUN = re.compile(f"[\u3006\u3041-\u3096\u30a1-\u30fa\u30fc{_KANJI_CLASS}]+")
_KANJI = re.compile(f"[{_KANJI_CLASS}]")
# Latin words and numbers, with inner `.`, `&`, `-` or `'` kept (7203.t, s&p500, e-mail).
_WORD = re.compile(r"[a-z0-9]+(?:[.&'\-][a-z0-9]+)*")
TITLE_WEIGHT = 4


def fold(text: str) -> str:
    """`text` as the index compares it: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def term_counts(text: str) -> Counter[str]:
    """Every key of already folded `text`, with how often it occurs."""
    counts: Counter[str] = Counter(_WORD.findall(text))
    for run in _JAPANESE_RUN.findall(text):
        counts.update(map(add, run, run[1:]))  # pairs, built in C
        counts.update(_KANJI.findall(run))
    return counts


def search_terms(title: str, text: str) -> str:
    """The keys of a post (its plain-text title and body), each followed by its weight
    digit, space-separated and sorted: `半導3 導体7 nvidia1`. One string: it travels from
    the parse workers and sits in the cache for every post."""
    body = term_counts(fold(text))
    in_title = term_counts(fold(title))
    weights = {}
    for term, count in body.items():
        weights[term] = 1 if count == 1 else 2 if count < 5 else 3
    for term in in_title:
        weights[term] = weights.get(term, 0) + TITLE_WEIGHT
    return " ".join(f"{term}{weight}" for term, weight in sorted(weights.items()))
