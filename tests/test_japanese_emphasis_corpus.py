"""Acceptance: Japanese posts in our writers' style render with no literal ** or __ left.

The sentences are the shapes real posts use: bold around brackets and quotes, next to
full-width punctuation, numbers with %, and tickers. Plain CommonMark leaves many of them
unrendered; ssg must render all of them.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import build_site, post
from markdown_it import MarkdownIt

SENTENCES = [
    "これは**「重要」**原則です。",
    "**「AI」**が重要です。",
    "市場は**「利下げ」**という言葉に過敏に反応しています。",
    "結論から言えば、**『NVIDIAの優位性』**は当面揺らぎません。",
    "売上高は**前年比+94%**と、予想を大きく上回りました。",
    "注目は**（1）データセンター**と**（2）ゲーム**の二つです。",
    "**【速報】**TSMCが設備投資を上方修正。",
    "ここで**“agentic workloads”**という言葉が出てきます。",
    "私は**「減速」**ではなく**「高原状態への移行」**の局面だと見ています。",
    "リスクは*「為替」*と*「金利」*です。",
    "__「長期保有」__が基本方針です。",
    "つまり**NVDA**、**TSM**、**ASML**の三銘柄。",
    "~~「短期売買」~~はしません。",
    "**「円安」**、**「株高」**、そして**「金利上昇」**。",
    "**2025年11月20日**に発表された。",
]


def test_plain_commonmark_leaves_asterisks_in_many_of_these_sentences() -> None:
    plain = MarkdownIt("commonmark").enable("strikethrough")
    failing = [s for s in SENTENCES if "**" in plain.render(s) or "__" in plain.render(s)]
    assert len(failing) >= 5  # the problem this feature exists for


def test_every_sentence_renders_without_literal_markers(make_site) -> None:
    body = "\n\n".join(SENTENCES)
    site = make_site({"content/posts/a.md": post(body=body)})
    build_site(site)
    text = visible_prose(site / "output/2025/11/20/a/index.html")
    assert "**" not in text and "__" not in text and "~~" not in text


def test_example_site_shows_no_literal_markers(example_build: Path) -> None:
    leftovers = []
    for html in example_build.rglob("index.html"):
        text = visible_prose(html)
        if "**" in text or "__" in text:
            leftovers.append(html.relative_to(example_build).as_posix())
    assert leftovers == []


def visible_prose(html: Path) -> str:
    """A page's visible text outside code, where a ** would be a rendering failure."""
    page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    for code in page.find_all(["code", "pre", "script", "style"]):
        code.decompose()
    return page.get_text()
