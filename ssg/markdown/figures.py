"""Financial tables: columns of figures are told from their cells and marked for the theme.

A column whose body cells are (nearly) all figures as Japanese reports write them
(`1,234`, `▲12.3%`, `△5`, `(1,200)`, `１２３億円`, `+2.1pt`, `¥1,000`, `$5.2B`) gets the
class `num` on each of its cells (the theme right-aligns them with tabular numerals), and a
negative figure also `neg` (the theme colours it). A writer's own `:--`/`:-:`/`--:` alignment
stays: it is an inline style, which wins over the class.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


class Figure(NamedTuple):
    """A table cell read as a figure."""

    value: float  # signed, magnitudes applied, units left aside: `▲1,200億円` is -1.2e11
    negative: bool


# Signs before the figure: ASCII, the minus sign U+2212, and the triangles Japanese
# statements print for a loss or a decrease (▲ and △ both mean minus; ▼ in some reports).
_NEGATIVE_SIGNS = "-−▲△▼"
_SIGN = r"(?P<sign>[-+−±▲△▼])?"
_CURRENCY = r"(?:US\$|[$¥€£])?"
# 1,234 (groups of three) or 1234, with decimals; Japanese joins magnitudes: 1兆2,000億.
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_NUMBER = rf"(?:{_AMOUNT})(?:[兆億万](?:{_AMOUNT}))*"
_MAGNITUDE = r"(?P<magnitude>百万|千万|十億|兆|億|万|千|bn|mn|[kKmMbBT])?"
_SCALES = {"兆": 1e12, "億": 1e8, "万": 1e4, "千": 1e3, "百万": 1e6, "千万": 1e7, "十億": 1e9,
           "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9,
           "T": 1e12}  # fmt: skip
_UNIT = (
    r"(?:円|ドル|ユーロ|元|ウォン|ポンド|%pt|%ポイント|ポイント|pt|ppt|bps|bp|%|倍|x|"
    r"株|人|社|件|台|店|回|日|ヶ月|か月|カ月)?"
)
_QUALIFIER = r"(?:超|強|弱|程度|前後)?"
_FIGURE = re.compile(
    rf"(?P<approx>約|~|≈)?{_SIGN}{_CURRENCY}(?P<sign2>[-+−])?(?P<number>{_NUMBER})"
    rf"{_MAGNITUDE}{_UNIT}{_QUALIFIER}"
)
# Cells that stand for no figure in a column of figures: dashes, n/a.
_BLANKS = frozenset({"", "-", "—", "–", "―", "‐", "ー", "n/a", "na", "n.a.", "nm", "n.m.", "*"})


def read_figure(text: str) -> Figure | None:
    """`text` (a cell's plain text) as a figure, or None if it is not one.

    Full-width digits and signs count as their ASCII forms (NFKC); a figure in
    parentheses, `(1,200)`, is negative as accountants write it."""
    found = _match(text)
    if found is None:
        return None
    match, parens = found
    value = _amount(match["number"].replace(",", ""), _SCALES.get(match["magnitude"] or "", 1))
    negative = _negative(match, parens)
    return Figure(-value if negative else value, negative)


_DIGIT = re.compile("[0-9０-９]")


def _match(text: str) -> tuple[re.Match[str], bool] | None:
    """The figure pattern's match on `text`, and whether it was in parentheses."""
    if not _DIGIT.search(text):  # most text cells stop here, before NFKC
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.strip().replace(" ", "")
    parens = len(text) > 2 and text[0] == "(" and text[-1] == ")"
    match = _FIGURE.fullmatch(text[1:-1] if parens else text)
    return None if match is None else (match, parens)


def _negative(match: re.Match[str], parens: bool) -> bool:
    """Below zero: a minus sign, a triangle or parentheses, and a digit other than 0."""
    signs = (match["sign"] or "") + (match["sign2"] or "")
    marked = parens or any(s in _NEGATIVE_SIGNS for s in signs)
    return marked and any(d in match["number"] for d in "123456789")


def _amount(number: str, scale: float) -> float:
    """`1兆2000` with a trailing scale of 1e8 (億) is 1.2e12: each part times its own
    magnitude, the last part times the figure's."""
    total = 0.0
    for part, unit in re.findall("([0-9.]+)([兆億万]?)", number):
        total += float(part) * (_SCALES[unit] if unit else scale)
    return total


def is_blank(text: str) -> bool:
    """A cell that holds no figure (empty, a dash, n/a): it neither makes nor breaks a column
    of figures."""
    return len(text) < 8 and unicodedata.normalize("NFKC", text).strip().lower() in _BLANKS


# What a body cell holds, for telling columns of figures.
_OTHER, _BLANK, _FIGURE_CELL, _NEGATIVE_CELL = range(4)


def _cell_kind(text: str) -> int:
    found = _match(text)
    if found is not None:
        return _NEGATIVE_CELL if _negative(*found) else _FIGURE_CELL
    return _BLANK if is_blank(text) else _OTHER


def figure_column(cells: list[str]) -> bool:
    """Whether a column whose body cells read `cells` is a column of figures."""
    return _figures_enough([_cell_kind(text) for text in cells])


def _figures_enough(kinds: list[int]) -> bool:
    """Some figures, and at most one other cell in ten (a note such as 非開示 in a long
    column); blanks count for neither."""
    figures = sum(kind >= _FIGURE_CELL for kind in kinds)
    return figures > 0 and kinds.count(_OTHER) * 10 <= figures


def financial_tables(md: MarkdownIt) -> None:
    md.core.ruler.push("financial_tables", mark_figure_columns)


def mark_figure_columns(state: StateCore) -> None:
    """Core rule: `num` on the cells of columns of figures, `neg` on negative figures."""
    if "|" not in state.src:  # no table (GFM tables need pipes): most posts stop here
        return
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            _mark_table(tokens, i)


def _mark_table(tokens: list[Token], start: int) -> None:
    # Each cell: its open token, its column, whether it is in the body, its plain text.
    # (Cells hold inline content only, so no table starts inside this one.)
    cells: list[tuple[Token, int, bool, str]] = []
    column = 0
    in_body = False
    for i in range(start + 1, len(tokens)):
        kind = tokens[i].type
        if kind == "td_open" or kind == "th_open":
            cells.append((tokens[i], column, in_body, _cell_text(tokens[i + 1])))
            column += 1
        elif kind == "tr_open":
            column = 0
        elif kind == "tbody_open":
            in_body = True
        elif kind == "table_close":
            break
    kinds = [_cell_kind(text) if body else _OTHER for _token, _col, body, text in cells]
    columns: dict[int, list[int]] = {}
    for (_token, col, body, _text), held in zip(cells, kinds, strict=True):
        if body:
            columns.setdefault(col, []).append(held)
    numeric = {col for col, column in columns.items() if _figures_enough(column)}
    for (token, col, _body, _text), held in zip(cells, kinds, strict=True):
        if col in numeric:
            token.attrJoin("class", "num neg" if held == _NEGATIVE_CELL else "num")


def _cell_text(inline: Token) -> str:
    """The text of a cell's inline token, markup left out (`**▲12**` is `▲12`)."""
    children = inline.children
    if not children:
        return ""
    if len(children) == 1:  # most cells: one text
        return children[0].content if children[0].type == "text" else ""
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))
