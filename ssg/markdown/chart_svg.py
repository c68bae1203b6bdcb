"""Charts as SVG text: axes with round ticks, date ticks by span, Japanese number units.

Pure functions of a `Chart` value; every coordinate is rounded to two decimals and every
number is formatted with a fixed number of digits, so one chart gives the same bytes on
every machine. No JavaScript: the SVG prints, shows in feed readers and passes a strict
Content-Security-Policy.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

# The viewBox: narrow enough that 13-unit text is still about 9 px on a 375 px phone, where
# the figure is about 340 px wide; the SVG itself has no pixel size and fills its column.
WIDTH, HEIGHT = 440, 280
FONT = 13
TICK_FONT = 12
LINE_KINDS = ("line", "area")
Scale = Callable[[float], float]

# Fallback colours, for feed readers without the theme's stylesheet; the theme overrides
# them with --chart-1 ... --chart-6 (one colour-blind-safe palette, Okabe and Ito's).
COLOURS = ("#0b5cad", "#d55e00", "#009e73", "#cc79a7", "#946300", "#56b4e9")
# Told apart without colour too: each line series has its own dashes and marker.
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "3 6")
MARKERS = ("circle", "square", "triangle", "diamond", "down", "cross")
# Markers on every point only while they stay apart; a longer series shows only its lines.
MAX_MARKED_POINTS = 40


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]  # one per x; None: no value (a gap in a line)


@dataclass(frozen=True)
class Chart:
    """A checked chart, ready to draw."""

    kind: str  # line, bar, stacked-bar, area
    title: str
    desc: str  # "" for the description written from the data
    x_label: str
    y_label: str
    unit: str  # 円, ドル, %, or any suffix (億円, 万人); "" for plain numbers
    x_texts: tuple[str, ...]  # the x values as written
    dates: tuple[date, ...] | None  # the x values as dates, when they all are
    date_unit: str  # "day", "month" or "year": how precisely the dates were written
    series: tuple[Series, ...]
    language: str = "ja"


# ---- numbers --------------------------------------------------------------------------


def _scale(magnitude: float, unit: str, language: str) -> tuple[float, str]:
    """The divisor and word for numbers about `magnitude` big: 兆 and 億 in Japanese for
    yen, dollars and plain numbers (1.5兆円, 380億ドル)."""
    if language == "ja" and unit in ("", "円", "ドル"):
        if magnitude >= 1e12:
            return 1e12, "兆"
        if magnitude >= 1e8:
            return 1e8, "億"
    return 1.0, ""


def _digits(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and text.strip("0.,") != ""
    return ("-" if negative else "") + text


def _with_unit(number: str, word: str, unit: str, language: str) -> str:
    if unit == "ドル" and language == "en":
        return f"${number}{word}" if not number.startswith("-") else f"-${number[1:]}{word}"
    return f"{number}{word}{unit}"


def format_value(value: float, unit: str, language: str) -> str:
    """One value as a reader would write it: 1.5兆円, 380億ドル, -2.3%, 12,345円."""
    divisor, word = _scale(abs(value), unit, language)
    scaled = value / divisor
    # Up to two decimals, trailing zeros dropped: 1.5兆, 12.25%, 3,800円.
    text = _digits(scaled, 2)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _with_unit(text, word, unit, language)


def nice_step(span: float, count: int) -> float:
    """A 1-2-5 step giving about `count` intervals over `span`."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * (1 + 1e-9):
            return float(factor * power)
    return float(10 * power)


