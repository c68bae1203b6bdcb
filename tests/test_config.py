"""config.yaml: defaults, types, paths, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssg.config import Config, load_config
from ssg.errors import ConfigError


def write_config(site: Path, text: str | bytes) -> Path:
    path = site / "config.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return site


def problems_of(site: Path) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as failure:
        load_config(site)
    return failure.value.problems


def test_an_empty_config_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, ""))
    assert config == Config(
        site_dir=tmp_path.resolve(),
        content_dir=tmp_path.resolve() / "content",
        layouts_dir=tmp_path.resolve() / "layouts",
        static_dir=tmp_path.resolve() / "static",
        data_dir=tmp_path.resolve() / "data",
        output_dir=tmp_path.resolve() / "output",
        # Debian's fonts-noto-cjk, which .ci/run installs
        share_image_font=Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    )


def test_defaults_suit_a_japanese_blog(tmp_path: Path) -> None:
    config = Config(site_dir=tmp_path)
    assert (config.language, config.timezone, config.permalink) == (
        "ja",
        "Asia/Tokyo",
        "/:year/:month/:day/:slug/",
    )
    assert str(config.tz) == "Asia/Tokyo"


def test_values_from_the_file_are_used(tmp_path: Path) -> None:
    write_config(tmp_path, "title: 投資ブログ\npaginate: 5\ntaxonomy_slugs: {半導体: semi}\n")
    config = load_config(tmp_path)
    assert (config.title, config.paginate) == ("投資ブログ", 5)
    assert config.taxonomy_slugs == {"半導体": "semi"}


def test_folders_are_resolved_against_the_site_folder(tmp_path: Path) -> None:
    write_config(tmp_path, "content_dir: src/posts\noutput_dir: ../public\n")
    config = load_config(tmp_path)
    assert config.content_dir == tmp_path.resolve() / "src" / "posts"
    assert config.output_dir == tmp_path.resolve().parent / "public"


def test_command_line_overrides_win_over_the_file(tmp_path: Path) -> None:
    write_config(tmp_path, 'base_url: "https://example.com/"\n')
    config = load_config(tmp_path, base_url="http://localhost:8000/", include_drafts=True)
    assert (config.base_url, config.include_drafts) == ("http://localhost:8000/", True)


def test_an_override_of_none_keeps_the_file_value(tmp_path: Path) -> None:
    write_config(tmp_path, 'base_url: "https://example.com/"\n')
    assert load_config(tmp_path, base_url=None).base_url == "https://example.com/"


def test_a_bom_and_crlf_line_endings_are_read_like_a_clean_file(tmp_path: Path) -> None:
    write_config(tmp_path, "\ufefftitle: 投資ブログ\r\npaginate: 3\r\n".encode())
    config = load_config(tmp_path)
    assert (config.title, config.paginate) == ("投資ブログ", 3)


def test_base_path_is_the_path_part_of_base_url_with_slashes(tmp_path: Path) -> None:
    assert Config(site_dir=tmp_path, base_url="https://example.com/blog").base_path == "/blog/"
    assert Config(site_dir=tmp_path, base_url="https://example.com").base_path == "/"
    assert Config(site_dir=tmp_path).base_path == "/"


def test_unknown_key_suggests_the_closest_known_key(tmp_path: Path) -> None:
    write_config(tmp_path, "base_ur: https://example.com/\n")
    assert problems_of(tmp_path) == ("unknown key 'base_ur'; did you mean 'base_url'?",)


def test_unknown_key_without_a_close_match_has_no_suggestion(tmp_path: Path) -> None:
    write_config(tmp_path, "zzzqqq: 1\n")
    assert problems_of(tmp_path) == ("unknown key 'zzzqqq'",)


def test_a_value_of_the_wrong_type_is_named_with_the_expected_type(tmp_path: Path) -> None:
    write_config(tmp_path, 'paginate: "10"\n')
    assert problems_of(tmp_path) == ("'paginate' must be a whole number, got '10'",)


def test_true_is_not_a_number(tmp_path: Path) -> None:
    write_config(tmp_path, "paginate: true\n")
    assert problems_of(tmp_path) == ("'paginate' must be a whole number, got True",)


def test_counts_must_be_at_least_one(tmp_path: Path) -> None:
    write_config(tmp_path, "feed_limit: 0\n")
    assert problems_of(tmp_path) == ("'feed_limit' must be at least 1, got 0",)


def test_timezone_must_be_an_iana_zone(tmp_path: Path) -> None:
    write_config(tmp_path, "timezone: Mars/Olympus\n")
    assert "'timezone' 'Mars/Olympus' is not an IANA time zone" in problems_of(tmp_path)[0]


def test_language_must_be_japanese_or_english(tmp_path: Path) -> None:
    write_config(tmp_path, "language: fr\n")
    assert problems_of(tmp_path) == ("'language' must be 'ja' or 'en', got 'fr'",)


def test_feed_content_must_be_full_or_excerpt(tmp_path: Path) -> None:
    write_config(tmp_path, "feed_content: summary\n")
    assert problems_of(tmp_path) == ("'feed_content' must be 'full' or 'excerpt', got 'summary'",)


def test_permalink_must_start_with_a_slash(tmp_path: Path) -> None:
    write_config(tmp_path, "permalink: ':year/:slug/'\n")
    assert problems_of(tmp_path) == ("'permalink' must start with '/', got ':year/:slug/'",)


def test_taxonomy_slugs_must_map_names_to_strings(tmp_path: Path) -> None:
    write_config(tmp_path, "taxonomy_slugs: {半導体: [a, b]}\n")
    assert problems_of(tmp_path) == ("'taxonomy_slugs' must map term names to slug strings",)


def test_every_problem_is_reported_in_one_error(tmp_path: Path) -> None:
    write_config(tmp_path, 'titel: x\npaginate: "10"\nlanguage: fr\ntimezone: Nowhere/City\n')
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    message = str(failure.value)
    assert message.startswith("config.yaml: 4 problems\n")
    for fragment in ("'titel'", "'paginate'", "'language'", "'timezone'"):
        assert fragment in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    write_config(tmp_path, "title: ok\nauthor: me\n  role: editor\n")
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert str(failure.value).startswith("config.yaml:3: invalid YAML")


def test_an_unclosed_quote_points_at_the_line_where_it_starts(tmp_path: Path) -> None:
    write_config(tmp_path, 'title: "投資\nauthor: me\n')
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert "(while scanning a quoted scalar that starts on line 1)" in str(failure.value)


def test_an_unknown_key_is_named_at_its_line_in_config_yaml(tmp_path: Path) -> None:
    write_config(tmp_path, "title: t\n\nbase_ur: https://example.com/\n")
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert str(failure.value) == "config.yaml:3: unknown key 'base_ur'; did you mean 'base_url'?"


def test_a_value_of_the_wrong_type_is_named_at_its_key_line(tmp_path: Path) -> None:
    write_config(tmp_path, "title: t\npaginate: many\n")
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert str(failure.value) == "config.yaml:2: 'paginate' must be a whole number, got 'many'"


def test_a_bad_value_is_named_at_its_key_line(tmp_path: Path) -> None:
    write_config(tmp_path, "title: t\n# 言語\nlanguage: fr\n")
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert str(failure.value) == "config.yaml:3: 'language' must be 'ja' or 'en', got 'fr'"


def test_every_problem_is_listed_at_its_line_in_file_order(tmp_path: Path) -> None:
    write_config(tmp_path, "language: fr\ntitel: x\npaginate: 0\n")
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert failure.value.messages == [
        "config.yaml:1: 'language' must be 'ja' or 'en', got 'fr'",
        "config.yaml:2: unknown key 'titel'; did you mean 'title'?",
        "config.yaml:3: 'paginate' must be at least 1, got 0",
    ]


def test_an_unreadable_config_file_is_a_config_error(tmp_path: Path, monkeypatch) -> None:
    write_config(tmp_path, "title: t\n")

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert str(failure.value) == "config.yaml: cannot read: Permission denied"


def test_a_list_instead_of_a_mapping_is_rejected(tmp_path: Path) -> None:
    write_config(tmp_path, "- title\n- author\n")
    assert problems_of(tmp_path) == ("must be a mapping of keys to values",)


def test_a_missing_config_file_hints_at_the_site_folder_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert "not found; is this the site folder?" in str(failure.value)
    assert failure.value.path == tmp_path.resolve() / "config.yaml"
