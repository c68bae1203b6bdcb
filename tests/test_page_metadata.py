"""Search-engine and social metadata in every page's head: description, canonical URL,
robots, OpenGraph, Twitter card, and JSON-LD on posts; titles written in Markdown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import html5lib
import pytest
from conftest import build_site, post
from html5lib.constants import namespaces

from ssg.errors import BuildFailed, ConfigError

CONFIG = 'title: 投資ノート\nbase_url: "https://example.com/blog/"\nauthor: 編集部\n'
POST_PATH = "content/posts/2025-11-20-a.md"
POST_PAGE = "2025/11/20/a/index.html"
NS = {"h": namespaces["html"]}


def page(site: Path, rel: str) -> Any:
    """The built page at `rel`, parsed as a browser parses it."""
    return html5lib.parse((site / "output" / rel).read_text(encoding="utf-8"))


def meta(doc: Any, key: str) -> str | None:
    """The content of <meta name=key> or <meta property=key>; None when absent."""
    for element in doc.iterfind(".//h:head/h:meta", NS):
        if key in (element.get("name"), element.get("property")):
            return str(element.get("content"))
    return None


def canonical(doc: Any) -> str:
    return str(doc.find(".//h:head/h:link[@rel='canonical']", NS).get("href"))


def json_ld(doc: Any) -> dict[str, Any]:
    scripts = doc.findall(".//h:script[@type='application/ld+json']", NS)
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0].text)
    return data


def text_of(element: Any) -> str:
    return "".join(element.itertext())


@pytest.fixture
def site_with(make_site):  # noqa: ANN201 - a factory fixture
    def make(config: str = CONFIG, **fields: str) -> Path:
        site = make_site({POST_PATH: post(title="決算の読み方", **fields)}, config=config)
        build_site(site)
        return site

    return make


def test_a_posts_description_comes_from_its_front_matter(site_with) -> None:
    doc = page(site_with(description='"決算の要点"'), POST_PAGE)
    assert meta(doc, "description") == "決算の要点"
    assert meta(doc, "og:description") == "決算の要点"
    assert meta(doc, "twitter:description") == "決算の要点"


def test_without_a_description_the_excerpt_describes_the_post(site_with) -> None:
    doc = page(site_with(), POST_PAGE)
    assert meta(doc, "description") == "本文です。"


def test_the_canonical_url_is_the_pages_own_absolute_url(site_with) -> None:
    doc = page(site_with(), POST_PAGE)
    assert canonical(doc) == "https://example.com/blog/2025/11/20/a/"
    assert meta(doc, "og:url") == "https://example.com/blog/2025/11/20/a/"


def test_canonical_url_in_front_matter_wins(site_with) -> None:
    doc = page(site_with(canonical_url="https://note.example/n/abc"), POST_PAGE)
    assert canonical(doc) == "https://note.example/n/abc"
    assert meta(doc, "og:url") == "https://note.example/n/abc"


def test_a_site_relative_canonical_url_is_made_absolute(site_with) -> None:
    doc = page(site_with(canonical_url="/2024/01/01/original/"), POST_PAGE)
    assert canonical(doc) == "https://example.com/blog/2024/01/01/original/"


def test_robots_in_front_matter_becomes_the_meta_robots_value(site_with) -> None:
    site = site_with(robots="[noindex, nofollow]")
    assert meta(page(site, POST_PAGE), "robots") == "noindex, nofollow"
    assert meta(page(site, "index.html"), "robots") is None


def test_posts_are_articles_and_list_pages_websites(site_with) -> None:
    site = site_with()
    assert meta(page(site, POST_PAGE), "og:type") == "article"
    assert meta(page(site, "index.html"), "og:type") == "website"


def test_opengraph_names_the_site_and_its_japanese_locale(site_with) -> None:
    doc = page(site_with(), POST_PAGE)
    assert meta(doc, "og:title") == "決算の読み方"
    assert meta(doc, "og:site_name") == "投資ノート"
    assert meta(doc, "og:locale") == "ja_JP"


def test_an_english_site_has_an_english_locale(site_with) -> None:
    doc = page(site_with(config=CONFIG + "language: en\n"), POST_PAGE)
    assert meta(doc, "og:locale") == "en_US"


def test_an_image_is_shared_absolute_with_a_large_card(site_with) -> None:
    doc = page(site_with(image="/images/chart.png"), POST_PAGE)
    assert meta(doc, "og:image") == "https://example.com/blog/images/chart.png"
    assert meta(doc, "twitter:image") == "https://example.com/blog/images/chart.png"
    assert meta(doc, "twitter:card") == "summary_large_image"


def test_without_an_image_the_card_is_a_summary(site_with) -> None:
    doc = page(site_with(config=CONFIG + "share_images: false\n"), POST_PAGE)
    assert meta(doc, "og:image") is None
    assert meta(doc, "twitter:card") == "summary"


def test_json_ld_describes_the_post_as_a_blog_posting(site_with) -> None:
    config = CONFIG + "publisher:\n  name: 出版社\n  logo: /logo.png\n"
    site = site_with(config=config, updated="2025-11-22 10:00:00 +0900", image="/i.png",
                     tags="[AI, 半導体]")  # fmt: skip
    data = json_ld(page(site, POST_PAGE))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "決算の読み方"
    assert data["datePublished"] == "2025-11-20T08:43:29+09:00"
    assert data["dateModified"] == "2025-11-22T10:00:00+09:00"
    assert data["author"] == {"@type": "Person", "name": "編集部"}
    assert data["keywords"] == ["AI", "半導体"]
    assert data["image"] == "https://example.com/blog/i.png"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "出版社",
        "logo": {"@type": "ImageObject", "url": "https://example.com/blog/logo.png"},
    }


def test_json_ld_keywords_are_the_tags_then_the_tickers(site_with) -> None:
    data = json_ld(page(site_with(tags="[AI, 半導体]", tickers="[nvda, 7203.T]"), POST_PAGE))
    assert data["keywords"] == ["AI", "半導体", "NVDA", "7203.T"]


def test_json_ld_without_updated_is_modified_when_published(site_with) -> None:
    data = json_ld(page(site_with(config=CONFIG + "share_images: false\n"), POST_PAGE))
    assert data["dateModified"] == data["datePublished"] == "2025-11-20T08:43:29+09:00"
    assert data["publisher"] == {"@type": "Organization", "name": "投資ノート"}
    assert "image" not in data and "keywords" not in data


def test_json_ld_is_only_on_posts(site_with) -> None:
    doc = page(site_with(), "index.html")
    assert doc.findall(".//h:script[@type='application/ld+json']", NS) == []


def test_no_value_can_break_out_of_the_json_ld_script(make_site) -> None:
    attack = "</script><script>alert(1)</script><!--"
    text = post(title="題", description=json.dumps(attack), tags=json.dumps([attack]))
    site = make_site({POST_PATH: text}, config=CONFIG)
    build_site(site)
    doc = page(site, POST_PAGE)
    assert [s.get("type") for s in doc.iterfind(".//h:script", NS)] == ["application/ld+json"]
    data = json_ld(doc)
    assert data["description"] == attack and data["keywords"] == [attack]


def test_a_markdown_title_is_html_in_the_heading_and_text_in_the_head(make_site) -> None:
    site = make_site({POST_PATH: post(title="**Nscaleの11億ドル調達、…？**")}, config=CONFIG)
    build_site(site)
    doc = page(site, POST_PAGE)
    h1 = doc.find(".//h:h1", NS)
    assert [child.tag for child in h1] == [f"{{{NS['h']}}}strong"]
    assert text_of(h1) == "Nscaleの11億ドル調達、…？"
    assert text_of(doc.find(".//h:title", NS)) == "Nscaleの11億ドル調達、…？ | 投資ノート"
    assert meta(doc, "og:title") == "Nscaleの11億ドル調達、…？"
    assert json_ld(doc)["headline"] == "Nscaleの11億ドル調達、…？"


def test_a_markdown_title_is_html_in_lists_and_neighbours_links(make_site) -> None:
    files = {POST_PATH: post(title="**強調**の記事"),
             "content/posts/2025-11-21-b.md": post(title="次", date="2025-11-21")}  # fmt: skip
    site = make_site(files, config=CONFIG)
    build_site(site)
    card_link = page(site, "index.html").find(".//h:article//h:h2/h:a/h:strong", NS)
    assert card_link is not None and card_link.text == "強調"
    older = page(site, "2025/11/21/b/index.html").find(".//h:a[@class='older']/h:strong", NS)
    assert older is not None and older.text == "強調"


def test_a_markdown_title_is_plain_text_in_the_feed(make_site) -> None:
    site = make_site({POST_PATH: post(title="**円安**の行方")}, config=CONFIG)
    build_site(site)
    feed = (site / "output/feed.xml").read_text(encoding="utf-8")
    assert "<title>円安の行方</title>" in feed


def test_html_in_a_title_shows_as_text(make_site) -> None:
    site = make_site({POST_PATH: post(title="<img src=x onerror=alert(1)> *注意*")}, config=CONFIG)
    build_site(site)
    h1 = page(site, POST_PAGE).find(".//h:h1", NS)
    assert [child.tag for child in h1] == [f"{{{NS['h']}}}em"]
    assert text_of(h1) == "<img src=x onerror=alert(1)> 注意"


def test_a_link_in_a_title_becomes_its_text(make_site) -> None:
    site = make_site({POST_PATH: post(title="[NVIDIA](https://nvidia.com)決算")}, config=CONFIG)
    build_site(site)
    h1 = page(site, POST_PAGE).find(".//h:h1", NS)
    assert list(h1) == [] and text_of(h1) == "NVIDIA決算"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("canonical_url", "12", "canonical_url: must be a URL"),
        ("canonical_url", "javascript:alert(1)", "canonical_url: must be an http(s) URL"),
        ("robots", "no index", "robots: 'no index' is not a robots directive"),
        ("robots", "[1, 2]", "robots: must be directives"),
    ],
)
def test_bad_metadata_values_are_errors_at_their_line(make_site, field: str, value: str,
                                                      message: str) -> None:  # fmt: skip
    site = make_site({POST_PATH: post(**{field: value})}, config=CONFIG)
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert f"{POST_PATH}:4: {message}" in str(failure.value)


def test_a_description_edit_re_renders_the_posts_page(site_with) -> None:
    site = site_with(description='"前の説明"')
    (site / POST_PATH).write_text(post(title="決算の読み方", description='"新しい説明"'), "utf-8")
    build_site(site)
    doc = page(site, POST_PAGE)
    assert meta(doc, "description") == meta(doc, "og:description") == "新しい説明"


def test_a_body_edit_updates_the_description_made_from_the_excerpt(site_with) -> None:
    site = site_with()
    (site / POST_PATH).write_text(post(title="決算の読み方", body="書き直した要約。"), "utf-8")
    build_site(site)
    doc = page(site, POST_PAGE)
    assert meta(doc, "description") == meta(doc, "og:description") == "書き直した要約。"
    assert json_ld(doc)["description"] == "書き直した要約。"


def test_a_canonical_url_edit_re_renders_the_posts_page(site_with) -> None:
    site = site_with()
    (site / POST_PATH).write_text(post(title="決算の読み方", canonical_url="/elsewhere/"), "utf-8")
    build_site(site)
    assert canonical(page(site, POST_PAGE)) == "https://example.com/blog/elsewhere/"


@pytest.mark.parametrize(
    ("publisher", "message"),
    [
        ("{name: 1}", "'publisher' name must be a string"),
        ("{nmae: x}", "'publisher' has an unknown key 'nmae'"),
        ("{logo: 'logo.png'}", "'publisher' logo must be an http(s) URL or a path"),
        ("出版社", "'publisher' must be a mapping"),
    ],
)
def test_a_bad_publisher_is_a_config_error_at_its_line(make_site, publisher: str,
                                                       message: str) -> None:  # fmt: skip
    site = make_site({POST_PATH: post()}, config=CONFIG + f"publisher: {publisher}\n")
    with pytest.raises(ConfigError) as failure:
        build_site(site)
    assert f"config.yaml:4: {message}" in str(failure.value)


def test_a_title_follows_the_japanese_emphasis_rules(make_site) -> None:
    # CommonMark alone leaves `**` closing after 」 and before の as text.
    site = make_site({POST_PATH: post(title="**「円安」**の行方")}, config=CONFIG)
    build_site(site)
    doc = page(site, POST_PAGE)
    assert doc.find(".//h:h1/h:strong", NS).text == "「円安」"
    assert text_of(doc.find(".//h:title", NS)) == "「円安」の行方 | 投資ノート"


def test_a_title_taken_from_the_first_heading_stays_plain_text(make_site) -> None:
    text = "---\ndate: 2025-11-20\n---\n\n## 2\\*3\\*4 の計算\n\n本文。\n"
    site = make_site({POST_PATH: text}, config=CONFIG)
    build_site(site)
    h1 = page(site, POST_PAGE).find(".//h:h1", NS)
    assert list(h1) == [] and text_of(h1) == "2*3*4 の計算"
