"""Callouts: Zenn's :::message and :::details, Qiita's :::note, as accessible HTML."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post

from ssg.markdown.parser import make_markdown, render_markdown

MD = make_markdown()


def html(body: str) -> str:
    return render_markdown(MD, body).html


def soup(body: str) -> BeautifulSoup:
    return BeautifulSoup(html(body), "html.parser")


# Zenn


def test_zenn_message_is_an_info_note() -> None:
    assert html(":::message\n決算発表は来週です。\n:::\n") == (
        '<aside class="callout callout-info" role="note" aria-label="メモ">\n'
        "<p>決算発表は来週です。</p>\n"
        "</aside>\n"
    )


def test_zenn_message_alert_is_an_alert_box_but_still_a_note() -> None:
    # role="alert" would make screen readers interrupt for text that was there all along.
    box = soup(":::message alert\n元本割れのリスクがあります。\n:::\n").aside
    assert box["class"] == ["callout", "callout-alert"]
    assert box["role"] == "note"
    assert box["aria-label"] == "警告"


def test_zenn_details_is_a_native_disclosure_titled_by_its_summary() -> None:
    assert html(":::details 前提条件\n為替は1ドル150円。\n:::\n") == (
        '<details class="callout-details"><summary>前提条件</summary>'
        '<div class="callout-details-body">\n'
        "<p>為替は1ドル150円。</p>\n"
        "</div></details>\n"
    )


def test_details_title_may_contain_spaces() -> None:
    assert soup(":::details 2025年 第3四半期 の数字\nx\n:::\n").summary.text == (
        "2025年 第3四半期 の数字"
    )


def test_details_title_may_follow_a_full_width_space() -> None:
    assert soup(":::details\u3000補足\nx\n:::\n").summary.text == "補足"


def test_details_without_a_title_is_summarised_as_details() -> None:
    assert soup(":::details\nx\n:::\n").summary.text == "詳細"


def test_details_title_is_text_never_markup() -> None:
    out = html(":::details <script>alert(1)</script> **太字**\nx\n:::\n")
    assert "<script>" not in out
    assert "<summary>&lt;script&gt;alert(1)&lt;/script&gt; **太字**</summary>" in out


# Qiita


@pytest.mark.parametrize(
    ("fence", "kind", "label"),
    [
        (":::note", "info", "メモ"),
        (":::note info", "info", "メモ"),
        (":::note warn", "warn", "注意"),
        (":::note alert", "alert", "警告"),
    ],
)
def test_qiita_note_kinds(fence: str, kind: str, label: str) -> None:
    box = soup(f"{fence}\n本文\n:::\n").aside
    assert box["class"] == ["callout", f"callout-{kind}"]
    assert box["aria-label"] == label


# What is and is not a callout


def test_markdown_inside_a_callout_renders() -> None:
    box = soup(":::note warn\n**重要**な点:\n\n- 金利\n- 為替\n\n`NVDA` を確認\n:::\n").aside
    assert box.strong.text == "重要"
    assert [li.text for li in box.find_all("li")] == ["金利", "為替"]
    assert box.code.text == "NVDA"


def test_a_longer_fence_nests_callouts() -> None:
    page = soup("::::details 外側\n:::message\n内側\n:::\n外側の続き\n::::\n後の段落\n")
    details = page.details
    assert details.summary.text == "外側"
    assert details.aside.p.text == "内側"
    assert details.find_all("p")[-1].text == "外側の続き"
    assert page.find_all("p", recursive=False)[-1].text == "後の段落"


def test_a_callout_may_interrupt_a_paragraph() -> None:
    page = soup("前の段落\n:::message\n中\n:::\n")
    assert page.p.text == "前の段落"
    assert page.aside.text.strip() == "中"


def test_unknown_container_names_stay_text() -> None:
    assert html(":::foo\nx\n:::\n") == "<p>:::foo\nx\n:::</p>\n"


@pytest.mark.parametrize("fence", [":::note danger", ":::message info", ":::messages"])
def test_unknown_variants_stay_text_so_typos_show(fence: str) -> None:
    assert "<aside" not in html(f"{fence}\nx\n:::\n")


def test_a_bare_colon_fence_is_not_a_callout() -> None:
    assert html(":::\nx\n:::\n") == "<p>:::\nx\n:::</p>\n"


def test_callout_syntax_inside_code_is_code() -> None:
    out = html("```md\n:::message\nx\n:::\n```\n")
    assert "<aside" not in out
    assert ":::message" in out


def test_callouts_work_with_raw_html_off() -> None:
    out = render_markdown(make_markdown(raw_html=False), ":::message\nx\n:::\n").html
    assert out.startswith('<aside class="callout callout-info"')


# Through the whole build


def test_a_post_with_callouts_builds_into_its_page(make_site) -> None:
    body = (
        ":::message alert\n**投資判断**はご自身で。\n:::\n\n"
        ":::details 計算式\nPER = 株価 / EPS\n:::\n"
    )
    site = make_site({"content/posts/2025-11-20-callouts.md": post(body=body)})
    build_site(site)
    page = (site / "output/2025/11/20/callouts/index.html").read_text(encoding="utf-8")
    body_html = BeautifulSoup(page, "html.parser").select_one(".post-body")
    assert body_html.select_one("aside.callout-alert strong").text == "投資判断"
    assert body_html.select_one("details > summary").text == "計算式"
