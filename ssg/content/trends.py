"""The trend header: `trend: {keyword: ai, region: JP, buzz: "2,000+", data: trends/ai}`.

A post written about a search trend shows, above the article, the keyword, the region's
flag and name, the buzz figure and the interest over time, drawn from a data file by the
chart code (so it is re-drawn when that file changes, like any chart).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from ssg.markdown.chart_svg import sparkline
from ssg.markdown.charts import ChartContext, chart_html, read_chart, read_problems

# Japanese names of the regions trend services report most; another code shows as itself.
REGION_NAMES = {
    "JP": "日本", "US": "アメリカ", "GB": "イギリス", "DE": "ドイツ", "FR": "フランス",
    "CN": "中国", "KR": "韓国", "TW": "台湾", "HK": "香港", "IN": "インド", "SG": "シンガポール",
    "AU": "オーストラリア", "CA": "カナダ", "BR": "ブラジル", "ID": "インドネシア",
    "VN": "ベトナム", "TH": "タイ",
}  # fmt: skip
KEYS = ("keyword", "region", "buzz", "data")


@dataclass(frozen=True)
class Trend:
    keyword: str
    region: str  # ISO 3166 code, upper case ("" when not given)
    region_name: str  # 日本
    flag: str  # 🇯🇵, from the code's regional indicator letters
    buzz: str  # as written: "2,000+"
    chart_html: str  # the interest over time as a chart figure, "" without data
    sparkline: str  # the same as a small SVG for lists, "" without data


def flag_of(region: str) -> str:
    """🇯🇵 for JP: two regional indicator symbols, which fonts draw as the flag."""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in region)


def read_trend(value: Any, context: ChartContext) -> tuple[Trend | None, list[str]]:
    """The `trend:` front-matter value as a Trend, or None and what is wrong with it."""
    if not isinstance(value, Mapping):
        return None, ["trend: expected keys keyword, region, buzz and data"]
    problems = [f"trend: unknown key `{k}` (known: {', '.join(KEYS)})" for k in value
                if k not in KEYS]  # fmt: skip
    keyword = str(value.get("keyword") or "").strip()
    if not keyword:
        problems.append("trend: `keyword` is missing")
    written = str(value.get("region") or "").strip()
    region = written.upper()
    if region and not (len(region) == 2 and region.isascii() and region.isalpha()):
        problems.append(f"trend: region `{written}` is not a two-letter country code (JP, US)")
    chart = spark = ""
    data = value.get("data")
    if data is not None:
        title = (
            f"「{keyword}」への関心の推移" if context.language == "ja" else f"Interest in {keyword}"
        )
        spec = yaml.safe_dump({"type": "area", "title": title, "data": str(data)},
                              allow_unicode=True)  # fmt: skip
        found = read_problems()
        drawn = read_chart(spec, context, found)
        problems += [f"trend: {message.removeprefix('chart: ')}" for _, message in found.found]
        if drawn is not None and not found.found:
            drawn = dataclasses.replace(drawn, series=drawn.series[:1])  # the interest only
            chart, spark = chart_html(drawn, "trend-chart"), sparkline(drawn)
    if problems:
        return None, problems
    name = REGION_NAMES.get(region, region)
    buzz = str(value.get("buzz") or "").strip()
    return Trend(keyword, region, name, flag_of(region), buzz, chart, spark), []
