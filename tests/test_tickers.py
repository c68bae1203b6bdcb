"""Tickers: `tickers:` in front matter is a taxonomy (a page, feeds and a badge per ticker,
an overview), data/tickers.yaml names their companies, and `$NVDA` in a body links to a
known ticker's page."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post, write_files
from test_incremental import clean_build_of, tree

from ssg.errors import BuildFailed

NVIDIA = "NVDA: {name: エヌビディア, exchange: NASDAQ, sector: 半導体}\n"


def html(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / rel).read_text(encoding="utf-8"), "html.parser")


def listed(site: Path, rel: str) -> list[str]:
    """The titles of the post cards on a list page."""
    return [a.get_text() for a in html(site, rel).select(".post-card h2 a")]


def body_links(site: Path, rel: str = "2025/11/20/a/index.html") -> dict[str, str]:
    """Link text -> href of the links in a post's body."""
    return {a.get_text(): a["href"] for a in html(site, rel).select(".post-body a")}


def errors_of(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build_site(site)
    return [str(e) for e in failed.value.errors]


def test_each_ticker_has_a_page_listing_its_posts_newest_first(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post("古い", date="2025-01-01", tickers="[NVDA, AMZN]"),
        "content/posts/b.md": post("新しい", date="2025-02-01", tickers="[NVDA]"),
        "content/posts/c.md": post("無関係", date="2025-03-01"),
    })  # fmt: skip
    build_site(site)
    assert listed(site, "tickers/NVDA/index.html") == ["新しい", "古い"]
    assert listed(site, "tickers/AMZN/index.html") == ["古い"]


def test_a_ticker_page_is_paginated(make_site) -> None:
    posts = {f"content/posts/p{i}.md": post(f"記事{i}", date=f"2025-01-0{i}", tickers="[NVDA]")
             for i in range(1, 4)}  # fmt: skip
    site = make_site(posts, config="title: T\npaginate: 2\n")
    build_site(site)
    assert listed(site, "tickers/NVDA/index.html") == ["記事3", "記事2"]
    assert listed(site, "tickers/NVDA/page/2/index.html") == ["記事1"]


def test_a_ticker_has_its_own_atom_and_rss_feeds_of_its_posts(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post("エヌビディア決算", tickers="[NVDA]"),
        "content/posts/b.md": post("トヨタ", tickers="[7203.T]"),
    })  # fmt: skip
    build_site(site)
    atom = ElementTree.parse(site / "output/tickers/NVDA/feed.xml").getroot()
    rss = ElementTree.parse(site / "output/tickers/NVDA/rss.xml").getroot()
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert [t.text for t in entries] == ["エヌビディア決算"]
    assert [t.text for t in rss.findall("channel/item/title")] == ["エヌビディア決算"]


def test_the_overview_lists_every_ticker_with_its_count(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post("a", date="2025-01-01", tickers="[NVDA, AMZN]"),
        "content/posts/b.md": post("b", date="2025-01-02", tickers="[NVDA]"),
    })  # fmt: skip
    build_site(site)
    rows = html(site, "tickers/index.html").select(".ticker-table tbody tr")
    counts = {row.th.get_text(): row.select_one(".count").get_text() for row in rows}
    assert counts == {"AMZN": "1", "NVDA": "2"}
    assert rows[0].th.a["href"] == "/tickers/AMZN/"


def test_a_post_shows_a_badge_per_ticker_linking_its_page(make_site) -> None:
    site = make_site({"content/posts/a.md": post(tickers="[NVDA, 7203.T]")})
    build_site(site)
    badges = html(site, "2025/11/20/a/index.html").select(".post-header .post-tickers a.ticker")
    assert [(a.get_text(), a["href"]) for a in badges] == [
        ("NVDA", "/tickers/NVDA/"), ("7203.T", "/tickers/7203.T/")
    ]  # fmt: skip


