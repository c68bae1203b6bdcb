"""Whole builds of small sites written into tmp_path: what a writer sees in output/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post, write_files

from ssg.errors import BuildFailed


def read(site: Path, rel: str) -> str:
    return (site / "output" / rel).read_text(encoding="utf-8")


def test_post_lands_at_its_jekyll_permalink(make_site) -> None:
    site = make_site({"content/posts/2025-11-20-openai-aws.md": post()})
    build_site(site)
    assert "本文です。" in read(site, "2025/11/20/openai-aws/index.html")


def test_permalink_date_parts_use_the_site_time_zone(make_site) -> None:
    # 2025-11-20 20:00 UTC is already 21 November in Tokyo.
    site = make_site({"content/posts/late.md": post(date="2025-11-20 20:00:00 +0000")})
    build_site(site)
    assert (site / "output/2025/11/21/late/index.html").is_file()


def test_bom_and_crlf_build_exactly_like_a_clean_file(make_site, tmp_path: Path) -> None:
    text = post(body="一行目\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    clean = make_site({"content/posts/p.md": text})
    build_site(clean)
    expected = read(clean, "2025/11/20/p/index.html")
    messy = write_files(tmp_path / "messy", {
        "config.yaml": (clean / "config.yaml").read_text(),
        "content/posts/p.md": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    })  # fmt: skip
    build_site(messy)
    assert read(messy, "2025/11/20/p/index.html") == expected


def test_drafts_and_future_posts_are_left_out_unless_asked(make_site) -> None:
    site = make_site({
        "content/posts/draft.md": post(draft="true"),
        "content/posts/future.md": post(date="2099-01-01"),
    })  # fmt: skip
    build_site(site)
    assert not (site / "output/2025/11/20/draft").exists()
    assert not (site / "output/2099").exists()
    build_site(site, include_drafts=True, include_future=True)
    assert (site / "output/2025/11/20/draft/index.html").is_file()
    assert (site / "output/2099/01/01/future/index.html").is_file()


def test_post_without_date_takes_it_from_the_file_name(make_site) -> None:
    text = "---\ntitle: 日付なし\n---\n本文\n"
    site = make_site({"content/posts/2024-03-05-名前から.md": text})
    build_site(site)
    assert (site / "output/2024/03/05/名前から/index.html").is_file()


def test_empty_title_is_a_warning_using_the_first_heading(make_site) -> None:
    site = make_site({"content/posts/x.md": post(title="", body="## 見出しが題名\n\n本文")})
    report = build_site(site)
    assert report.warnings == ('content/posts/x.md:2: title is empty; using "見出しが題名"',)
    page = BeautifulSoup(read(site, "2025/11/20/x/index.html"), "html.parser")
    assert page.h1.get_text() == "見出しが題名"


def test_tags_differing_in_case_and_width_are_one_term(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(tags='["AI"]'),
        "content/posts/b.md": post(tags='["ai"]', date="2025-11-21"),
        "content/posts/c.md": post(tags="ＡＩ", date="2025-11-22"),
    })  # fmt: skip
    build_site(site)
    tag_dirs = [p.name for p in (site / "output/tags").iterdir() if p.is_dir()]
    assert tag_dirs == ["ai"]
    page = BeautifulSoup(read(site, "tags/ai/index.html"), "html.parser")
    assert len(page.select(".post-card")) == 3


def test_one_post_naming_a_tag_twice_in_two_spellings_is_listed_once(make_site) -> None:
    site = make_site({"content/posts/a.md": post(tags="[AI, ai, ＡＩ]")})
    build_site(site)
    page = BeautifulSoup(read(site, "tags/ai/index.html"), "html.parser")
    assert len(page.select(".post-card")) == 1
    post_page = read(site, "2025/11/20/a/index.html")
    assert post_page.count('href="/tags/ai/"') == 1


def test_config_can_map_a_japanese_term_to_an_ascii_slug(make_site) -> None:
    config = "title: t\ntaxonomy_slugs:\n  半導体: semiconductor\n"
    site = make_site({"content/posts/a.md": post(tags="[半導体]")}, config=config)
    build_site(site)
    assert (site / "output/tags/semiconductor/index.html").is_file()


@pytest.mark.parametrize("name", ["../../escape", "a/b", "..", "c\\\\d", "?#%", "/etc/passwd"])
def test_term_names_can_never_place_a_file_outside_output(make_site, name: str) -> None:
    site = make_site({"content/posts/a.md": post(tags=f'["{name}"]')})
    build_site(site)
    outside = {p for p in site.parent.rglob("*") if not p.is_relative_to(site)}
    assert outside == set()
    for path in (site / "output").rglob("*"):
        assert path.resolve().is_relative_to((site / "output").resolve())


def test_two_sources_writing_one_path_fail_naming_both(make_site) -> None:
    site = make_site({
        "content/posts/2025-11-20-same.md": post(),
        "content/posts/other/2025-11-20-same.md": post(),
    })  # fmt: skip
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    message = str(failure.value)
    assert "posts/2025-11-20-same.md" in message and "posts/other/2025-11-20-same.md" in message
    assert "2025/11/20/same/index.html" in message


def test_front_matter_permalink_overrides_the_pattern(make_site) -> None:
    site = make_site({"content/posts/a.md": post(permalink="/special/place/")})
    build_site(site)
    assert (site / "output/special/place/index.html").is_file()


def test_deleted_post_disappears_on_the_next_build(make_site) -> None:
    site = make_site({"content/posts/a.md": post(), "content/posts/b.md": post()})
    build_site(site)
    (site / "content/posts/b.md").unlink()
    build_site(site)
    assert not (site / "output/2025/11/20/b").exists()
    assert (site / "output/2025/11/20/a/index.html").is_file()


def test_unchanged_files_keep_their_mtime(make_site) -> None:
    site = make_site({"content/posts/a.md": post(), "content/posts/b.md": post()})
    build_site(site)
    page_a = site / "output/2025/11/20/a/index.html"
    os.utime(page_a, (1_000_000, 1_000_000))
    (site / "content/posts/b.md").write_text(post(body="変更後"), encoding="utf-8")
    report = build_site(site)
    assert page_a.stat().st_mtime == 1_000_000
    assert 0 < report.written < report.files


def test_site_layout_overrides_a_builtin_one_file_by_file(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(),
        "layouts/_tags.html": '<p class="custom">{{ post.tags | length }} tags</p>',
    })  # fmt: skip
    build_site(site)
    page = BeautifulSoup(read(site, "2025/11/20/a/index.html"), "html.parser")
    assert page.select_one(".custom").get_text() == "0 tags"
    assert page.select_one(".site-header")  # base.html still the built-in one


def test_unknown_front_matter_keys_reach_layouts_unchanged(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(ratings="[buy, hold]", chart="{kind: line, days: 30}"),
        "layouts/_tags.html": "<p id=t>{{ post.extra.ratings | join(',') }}</p>"
                              "<p id=c>{{ post.extra.chart.kind }}{{ post.extra.chart.days }}</p>",
    })  # fmt: skip
    build_site(site)
    page = BeautifulSoup(read(site, "2025/11/20/a/index.html"), "html.parser")
    assert page.select_one("#t").get_text() == "buy,hold"
    assert page.select_one("#c").get_text() == "line30"


def test_static_files_are_copied_as_they_are(make_site) -> None:
    site = make_site({"content/posts/a.md": post(), "static/img/chart.png": b"\x89PNG\r\n"})
    build_site(site)
    assert (site / "output/img/chart.png").read_bytes() == b"\x89PNG\r\n"


def test_page_outside_posts_gets_a_url_from_its_path(make_site) -> None:
    site = make_site({"content/about.md": "---\ntitle: このブログについて\n---\n紹介"})
    build_site(site)
    assert "紹介" in read(site, "about/index.html")


def test_javascript_links_never_reach_an_href(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(image='"javascript:alert(1)"'),
        "content/posts/b.md": post(body="[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1))"),
    })  # fmt: skip
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert "content/posts/a.md:4: image:" in str(failure.value)
    (site / "content/posts/a.md").unlink()
    build_site(site)
    assert 'href="javascript' not in read(site, "2025/11/20/b/index.html").lower()


def test_more_marker_excerpt_on_list_pages_is_whole_html(make_site) -> None:
    body = "最初の段落。\n\n- 箇条書き\n\n<!--more-->\n\n## 続き\n\n後半。"
    site = make_site({"content/posts/a.md": post(body=body)})
    build_site(site)
    excerpt = BeautifulSoup(read(site, "index.html"), "html.parser").select_one(".excerpt")
    expected = "<p>最初の段落。</p>\n<ul>\n<li>箇条書き</li>\n</ul>"
    assert excerpt.decode_contents().strip() == expected


def test_dates_in_unmodelled_keys_stay_text_and_the_date_filter_reads_them(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(earnings="2025-12-01"),
        "layouts/_tags.html": "<p id=e>{{ post.extra.earnings }}|"
                              "{{ post.extra.earnings | date }}</p>",
    })  # fmt: skip
    build_site(site)
    page = BeautifulSoup(read(site, "2025/11/20/a/index.html"), "html.parser")
    assert page.select_one("#e").get_text() == "2025-12-01|2025年12月1日"


def test_a_slug_with_a_dot_is_still_a_page(make_site) -> None:
    site = make_site({"content/posts/2025-11-20-v1.2-release.md": post()})
    build_site(site)
    assert (site / "output/2025/11/20/v1.2-release/index.html").is_file()


def test_dot_files_in_output_are_the_users_and_survive_builds(make_site) -> None:
    site = make_site({"content/posts/a.md": post()})
    build_site(site)
    write_files(site / "output", {".git/HEAD": "ref: refs/heads/gh-pages\n", ".nojekyll": ""})
    (site / "output/.git/refs/tags").mkdir(parents=True)
    build_site(site)
    assert (site / "output/.git/HEAD").is_file() and (site / "output/.nojekyll").is_file()
    assert (site / "output/.git/refs/tags").is_dir()


def test_static_files_platforms_read_are_copied(make_site) -> None:
    site = make_site({
        "content/posts/a.md": post(),
        "static/_redirects": "/old /new 301\n",
        "static/.well-known/security.txt": "Contact: mailto:a@example.com\n",
        "static/notes.md~": "editor backup",
    })  # fmt: skip
    build_site(site)
    assert (site / "output/_redirects").is_file()
    assert (site / "output/.well-known/security.txt").is_file()
    assert not (site / "output/notes.md~").exists()


def test_a_file_and_a_page_needing_the_same_name_as_folder_fail_naming_both(make_site) -> None:
    site = make_site(
        {
            "content/posts/a.md": post(),
            "static/about": "x",
            "content/about.md": "---\ntitle: t\n---\n",
        }
    )
    with pytest.raises(
        BuildFailed, match="static/about writes the file about, where content/about.md needs"
    ):
        build_site(site)


def test_a_page_may_replace_what_was_a_static_file_in_an_earlier_build(make_site) -> None:
    site = make_site({"content/posts/a.md": post(), "static/guide": "old file"})
    build_site(site)
    (site / "static/guide").unlink()
    write_files(site, {"content/guide.md": "---\ntitle: 案内\n---\n本文"})
    build_site(site)
    assert (site / "output/guide/index.html").is_file()


def test_published_false_is_a_draft(make_site) -> None:
    site = make_site({"content/posts/secret.md": post(published="false")})
    build_site(site)
    assert not (site / "output/2025/11/20/secret").exists()


def test_markdown_links_to_the_site_get_the_base_path(make_site) -> None:
    config = 'title: t\nbase_url: "https://example.com/blog/"\n'
    body = "[紹介](/about/) ![図](/img/a.png) [外部](https://example.org/x)"
    site = make_site({"content/posts/a.md": post(body=body)}, config=config)
    build_site(site)
    html = read(site, "2025/11/20/a/index.html")
    assert 'href="/blog/about/"' in html and 'src="/blog/img/a.png"' in html
    assert 'href="https://example.org/x"' in html


def test_a_post_starting_with_an_image_takes_its_excerpt_from_the_text(make_site) -> None:
    site = make_site({"content/posts/a.md": post(body="![図](/img/a.png)\n\n本文の最初の段落。")})
    build_site(site)
    page = BeautifulSoup(read(site, "2025/11/20/a/index.html"), "html.parser")
    assert page.find("meta", attrs={"name": "description"})["content"] == "本文の最初の段落。"


def test_a_base_url_without_a_host_is_a_warning(make_site) -> None:
    site = make_site({"content/posts/a.md": post()}, config="title: t\n")
    report = build_site(site)
    assert report.warnings[0].startswith("config.yaml: base_url has no host")


def test_a_first_build_leaves_no_staging_folder_behind(make_site) -> None:
    site = make_site({"content/posts/2025-01-01-a.md": post()})
    build_site(site)
    assert (site / "output/.ssg-output").is_file()
    assert (site / "output/2025/11/20/a/index.html").is_file()
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == []


def test_a_build_collects_garbage_less_often_and_leaves_the_collector_as_it_was(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import ssg.build.session

    seen = []
    real_build = ssg.build.session.build

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(ssg.build.session, "build", spy)
    site = make_site({"content/posts/a.md": post()})
    before = gc.get_threshold()
    build_site(site)
    assert seen[0][0] >= 50 * before[0]
    assert gc.get_threshold() == before
