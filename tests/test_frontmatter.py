"""Front matter as real Jekyll and Hugo posts write it, and whole posts parsed from strings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import pytest

from ssg.config import Config
from ssg.content.frontmatter import Meta, normalize_text, read_meta, split_front_matter
from ssg.content.post import ContentProblems, Parsed, parse_post
from ssg.errors import ContentError
from ssg.markdown.parser import make_markdown

TOKYO = ZoneInfo("Asia/Tokyo")
# The example site carries the seed post verbatim (test_build_example checks it against shared/).
SEED = Path(__file__).resolve().parents[1] / "content/posts/2025-11-20-openai-aws-38billion.md"
CONFIG = Config(site_dir=Path("/site"))
MD = make_markdown()


def meta_of(text: str, path: str = "posts/a.md") -> Meta:
    """The checked front matter of `text`; fails the test if it has errors."""
    meta, errors = read_all(text, path)
    assert errors == [], [str(e) for e in errors]
    assert meta is not None
    return meta


def errors_of(text: str, path: str = "posts/a.md") -> list[str]:
    meta, errors = read_all(text, path)
    assert meta is None
    return [str(e) for e in errors]


def read_all(text: str, path: str) -> tuple[Meta | None, list[ContentError]]:
    source = PurePosixPath(path)
    kind = "post" if source.parts[0] == "posts" else "page"
    return read_meta(source, split_front_matter(source, normalize_text(text)), kind, CONFIG)


def split_error(text: str) -> str:
    with pytest.raises(ContentError) as failure:
        split_front_matter(PurePosixPath("posts/a.md"), text)
    return str(failure.value)


def parse(text: str, path: str = "posts/a.md") -> Parsed:
    return parse_post(PurePosixPath(path), text, CONFIG, MD)


def parse_errors(text: str, path: str = "posts/a.md") -> list[str]:
    with pytest.raises(ContentProblems) as failure:
        parse(text, path)
    return [str(e) for e in failure.value.errors]


# Splitting


def test_front_matter_is_split_from_the_body() -> None:
    fm = split_front_matter(PurePosixPath("a.md"), "---\ntitle: A\n---\nbody\n")
    assert (fm.data, fm.body) == ({"title": "A"}, "body\n")


def test_body_line_is_the_file_line_after_the_closing_dashes() -> None:
    fm = split_front_matter(PurePosixPath("a.md"), "---\ntitle: A\ndate: 2025-01-01\n---\nbody")
    assert fm.body_line == 5


def test_yaml_document_end_marker_closes_front_matter() -> None:
    fm = split_front_matter(PurePosixPath("a.md"), "---\ntitle: A\n...\nbody")
    assert (fm.data, fm.body) == ({"title": "A"}, "body")


def test_empty_front_matter_gives_no_keys() -> None:
    fm = split_front_matter(PurePosixPath("a.md"), "---\n---\nbody")
    assert (fm.data, fm.body, fm.body_line) == ({}, "body", 3)


def test_file_ending_at_the_closing_dashes_has_an_empty_body() -> None:
    assert split_front_matter(PurePosixPath("a.md"), "---\ntitle: A\n---").body == ""


def test_a_horizontal_rule_in_the_body_stays_in_the_body() -> None:
    fm = split_front_matter(PurePosixPath("a.md"), "---\ntitle: A\n---\none\n\n---\n\ntwo\n")
    assert fm.body == "one\n\n---\n\ntwo\n"


def test_bom_and_crlf_are_normalized_away() -> None:
    text = normalize_text("\ufeff---\r\ntitle: A\r\n---\r\nline1\r\nline2\rline3\r\n")
    assert text == "---\ntitle: A\n---\nline1\nline2\nline3\n"


def test_a_file_without_front_matter_says_how_to_start_it() -> None:
    assert split_error("title: A\n") == (
        "posts/a.md:1: no front matter; the file must start with a '---' line"
    )


def test_unclosed_front_matter_says_how_to_close_it() -> None:
    assert split_error("---\ntitle: A\nbody\n") == (
        "posts/a.md:1: front matter is not closed; add a '---' line after it"
    )


def test_yaml_error_names_the_file_line() -> None:
    message = split_error("---\ntitle: A\nfoo: bar\n  baz: 1\n---\n")
    assert message.startswith("posts/a.md:4: invalid YAML in front matter:")


def test_front_matter_that_is_not_a_mapping_is_rejected() -> None:
    assert split_error("---\n- a\n- b\n---\n") == (
        "posts/a.md:2: front matter must be a mapping of keys, got a list"
    )


# Keys


def test_tags_as_a_yaml_list() -> None:
    assert meta_of("---\ndate: 2025-01-01\ntags: [AI, 半導体]\n---\n").tags == ("AI", "半導体")


def test_tags_as_a_single_string() -> None:
    assert meta_of("---\ndate: 2025-01-01\ntags: AI\n---\n").tags == ("AI",)


def test_tags_as_a_space_separated_string_like_jekyll() -> None:
    assert meta_of("---\ndate: 2025-01-01\ntags: AI 投資 半導体\n---\n").tags == (
        "AI",
        "投資",
        "半導体",
    )


def test_numbers_in_a_tag_list_become_text() -> None:
    assert meta_of("---\ndate: 2025-01-01\ntags: [AI, 2025]\n---\n").tags == ("AI", "2025")


def test_empty_tags_give_no_tags() -> None:
    assert meta_of('---\ndate: 2025-01-01\ntags: ""\n---\n').tags == ()


def test_singular_tag_is_added_to_tags_without_repeats() -> None:
    meta = meta_of("---\ndate: 2025-01-01\ntags: [AI, 投資]\ntag: AI\n---\n")
    assert meta.tags == ("AI", "投資")


def test_singular_category_is_one_term_even_with_spaces() -> None:
    assert meta_of("---\ndate: 2025-01-01\ncategory: 投資 分析\n---\n").categories == ("投資 分析",)


def test_categories_as_a_list() -> None:
    assert meta_of('---\ndate: 2025-01-01\ncategories: ["投資分析"]\n---\n').categories == (
        "投資分析",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2025-11-20 08:43:29 +0000", datetime(2025, 11, 20, 8, 43, 29, tzinfo=UTC)),
        ("2025-11-20 08:43:29", datetime(2025, 11, 20, 8, 43, 29, tzinfo=TOKYO)),
        ("2025-11-20", datetime(2025, 11, 20, tzinfo=TOKYO)),
        ('"2025-11-20"', datetime(2025, 11, 20, tzinfo=TOKYO)),
        ("2025/11/20", datetime(2025, 11, 20, tzinfo=TOKYO)),
        ("2025-11-20T00:30:00Z", datetime(2025, 11, 20, 0, 30, tzinfo=UTC)),
        (
            "2025-11-20T09:30:00+09:00",
            datetime(2025, 11, 20, 9, 30, tzinfo=timezone(timedelta(hours=9))),
        ),
    ],
)
def test_dates_in_every_shape_posts_use(written: str, expected: datetime) -> None:
    assert meta_of(f"---\ndate: {written}\n---\n").date == expected


def test_date_comes_from_the_file_name_when_front_matter_has_none() -> None:
    meta = meta_of("---\ntitle: A\n---\n", path="posts/2025-11-20-openai-aws.md")
    assert meta.date == datetime(2025, 11, 20, tzinfo=TOKYO)


def test_slug_comes_from_the_file_name_without_its_date() -> None:
    meta = meta_of("---\ntitle: A\n---\n", path="posts/2025-11-20-openai-aws.md")
    assert meta.slug == "openai-aws"


def test_slug_in_front_matter_is_slugified() -> None:
    assert meta_of("---\ndate: 2025-01-01\nslug: My Post!\n---\n").slug == "My-Post"


def test_a_post_without_any_date_is_an_error() -> None:
    assert errors_of("---\ntitle: A\n---\n") == [
        "posts/a.md:1: no date: add 'date:' to the front matter or name the file YYYY-MM-DD-slug.md"
    ]


def test_a_page_needs_no_date() -> None:
    assert meta_of("---\ntitle: About\n---\n", path="about.md").date is None


def test_unknown_keys_are_kept_in_extra() -> None:
    meta = meta_of("---\ndate: 2025-01-01\nstock_code: 7203\n---\n")
    assert meta.extra == {"stock_code": 7203}


def test_author_defaults_to_the_site_author() -> None:
    source = PurePosixPath("posts/a.md")
    fm = split_front_matter(source, "---\ndate: 2025-01-01\n---\n")
    meta, _ = read_meta(source, fm, "post", Config(site_dir=Path("/site"), author="編集部"))
    assert meta is not None and meta.author == "編集部"


def test_layout_defaults_to_the_kind_of_document() -> None:
    assert meta_of("---\ndate: 2025-01-01\n---\n").layout == "post"
    assert meta_of("---\ntitle: About\n---\n", path="about.md").layout == "page"


def test_layout_name_may_carry_html_suffix() -> None:
    assert meta_of("---\ndate: 2025-01-01\nlayout: wide.html\n---\n").layout == "wide"


def test_every_bad_value_is_reported_with_its_line() -> None:
    text = '---\ntitle: A\ndate: yesterday\ntags: {a: 1}\nreading_time: -1\ndraft: "no"\n---\n'
    assert errors_of(text) == [
        'posts/a.md:3: date: cannot parse "yesterday": expected a date like '
        "2025-11-20 08:43:29 +0900",
        "posts/a.md:4: tags: must be a list of strings, got a mapping",
        "posts/a.md:5: reading_time: must be a whole number of minutes (1 or more), got -1",
        "posts/a.md:6: draft: must be true or false, got 'no'",
    ]


def test_a_title_that_is_a_list_is_an_error() -> None:
    assert errors_of("---\ntitle: [a, b]\ndate: 2025-01-01\n---\n") == [
        "posts/a.md:2: title: must be text, got a list of str"
    ]


def test_a_list_of_numbers_and_words_is_described_in_yaml_types() -> None:
    assert errors_of("---\ndate: 2025-01-01\ntag: [1.10, 007, yes, a]\n---\n") == [
        "posts/a.md:3: tag: must be text, got a list of float, int, str"
    ]


def test_a_javascript_image_link_is_rejected() -> None:
    (message,) = errors_of("---\ndate: 2025-01-01\nimage: javascript:alert(1)\n---\n")
    assert message.startswith("posts/a.md:3: image: 'javascript:alert(1)' is not")


def test_a_permalink_must_be_a_site_path() -> None:
    (message,) = errors_of("---\ndate: 2025-01-01\npermalink: javascript:alert(1)\n---\n")
    assert message.startswith("posts/a.md:3: permalink: must be a path starting with '/'")


def test_a_slug_with_no_usable_characters_is_rejected() -> None:
    (message,) = errors_of('---\ndate: 2025-01-01\nslug: "???"\n---\n')
    assert message.startswith("posts/a.md:3: slug: '???' gives an empty slug")


# Whole posts


def test_the_seed_post_parses_completely() -> None:
    parsed = parse(SEED.read_text(encoding="utf-8"), "posts/2025-11-20-openai-aws.md")
    post = parsed.post
    assert post.title == "OpenAIとAWSの380億ドル契約、その真意とは何か？"
    assert post.date == datetime(2025, 11, 20, 8, 43, 29, tzinfo=UTC)
    assert post.categories == ("投資分析",)
    assert post.tags == (
        "AI",
        "最新ニュース",
        "技術動向",
        "OpenAI",
        "投資",
        "チップ",
        "エージェント",
    )
    assert post.reading_time == 8
    assert post.author == "ALLFORCES編集部"
    assert post.excerpt == "OpenAI、AWSと380億ドル契約、NVIDIA GPU活用について詳細に分析します。"
    assert post.url == "/2025/11/20/openai-aws/"
    assert parsed.warnings == ()


def test_a_post_without_front_matter_reading_time_gets_it_computed() -> None:
    body = "あ" * 1200
    assert parse(f"---\ndate: 2025-01-01\ntitle: A\n---\n{body}\n").post.reading_time == 3


def test_a_post_with_a_bom_and_crlf_parses_like_a_clean_one() -> None:
    clean = parse("---\ntitle: A\ndate: 2025-01-01\n---\n本文です。\n").post
    messy = parse("\ufeff---\r\ntitle: A\r\ndate: 2025-01-01\r\n---\r\n本文です。\r\n").post
    assert messy == clean


def test_empty_title_falls_back_to_the_first_heading_with_a_warning() -> None:
    parsed = parse('---\ntitle: ""\ndate: 2025-01-01\n---\n## 最初の見出し\n\n本文です。\n')
    assert parsed.post.title == "最初の見出し"
    assert [str(w) for w in parsed.warnings] == [
        'posts/a.md:2: title is empty; using "最初の見出し"'
    ]


def test_empty_title_without_headings_falls_back_to_the_excerpt() -> None:
    parsed = parse("---\ntitle:\ndate: 2025-01-01\n---\n決算の要点をまとめます。\n")
    assert parsed.post.title == "決算の要点をまとめます。"
    assert [str(w) for w in parsed.warnings] == [
        'posts/a.md:2: title is empty; using "決算の要点をまとめます。"'
    ]


def test_empty_title_of_an_empty_post_falls_back_to_the_slug() -> None:
    parsed = parse("---\ndate: 2025-01-01\n---\n", path="posts/my-post.md")
    assert parsed.post.title == "my-post"
    assert [str(w) for w in parsed.warnings] == [
        'posts/my-post.md:1: title is empty; using "my-post"'
    ]


def test_a_missing_date_with_no_date_in_the_file_name_fails_the_post() -> None:
    assert parse_errors("---\ntitle: A\n---\n本文\n", path="posts/no-date.md") == [
        "posts/no-date.md:1: no date: add 'date:' to the front matter or name the file "
        "YYYY-MM-DD-slug.md"
    ]


def test_every_error_of_a_post_is_raised_together() -> None:
    errors = parse_errors("---\ntitle: A\ndate: yesterday\ndraft: maybe\n---\n")
    assert [e.split(":")[1] for e in errors] == ["3", "4"]


def test_a_post_without_front_matter_fails_with_its_location() -> None:
    assert parse_errors("# Title\n") == [
        "posts/a.md:1: no front matter; the file must start with a '---' line"
    ]


def test_permalink_override_is_normalized() -> None:
    text = "---\ntitle: A\ndate: 2025-01-01\npermalink: /x/../../etc/\n---\n"
    assert parse(text).post.url == "/x/etc/"


def test_a_page_url_follows_its_path() -> None:
    assert parse("---\ntitle: About\n---\n", path="about.md").post.url == "/about/"
    assert parse("---\ntitle: G\n---\n", path="docs/guide.md").post.url == "/docs/guide/"


def test_the_root_index_page_is_the_home_url() -> None:
    assert parse("---\ntitle: Home\n---\n", path="index.md").post.url == "/"


def test_explicit_excerpt_wins_over_the_first_paragraph() -> None:
    text = "---\ntitle: A\ndate: 2025-01-01\nexcerpt: 要約\n---\n本文の最初の段落。\n"
    assert parse(text).post.excerpt == "要約"


def test_excerpt_defaults_to_the_first_paragraph() -> None:
    text = "---\ntitle: A\ndate: 2025-01-01\n---\n## 見出し\n\n本文の最初の段落。\n\n次の段落。\n"
    assert parse(text).post.excerpt == "本文の最初の段落。"


def test_excerpt_html_is_escaped() -> None:
    text = '---\ntitle: A\ndate: 2025-01-01\nexcerpt: "<script>x</script>"\n---\n'
    assert parse(text).post.excerpt_html == "&lt;script&gt;x&lt;/script&gt;"


def test_description_defaults_to_the_excerpt() -> None:
    text = "---\ntitle: A\ndate: 2025-01-01\nexcerpt: 要約\n---\n"
    assert parse(text).post.description == "要約"


def test_categories_in_a_permalink_use_the_category_pages_slugs() -> None:
    import dataclasses

    config = dataclasses.replace(
        CONFIG, permalink="/:categories/:slug/", taxonomy_slugs={"半導体": "semiconductor"}
    )
    text = "---\ntitle: t\ndate: 2025-01-01\ncategories: [半導体, AI Chips]\n---\n"
    post = parse_post(PurePosixPath("posts/x.md"), text, config, MD).post
    assert post.url == "/semiconductor/ai-chips/x/"


# Values are typed as the writer meant them (YAML 1.2's rules, not PyYAML's YAML 1.1).


def test_a_numeric_title_keeps_the_digits_it_was_written_with() -> None:
    assert meta_of("---\ntitle: 1.10\ndate: 2025-01-01\n---\n").title == "1.10"


def test_yes_and_on_in_tags_are_two_tags_not_one_boolean() -> None:
    assert meta_of("---\ntags: [yes, on]\ndate: 2025-01-01\n---\n").tags == ("yes", "on")


def test_number_like_tags_keep_their_leading_zeros() -> None:
    assert meta_of("---\ntags: [007, 1.50]\ndate: 2025-01-01\n---\n").tags == ("007", "1.50")


def test_a_plain_no_is_still_false_for_a_flag_as_jekyll_reads_it() -> None:
    assert meta_of("---\ndraft: no\ndate: 2025-01-01\n---\n").draft is False
    assert meta_of("---\ndraft: yes\ndate: 2025-01-01\n---\n").draft is True


def test_an_unknown_key_holding_a_number_prints_as_written_and_still_counts() -> None:
    from jinja2 import Environment

    extra = meta_of("---\ndate: 2025-01-01\nper: 1.50\n---\n").extra
    assert Environment().from_string("{{ per }} {{ per * 2 }}").render(**extra) == "1.50 3.0"


# Explicit YAML tags PyYAML cannot construct are located errors, not tracebacks.


def test_an_explicit_int_tag_on_text_is_an_error_at_its_line() -> None:
    assert split_error("---\ntitle: A\nn: !!int abc\n---\n") == (
        "posts/a.md:3: invalid YAML in front matter: cannot read 'abc' as a whole number"
    )


def test_an_explicit_bool_tag_on_a_word_yaml_lacks_is_an_error_at_its_line() -> None:
    assert split_error("---\ndraft: !!bool maybe\n---\n") == (
        "posts/a.md:2: invalid YAML in front matter: cannot read 'maybe' as true or false"
    )


def test_an_integer_past_pythons_digit_limit_is_an_error_at_its_line() -> None:
    message = split_error("---\ntitle: A\nid: " + "9" * 5000 + "\n---\n")
    assert message.startswith("posts/a.md:3: invalid YAML in front matter: cannot read '999")


def test_an_explicit_timestamp_tag_stays_text_for_the_date_parser() -> None:
    assert errors_of("---\ndate: !!timestamp 2025-13-01\n---\n") == [
        'posts/a.md:2: date: cannot parse "2025-13-01": month must be in 1..12'
    ]
    assert meta_of("---\ndate: !!timestamp 2025-01-05\n---\n").date == datetime(
        2025, 1, 5, tzinfo=TOKYO
    )


def test_a_control_character_written_as_a_yaml_escape_is_an_error_at_its_key() -> None:
    # A pasted control character is removed from the file's text; "\0" in double quotes
    # only becomes one once YAML reads it, and would reach the page and feed.xml.
    assert split_error('---\ndate: 2025-01-05\ntitle: "決算\\0メモ"\n---\n') == (
        "posts/a.md:3: title: holds U+0000, a control character or noncharacter "
        "(written as an escape); HTML does not allow it"
    )


def test_astral_noncharacters_are_removed_and_rare_kanji_kept() -> None:
    from ssg.content.frontmatter import remove_control_chars

    text, warning = remove_control_chars(PurePosixPath("a.md"), "𠮷野家\U0001fffe\n😀\U0010ffff")
    assert text == "𠮷野家\n😀"
    assert str(warning).startswith("a.md:1: removed 2 control characters or noncharacters")