def value_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round ticks covering [low, high]: multiples of a 1-2-5 step."""
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, count)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    # Multiples of the step, each rounded to the step's own precision: no 0.30000000000000004.
    decimals = max(0, -math.floor(math.log10(step)) + 1)
    return [round(k * step, decimals) + 0.0 for k in range(first, last + 1)]


def axis_labels(ticks: list[float], unit: str, language: str) -> list[str]:
    """Tick labels with one scale for the whole axis (0, 5,000億, 1兆 reads badly: 0,
    0.5兆, 1兆) and as many decimals as the step needs."""
    magnitude = max(abs(t) for t in ticks) if ticks else 0.0
    divisor, word = _scale(magnitude, unit, language)
    step = abs(ticks[1] - ticks[0]) / divisor if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    # Zero is 0 whatever the step (not 0.0兆円).
    return [_with_unit(_digits(t / divisor, decimals), word, unit, language) if t else "0"
            for t in ticks]  # fmt: skip


# ---- dates ----------------------------------------------------------------------------

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_label(day: date, unit: str, language: str, with_year: bool = True) -> str:
    """2025年3月5日 / 2025年3月 / 2025年 (English: Mar 5, 2025 / Mar 2025 / 2025); without
    the year for ticks after the first of a year."""
    if language == "ja":
        year = f"{day.year}年" if with_year else ""
        if unit == "year":
            return f"{day.year}年"
        if unit == "month":
            return f"{year}{day.month}月"
        return f"{year}{day.month}月{day.day}日"
    month = _MONTHS_EN[day.month - 1]
    if unit == "year":
        return str(day.year)
    if unit == "month":
        return f"{month} {day.year}" if with_year else month
    return f"{month} {day.day}, {day.year}" if with_year else f"{month} {day.day}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def date_ticks(low: date, high: date, language: str, most: int = 6) -> list[tuple[date, str]]:
    """Ticks for a time axis by its span: days (up to three months), months (up to four
    years), else years; at most `most`, each labelled, the year written where it changes."""
    span = (high - low).days
    ticks: list[date] = []
    if span <= 92:
        unit = "day"
        step = next((s for s in (1, 2, 3, 5, 7, 14, 28) if span // s + 1 <= most), 28)
        ticks = [low + timedelta(days=k * step) for k in range(span // step + 1)]
    elif span <= 4 * 366:
        unit = "month"
        steps = (1, 2, 3, 6, 12)
        start = date(low.year, low.month, 1) if low.day == 1 else _add_months(low, 1)
        step = 12
        for s in steps:
            months = [_add_months(start, k) for k in range(0, 60) if _add_months(start, k) <= high]
            if len([m for m in months if (m.month - 1) % s == 0]) <= most:
                step = s
                break
        month = start
        while month <= high:
            if (month.month - 1) % step == 0:
                ticks.append(month)
            month = _add_months(month, 1)
    else:
        unit = "year"
        year = low.year if low.month == 1 and low.day == 1 else low.year + 1
        for step in (1, 2, 5, 10, 20, 50, 100, 10**9):
            first = year + -year % step
            ticks = [date(y, 1, 1) for y in range(first, high.year + 1, step)]
            if len(ticks) <= most:
                break
    labelled = []
    last_year = None
    for tick in ticks:
        labelled.append((tick, date_label(tick, unit, language, tick.year != last_year)))
        last_year = tick.year
    return labelled


# ---- drawing --------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros, never `-0`."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float) -> float:
    """About how wide `text` sets: full-width characters one em, the rest 0.6."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return size * (wide + 0.6 * (len(text) - wide))


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float


def draw(chart: Chart) -> str:
    """The chart as an `<svg>` element (title, description, axes, series, legend)."""
    values = [v for s in chart.series for v in s.values if v is not None]
    low, high = _value_range(chart, values)
    ticks = value_ticks(low, high)
    labels = axis_labels(ticks, chart.unit, chart.language)
    legend_rows = _legend_layout(chart)
    top = 12 + 20 * len(legend_rows) + (22 if chart.y_label else 6)
    left = max(text_width(label, TICK_FONT) for label in labels) + 10
    bottom = HEIGHT - 24 - (20 if chart.x_label else 0)
    box = _Box(left, top, WIDTH - 14, bottom)
    y_of = _linear(ticks[0], ticks[-1], box.bottom, box.top)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" font-size="{FONT}">',
        f"<title>{escape(chart.title)}</title>",
        f"<desc>{escape(chart.desc or describe(chart))}</desc>",
    ]
    parts += _y_axis(chart, box, ticks, labels, y_of)
    parts += _x_axis(chart, box)
    parts += _series(chart, box, y_of)
    parts += _legend(chart, legend_rows)
    parts.append("</svg>")
    return "\n".join(parts)


