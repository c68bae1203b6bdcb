"""Tags and categories: one term per word however it is spelled, posts newest first."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ssg.config import Config
from ssg.content.post import Post, parse_post
from ssg.markdown.parser import make_markdown
from ssg.site.taxonomy import group_terms

CONFIG = Config(site_dir=Path("/site"))
MD = make_markdown()


def post(
    name: str, date: str, tags: tuple[str, ...] = (), categories: tuple[str, ...] = ()
) -> Post:
    front = f"title: {name}\ndate: {date}\ntags: {list(tags)}\ncategories: {list(categories)}"
    text = f"---\n{front}\n---\n"
    return parse_post(PurePosixPath(f"posts/{name}.md"), text, CONFIG, MD).post


def newest_first(*posts: Post) -> list[Post]:
    return sorted(posts, key=lambda p: p.date, reverse=True)


def slugs(posts: tuple[Post, ...]) -> list[str]:
    return [p.slug for p in posts]


def test_spellings_of_one_word_are_one_term() -> None:
    posts = newest_first(
        post("a", "2025-01-01", tags=("AI",)),
        post("b", "2025-02-01", tags=("ai",)),
        post("c", "2025-03-01", tags=("ＡＩ",)),
    )
    (term,) = group_terms(posts, "tags", {})
    assert (term.slug, term.url, term.count) == ("ai", "/tags/ai/", 3)


def test_term_is_named_as_its_oldest_post_wrote_it() -> None:
    posts = newest_first(
        post("old", "2024-01-01", tags=("AI",)), post("new", "2025-01-01", tags=("ai",))
    )
    assert group_terms(posts, "tags", {})[0].name == "AI"


def test_term_posts_are_newest_first() -> None:
    posts = newest_first(
        post("a", "2025-01-01", tags=("AI",)),
        post("c", "2025-03-01", tags=("AI",)),
        post("b", "2025-02-01", tags=("AI",)),
    )
    assert slugs(group_terms(posts, "tags", {})[0].posts) == ["c", "b", "a"]


def test_terms_are_sorted_by_name() -> None:
    posts = [post("a", "2025-01-01", tags=("半導体", "AI", "銀行"))]
    assert [t.name for t in group_terms(posts, "tags", {})] == ["AI", "半導体", "銀行"]


def test_japanese_term_keeps_its_name_in_the_url() -> None:
    (term,) = group_terms([post("a", "2025-01-01", tags=("半導体",))], "tags", {})
    assert (term.slug, term.url) == ("半導体", "/tags/半導体/")


def test_config_slug_mapping_gives_an_ascii_url() -> None:
    posts = [post("a", "2025-01-01", tags=("半導体",))]
    (term,) = group_terms(posts, "tags", {"半導体": "semiconductor"})
    assert (term.name, term.url) == ("半導体", "/tags/semiconductor/")


def test_categories_are_grouped_under_their_own_url() -> None:
    posts = [post("a", "2025-01-01", categories=("投資分析",))]
    (term,) = group_terms(posts, "categories", {})
    assert (term.taxonomy, term.url) == ("categories", "/categories/投資分析/")


def test_posts_without_terms_give_no_terms() -> None:
    assert group_terms([post("a", "2025-01-01")], "tags", {}) == ()
