"""```chart fences: charts drawn at build time as inline SVG, and data/ files they read.

Charts are checked as parsed XML (points, bars, labels, legend, hidden table), not by bytes,
except where the bytes are the point (the same input gives the same SVG).
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post, write_files

from ssg.errors import BuildFailed
from ssg.markdown.charts import ChartContext, ChartDataError, render_chart

SVG = "{http://www.w3.org/2000/svg}"


def chart(yaml_text: str, language: str = "ja", files: dict[str, Any] | None = None) -> ET.Element:
    """The figure a fence holding `yaml_text` renders, as XML; fails on any problem."""
    html, problems = render_chart(yaml_text, ChartContext(language, loader(files or {})))
    assert problems == []
    return ET.fromstring(html)


def problems_of(yaml_text: str, files: dict[str, Any] | None = None) -> list[tuple[int, str]]:
    html, problems = render_chart(yaml_text, ChartContext("ja", loader(files or {})))
    assert html == ""
    return problems


def loader(files: dict[str, Any]):  # type: ignore[no-untyped-def]
    def load(name: str) -> tuple[str, Any]:
        if name not in files:
            raise ChartDataError(f"no data file data/{name}")
        return f"data/{name}", files[name]

    return load


def svg(figure: ET.Element) -> ET.Element:
    found = figure.find(f"{SVG}svg")
    assert found is not None
    return found


def texts(element: ET.Element, group_class: str) -> list[str]:
    """The text of every <text> inside the <g> whose class names `group_class`."""
    for group in element.iter(f"{SVG}g"):
        if group_class in group.get("class", "").split():
            return [t.text or "" for t in group.iter(f"{SVG}text")]
    return []


def series_groups(figure: ET.Element) -> list[ET.Element]:
    """The plotted series (not the legend's swatches)."""
    root = svg(figure)
    return [g for g in root.findall(f"{SVG}g") if "chart-series" in g.get("class", "")]


def table_rows(figure: ET.Element) -> list[list[str]]:
    hidden = figure.find("div")
    assert hidden is not None and hidden.get("class") == "visually-hidden"
    table = hidden.find("table")
    assert table is not None
    return [[cell.text or "" for cell in tr] for tr in table.iter("tr")]


TWO_SERIES = """\
type: line
title: 売上と利益
x_label: 年度
y_label: 億円
unit: 億円
data:
  - {年度: FY2021, 売上: 120, 利益: 15}
  - {年度: FY2022, 売上: 150, 利益: -8}
  - {年度: FY2023, 売上: 210, 利益: 32}
"""


# ---- drawing ----------------------------------------------------------------------------


def test_a_line_chart_draws_one_line_with_a_marker_per_row_for_each_series() -> None:
    figure = chart(TWO_SERIES)
    groups = series_groups(figure)
    assert len(groups) == 2
    for group in groups:
        (line,) = group.findall(f"{SVG}polyline")
        assert len(line.get("points", "").split()) == 3
        marks = [e for e in group if "chart-point" in e.get("class", "")]
        assert len(marks) == 3


def test_line_series_differ_by_dashes_and_markers_not_only_by_colour() -> None:
    first, second = series_groups(chart(TWO_SERIES))
    assert first.find(f"{SVG}polyline").get("stroke-dasharray") is None  # type: ignore[union-attr]
    assert second.find(f"{SVG}polyline").get("stroke-dasharray")  # type: ignore[union-attr]
    assert first.find(f"{SVG}circle") is not None and second.find(f"{SVG}circle") is None


def test_the_legend_names_each_series() -> None:
    assert texts(svg(chart(TWO_SERIES)), "chart-legend") == ["売上", "利益"]


def test_a_single_series_has_no_legend() -> None:
    figure = chart("title: 売上\ndata: |\n  年,売上\n  2023,1\n  2024,2\n")
    assert texts(svg(figure), "chart-legend") == []


def test_the_chart_has_a_title_and_a_description_for_screen_readers() -> None:
    root = svg(chart(TWO_SERIES))
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "売上と利益"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "折れ線グラフ" in desc and "FY2021〜FY2023" in desc and "最小-8億円" in desc


def test_a_description_written_by_the_author_replaces_the_generated_one() -> None:
    root = svg(chart(TWO_SERIES + "desc: 利益は2022年度に赤字。\n"))
    assert root.findtext(f"{SVG}desc") == "利益は2022年度に赤字。"


def test_the_data_is_also_a_visually_hidden_table() -> None:
    rows = table_rows(chart(TWO_SERIES))
    assert rows == [
        ["年度", "売上", "利益"],
        ["FY2021", "120億円", "15億円"],
        ["FY2022", "150億円", "-8億円"],
        ["FY2023", "210億円", "32億円"],
    ]


def test_the_visible_caption_is_the_title() -> None:
    assert chart(TWO_SERIES).findtext("figcaption") == "売上と利益"


def test_axis_labels_are_drawn() -> None:
    root = svg(chart(TWO_SERIES))
    labels = {t.get("class"): t.text for t in root.iter(f"{SVG}text") if t.get("class")}
    assert labels["chart-x-label"] == "年度"
    assert labels["chart-y-label"] == "億円"


def test_the_svg_scales_with_its_column() -> None:
    root = svg(chart(TWO_SERIES))
    assert root.get("viewBox") == "0 0 440 280"
    assert root.get("width") is None and root.get("height") is None


def test_the_same_input_gives_the_same_bytes() -> None:
    first, _ = render_chart(TWO_SERIES, ChartContext())
    second, _ = render_chart(TWO_SERIES, ChartContext())
    assert first == second
    assert "0000000" not in first  # coordinates are rounded, not float reprs


def test_a_bar_chart_draws_a_bar_per_value_of_each_series() -> None:
    figure = chart(TWO_SERIES.replace("type: line", "type: bar"))
    groups = series_groups(figure)
    assert [len(g.findall(f"{SVG}rect")) for g in groups] == [3, 3]
    assert texts(svg(figure), "chart-x") == ["FY2021", "FY2022", "FY2023"]


def test_a_negative_bar_hangs_below_the_zero_line() -> None:
    figure = chart(TWO_SERIES.replace("type: line", "type: bar"))
    zero = svg(figure).find(f"{SVG}line[@class='chart-zero']")
    assert zero is not None
    zero_y = float(zero.get("y1", ""))
    profit = series_groups(figure)[1].findall(f"{SVG}rect")
    assert float(profit[1].get("y", "")) == pytest.approx(zero_y)  # FY2022: -8, from zero down
    assert float(profit[0].get("y", "")) + float(profit[0].get("height", "")) == pytest.approx(
        zero_y
    )


def test_a_stacked_bar_puts_each_series_on_top_of_the_one_before() -> None:
    figure = chart(
        "type: stacked-bar\ntitle: 地域別売上\n"
        "data: |\n  年,日本,米国\n  2023,10,20\n  2024,15,25\n"
    )
    japan, usa = (g.findall(f"{SVG}rect") for g in series_groups(figure))
    for low, high in zip(japan, usa, strict=True):
        assert float(high.get("y", "")) + float(high.get("height", "")) == pytest.approx(
            float(low.get("y", ""))
        )
        assert low.get("x") == high.get("x")


def test_an_area_chart_fills_under_its_line() -> None:
    figure = chart(TWO_SERIES.replace("type: line", "type: area"))
    for group in series_groups(figure):
        assert len(group.findall(f"{SVG}polygon[@class='chart-area']")) == 1
        assert len(group.findall(f"{SVG}polyline")) == 1


def test_an_empty_cell_leaves_a_gap_in_the_line() -> None:
    figure = chart(
        "title: 株価\ndata: |\n  日付,終値\n"
        "  2025-01-01,10\n  2025-01-02,\n  2025-01-03,12\n  2025-01-04,13\n"
    )
    (group,) = series_groups(figure)
    assert len(group.findall(f"{SVG}polyline")) == 2


# ---- dates on the x axis ----------------------------------------------------------------


def _dates_chart(dates: list[str], language: str = "ja") -> list[str]:
    rows = "\n".join(f"  {d},{i}" for i, d in enumerate(dates))
    return texts(svg(chart(f"title: 推移\ndata: |\n  日付,値\n{rows}\n", language)), "chart-x")


def test_ten_days_are_ticked_by_day() -> None:
    labels = _dates_chart([f"2025-03-{d:02d}" for d in range(1, 11)])
    assert labels == ["2025年3月1日", "3月3日", "3月5日", "3月7日", "3月9日"]


def test_fourteen_months_are_ticked_by_month_with_the_year_where_it_changes() -> None:
    months = [f"2025-{m:02d}-01" for m in range(1, 13)] + ["2026-01-01", "2026-02-01"]
    assert _dates_chart(months) == ["2025年1月", "4月", "7月", "10月", "2026年1月"]


def test_six_years_are_ticked_by_year() -> None:
    labels = _dates_chart([f"{y}-06-30" for y in range(2019, 2025)])
    assert labels == ["2020年", "2021年", "2022年", "2023年", "2024年"]


def test_dates_in_english_read_as_english() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02"]
    assert _dates_chart(months, "en") == ["Jan 2025", "Apr", "Jul", "Oct", "Jan 2026"]


def test_points_sit_at_their_dates_not_evenly() -> None:
    figure = chart(
        "title: 推移\ndata: |\n  日付,値\n  2025-01-01,1\n  2025-01-02,2\n  2025-01-11,3\n"
    )
    (group,) = series_groups(figure)
    xs = [float(p.split(",")[0]) for p in group.find(f"{SVG}polyline").get("points", "").split()]  # type: ignore[union-attr]
    assert (xs[1] - xs[0]) * 9 == pytest.approx(xs[2] - xs[1], abs=0.05)


def test_the_hidden_table_writes_dates_in_japanese() -> None:
    figure = chart("title: 推移\ndata: |\n  月,値\n  2025-03,1\n  2025-04,2\n")
    assert [row[0] for row in table_rows(figure)[1:]] == ["2025年3月", "2025年4月"]


# ---- numbers and units ------------------------------------------------------------------


def _y_labels(unit: str, values: list[str], language: str = "ja", kind: str = "bar") -> list[str]:
    rows = "\n".join(f"  {2020 + i},{v}" for i, v in enumerate(values))
    text = f"type: {kind}\ntitle: 値\nunit: '{unit}'\ndata: |\n  年,値\n{rows}\n"
    return texts(svg(chart(text, language)), "chart-y")


def test_trillions_of_yen_read_as_cho() -> None:
    assert _y_labels("円", ["1.2e12", "2.4e12"]) == ["0", "0.5兆円", "1.0兆円", "1.5兆円",
                                                     "2.0兆円", "2.5兆円"]  # fmt: skip


def test_hundreds_of_millions_of_dollars_read_as_oku() -> None:
    assert _y_labels("ドル", ["38000000000", "12000000000"])[-1] == "400億ドル"


def test_percentages_keep_their_sign_and_negatives_are_ticked_below_zero() -> None:
    assert _y_labels("%", ["-2.5", "3.1", "1.2%"]) == ["-4%", "-2%", "0", "2%", "4%"]


def test_plain_numbers_over_an_oku_are_written_in_oku_in_japanese_only() -> None:
    assert _y_labels("", ["300000000"])[-1] == "3億"
    assert _y_labels("", ["300000000"], "en")[-1] == "300,000,000"


def test_yen_below_an_oku_keeps_thousands_separators() -> None:
    assert _y_labels("円", ["38000", "52000"], kind="line")[-1] == "55,000円"


def test_a_line_that_stays_positive_does_not_reach_down_to_zero() -> None:
    assert _y_labels("円", ["38000", "52000"], kind="line")[0] != "0"


def test_a_line_crossing_zero_gets_a_zero_line() -> None:
    figure = chart(TWO_SERIES)
    assert svg(figure).find(f"{SVG}line[@class='chart-zero']") is not None


def test_numbers_as_analysts_write_them_are_read() -> None:
    figure = chart(
        'type: bar\ntitle: 利益\ndata: |\n  年,利益\n  2023,"1,200"\n  2024,▲300\n  2025,１５\n'
    )
    assert [row[1] for row in table_rows(figure)[1:]] == ["1,200", "-300", "15"]


# ---- errors at their lines --------------------------------------------------------------


def test_an_unknown_type_is_reported_at_its_line() -> None:
    assert problems_of("title: x\ntype: pie\ndata: |\n  a,b\n  1,2\n") == [
        (1, "chart: unknown type `pie`; use line, bar, stacked-bar or area")
    ]


def test_an_unknown_key_suggests_the_known_one() -> None:
    problems = problems_of("title: x\nunits: 円\ndata: |\n  a,b\n  1,2\n")
    assert problems == [(1, "chart: unknown key `units`; did you mean `unit`?")]


def test_a_value_that_is_not_a_number_is_reported_at_its_row() -> None:
    text = "title: x\ndata:\n  - {d: 2025-01-01, v: 1}\n  - {d: 2025-01-02, v: abc}\n"
    assert problems_of(text) == [(3, "chart: `abc` in column `v` is not a number")]


def test_a_csv_row_with_too_many_fields_is_reported_at_its_line() -> None:
    text = "title: x\ndata: |\n  d,v\n  2025-01-01,1\n  2025-01-02,2,3\n"
    assert problems_of(text) == [(4, "chart: this row has 3 fields; the header has 2")]


def test_a_missing_title_and_a_missing_column_are_both_reported() -> None:
    problems = problems_of("y: [売上]\ndata: |\n  年,利益\n  2024,1\n")
    assert [line for line, _ in problems] == [0, 0]
    assert "title" in problems[0][1] and "no column `売上`" in problems[1][1]


def test_a_bad_value_in_a_data_file_names_the_file_and_its_line() -> None:
    files = {"prices.csv": "date,close\n2025-01-01,1\n2025-01-02,x\n"}
    problems = problems_of("title: x\ndata: prices.csv\n", files)
    assert problems == [(1, "chart: data/prices.csv:3: `x` in column `close` is not a number")]


def test_dates_going_backwards_are_an_error_for_a_line() -> None:
    problems = problems_of("title: x\ndata: |\n  d,v\n  2025-01-02,1\n  2025-01-01,2\n")
    assert [line for line, _ in problems] == [4]


# ---- in a site --------------------------------------------------------------------------

CHART_POST = """\
はじめに。

```chart
type: line
title: 終値
unit: 円
data: {data}
```
"""


def _chart_site(make_site, data: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    files: dict[str, str | bytes] = {
        f"content/posts/2025-11-0{i + 1}-{name}.md": post(
            title=name, date=f"2025-11-0{i + 1}", body=CHART_POST.format(data=name)
        )
        for i, name in enumerate(data)
    }
    files.update({f"data/{name}.csv": text for name, text in data.items()})
    site: Path = make_site(files)
    return site


PRICES_A = "date,close\n2025-01-01,100\n2025-01-02,110\n2025-01-03,105\n"
PRICES_B = "date,close\n2025-01-01,200\n2025-01-02,190\n"


def test_a_post_draws_its_chart_from_a_data_file(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _chart_site(make_site, {"a": PRICES_A})
    build_site(site)
    page = BeautifulSoup((site / "output/2025/11/01/a/index.html").read_text(), "html.parser")
    figure = page.select_one("figure.chart")
    assert figure is not None
    assert len(figure.select("svg g.chart-series circle")) == 3
    assert [tr.th.text for tr in figure.select("table tbody tr")] == [  # type: ignore[union-attr]
        "2025年1月1日", "2025年1月2日", "2025年1月3日"
    ]  # fmt: skip


def test_a_chart_error_fails_the_build_at_its_line_in_the_post(make_site) -> None:  # type: ignore[no-untyped-def]
    body = "本文。\n\n```chart\ntitle: x\ntype: pie\ndata: |\n  a,b\n  1,2\n```\n"
    site = make_site({"content/posts/2025-11-01-x.md": post(body=body)})
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    # front matter: 4 lines, a blank line, 本文, a blank, the fence, title, then type on 10.
    assert [str(e) for e in failed.value.errors] == [
        "content/posts/2025-11-01-x.md:10: chart: unknown type `pie`; use line, bar, "
        "stacked-bar or area"
    ]


def test_a_chart_naming_a_missing_data_file_fails_the_build(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/posts/2025-11-01-x.md": post(body=CHART_POST.format(data="nope"))})
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert "chart: no data file data/nope.csv" in str(failed.value.errors[0])


def test_the_same_site_gives_byte_identical_charts(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = _chart_site(make_site, {"a": PRICES_A})
    build_site(site)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".ssg-cache"))
    build_site(copy)
    page = "output/2025/11/01/a/index.html"
    assert (site / page).read_bytes() == (copy / page).read_bytes()


def test_editing_a_data_file_redraws_only_the_posts_that_draw_it(  # type: ignore[no-untyped-def]
    make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssg.build.parse

    site = _chart_site(make_site, {"a": PRICES_A, "b": PRICES_B})
    build_site(site)
    page_a, page_b = (site / f"output/2025/11/0{i}/{n}/index.html" for i, n in ((1, "a"), (2, "b")))
    b_before = page_b.read_bytes()
    b_mtime = page_b.stat().st_mtime_ns
    parsed: list[str] = []
    real = ssg.build.parse.parse_job
    monkeypatch.setattr(
        ssg.build.parse,
        "parse_job",
        lambda job, c, **kw: parsed.append(job[0].name) or real(job, c, **kw),
    )
    write_files(site, {"data/a.csv": PRICES_A + "2025-01-04,130\n"})
    build_site(site)
    assert parsed == ["2025-11-01-a.md"]
    assert len(BeautifulSoup(page_a.read_text(), "html.parser").select("circle")) == 4
    assert page_b.read_bytes() == b_before and page_b.stat().st_mtime_ns == b_mtime
    # And the result is what a clean build makes.
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("output", ".ssg-cache"))
    build_site(clean)
    for path in (site / "output").rglob("*"):
        if path.is_file() and path.name != ".ssg-output":
            other = clean / "output" / path.relative_to(site / "output")
            assert path.read_bytes() == other.read_bytes(), path


def test_a_rebuild_with_the_data_file_unchanged_parses_nothing(  # type: ignore[no-untyped-def]
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssg.build.parse

    site = _chart_site(make_site, {"a": PRICES_A})
    build_site(site)
    (site / "data/other.yaml").write_text("x: 1\n")  # data/ changed, not the chart's file
    parsed: list[str] = []
    real = ssg.build.parse.parse_job
    monkeypatch.setattr(
        ssg.build.parse,
        "parse_job",
        lambda job, c, **kw: parsed.append(job[0].name) or real(job, c, **kw),
    )
    build_site(site)
    assert parsed == []


# ---- data files -------------------------------------------------------------------------


def test_a_csv_data_file_is_a_list_of_rows_in_site_data(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/posts/2025-11-01-x.md": post(),
        "data/rates.csv": "通貨,レート\nUSD,\"1,150.5\"\n\nEUR,160\n",
        "layouts/page.html": "{% for r in site.data.rates %}[{{ r['通貨'] }}={{ r['レート'] }}]"
                             "{% endfor %}",
        "content/about.md": "---\ntitle: about\n---\n",
    })  # fmt: skip
    build_site(site)
    assert (site / "output/about/index.html").read_text() == "[USD=1,150.5][EUR=160]"


def test_a_csv_row_with_the_wrong_number_of_fields_fails_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/posts/2025-11-01-x.md": post(),
        "data/rates.csv": "通貨,レート\nUSD,150\nEUR,160,extra\n",
    })  # fmt: skip
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert [str(e) for e in failed.value.errors] == [
        "data/rates.csv:3: this row has 3 fields; the header has 2"
    ]


def test_editing_a_data_file_a_layout_reads_rerenders_its_pages(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/posts/2025-11-01-x.md": post(),
        "data/rates.csv": "通貨,レート\nUSD,150\n",
        "layouts/page.html": "{{ site.data.rates[0]['レート'] }}",
        "content/about.md": "---\ntitle: about\n---\n",
    })  # fmt: skip
    build_site(site)
    write_files(site, {"data/rates.csv": "通貨,レート\nUSD,155\n"})
    build_site(site)
    assert (site / "output/about/index.html").read_text() == "155"


