"""Related posts under each post: by shared terms (tags weigh more than categories), newest
first among equals, deterministic, as many as config asks; and cheap to keep up to date."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, post, write_files
from markupsafe import Markup
from test_incremental import clean_build_of, tree

import ssg.site.related
from ssg.errors import ConfigError
from ssg.site.related import RelatedPost

CONFIG = 'title: テスト\nbase_url: "https://example.com/"\n'


def src(day: int, slug: str) -> str:
    return f"content/posts/2025-01-{day:02d}-{slug}.md"


def page_of(day: int, slug: str) -> str:
    return f"2025/01/{day:02d}/{slug}/index.html"


def related(site: Path, day: int, slug: str) -> list[str]:
    """The related posts' link texts on a post's page, in order."""
    html = (site / "output" / page_of(day, slug)).read_text(encoding="utf-8")
    links = BeautifulSoup(html, "html.parser").select(".related-posts li a")
    return [a.get_text() for a in links]


def a_post(day: int, title: str, tags: str = "[]", categories: str = "[]") -> str:
    return post(title=title, date=f"2025-01-{day:02d}", tags=tags, categories=categories)


def test_posts_sharing_more_tags_come_first(make_site) -> None:
    site = make_site({
        src(1, "me"): a_post(1, "本人", tags="[AI, 半導体, 決算]"),
        src(2, "one"): a_post(2, "一つ共通", tags="[AI]"),
        src(3, "three"): a_post(3, "三つ共通", tags="[AI, 半導体, 決算]"),
        src(4, "two"): a_post(4, "二つ共通", tags="[半導体, 決算]"),
        src(5, "none"): a_post(5, "共通なし", tags="[為替]"),
    }, config=CONFIG)  # fmt: skip
    build_site(site)
    assert related(site, 1, "me") == ["三つ共通", "二つ共通", "一つ共通"]


def test_a_shared_tag_outweighs_a_shared_category(make_site) -> None:
    site = make_site({
        src(1, "me"): a_post(1, "本人", tags="[AI]", categories="[テック]"),
        src(2, "tag"): a_post(2, "タグ共通", tags="[AI]"),
        src(3, "cat"): a_post(3, "カテゴリー共通", categories="[テック]"),
    }, config=CONFIG)  # fmt: skip
    build_site(site)
    assert related(site, 1, "me") == ["タグ共通", "カテゴリー共通"]


def test_equal_scores_list_the_newest_first(make_site) -> None:
    files = {src(day, f"p{day}"): a_post(day, f"記事{day}", tags="[AI]") for day in range(1, 6)}
    site = make_site(files, config=CONFIG)
    build_site(site)
    assert related(site, 3, "p3") == ["記事5", "記事4", "記事2", "記事1"]


def test_related_posts_are_limited_by_config(make_site) -> None:
    files = {src(day, f"p{day}"): a_post(day, f"記事{day}", tags="[AI]") for day in range(1, 9)}
    site = make_site(files, config=CONFIG + "related_posts: 2\n")
    build_site(site)
    assert related(site, 1, "p1") == ["記事8", "記事7"]


def test_zero_related_posts_shows_no_section(make_site) -> None:
    files = {src(day, f"p{day}"): a_post(day, f"記事{day}", tags="[AI]") for day in (1, 2)}
    site = make_site(files, config=CONFIG + "related_posts: 0\n")
    build_site(site)
    html = (site / "output" / page_of(1, "p1")).read_text(encoding="utf-8")
    assert "related-posts" not in html


def test_a_negative_count_is_a_config_error(make_site) -> None:
    site = make_site({src(1, "p"): a_post(1, "記事")}, config=CONFIG + "related_posts: -1\n")
    with pytest.raises(ConfigError, match="related_posts' must be 0 .none. or more"):
        build_site(site)


def test_tags_in_another_case_are_the_same_term(make_site) -> None:
    site = make_site({
        src(1, "me"): a_post(1, "本人", tags="[ai]"),
        src(2, "other"): a_post(2, "大文字", tags="[AI]"),
    }, config=CONFIG)  # fmt: skip
    build_site(site)
    assert related(site, 1, "me") == ["大文字"]


def test_related_posts_show_their_markdown_titles_as_html(make_site) -> None:
    site = make_site({
        src(1, "me"): a_post(1, "本人", tags="[AI]"),
        src(2, "bold"): a_post(2, "**強調**の記事", tags="[AI]"),
    }, config=CONFIG)  # fmt: skip
    build_site(site)
    html = (site / "output" / page_of(1, "me")).read_text(encoding="utf-8")
    link = BeautifulSoup(html, "html.parser").select_one(".related-posts li a")
    assert link is not None and str(link.strong) == "<strong>強調</strong>"


def test_the_same_posts_give_the_same_lists_whatever_their_file_order(make_site, tmp_path) -> None:
    # Equal dates and scores: the order falls back on the source path, not on the disk.
    files = {f"content/posts/x{n}.md": post(title=f"記事{n}", date="2025-01-01", tags="[AI]")
             for n in range(6)}  # fmt: skip
    first = make_site(files, config=CONFIG)
    build_site(first)
    second = write_files(
        tmp_path / "second", {"config.yaml": CONFIG, **dict(reversed(files.items()))}
    )
    build_site(second)
    assert tree(first / "output") == tree(second / "output")


def test_a_tag_change_updates_other_posts_lists(make_site, tmp_path) -> None:
    site = make_site({
        src(1, "me"): a_post(1, "本人", tags="[AI]"),
        src(2, "other"): a_post(2, "他の記事", tags="[為替]"),
    }, config=CONFIG)  # fmt: skip
    build_site(site)
    write_files(site, {src(2, "other"): a_post(2, "他の記事", tags="[AI]")})
    build_site(site)
    assert related(site, 1, "me") == ["他の記事"]
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")


def test_a_body_edit_re_renders_no_page_listing_the_post_as_related(make_site) -> None:
    files = {src(day, f"p{day}"): a_post(day, f"記事{day}", tags="[AI]") for day in range(1, 8)}
    site = make_site(files, config=CONFIG + "paginate: 100\n")
    build_site(site)
    edited = post(title="記事7", date="2025-01-07", tags="[AI]", body="本文です。\n\n追記。")
    write_files(site, {src(7, "p7"): edited})
    report = build_site(site)
    # All six other posts list 記事7; only its page, its neighbour's and the feeds it is in
    # (the site's Atom, RSS and JSON Feed; its tag's Atom and RSS) are rendered, and its
    # search entry and the index shard of its new words.
    assert report.rendered == 7 + 2


FOUR = {
    src(1, "a"): a_post(1, "記事a", tags="[AI, 半導体]"),
    src(2, "b"): a_post(2, "記事b", tags="[AI]"),
    src(3, "c"): a_post(3, "記事c", tags="[半導体]", categories="[分析]"),
    src(4, "d"): a_post(4, "記事d", tags="[為替]", categories="[分析]"),
}


@pytest.fixture
def scorings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records each time the related posts of the whole site are scored afresh."""
    calls: list[int] = []
    real = ssg.site.related._related_places

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssg.site.related, "_related_places", spy)
    return calls


