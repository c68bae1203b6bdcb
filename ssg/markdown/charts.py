"""```chart fences: YAML describing a chart, checked key by key, drawn as inline SVG.

    ```chart
    type: line            # line, bar, stacked-bar, area
    title: 日経平均の終値
    x_label: 日付
    y_label: 円
    unit: 円
    data: nikkei          # data/nikkei.csv (.json, .yaml), or rows, or CSV text
    ```

Every problem is reported at the line of the key or row that has it (the caller adds the
fence's place in the file), all of them at once. Data files are read through a loader the
caller gives (the markdown stage reads no files), which also notes what each post read.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import yaml

from ssg.markdown.chart_svg import Chart, Series, draw, format_value, x_text

KINDS = {"line": "line", "bar": "bar", "area": "area", "stacked-bar": "stacked-bar",
         "stacked bar": "stacked-bar", "stacked_bar": "stacked-bar",
         "stacked": "stacked-bar"}  # fmt: skip
KEYS = ("type", "title", "desc", "x", "y", "series", "x_label", "y_label", "unit", "data")
MAX_SERIES = 6
MAX_POINTS = 5000


class ChartDataError(Exception):
    """A data file a chart names cannot be used; the message says why."""


# name as written in `data:` -> (the file as shown, e.g. data/prices.csv; its value)
Loader = Callable[[str], tuple[str, Any]]


@dataclass(frozen=True)
class ChartContext:
    """What the fence renderer needs from the site: its language and a data-file loader."""

    language: str = "ja"
    load: Loader | None = None


CHARTS_ENV = "charts"  # the markdown env key holding a ChartContext


class Problems:
    """Errors by line (0-based, within the fence's YAML)."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.found.append((line, f"chart: {message}"))


def render_chart(source: str, context: ChartContext) -> tuple[str, list[tuple[int, str]]]:
    """The chart as HTML (a figure: SVG, caption, and the data as a hidden table), or ""
    and the problems found, each as (line within `source`, 0-based; message)."""
    problems = Problems()
    chart = read_chart(source, context, problems)
    if chart is None or problems.found:
        return "", problems.found
    return chart_html(chart), []


def read_problems() -> Problems:
    """An empty list of problems, for callers of read_chart."""
    return Problems()


def chart_html(chart: Chart, extra_class: str = "") -> str:
    kind = f"{chart.kind} {extra_class}".strip()
    caption = f'<figcaption class="chart-title">{escape(chart.title)}</figcaption>'
    return (
        f'<figure class="chart chart-{kind}">\n{caption}\n{draw(chart)}\n'
        f"{data_table(chart)}</figure>\n"
    )


def data_table(chart: Chart) -> str:
    """The chart's numbers as a table only screen readers show (hidden by a div around it:
    a table is never narrower than its cells, and would widen the page)."""
    head = "".join(f'<th scope="col">{escape(s.label)}</th>' for s in chart.series)
    x_head = escape(chart.x_label or ("項目" if chart.language == "ja" else "Item"))
    rows = []
    for i in range(len(chart.x_texts)):
        cells = "".join(
            f"<td>{escape(format_value(v, chart.unit, chart.language))}</td>"
            if (v := s.values[i]) is not None
            else "<td></td>"
            for s in chart.series
        )
        rows.append(f'<tr><th scope="row">{escape(x_text(chart, i))}</th>{cells}</tr>')
    body = "\n".join(rows)
    return (
        f'<div class="visually-hidden"><table><caption>{escape(chart.title)}</caption>\n'
        f'<thead><tr><th scope="col">{x_head}</th>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table></div>\n"
    )


# ---- reading the YAML -----------------------------------------------------------------

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_chart(source: str, context: ChartContext, problems: Problems) -> Chart | None:
    try:
        root = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line if exc.problem_mark else 0
        hint = ""
        if "cannot start any token" in str(exc.problem):
            hint = ' (quote a value starting with %, @ or `: unit: "%")'
        problems.add(line, f"invalid YAML: {exc.problem}{hint}")
        return None
    except yaml.YAMLError as exc:
        problems.add(0, f"invalid YAML: {exc}")
        return None
    if not isinstance(root, yaml.MappingNode):
        problems.add(0, "expected keys such as `type:`, `title:` and `data:`")
        return None
    keys: dict[str, tuple[int, yaml.Node]] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        line = key_node.start_mark.line
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f" (known: {', '.join(KEYS)})"
            problems.add(line, f"unknown key `{key}`{hint}")
            continue
        keys[key] = (line, value_node)

    def text(key: str, default: str = "") -> str:
        if key not in keys:
            return default
        line, node = keys[key]
        if not isinstance(node, yaml.ScalarNode):
            problems.add(line, f"`{key}` must be text")
            return default
        return str(node.value).strip()

    kind_text = text("type", "line")
    kind = KINDS.get(kind_text.lower())
    if kind is None:
        problems.add(
            keys["type"][0], f"unknown type `{kind_text}`; use line, bar, stacked-bar or area"
        )
        kind = "line"
    title = text("title")
    if not title:
        where = keys["title"][0] if "title" in keys else 0
        problems.add(where, "`title:` is missing; every chart needs one (screen readers say it)")
    if "data" not in keys:
        problems.add(0, "`data:` is missing: rows, CSV text, or a file under data/")
        return None
    table = _read_data(keys["data"], context, problems)
    if table is None:
        return None
    columns, rows = table
    x_name = text("x") or columns[0]
    if x_name not in columns:
        problems.add(
            keys["x"][0], f"no column `{x_name}` in the data (columns: {', '.join(columns)})"
        )
        return None
    series_names = _series_names(keys, columns, x_name, problems)
    if series_names is None:
        return None
    if not rows:
        problems.add(keys["data"][0], "the data has no rows")
        return None
    if len(rows) > MAX_POINTS:
        problems.add(keys["data"][0], f"{len(rows)} rows; a chart draws at most {MAX_POINTS}")
        return None
    x_texts = tuple(row.values.get(x_name, "") for row in rows)
    series = []
    for name, label in series_names:
        values = []
        for row in rows:
            raw = row.values.get(name, "")
            number = parse_number(raw)
            if number is None and raw.strip():
                problems.add(row.line, f"{row.where}`{raw}` in column `{name}` is not a number")
            values.append(number)
        series.append(Series(label, tuple(values)))
    dates, unit = parse_dates(x_texts)
    if dates is not None and kind in ("line", "area"):
        for earlier, later, row in zip(dates, dates[1:], rows[1:], strict=False):
            if later <= earlier:
                problems.add(row.line, f"{row.where}dates must increase: `{row.values.get(x_name)}`"
                                       " comes after a date not before it")  # fmt: skip
                break
    if problems.found:
        return None
    return Chart(
        kind=kind, title=title, desc=text("desc"), x_label=text("x_label"),
        y_label=text("y_label"), unit=text("unit"), x_texts=x_texts, dates=dates,
        date_unit=unit, series=tuple(series), language=context.language,
    )  # fmt: skip


def _series_names(keys: dict[str, tuple[int, yaml.Node]], columns: list[str], x_name: str,
                  problems: Problems) -> list[tuple[str, str]] | None:  # fmt: skip
    """(column, legend label) for each series: `y: [a, b]`, `y: a`, `series: {a: 売上}`, or
    every column but x."""
    chosen: list[tuple[str, str, int]] = []
    for key in ("y", "series"):
        if key not in keys:
            continue
        line, node = keys[key]
        if isinstance(node, yaml.ScalarNode):
            chosen.append((str(node.value), str(node.value), line))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if not isinstance(item, yaml.ScalarNode):
                    problems.add(item.start_mark.line, f"`{key}` lists column names")
                    continue
                chosen.append((str(item.value), str(item.value), item.start_mark.line))
        else:
            for k, v in node.value:
                label = str(v.value) if isinstance(v, yaml.ScalarNode) else str(k.value)
                chosen.append((str(k.value), label, k.start_mark.line))
    if not chosen:
        chosen = [(c, c, 0) for c in columns if c != x_name]
    result = []
    for name, label, line in chosen:
        if name not in columns:
            problems.add(line, f"no column `{name}` in the data (columns: {', '.join(columns)})")
        else:
            result.append((name, label))
    if not result and not problems.found:
        problems.add(keys["data"][0], "the data has no column to draw besides its x column")
    if len(result) > MAX_SERIES:
        problems.add(keys["data"][0], f"{len(result)} series; a chart draws at most {MAX_SERIES}"
                                      " (choose some with `y:`)")  # fmt: skip
    return result if not problems.found else None


@dataclass(frozen=True)
class _Row:
    values: dict[str, str]
    line: int  # where to report a bad value: within the fence
    where: str = ""  # "data/x.csv:7: " for a row of a data file


def _read_data(entry: tuple[int, yaml.Node], context: ChartContext,
               problems: Problems) -> tuple[list[str], list[_Row]] | None:  # fmt: skip
    """(columns, rows) from `data:` rows, CSV text, or a data file's name."""
    line, node = entry
    if isinstance(node, yaml.SequenceNode):
        return _rows_from_nodes(node, problems)
    if not isinstance(node, yaml.ScalarNode):
        problems.add(line, "`data:` must be rows, CSV text or a data file's name")
        return None
    value = str(node.value)
    if "\n" in value.strip() or "," in value:
        # CSV text: a block scalar (`data: |`) starts on the line after its key.
        first = node.start_mark.line + (1 if node.style in ("|", ">") else 0)
        return _rows_from_csv(value, first, "", line, problems)
    if context.load is None:
        problems.add(line, "data files cannot be read here")
        return None
    try:
        shown, loaded = context.load(value.strip())
    except ChartDataError as exc:
        problems.add(line, str(exc))
        return None
    if isinstance(loaded, str):  # a CSV file, as text
        return _rows_from_csv(loaded, 0, shown, line, problems, file_lines=True)
    return _rows_from_values(loaded, shown, line, problems)


def _rows_from_nodes(node: yaml.SequenceNode, problems: Problems
                     ) -> tuple[list[str], list[_Row]] | None:  # fmt: skip
    columns: list[str] = []
    rows: list[_Row] = []
    for item in node.value:
        line = item.start_mark.line
        if isinstance(item, yaml.MappingNode):
            values = {}
            for k, v in item.value:
                if not isinstance(v, yaml.ScalarNode):
                    problems.add(v.start_mark.line, f"`{k.value}` must be a single value")
                    continue
                values[str(k.value)] = str(v.value)
                if str(k.value) not in columns:
                    columns.append(str(k.value))
            rows.append(_Row(values, line))
        elif isinstance(item, yaml.SequenceNode) and all(
            isinstance(c, yaml.ScalarNode) for c in item.value
        ):
            cells = [str(c.value) for c in item.value]
            if not columns:  # the first list is the header
                columns = cells
                continue
            if len(cells) != len(columns):
                problems.add(
                    line, f"this row has {len(cells)} values; the header has {len(columns)}"
                )
                continue
            rows.append(_Row(dict(zip(columns, cells, strict=True)), line))
        else:
            problems.add(
                line, "each row must be a mapping (`{date: 2025-01-01, 終値: 100}`) or a list"
            )
    if not columns and not problems.found:
        problems.add(node.start_mark.line, "the data has no rows")
    return (columns, rows) if columns else None


def _rows_from_csv(text: str, first_line: int, shown: str, key_line: int, problems: Problems,
                   file_lines: bool = False) -> tuple[list[str], list[_Row]] | None:  # fmt: skip
    """CSV text, the first line its header. Rows of inline CSV are reported at their line in
    the fence; rows of a file at the `data:` key, naming the file's line."""
    lines = text.lstrip("\ufeff").splitlines()
    reader = csv.reader(lines, skipinitialspace=True)
    columns: list[str] = []
    rows: list[_Row] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        where = f"{shown}:{reader.line_num}: " if file_lines else ""
        line = key_line if file_lines else first_line + reader.line_num - 1
        cells = [c.strip() for c in cells]
        if not columns:
            columns = cells
            continue
        if len(cells) != len(columns):
            problems.add(
                line, f"{where}this row has {len(cells)} fields; the header has {len(columns)}"
            )
            continue
        rows.append(_Row(dict(zip(columns, cells, strict=True)), line, where))
    if not columns:
        problems.add(key_line, f"{shown + ': ' if shown else ''}the data has no header row")
        return None
    return columns, rows


def _rows_from_values(value: Any, shown: str, key_line: int, problems: Problems
                      ) -> tuple[list[str], list[_Row]] | None:  # fmt: skip
    """Rows of a JSON or YAML file: a list of mappings, or of lists under a header list."""
    if not isinstance(value, list) or not value:
        problems.add(key_line, f"{shown}: expected a list of rows")
        return None
    columns: list[str] = []
    rows: list[_Row] = []
    for number, item in enumerate(value, start=1):
        where = f"{shown}: row {number}: "
        if isinstance(item, dict):
            cells = {str(k): _cell(v) for k, v in item.items()}
            columns += [k for k in cells if k not in columns]
            rows.append(_Row(cells, key_line, where))
        elif isinstance(item, list) and not columns:
            columns = [_cell(v) for v in item]
        elif isinstance(item, list) and len(item) == len(columns):
            rows.append(_Row(dict(zip(columns, map(_cell, item), strict=True)), key_line, where))
        else:
            problems.add(key_line, f"{where}expected a mapping, or a list as long as the header")
            return None
    return columns, rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# ---- values ---------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: str) -> float | None:
    """A number as analysts write it: `1,234`, `-5.2`, `▲3.1` (negative), full-width digits,
    a trailing `%`; None for an empty cell or anything else."""
    value = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("_", "")
    value = value.replace("\u2212", "-").removesuffix("%").strip()
    if value[:1] in ("▲", "△"):
        value = "-" + value[1:].strip()
    if not value or not _NUMBER.fullmatch(value):
        return None
    return float(value)


_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def parse_dates(texts: tuple[str, ...]) -> tuple[tuple[date, ...] | None, str]:
    """The x values as dates when every one is a date (`2025-03-05`, `2025/3/5`), a month
    (`2025-03`) or a year (`2025`), with how precisely they are written; else (None, "")."""
    found = []
    precision = {"year": 0, "month": 1, "day": 2}
    finest = "year"
    for text in texts:
        match = _DATE.fullmatch(unicodedata.normalize("NFKC", text).strip())
        if not match:
            return None, ""
        year, month, day = match.group(1), match.group(2), match.group(3)
        try:
            found.append(date(int(year), int(month or 1), int(day or 1)))
        except ValueError:
            return None, ""
        unit = "day" if day else "month" if month else "year"
        if precision[unit] > precision[finest]:
            finest = unit
    if finest == "year" and any(not 1000 <= d.year <= 2999 for d in found):
        return None, ""
    return tuple(found), finest
