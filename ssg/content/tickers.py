"""data/tickers.yaml: each ticker's company name, exchange and sector, checked at its line.

    NVDA: {name: エヌビディア, exchange: NASDAQ, sector: 半導体}
    7203.T: {name: トヨタ自動車, exchange: 東証プライム}
    AMZN: アマゾン            # text alone is the name

Read from YAML's nodes rather than its values, so `7203` and `0700` stay the text they
were written as (a value would be the number 7203, or YAML 1.1's octal 448).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from ssg.errors import ContentError
from ssg.markdown.ticker_symbols import normalize_ticker, ticker_problem

TICKERS_DATA = "tickers"  # data/tickers.yaml is site.data.tickers
TICKER_FIELDS = ("name", "exchange", "sector")
_NULL = "tag:yaml.org,2002:null"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # nodes only: no value is built
_SUFFIXES = (".yaml", ".yml", ".json")

TickerTable = dict[str, dict[str, str]]  # symbol -> {name, exchange, sector} ("" if unset)


def read_ticker_table(text: str, shown: Path) -> tuple[TickerTable, list[ContentError]]:
    """The table in `text` (the file `shown`), symbols normalised, every field present;
    and every problem at its line. Raises yaml.YAMLError when `text` is no YAML."""
    root = yaml.compose(text, Loader=_LOADER)
    if root is None or _is_null(root):
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        message = "must map ticker symbols to their company, e.g. NVDA: {name: エヌビディア}"
        return {}, [ContentError(shown, message, _line(root))]
    table: TickerTable = {}
    errors: list[ContentError] = []
    for key, value in root.value:
        line = _line(key)
        if not isinstance(key, yaml.ScalarNode):
            errors.append(ContentError(shown, "a ticker symbol must be text such as NVDA", line))
            continue
        symbol = normalize_ticker(key.value)
        problem = ticker_problem(symbol)
        if problem:
            errors.append(ContentError(shown, problem, line))
        elif symbol in table:
            errors.append(ContentError(shown, f"{symbol} is listed twice (case and width "
                                              "do not count)", line))  # fmt: skip
        else:
            info, found = _info(symbol, value, shown)
            table[symbol] = info
            errors += found
    return table, errors


def _info(symbol: str, node: yaml.Node, shown: Path) -> tuple[dict[str, str], list[ContentError]]:
    info = dict.fromkeys(TICKER_FIELDS, "")
    if _is_null(node):
        return info, []
    if isinstance(node, yaml.ScalarNode):
        info["name"] = node.value.strip()
        return info, []
    if not isinstance(node, yaml.MappingNode):
        message = f"{symbol}: must be a mapping such as {{name: …, exchange: …, sector: …}}"
        return info, [ContentError(shown, message, _line(node))]
    errors = []
    for key, value in node.value:
        field = key.value if isinstance(key, yaml.ScalarNode) else None
        if field not in TICKER_FIELDS:
            message = f"{symbol}: unknown key {key.value!r}; expected name, exchange or sector"
            errors.append(ContentError(shown, message, _line(key)))
        elif isinstance(value, yaml.ScalarNode):
            info[field] = "" if _is_null(value) else value.value.strip()
        else:
            errors.append(ContentError(shown, f"{symbol}: {field} must be text", _line(value)))
    return info, errors


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def ticker_symbols_key(data_dir: Path) -> str:
    """The symbols data/tickers.* lists, as text: a parsed post depends on them (`$NVDA`
    links), but not on their names or sectors. Read from each line that starts a top-level
    key, not by YAML (every build computes this, and a YAML parse of 4,000 companies takes
    a second); a file of another shape (JSON, flow style) counts by its bytes."""
    parts = []
    for suffix in _SUFFIXES:
        try:
            raw = (data_dir / f"{TICKERS_DATA}{suffix}").read_bytes()
        except OSError:
            continue
        symbols = _top_level_keys(raw.decode("utf-8-sig", "replace"))
        if symbols is None:
            parts.append(f"{suffix}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}")
        else:
            parts.append(f"{suffix}:{' '.join(sorted(set(symbols)))}")
    return "\n".join(parts)


# `NVDA:`, `7203.T: {…}`, `"0700": …` at the start of a line: a key of the top mapping.
_TOP_KEY = re.compile(r"""(["']?)([^\s"'#:{}\[\],&*!|>%@`?-][^:"']*?)\1[ \t]*:(?:[ \t]|$)""")


def _top_level_keys(text: str) -> list[str] | None:
    """The normalised keys of the lines starting at column 0 (comments aside), or None when
    one such line is no `KEY:` line or its key no ticker symbol."""
    symbols = []
    for line in text.splitlines():
        if not line.strip() or line[0] in " \t#":
            continue
        match = _TOP_KEY.match(line)
        if match is None:
            return None
        symbol = normalize_ticker(match.group(2))
        if ticker_problem(symbol):
            return None
        symbols.append(symbol)
    return symbols