def test_an_unquoted_percent_unit_is_reported_with_how_to_write_it() -> None:
    ((line, message),) = problems_of("title: x\nunit: %\ndata: |\n  a,b\n  1,2\n")
    assert line == 1 and 'unit: "%"' in message


def test_day_ticks_stay_few_enough_to_read_when_the_values_need_a_wide_axis() -> None:
    rows = "\n".join(f"  2025-03-{d:02d},{38000 + d * 37}" for d in range(1, 11))
    figure = chart(f"title: 日経平均\nunit: 円\ndata: |\n  日付,終値\n{rows}\n")
    assert texts(svg(figure), "chart-x") == ["2025年3月1日", "3月4日", "3月7日", "3月10日"]


def test_a_data_file_added_in_front_of_the_one_a_bare_name_found_redraws_the_chart(  # type: ignore[no-untyped-def]
    make_site, tmp_path: Path
) -> None:
    site = make_site({
        "content/posts/2025-11-01-a.md": post(date="2025-11-01", body=CHART_POST.format(data="a")),
        "data/a.json": '[{"date": "2025-01-01", "close": 1}, {"date": "2025-01-02", "close": 2}]',
    })  # fmt: skip
    build_site(site)
    write_files(site, {"data/a.csv": PRICES_A})  # `data: a` now means a.csv (three rows)
    build_site(site)
    page = BeautifulSoup((site / "output/2025/11/01/a/index.html").read_text(), "html.parser")
    assert len(page.select("figure.chart circle")) == 3


def test_a_chart_error_is_reported_with_the_front_matters(make_site) -> None:  # type: ignore[no-untyped-def]
    body = "本文。\n\n```chart\ntitle: x\ntype: pie\ndata: |\n  a,b\n  1,2\n```\n"
    site = make_site({"content/posts/2025-11-01-x.md": post(body=body, tags="{a: b}")})
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    assert [str(e).split(": ")[0] for e in failed.value.errors] == [
        "content/posts/2025-11-01-x.md:4",  # tags
        "content/posts/2025-11-01-x.md:11",  # the chart's type, a line lower than above
    ]
