"""What a ticker symbol is: letters, digits, `.` and `-` (`NVDA`, `7203.T`, `130A`, `BRK-B`),
compared in capitals after NFKC. Apart from the `$NVDA` plugin (ssg.markdown.cashtags), so
that front matter, data/tickers.yaml and the cache key check symbols without loading
markdown-it-py."""

from __future__ import annotations

import re
import unicodedata

MAX_TICKER_LENGTH = 20
_SYMBOL = re.compile(r"[0-9A-Z](?:[0-9A-Z.\-]*[0-9A-Z])?")


def normalize_ticker(text: str) -> str:
    """`ｎｖｄａ ` -> `NVDA`: NFKC, trimmed, in capitals."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def ticker_problem(symbol: str) -> str | None:
    """Why a normalised `symbol` is no ticker symbol; None when it is one."""
    if not symbol:
        return "a ticker symbol is empty"
    if len(symbol) > MAX_TICKER_LENGTH or not _SYMBOL.fullmatch(symbol):
        return (f'"{symbol}" is not a ticker symbol such as NVDA or 7203.T (letters, digits, '
                f"'.' and '-', at most {MAX_TICKER_LENGTH} characters)")  # fmt: skip
    return None