@pytest.fixture
def built(make_site, scorings: list[int]) -> Path:
    site = make_site(FOUR, config=CONFIG)
    build_site(site)
    scorings.clear()
    return site


def rebuild(site: Path, scorings: list[int], files: dict[str, str], tmp_path: Path) -> int:
    """Build after writing `files`; how many times related posts were scored. Checks the
    output against a clean build."""
    write_files(site, files)
    build_site(site)
    scored = len(scorings)
    assert tree(site / "output") == clean_build_of(site, tmp_path / "clean")
    return scored


def test_a_body_edit_reuses_the_last_builds_related_posts(built, scorings, tmp_path) -> None:
    edited = post(title="記事b", date="2025-01-02", tags="[AI]", body="書き直した本文。")
    assert rebuild(built, scorings, {src(2, "b"): edited}, tmp_path) == 0
    assert related(built, 1, "a") == ["記事c", "記事b"]


def test_a_title_change_reuses_the_places_and_shows_the_new_title(built, scorings,
                                                                   tmp_path) -> None:  # fmt: skip
    retitled = a_post(2, "新しい題", tags="[AI]")
    assert rebuild(built, scorings, {src(2, "b"): retitled}, tmp_path) == 0
    assert related(built, 1, "a") == ["記事c", "新しい題"]


def test_a_tag_change_scores_related_posts_again(built, scorings, tmp_path) -> None:
    retagged = a_post(4, "記事d", tags="[AI, 半導体]", categories="[分析]")
    assert rebuild(built, scorings, {src(4, "d"): retagged}, tmp_path) == 1
    assert related(built, 1, "a")[0] == "記事d"


def test_a_new_post_scores_related_posts_again(built, scorings, tmp_path) -> None:
    new = {src(5, "e"): a_post(5, "記事e", tags="[AI, 半導体]")}
    assert rebuild(built, scorings, new, tmp_path) == 1
    assert related(built, 1, "a")[0] == "記事e"


def test_a_deleted_post_scores_related_posts_again(built, scorings, tmp_path) -> None:
    (built / src(3, "c")).unlink()
    assert rebuild(built, scorings, {}, tmp_path) == 1
    assert related(built, 1, "a") == ["記事b"]


def test_a_date_change_scores_related_posts_again(built, scorings, tmp_path) -> None:
    # 記事b becomes newer than 記事c: equal scores list the newest first.
    newer = a_post(5, "記事b", tags="[AI]")
    assert rebuild(built, scorings, {src(2, "b"): newer}, tmp_path) == 1
    assert related(built, 1, "a") == ["記事b", "記事c"]


def test_a_related_post_pickles_without_its_cached_repr() -> None:
    related = RelatedPost("/2025/01/01/a/", "題", Markup("<b>題</b>"), "題", None, None)
    before = pickle.dumps(related)
    repr(related)  # fingerprints make and keep it
    assert pickle.dumps(related) == before
    assert pickle.loads(before) == related
