"""Financial tables: columns of figures told from their cells, negatives marked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post

from ssg.markdown.figures import Figure, figure_column, is_blank, read_figure
from ssg.markdown.parser import make_markdown, render_markdown

MD = make_markdown()


def cells(markdown: str) -> list[tuple[str, list[str]]]:
    """(text, classes) of every cell of the first table `markdown` renders, row by row."""
    doc = BeautifulSoup(render_markdown(MD, markdown).html, "html.parser")
    return [(cell.get_text(), list(cell.get("class") or [])) for cell in doc.select("th, td")]


# Reading a figure


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234.0),
        ("-3.4", -3.4),
        ("+2.1pt", 2.1),
        ("12.5%", 12.5),
        ("¥1,000", 1000.0),
        ("$5.2B", 5.2e9),
        ("US$300M", 3e8),
        ("１２３億円", 1.23e10),
        ("1兆2,000億円", 1.2e12),
        ("380億ドル", 3.8e10),
        ("約1,200億円", 1.2e11),
        ("2.5倍", 2.5),
        ("0.25", 0.25),
        ("1,000億円超", 1e11),
    ],
)
def test_figures_in_the_formats_japanese_reports_use_are_read(text: str, value: float) -> None:
    figure = read_figure(text)
    assert figure is not None and figure.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    ["▲12.3%", "△5", "▼0.4pt", "(1,200)", "（１，２００）", "-3.4", "−4", "$-5.2B", "▲1兆円"],
)
def test_triangles_minus_signs_and_parentheses_are_negative(text: str) -> None:
    figure = read_figure(text)
    assert figure is not None and figure.negative and figure.value < 0


@pytest.mark.parametrize("text", ["1,234", "+2.1pt", "±0", "0.0%", "▲0"])
def test_other_figures_and_zero_are_not_negative(text: str) -> None:
    figure = read_figure(text)
    assert figure is not None and not figure.negative


def test_full_width_digits_read_as_their_ascii_forms() -> None:
    assert read_figure("１，２３４．５％") == Figure(1234.5, False)


@pytest.mark.parametrize(
    "text", ["トヨタ", "FY2024", "2024年度", "3~5%", "1,2,3", "7203.T", "1.2.3", "(注)", "", "-"]
)
def test_text_codes_and_ranges_are_not_figures(text: str) -> None:
    assert read_figure(text) is None


@pytest.mark.parametrize("text", ["", "-", "—", "―", "－", "n/a", "N/A", " NM "])
def test_dashes_and_n_a_are_blank_cells(text: str) -> None:
    assert is_blank(text)


def test_a_column_of_figures_may_have_blanks() -> None:
    assert figure_column(["1,200", "—", "▲3", ""])


def test_a_column_of_names_is_not_one_of_figures() -> None:
    assert not figure_column(["トヨタ", "ソニー", "100"])


def test_one_note_in_ten_figures_keeps_a_column_of_figures() -> None:
    assert figure_column([*(["1,000"] * 10), "非開示"])
    assert not figure_column([*(["1,000"] * 9), "非開示"])


def test_a_column_of_only_blanks_is_not_one_of_figures() -> None:
    assert not figure_column(["—", "-", ""])


# Tables


TABLE = """\
| 銘柄 | 売上高（億円） | 前年比 | 備考 |
|---|---|---|---|
| トヨタ | 117,000 | ▲18.6% | 通期 |
| ソニー | ３１，０００ | (1.2) | — |
"""


def test_cells_of_columns_of_figures_get_the_num_class() -> None:
    got = cells(TABLE)
    assert got[:4] == [("銘柄", []), ("売上高（億円）", ["num"]), ("前年比", ["num"]), ("備考", [])]
    assert got[4:6] == [("トヨタ", []), ("117,000", ["num"])]


def test_negative_figures_get_the_neg_class() -> None:
    got = dict(cells(TABLE))
    assert got["▲18.6%"] == ["num", "neg"]
    assert got["(1.2)"] == ["num", "neg"]
    assert got["３１，０００"] == ["num"]


def test_emphasis_in_a_cell_does_not_hide_its_figure() -> None:
    got = dict(cells("| 項目 | 額 |\n|---|---|\n| 合計 | **▲1,200** |\n"))
    assert got["▲1,200"] == ["num", "neg"]


def test_the_writers_alignment_is_kept() -> None:
    out = render_markdown(MD, "| 項目 | 額 |\n|---|:--|\n| A | 100 |\n").html
    assert '<td style="text-align:left" class="num">100</td>' in out


def test_a_table_without_figures_is_rendered_as_before() -> None:
    out = render_markdown(MD, "| 項目 | 見方 |\n|---|---|\n| 売上 | 予想との差 |\n").html
    assert "class=" not in out.replace('class="table-wrap"', "")


def test_each_table_is_read_on_its_own() -> None:
    two = "| A | B |\n|---|---|\n| x | 1 |\n\n| A | B |\n|---|---|\n| x | y |\n"
    assert [c for _, c in cells(two)] == [[], ["num"], [], ["num"], [], [], [], []]


def test_a_figure_in_a_header_does_not_make_a_column_of_figures() -> None:
    got = cells("| 項目 | 2024 |\n|---|---|\n| 売上 | 増収 |\n")
    assert got == [("項目", []), ("2024", []), ("売上", []), ("増収", [])]


def test_a_built_post_carries_the_classes(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/posts/2025-11-20-a.md": post(body=TABLE)})
    build_site(site)
    html = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(html, "html.parser")
    assert [td.get_text() for td in doc.select(".post-body td.neg")] == ["▲18.6%", "(1.2)"]


@pytest.mark.parametrize(("language", "name"), [("ja", "表"), ("en", "Table")])
def test_the_scroll_box_of_a_table_takes_keyboard_focus_and_is_named(
    language: str, name: str
) -> None:
    out = render_markdown(make_markdown(language=language), "| A |\n|---|\n| 1 |\n").html
    box = BeautifulSoup(out, "html.parser").select_one("div.table-wrap")
    assert box is not None
    assert (box["tabindex"], box["role"], box["aria-label"]) == ("0", "region", name)
