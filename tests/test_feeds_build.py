"""A built site's feeds, sitemap and robots.txt, on a base_url with a sub-path; and the
feeds a body edit renders again."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import build_site, config_for, post, write_files

from ssg.serve.command import SiteBuilder
from ssg.serve.watch import Change, ChangeKind

BASE = "https://example.com/blog/"
CONFIG = f'title: テスト\nbase_url: "{BASE}"\npaginate: 1\n'
TRICKY = "Q&A: <円安> はどこまで続くか？"
SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# The formats' own identifiers: the only URLs in the output that are not the site's.
FORMAT_URLS = {
    "http://www.w3.org/2005/Atom",
    "http://www.sitemaps.org/schemas/sitemap/0.9",
    "http://purl.org/rss/1.0/modules/content/",
    "http://purl.org/dc/elements/1.1/",
    "https://jsonfeed.org/version/1.1",
    "https://schema.org",  # JSON-LD's @context
}
POSTS = {
    "content/posts/2025-01-01-a.md": post(title="記事a", date="2025-01-01 09:00 +0900",
                                          tags="[AI, 半導体]", categories="[投資分析]"),
    "content/posts/2025-01-02-b.md": post(title="記事b", date="2025-01-02 09:00 +0900",
                                          tags="[AI]", updated="2025-01-05 12:00 +0900"),
    "content/posts/2025-01-03-c.md": post(title=TRICKY, date="2025-01-03 09:00 +0900",
                                          tags="[円安]", slug="c"),
    "content/posts/2025-01-04-d.md": post(title="下書き", date="2025-01-04", draft="true"),
    "content/posts/2025-01-05-e.md": post(title="地図外", date="2025-01-05", sitemap="false"),
    "content/posts/2025-01-06-f.md": post(title="検索外", date="2025-01-06", robots="noindex"),
    "content/about.md": "---\ntitle: 紹介\n---\n[ホーム](/) へ\n",
    "content/private.md": '---\ntitle: 非公開\nrobots: "noindex, nofollow"\n---\n本文\n',
}  # fmt: skip


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_files(tmp_path_factory.mktemp("feeds"), {"config.yaml": CONFIG, **POSTS})
    build_site(site, include_drafts=True)
    return site / "output"


def text(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


def files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())


def parsed_feed(output: Path, rel: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((output / rel).read_bytes())
    assert not feed.bozo, (rel, feed.bozo_exception)
    return feed


def test_the_site_and_every_term_have_an_atom_and_an_rss_feed(output: Path) -> None:
    feeds = [rel for rel in files(output) if rel.endswith(("feed.xml", "rss.xml"))]
    assert feeds == [
        "categories/投資分析/feed.xml", "categories/投資分析/rss.xml",
        "feed.xml", "rss.xml",
        "tags/ai/feed.xml", "tags/ai/rss.xml",
        "tags/円安/feed.xml", "tags/円安/rss.xml",
        "tags/半導体/feed.xml", "tags/半導体/rss.xml",
    ]  # fmt: skip
    versions = {parsed_feed(output, rel).version for rel in feeds}
    assert versions == {"atom10", "rss20"}


def test_a_term_feed_holds_the_terms_posts_newest_first(output: Path) -> None:
    for rel in ("tags/ai/feed.xml", "tags/ai/rss.xml"):
        feed = parsed_feed(output, rel)
        assert [e.title for e in feed.entries] == ["記事b", "記事a"], rel
        assert feed.feed.title == "タグ: AI | テスト"


def test_a_term_feed_links_to_the_term_page_and_to_itself(output: Path) -> None:
    links = {link.rel: link.href for link in parsed_feed(output, "tags/ai/feed.xml").feed.links}
    assert links == {"self": f"{BASE}tags/ai/feed.xml", "alternate": f"{BASE}tags/ai/"}


def test_the_json_feed_is_valid_json_feed_1_1(output: Path) -> None:
    feed = json.loads(text(output, "feed.json"))
    jsonschema.validate(feed, SCHEMA)
    assert feed["feed_url"] == f"{BASE}feed.json"
    assert TRICKY in [item["title"] for item in feed["items"]]


def test_the_tricky_title_survives_every_feed_it_is_in(output: Path) -> None:
    for rel in ("feed.xml", "rss.xml", "tags/円安/feed.xml", "tags/円安/rss.xml"):
        assert TRICKY in [e.title for e in parsed_feed(output, rel).entries], rel


def test_every_url_in_every_file_is_under_the_base_url(output: Path) -> None:
    for rel in files(output):
        if not rel.endswith((".html", ".xml", ".json", ".txt")):
            continue
        content = text(output, rel)
        for url in re.findall(r"https?://[^\s\"'<>]+", content):
            assert url.startswith(BASE) or url in FORMAT_URLS, (rel, url)
        if rel.endswith(".html"):
            soup = BeautifulSoup(content, "html.parser")
            for tag in soup.find_all(href=True) + soup.find_all(src=True):
                url = tag.get("href") or tag.get("src")
                assert url.startswith(("/blog/", BASE, "#")), (rel, url)


def test_every_page_links_the_site_feeds_in_its_head(output: Path) -> None:
    expected = {
        ("application/atom+xml", "/blog/feed.xml"),
        ("application/rss+xml", "/blog/rss.xml"),
        ("application/feed+json", "/blog/feed.json"),
    }
    for rel in files(output):
        if rel.endswith(".html"):
            head = BeautifulSoup(text(output, rel), "html.parser").head
            found = {(link["type"], link["href"]) for link in head.select("link[rel=alternate]")}
            assert expected <= found, rel


def test_every_page_of_a_term_links_its_own_feeds(output: Path) -> None:
    for rel in ("tags/ai/index.html", "tags/ai/page/2/index.html"):
        head = BeautifulSoup(text(output, rel), "html.parser").head
        hrefs = {link["href"] for link in head.select("link[rel=alternate]")}
        assert {"/blog/tags/ai/feed.xml", "/blog/tags/ai/rss.xml"} <= hrefs, rel


def sitemap(output: Path) -> dict[str, str | None]:
    root = ET.fromstring((output / "sitemap.xml").read_bytes())
    return {
        url.findtext(f"{SITEMAP}loc") or "": url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_posts_pages_and_term_pages_with_lastmod(output: Path) -> None:
    listed = sitemap(output)
    assert listed[f"{BASE}2025/01/01/a/"] == "2025-01-01T09:00:00+09:00"
    assert listed[f"{BASE}2025/01/02/b/"] == "2025-01-05T12:00:00+09:00"  # updated wins
    assert listed[f"{BASE}tags/ai/"] == "2025-01-05T12:00:00+09:00"  # its newest post
    assert listed[f"{BASE}categories/%E6%8A%95%E8%B3%87%E5%88%86%E6%9E%90/"] == (
        "2025-01-01T09:00:00+09:00"
    )
    assert f"{BASE}about/" in listed


def test_the_sitemap_leaves_out_drafts_opt_outs_noindex_and_404(output: Path) -> None:
    assert (output / "2025/01/04/d/index.html").is_file()  # built: the site has --drafts
    listed = sitemap(output)
    for left_out in ("2025/01/04/d/", "2025/01/05/e/", "2025/01/06/f/", "private/", "404.html"):
        assert f"{BASE}{left_out}" not in listed, left_out


def test_robots_txt_names_the_sitemap_with_an_absolute_url(output: Path) -> None:
    assert f"Sitemap: {BASE}sitemap.xml" in text(output, "robots.txt").splitlines()


def test_a_sites_own_robots_txt_is_kept(make_site: Callable[..., Path]) -> None:
    own = "User-agent: *\nDisallow: /drafts/\n"
    site = make_site({**POSTS, "static/robots.txt": own}, config=CONFIG)
    build_site(site)
    assert (site / "output/robots.txt").read_text(encoding="utf-8") == own


# Incremental builds: a term's feeds depend on its newest posts, not on the site's others.
TERMS = {
    "content/posts/2025-01-01-a.md": post(title="記事a", date="2025-01-01", tags="[AI]",
                                          body="要約。\n\n本文"),
    "content/posts/2025-01-02-b.md": post(title="記事b", date="2025-01-02", tags="[円安]",
                                          body="要約。\n\n本文"),
}  # fmt: skip


def rendered_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import ssg.render.templates

    rendered: list[str] = []
    real = ssg.render.templates.render_page

    def recording(env, page, site_model):  # noqa: ANN001, ANN202
        rendered.append(page.url)
        return real(env, page, site_model)

    monkeypatch.setattr(ssg.render.templates, "render_page", recording)
    return rendered


def edited_body(rel: str) -> dict[str, str]:
    return {rel: TERMS[rel].replace("本文", "書き直した本文")}


def test_a_body_edit_renders_its_terms_feeds_and_not_another_terms(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(TERMS, config=CONFIG)
    build_site(site)
    rendered = rendered_urls(monkeypatch)
    write_files(site, edited_body("content/posts/2025-01-01-a.md"))
    build_site(site)
    feeds = sorted(url for url in rendered if not url.endswith("/") and "/search/" not in url)
    assert feeds == ["/feed.json", "/feed.xml", "/rss.xml", "/tags/ai/feed.xml",
                     "/tags/ai/rss.xml"]  # fmt: skip
    assert "書き直した本文" in text(site / "output", "tags/ai/rss.xml")


def test_a_body_edit_under_serve_renders_its_terms_feeds_only(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(TERMS, config=CONFIG)
    builder = SiteBuilder(config_for(site))
    builder()
    rendered = rendered_urls(monkeypatch)
    rel = "content/posts/2025-01-02-b.md"
    write_files(site, edited_body(rel))
    builder.note(frozenset({Change(ChangeKind.CONTENT, site / rel)}))
    builder()
    feeds = sorted(url for url in rendered if not url.endswith("/") and "/search/" not in url)
    assert feeds == ["/feed.json", "/feed.xml", "/rss.xml", "/tags/円安/feed.xml",
                     "/tags/円安/rss.xml"]  # fmt: skip


def test_excerpt_feeds_are_not_rendered_again_for_a_body_edit_past_the_excerpt(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(TERMS, config=CONFIG + "feed_content: excerpt\n")
    build_site(site)
    rendered = rendered_urls(monkeypatch)
    write_files(site, edited_body("content/posts/2025-01-01-a.md"))
    build_site(site)
    assert rendered
    assert [url for url in rendered if not url.endswith("/") and "/search/" not in url] == []
