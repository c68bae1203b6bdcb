"""The example site, built whole: pages parsed as HTML, every internal link resolved."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
from bs4 import BeautifulSoup
from conftest import REPO, SEEDS

SEED_URL = "2025/11/20/openai-aws-38billion/index.html"


def soup(output: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((output / rel).read_text(encoding="utf-8"), "html.parser")


def internal_targets(page: BeautifulSoup) -> list[str]:
    refs = [a["href"] for a in page.find_all("a", href=True)]
    refs += [link["href"] for link in page.find_all("link", href=True)]
    refs += [tag["src"] for tag in page.find_all(["img", "script"], src=True)]
    return [r for r in refs if not urlsplit(r).scheme and not r.startswith(("#", "mailto:"))]


def resolve(output: Path, ref: str) -> Path:
    path = unquote(urlsplit(ref).path)
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def test_seed_post_builds_unchanged_with_its_front_matter(example_build: Path) -> None:
    page = soup(example_build, SEED_URL)
    assert page.h1.get_text() == "OpenAIとAWSの380億ドル契約、その真意とは何か？"
    meta = page.select_one(".post-meta").get_text(" ", strip=True)
    assert "2025年11月20日" in meta
    assert "約8分" in meta
    assert [a.get_text() for a in page.select(".tags a")] == [
        "#AI", "#最新ニュース", "#技術動向", "#OpenAI", "#投資", "#チップ", "#エージェント",
    ]  # fmt: skip
    assert page.find("meta", attrs={"name": "description"})["content"].startswith("OpenAI、AWS")


def test_every_page_is_japanese(example_build: Path) -> None:
    for html in example_build.rglob("*.html"):
        assert BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").html["lang"] == "ja"


def test_every_internal_link_and_asset_resolves(example_build: Path) -> None:
    broken = []
    for html in example_build.rglob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for ref in internal_targets(page):
            if not resolve(example_build, ref).is_file():
                broken.append(f"{html.relative_to(example_build)} -> {ref}")
    assert broken == []


def test_japanese_tag_pages_keep_unicode_names_and_links_are_percent_encoded(
    example_build: Path,
) -> None:
    assert (example_build / "tags" / "最新ニュース" / "index.html").is_file()
    hrefs = [a["href"] for a in soup(example_build, SEED_URL).select(".tags a")]
    assert "/tags/%E6%9C%80%E6%96%B0%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9/" in hrefs


def test_home_page_lists_newest_posts_first_and_paginates(example_build: Path) -> None:
    home = soup(example_build, "index.html")
    dates = [t["datetime"] for t in home.select(".post-card time")]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 5  # paginate: 5 in the example config
    assert home.select_one('a[rel="next"]')["href"] == "/page/2/"
    assert (example_build / "page" / "2" / "index.html").is_file()


def test_overview_pages_list_every_term_with_counts(example_build: Path) -> None:
    tags = soup(example_build, "tags/index.html")
    entries = {li.a.get_text(): int(li.select_one(".count").get_text()) for li in tags.select("li")}
    assert entries["AI"] >= 1
    categories = soup(example_build, "categories/index.html")
    assert "投資分析" in [a.get_text() for a in categories.select(".term-list a")]


def test_yearly_archive_and_404_page_exist(example_build: Path) -> None:
    assert "2025年" in soup(example_build, "2025/index.html").h1.get_text()
    assert soup(example_build, "404.html").h1.get_text() == "ページが見つかりません"


def test_feed_parses_with_absolute_links(example_build: Path) -> None:
    feed = feedparser.parse((example_build / "feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title == "ALLFORCES 投資分析ノート"
    links = [e.link for e in feed.entries]
    assert all(link.startswith("https://example.com/") for link in links)
    assert "https://example.com/2025/11/20/openai-aws-38billion/" in links


def test_standalone_page_has_its_own_url(example_build: Path) -> None:
    assert (example_build / "about" / "index.html").is_file()


def test_theme_stylesheets_are_copied(example_build: Path) -> None:
    assert (example_build / "assets" / "style.css").read_text().startswith("/*")
    assert ".highlight" in (example_build / "assets" / "highlight.css").read_text()


def test_example_site_carries_the_seed_post_verbatim() -> None:
    example = REPO / "content/posts/2025-11-20-openai-aws-38billion.md"
    seed = SEEDS / "002_baeb03f57e223ffe.txt"
    if seed.exists():  # shared/ sits beside the repository in CI and on developer machines
        assert example.read_bytes() == seed.read_bytes()
    assert example.read_text(encoding="utf-8").startswith("---\nlayout: post\n")