def _value_range(chart: Chart, values: list[float]) -> tuple[float, float]:
    if chart.kind == "stacked-bar":
        ups = downs = [0.0]
        count = len(chart.x_texts)
        ups = [sum(max(s.values[i] or 0, 0) for s in chart.series) for i in range(count)]
        downs = [sum(min(s.values[i] or 0, 0) for s in chart.series) for i in range(count)]
        values = [*ups, *downs]
    low, high = min(values, default=0.0), max(values, default=1.0)
    if chart.kind != "line" or low < 0 < high:
        # Bars and areas stand on zero; a line only shows it when it crosses it.
        low, high = min(low, 0.0), max(high, 0.0)
    return low, high


def _linear(d0: float, d1: float, r0: float, r1: float) -> Scale:
    span = (d1 - d0) or 1.0

    def scale(value: float) -> float:
        return r0 + (value - d0) * (r1 - r0) / span

    return scale


def _y_axis(
    chart: Chart, box: _Box, ticks: list[float], labels: list[str], y_of: Scale
) -> list[str]:
    grid, texts = [], []
    for tick, label in zip(ticks, labels, strict=True):
        y = _n(y_of(tick))
        grid.append(f'<line x1="{_n(box.left)}" y1="{y}" x2="{_n(box.right)}" y2="{y}"/>')
        texts.append(f'<text x="{_n(box.left - 6)}" y="{y}" dy="0.35em">{escape(label)}</text>')
    out = [
        '<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">',
        *grid,
        "</g>",
        f'<g class="chart-axis chart-y" fill="currentColor" font-size="{TICK_FONT}"'
        ' text-anchor="end">',
        *texts,
        "</g>",
    ]
    if ticks[0] < 0 < ticks[-1] or (chart.kind != "line" and ticks[0] <= 0 <= ticks[-1]):
        y = _n(y_of(0.0))
        out.append(
            f'<line class="chart-zero" x1="{_n(box.left)}" y1="{y}" x2="{_n(box.right)}"'
            f' y2="{y}" stroke="currentColor" stroke-opacity="0.6"/>'
        )
    if chart.y_label:
        out.append(
            f'<text class="chart-y-label" x="4" y="{_n(box.top - 10)}" fill="currentColor">'
            f"{escape(chart.y_label)}</text>"
        )
    return out


def _x_positions(chart: Chart, box: _Box) -> list[float]:
    """Where each x value sits: by date on a time axis (lines and areas), else evenly, at
    the middle of its band (bars) or spread edge to edge (lines over categories)."""
    count = len(chart.x_texts)
    if chart.kind in LINE_KINDS and chart.dates is not None and count > 1:
        first, last = chart.dates[0].toordinal(), chart.dates[-1].toordinal()
        x_of = _linear(first, last, box.left, box.right)
        return [x_of(d.toordinal()) for d in chart.dates]
    if chart.kind in LINE_KINDS:
        if count == 1:
            return [(box.left + box.right) / 2]
        return [box.left + i * (box.right - box.left) / (count - 1) for i in range(count)]
    band = (box.right - box.left) / max(count, 1)
    return [box.left + band * (i + 0.5) for i in range(count)]