def test_post_cards_on_lists_carry_the_badges_too(make_site) -> None:
    site = make_site({"content/posts/a.md": post(tickers="[NVDA]")})
    build_site(site)
    card = html(site, "index.html").select_one(".post-card")
    assert [a["href"] for a in card.select(".post-tickers a")] == ["/tickers/NVDA/"]


def test_tickers_differing_in_case_or_width_are_one_ticker_in_capitals(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post("a", date="2025-01-01", tickers="[nvda]"),
        "content/posts/b.md": post("b", date="2025-01-02", tickers="[ＮＶＤＡ]"),
        "content/posts/c.md": post("c", date="2025-01-03", tickers="[Nvda, NVDA]"),
    })  # fmt: skip
    build_site(site)
    assert listed(site, "tickers/NVDA/index.html") == ["c", "b", "a"]
    assert sorted(p.name for p in (site / "output/tickers").iterdir() if p.is_dir()) == ["NVDA"]
    badges = html(site, "2025/01/03/c/index.html").select(".post-tickers a")
    assert [a.get_text() for a in badges] == ["NVDA"]


def test_numeric_looking_codes_stay_the_text_written(make_site) -> None:
    site = make_site({"content/posts/a.md": post(tickers="[7203, 130A, 7203.T, 0700, 1e3]")})
    build_site(site)
    pages = sorted(p.name for p in (site / "output/tickers").iterdir() if p.is_dir())
    assert pages == ["0700", "130A", "1E3", "7203", "7203.T"]


@pytest.mark.parametrize("written", ["NVDA 7203.T", "NVDA, 7203.T", "'NVDA'"])
def test_tickers_may_be_one_string(make_site, written: str) -> None:
    site = make_site({"content/posts/a.md": post(tickers=written)})
    build_site(site)
    expected = ["NVDA", "7203.T"] if " " in written else ["NVDA"]
    badges = html(site, "2025/11/20/a/index.html").select(".post-tickers a .ticker-symbol")
    assert [b.get_text() for b in badges] == expected


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("[NV DA]", 'tickers: "NV DA" is not a ticker symbol'),
        ('["", NVDA]', "tickers: a ticker symbol is empty"),
        ("[エヌビディア]", 'tickers: "エヌビディア" is not a ticker symbol'),
        ("{NVDA: 1}", "tickers: must be a list of ticker symbols"),
    ],
)
def test_a_bad_ticker_is_an_error_at_its_line(make_site, written: str, problem: str) -> None:
    site = make_site({"content/posts/x.md": post(tickers=written)})
    errors = errors_of(site)
    assert len(errors) == 1
    assert errors[0].startswith(f"content/posts/x.md:4: {problem}")


def test_data_tickers_gives_the_company_on_its_page_badge_and_overview(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(tickers="[NVDA]"),
        "data/tickers.yaml": NVIDIA,
    })  # fmt: skip
    build_site(site)
    page = html(site, "tickers/NVDA/index.html")
    assert page.select_one("h1 .ticker-company").get_text() == "エヌビディア"
    facts = [d.get_text() for d in page.select(".ticker-facts dd")]
    assert facts == ["NASDAQ", "半導体"]
    badge = html(site, "2025/11/20/a/index.html").select_one(".post-tickers a")
    assert badge.select_one(".ticker-name").get_text() == "エヌビディア"
    assert badge["title"] == "NASDAQ · 半導体"
    row = html(site, "tickers/index.html").select_one(".ticker-table tbody tr")
    assert [td.get_text() for td in row.select("td")] == ["エヌビディア", "NASDAQ", "半導体", "1"]


def test_data_tickers_keys_fold_case_and_keep_numbers_text(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(tickers="[NVDA, 0700]"),
        "data/tickers.yaml": "nvda: エヌビディア\n0700: {name: テンセント}\n",
    })  # fmt: skip
    build_site(site)
    names = html(site, "2025/11/20/a/index.html").select(".post-tickers .ticker-name")
    assert [n.get_text() for n in names] == ["エヌビディア", "テンセント"]


