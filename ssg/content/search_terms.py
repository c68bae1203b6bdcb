"""What a post can be found by: its words as the search index keys them.

Japanese has no spaces, so words cannot be split off reliably without a dictionary; the
index keys Japanese text by overlapping character pairs (半導体 -> 半導, 導体), which find
a compound only where its characters stand together, and single kanji (金, 株), which
find one-character queries. Latin words, numbers and tickers (`nvidia`, `7203.t`, `s&p500`)
are keys whole. Text is NFKC-folded and lower-cased first (ＮＶＩＤＩＡ = NVIDIA = nvidia,
half-width katakana = full-width); `static/assets/search.js` folds queries the same way.

Each key carries a weight from 1 to 7: how often it occurs in the body (1 once, 2 two to
four times, 3 five or more, 0 never; a single kanji: 1) plus 4 when it is in the title.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator
from operator import add

# Japanese: kana, the long-vowel mark, kanji and their iteration marks (search.js has the
# same classes).
_KANJI_CLASS = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANJI = re.compile(f"[{_KANJI_CLASS}]")
_JAPANESE_CLASS = f"\u3006\u3041-\u3096\u30a1-\u30fa\u30fc{_KANJI_CLASS}"
_JAPANESE_RUN = re.compile(f"[{_JAPANESE_CLASS}]+")
# Two characters: a pair of Japanese ones as group 1, any other two as no group.
_PAIR_OR_OTHER = re.compile(f"([{_JAPANESE_CLASS}]{{2}})|..", re.DOTALL)
# Latin words and numbers, with inner `.`, `&`, `-` or `'` kept (7203.t, s&p500, e-mail).
_WORD = re.compile(r"[a-z0-9]+(?:[.&'\-][a-z0-9]+)*")
TITLE_WEIGHT = 4
# Full-width ASCII and the ideographic space, with their half-width forms.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_HALF_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def _half_width(match: re.Match[str]) -> str:
    return _HALF_WIDTH[match[0]]


def fold(text: str) -> str:
    """`text` as the index compares it: NFKC, lower case."""
    # Full-width ASCII is most of what NFKC changes in Japanese prose: mapped first, the
    # text is then usually normalized already, which is much quicker to check than to do.
    # A substitution per match, not str.translate: that looks up every character (a few
    # dozen matches in a long post; translate took five times as long).
    text = _FULL_WIDTH.sub(_half_width, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def term_counts(text: str) -> dict[str, int]:
    """Every key of already folded `text`, with how often it occurs, in the order of their
    first occurrence: words, then pairs, then kanji."""
    pairs, distinct = _pair_counts(text)
    # A single kanji is a key for one-character queries; how often it occurs is not kept.
    # Found in the distinct pairs, a tenth of the text with the same first occurrences.
    kanji = dict.fromkeys(_KANJI.findall(distinct), 1)
    # Words are ASCII, pairs two characters, kanji one: no key is in two of them.
    return {**Counter(_WORD.findall(text)), **pairs, **kanji}


def _pair_counts(text: str) -> tuple[dict[str, int], str]:
    """Every pair of adjacent Japanese characters in `text` with how often it occurs, and
    the distinct pairs of any two characters, concatenated; both in the order of first
    occurrence. So the second holds every character of `text` (unless it is one character
    long), each first where the pair before or after its first occurrence is."""
    # Counted as integers, not strings: in UTF-32 the 8 bytes at character i are the pair
    # (i, i+1) as one 64-bit number, which costs less to make and hash than a 2-character
    # string. Every position's number, in order, is the even positions' and the odd
    # positions' 8-byte words interleaved. Only the distinct pairs, far fewer, are made
    # strings again, and kept as keys when both characters are Japanese.
    size = len(text)
    if size < 2:
        return {}, text
    code_points = memoryview(text.encode("utf-32-le", "surrogatepass"))
    even, odd = array("Q"), array("Q")
    even.frombytes(code_points[: size // 2 * 8])
    odd.frombytes(code_points[4 : 4 + (size - 1) // 2 * 8])
    pairs = array("Q", bytes(8 * (size - 1)))
    pairs[0::2] = even
    pairs[1::2] = odd
    counts = Counter(pairs)
    distinct = array("Q", counts).tobytes().decode("utf-32-le", "surrogatepass")
    japanese = dict(zip(_PAIR_OR_OTHER.findall(distinct), counts.values(), strict=True))
    japanese.pop("", None)  # the pairs that are not both Japanese
    return japanese, distinct


def search_terms(title: str, text: str) -> str:
    """The keys of a post (its plain-text title and body), one line per weight: the weight
    digit, then its keys, space-separated (`1 円安 nvidia\n7 半導 導体`). One string: it
    travels from the parse workers and sits in the cache for every post."""
    body = term_counts(fold(text))
    in_title = term_counts(fold(title))
    groups: dict[int, list[str]] = {weight: [] for weight in range(1, 8)}
    for term, count in body.items():
        weight = 1 if count == 1 else 2 if count < 5 else 3
        groups[weight + TITLE_WEIGHT if term in in_title else weight].append(term)
    groups[TITLE_WEIGHT] += [term for term in in_title if term not in body]
    return "\n".join(f"{weight} {' '.join(terms)}" for weight, terms in groups.items() if terms)


def weighted_terms(terms: str) -> Iterator[tuple[str, int]]:
    """(key, weight) of every key in a `search_terms` string."""
    for line in terms.splitlines():
        weight = int(line[0])
        for term in line[2:].split(" "):
            yield term, weight


def query_keys(word: str) -> list[str]:
    """The keys a search for one folded query word looks up (search.js's `keysOf`): its
    Latin words, and its Japanese as pairs, or as itself when one kanji (one kana: none)."""
    keys = _WORD.findall(word)
    for run in _JAPANESE_RUN.findall(word):
        if len(run) > 1:
            keys += map(add, run, run[1:])
        elif _KANJI.match(run):
            keys.append(run)
    return keys