def _x_axis(chart: Chart, box: _Box) -> list[str]:
    y = _n(box.bottom + 17)
    texts: list[tuple[float, str]] = []
    if chart.kind in LINE_KINDS and chart.dates is not None and len(chart.dates) > 1:
        first, last = chart.dates[0], chart.dates[-1]
        x_of = _linear(first.toordinal(), last.toordinal(), box.left, box.right)
        most = max(2, int((box.right - box.left) // 80))
        texts = [(x_of(d.toordinal()), label)
                 for d, label in date_ticks(first, last, chart.language, most)]  # fmt: skip
    else:
        positions = _x_positions(chart, box)
        names = list(chart.x_texts)
        if chart.dates is not None:
            names, last_year = [], None
            for day in chart.dates:
                names.append(
                    date_label(day, chart.date_unit, chart.language, day.year != last_year)
                )
                last_year = day.year
        widest = max((text_width(n, TICK_FONT) for n in names), default=0.0) + 8
        room = (box.right - box.left) / max(len(names), 1)
        every = max(1, math.ceil(widest / room)) if room > 0 else 1
        texts = [(positions[i], names[i]) for i in range(0, len(names), every)]
    out = [
        f'<g class="chart-axis chart-x" fill="currentColor" font-size="{TICK_FONT}"'
        ' text-anchor="middle">'
    ]
    for x, label in texts:
        # Keep the end labels inside the picture.
        half = text_width(label, TICK_FONT) / 2
        x = min(max(x, half + 2), WIDTH - half - 2)
        out.append(f'<text x="{_n(x)}" y="{y}">{escape(label)}</text>')
    out.append("</g>")
    out.append(
        f'<line class="chart-baseline" x1="{_n(box.left)}" y1="{_n(box.bottom)}"'
        f' x2="{_n(box.right)}" y2="{_n(box.bottom)}" stroke="currentColor" stroke-opacity="0.4"/>'
    )
    if chart.x_label:
        out.append(
            f'<text class="chart-x-label" x="{_n((box.left + box.right) / 2)}"'
            f' y="{HEIGHT - 6}" text-anchor="middle" fill="currentColor">'
            f"{escape(chart.x_label)}</text>"
        )
    return out


def _series_open(index: int, role: str = "chart-series") -> str:
    colour = COLOURS[index % len(COLOURS)]
    number = index % len(COLOURS) + 1
    return f'<g class="{role} chart-s{number}" stroke="{colour}" fill="{colour}">'


def _series(chart: Chart, box: _Box, y_of: Scale) -> list[str]:
    if chart.kind in LINE_KINDS:
        return _lines(chart, box, y_of)
    return _bars(chart, box, y_of)


def _lines(chart: Chart, box: _Box, y_of: Scale) -> list[str]:
    xs = _x_positions(chart, box)
    marked = len(xs) <= MAX_MARKED_POINTS
    zero = _n(y_of(0.0))
    out = []
    for index, series in enumerate(chart.series):
        out.append(_series_open(index))
        runs: list[list[tuple[float, float]]] = [[]]
        for x, value in zip(xs, series.values, strict=True):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x, y_of(value)))
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in filter(None, runs):
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            if chart.kind == "area":
                area = f"{_n(run[0][0])},{zero} {points} {_n(run[-1][0])},{zero}"
                out.append(f'<polygon class="chart-area" points="{area}" fill-opacity="0.18"'
                           ' stroke="none"/>')  # fmt: skip
            out.append(f'<polyline points="{points}" fill="none" stroke-width="2"'
                       f' stroke-linejoin="round"{dash_attr}/>')  # fmt: skip
            if marked:
                shape = MARKERS[index % len(MARKERS)]
                out += [_marker(shape, x, y) for x, y in run]
        out.append("</g>")
    return out


def _marker(shape: str, x: float, y: float, size: float = 3.5) -> str:
    if shape == "circle":
        return f'<circle class="chart-point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}"/>'
    if shape == "square":
        s = size * 0.9
        return (f'<rect class="chart-point" x="{_n(x - s)}" y="{_n(y - s)}"'
                f' width="{_n(2 * s)}" height="{_n(2 * s)}"/>')  # fmt: skip
    s = size * 1.2
    corners = {
        "triangle": [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)],
        "diamond": [(x, y - s), (x + s, y), (x, y + s), (x - s, y)],
        "down": [(x, y + s), (x + s, y - s * 0.8), (x - s, y - s * 0.8)],
        "cross": [(x - s, y - s), (x + s, y + s), (x, y), (x + s, y - s), (x - s, y + s), (x, y)],
    }[shape]
    points = " ".join(f"{_n(px)},{_n(py)}" for px, py in corners)
    return f'<polygon class="chart-point" points="{points}"/>'


def _bars(chart: Chart, box: _Box, y_of: Scale) -> list[str]:
    count, series = len(chart.x_texts), chart.series
    band = (box.right - box.left) / max(count, 1)
    stacked = chart.kind == "stacked-bar"
    width = band * 0.7 / (1 if stacked else len(series))
    ups, downs = [0.0] * count, [0.0] * count
    out = []
    for index, one in enumerate(series):
        out.append(_series_open(index))
        for i, value in enumerate(one.values):
            if value is None:
                continue
            if stacked:
                base = ups[i] if value >= 0 else downs[i]
                end = base + value
                if value >= 0:
                    ups[i] = end
                else:
                    downs[i] = end
                x = box.left + band * i + band * 0.15
            else:
                base, end = 0.0, value
                x = box.left + band * i + band * 0.15 + width * index
            y0, y1 = y_of(base), y_of(end)
            out.append(
                f'<rect class="chart-bar" x="{_n(x)}" y="{_n(min(y0, y1))}" width="{_n(width)}"'
                f' height="{_n(abs(y1 - y0))}" stroke="none"/>'
            )
        out.append("</g>")
    return out