def test_a_ticker_listed_only_in_data_has_a_page_without_posts(make_site) -> None:
    site = make_site({"content/posts/a.md": post(), "data/tickers.yaml": NVIDIA})
    build_site(site)
    page = html(site, "tickers/NVDA/index.html")
    assert page.select(".post-card") == []
    assert page.select_one(".empty") is not None


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (NVIDIA + "AMZN: {name: アマゾン, sectr: 小売}\n",
         "data/tickers.yaml:2: AMZN: unknown key 'sectr'; expected name, exchange or sector"),
        (NVIDIA + "nvda: {name: x}\n", "data/tickers.yaml:2: NVDA is listed twice"),
        ("NV DA: {name: x}\n", 'data/tickers.yaml:1: "NV DA" is not a ticker symbol'),
        (NVIDIA + "AMZN: [アマゾン]\n", "data/tickers.yaml:2: AMZN: must be a mapping"),
        (NVIDIA + "AMZN:\n  name: {ja: アマゾン}\n",
         "data/tickers.yaml:3: AMZN: name must be text"),
        ("- NVDA\n", "data/tickers.yaml:1: must map ticker symbols to their company"),
    ],
)  # fmt: skip
def test_a_bad_data_tickers_is_an_error_at_its_line(make_site, yaml_text: str,
                                                    expected: str) -> None:  # fmt: skip
    site = make_site({"content/posts/a.md": post(), "data/tickers.yaml": yaml_text})
    errors = errors_of(site)
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_layouts_read_data_tickers_normalised(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(),
        "data/tickers.yaml": "nvda: エヌビディア\n",
        "layouts/_tags.html": "<p id=t>{{ site.data.tickers.NVDA.name }}"
                              "|{{ site.ticker_info('nvda').exchange }}|</p>",
    })  # fmt: skip
    build_site(site)
    assert html(site, "2025/11/20/a/index.html").select_one("#t").get_text() == "エヌビディア||"


BODY = """\
$NVDA は好調。価格は $100 で、`$NVDA` はコード。$MSFT は未知。[$NVDA](/x/) はリンク。

```
$NVDA in a block
```

最後に$NVDA.
"""


def test_a_known_dollar_ticker_in_text_links_to_its_page(make_site) -> None:
    site = make_site({"content/posts/a.md": post(body=BODY), "data/tickers.yaml": NVIDIA})
    build_site(site)
    page = html(site, "2025/11/20/a/index.html")
    links = [(a.get_text(), a["href"]) for a in page.select(".post-body a")]
    assert links == [("$NVDA", "/tickers/NVDA/"), ("$NVDA", "/x/"), ("$NVDA", "/tickers/NVDA/")]
    text = page.select_one(".post-body").get_text()
    assert "$100" in text and "$MSFT" in text and "$NVDA in a block" in text
    assert page.select_one(".post-body code").get_text() == "$NVDA"


def test_a_posts_own_tickers_are_known_for_its_dollar_links(make_site) -> None:
    text = post(body="$AMZN と $7203.T と $130A", tickers="[AMZN, 7203.T, 130A]")
    site = make_site({"content/posts/a.md": text})
    build_site(site)
    assert body_links(site) == {"$AMZN": "/tickers/AMZN/", "$7203.T": "/tickers/7203.T/",
                                "$130A": "/tickers/130A/"}  # fmt: skip


def test_a_dollar_ticker_matches_in_any_case(make_site) -> None:
    site = make_site({"content/posts/a.md": post(body="$nvda と $Nvda", tickers="[NVDA]")})
    build_site(site)
    links = html(site, "2025/11/20/a/index.html").select(".post-body a")
    assert [(a.get_text(), a["href"]) for a in links] == [("$nvda", "/tickers/NVDA/"),
                                                          ("$Nvda", "/tickers/NVDA/")]  # fmt: skip


