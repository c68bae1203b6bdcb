"""Links typed or pasted in NFD (macOS: `ガ` as `カ` + U+3099) reach ssg's NFC pages."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

from bs4 import BeautifulSoup
from conftest import build_site, post

from ssg.content.urls import href, output_path_for
from ssg.markdown.parser import make_markdown


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the test means something only if there is a dakuten
    return decomposed


def links_in(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.find_all("a")] + [i["src"] for i in soup.find_all("img")]


def link_named(html: str, text: str) -> str:
    return str(BeautifulSoup(html, "html.parser").find("a", string=text)["href"])


def test_an_nfd_link_to_a_japanese_tag_page_reaches_the_page(make_site) -> None:
    body = f"[ガイドの記事一覧]({nfd('/tags/ガイド/')})"
    site = make_site({"content/posts/a.md": post(tags="[ガイド]"),
                      "content/posts/b.md": post(title="紹介", body=body)})  # fmt: skip
    build_site(site)
    page = (site / "output/2025/11/20/b/index.html").read_text(encoding="utf-8")
    link = link_named(page, "ガイドの記事一覧")
    assert (site / "output" / output_path_for(unquote(link))).is_file()


def test_an_nfd_link_to_a_post_named_in_nfd_reaches_it(make_site) -> None:
    body = f"[手順]({nfd('/2025/11/20/ガイド/')})"
    site = make_site({f"content/posts/{nfd('ガイド')}.md": post(),
                      "content/posts/b.md": post(title="紹介", body=body)})  # fmt: skip
    build_site(site)
    page = (site / "output/2025/11/20/b/index.html").read_text(encoding="utf-8")
    link = link_named(page, "手順")
    assert (site / "output" / output_path_for(unquote(link))).is_file()


def test_nfd_images_relative_links_fragments_and_references_are_composed() -> None:
    md = make_markdown()
    text = nfd("![図](画像/ガイド.png) [上](../ガイド/) [節](#ガイド) [参照]\n\n[参照]: /ガイド/\n")
    links = links_in(md.render(text))
    assert [unquote(link) for link in links] == [
        "../ガイド/",
        "#ガイド",
        "/ガイド/",
        "画像/ガイド.png",
    ]


def test_a_link_to_another_site_is_left_as_written() -> None:
    url = nfd("https://example.com/ガイド")
    [link] = links_in(make_markdown().render(f"[外部]({url})"))
    assert unquote(link) == url


def test_a_layout_link_in_nfd_is_composed() -> None:
    assert href("/blog/", nfd("/tags/ガイド/")) == href("/blog/", "/tags/ガイド/")


def test_a_layout_typed_on_macos_links_to_the_tag_page(make_site) -> None:
    link = '<a href="{{ "%s" | url }}">ガ</a>' % nfd("/tags/ガイド/")  # noqa: UP031 - Jinja's braces
    layout = '{% extends "base.html" %}{% block content %}' + link + "{% endblock %}"
    site = make_site({"content/posts/a.md": post(tags="[ガイド]"), "layouts/post.html": layout})
    build_site(site)
    page = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    link = link_named(page, "ガ")
    assert (site / "output" / output_path_for(unquote(link))).is_file()