def _legend_layout(chart: Chart) -> list[list[tuple[int, float]]]:
    """Legend entries in rows that fit the width: (series index, width) each; none for a
    single series (the title names it)."""
    if len(chart.series) < 2:
        return []
    rows: list[list[tuple[int, float]]] = [[]]
    used = 0.0
    for index, series in enumerate(chart.series):
        width = 30 + text_width(series.label, FONT) + 14
        if rows[-1] and used + width > WIDTH - 8:
            rows.append([])
            used = 0.0
        rows[-1].append((index, width))
        used += width
    return rows


def _legend(chart: Chart, rows: list[list[tuple[int, float]]]) -> list[str]:
    if not rows:
        return []
    out = ['<g class="chart-legend">']
    for row_number, row in enumerate(rows):
        y = 14 + 20 * row_number
        x = 4.0
        for index, width in row:
            out.append(_series_open(index, "chart-key"))
            if chart.kind in LINE_KINDS:
                dash = DASHES[index % len(DASHES)]
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<line x1="{_n(x)}" y1="{y}" x2="{_n(x + 24)}" y2="{y}"'
                           f' stroke-width="2"{dash_attr}/>')  # fmt: skip
                out.append(_marker(MARKERS[index % len(MARKERS)], x + 12, y))
            else:
                out.append(f'<rect x="{_n(x + 4)}" y="{y - 7}" width="16" height="14"'
                           ' stroke="none"/>')  # fmt: skip
            out.append("</g>")
            out.append(
                f'<text class="chart-legend-label" x="{_n(x + 30)}" y="{y}" dy="0.35em"'
                f' fill="currentColor">{escape(chart.series[index].label)}</text>'
            )
            x += width
    out.append("</g>")
    return out


def sparkline(chart: Chart, width: int = 120, height: int = 28) -> str:
    """The first series as a small line with no axes, for lists; hidden from screen
    readers (the list says what it shows)."""
    values = [v for v in chart.series[0].values if v is not None] if chart.series else []
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    y_of = _linear(low, high if high > low else low + 1, height - 2, 2)
    step = (width - 4) / (len(values) - 1)
    points = " ".join(f"{_n(2 + i * step)},{_n(y_of(v))}" for i, v in enumerate(values))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" aria-hidden="true" focusable="false">'
        f'<g class="chart-s1" stroke="{COLOURS[0]}"><polyline points="{points}" fill="none"'
        ' stroke-width="1.5"/></g></svg>'
    )


# ---- words ----------------------------------------------------------------------------

_KIND_NAMES = {
    "ja": {"line": "折れ線グラフ", "area": "面グラフ", "bar": "棒グラフ",
           "stacked-bar": "積み上げ棒グラフ"},
    "en": {"line": "Line chart", "area": "Area chart", "bar": "Bar chart",
           "stacked-bar": "Stacked bar chart"},
}  # fmt: skip


def x_text(chart: Chart, i: int) -> str:
    """The i-th x value as shown in the data table."""
    if chart.dates is not None:
        return date_label(chart.dates[i], chart.date_unit, chart.language)
    return chart.x_texts[i]


def describe(chart: Chart) -> str:
    """A sentence for screen readers: the kind, the x range and each series' range."""
    ja = chart.language == "ja"
    kind = _KIND_NAMES["ja" if ja else "en"][chart.kind]
    count = len(chart.x_texts)
    first, last = (x_text(chart, 0), x_text(chart, count - 1)) if count else ("", "")
    parts = [kind]
    span = f"{first}〜{last}" if ja else f"{first} to {last}"
    axis = chart.x_label or ("横軸" if ja else "x")
    parts.append(f"{axis}: {span}" if ja else f"{axis}: {span}")
    for series in chart.series:
        values = [v for v in series.values if v is not None]
        if not values:
            continue
        low = format_value(min(values), chart.unit, chart.language)
        high = format_value(max(values), chart.unit, chart.language)
        parts.append(f"{series.label}: 最小{low}、最大{high}" if ja
                     else f"{series.label}: {low} to {high}")  # fmt: skip
    return ("。" if ja else ". ").join(parts) + ("。" if ja else ".")