def test_singular_ticker_adds_one(make_site) -> None:
    site = make_site({"content/posts/a.md": post(ticker="nvda", tickers="[AMZN]")})
    build_site(site)
    badges = html(site, "2025/11/20/a/index.html").select(".post-tickers .ticker-symbol")
    assert [b.get_text() for b in badges] == ["AMZN", "NVDA"]


@pytest.mark.parametrize("body", ["$7203 の株価", "US$NVDA", "$NVDAX", "$$NVDA$$", "$NVDA$"])
def test_amounts_glued_or_unknown_symbols_and_tex_stay_text(make_site, body: str) -> None:
    site = make_site({
        "content/posts/a.md": post(body=body, tickers="[7203]"),
        "data/tickers.yaml": NVIDIA,
    })  # fmt: skip
    build_site(site)
    assert body_links(site) == {}


def test_dollar_links_get_the_base_path(make_site) -> None:
    config = 'title: T\nbase_url: "https://example.com/blog/"\n'
    site = make_site({"content/posts/a.md": post(body="$NVDA", tickers="[NVDA]")}, config=config)
    build_site(site)
    assert body_links(site) == {"$NVDA": "/blog/tickers/NVDA/"}


def test_related_posts_prefer_a_shared_ticker_over_a_shared_tag(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post("本人", date="2025-01-01", tickers="[NVDA]", tags="[AI]"),
        "content/posts/b.md": post("同じ銘柄", date="2025-01-02", tickers="[NVDA]"),
        "content/posts/c.md": post("同じタグ", date="2025-01-03", tags="[AI]"),
    })  # fmt: skip
    build_site(site)
    related = html(site, "2025/01/01/a/index.html").select(".related-posts li a")
    assert [a.get_text() for a in related] == ["同じ銘柄", "同じタグ"]


@pytest.fixture
def site(make_site) -> Path:
    files = {f"content/posts/2025-01-0{i}-p{i}.md": post(f"記事{i}", date=f"2025-01-0{i}",
                                                         tickers="[NVDA]", body="$AMZN を見る")
             for i in range(1, 4)}  # fmt: skip
    site = make_site({**files, "data/tickers.yaml": NVIDIA}, config="title: T\npaginate: 2\n")
    build_site(site)
    return site


def test_adding_a_ticker_to_a_post_renders_its_ticker_page_as_a_clean_build(
    site: Path, tmp_path: Path
) -> None:
    write_files(site, {"content/posts/2025-01-02-p2.md": post(
        "記事2", date="2025-01-02", tickers="[NVDA, 7203.T]", body="$AMZN を見る")})  # fmt: skip
    build_site(site)
    assert listed(site, "tickers/7203.T/index.html") == ["記事2"]
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_a_ticker_added_to_data_links_dollar_mentions_on_the_next_cached_build(
    site: Path, tmp_path: Path
) -> None:
    rel = "2025/01/01/p1/index.html"
    assert body_links(site, rel) == {}
    write_files(site, {"data/tickers.yaml": NVIDIA + "AMZN: アマゾン\n"})
    build_site(site)
    assert body_links(site, rel) == {"$AMZN": "/tickers/AMZN/"}
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")
    write_files(site, {"data/tickers.yaml": NVIDIA})
    build_site(site)
    assert body_links(site, rel) == {}


def test_renaming_a_company_renders_pages_again_without_parsing_posts(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssg.build.parse

    parsed: list[str] = []
    real = ssg.build.parse.parse_job
    spy = lambda job, c, **known: parsed.append(job[0]) or real(job, c, **known)  # noqa: E731
    monkeypatch.setattr(ssg.build.parse, "parse_job", spy)
    write_files(site, {"data/tickers.yaml": NVIDIA.replace("エヌビディア", "NVIDIA")})
    build_site(site)
    assert parsed == []
    name = html(site, "tickers/NVDA/index.html").select_one("h1 .ticker-company").get_text()
    assert name == "NVIDIA"
