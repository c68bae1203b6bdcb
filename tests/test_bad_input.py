"""Bad input: every problem reported as `path:line: what`, exit 1, output/ untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, post

from ssg.cli import main
from ssg.errors import BuildFailed, SsgError

GOOD = {"content/posts/good.md": post()}


def snapshot(folder: Path) -> dict[str, tuple[bytes, float]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def failed_build(site: Path) -> str:
    """Build a site that must fail; check output/ is unchanged; return the message."""
    before = snapshot(site / "output")
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert snapshot(site / "output") == before
    assert not any(p.name.startswith(".output.staging") for p in site.iterdir())
    return str(failure.value)


@pytest.fixture
def built_site(make_site):
    """A site that built once; tests then break it."""

    def _make(files: dict[str, str]) -> Path:
        site = make_site(GOOD)
        build_site(site)
        for rel, text in files.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
        return site

    return _make


def test_yaml_syntax_error_is_reported_at_its_line_in_the_file(built_site) -> None:
    site = built_site(
        {"content/posts/bad.md": '---\ntitle: "ok"\ntags: [a, b\ndate: 2025-01-01\n---\n'}
    )
    message = failed_build(site)
    assert "content/posts/bad.md:4: invalid YAML in front matter" in message


def test_unparsable_date_names_the_value_and_line(built_site) -> None:
    site = built_site({"content/posts/x.md": '---\ntitle: t\n\ndate: "2025-13-01"\n---\n'})
    assert 'content/posts/x.md:4: date: cannot parse "2025-13-01"' in failed_build(site)


def test_tags_given_as_a_mapping_are_rejected(built_site) -> None:
    site = built_site({"content/posts/x.md": "---\ntitle: t\ntags:\n  a: 1\n---\n"})
    assert "content/posts/x.md:3: tags: must be a list of strings, got a mapping" in failed_build(
        site
    )


def test_front_matter_that_is_not_a_mapping_is_rejected(built_site) -> None:
    site = built_site({"content/posts/x.md": "---\n- a\n- b\n---\n"})
    assert "content/posts/x.md:2: front matter must be a mapping" in failed_build(site)


def test_missing_front_matter_says_how_to_fix_it(built_site) -> None:
    site = built_site({"content/posts/x.md": "# 見出しだけ\n"})
    assert "content/posts/x.md:1: no front matter; the file must start with a '---' line" in (
        failed_build(site)
    )


def test_every_problem_of_a_build_is_reported_together(built_site) -> None:
    site = built_site({
        "content/posts/a.md": '---\ntitle: t\ndate: "yesterday"\n---\n',
        "content/posts/b.md": "---\ntitle: t\ndraft: maybe\nreading_time: soon\ndate: 2025-01-01\n"
                              "---\n",
    })  # fmt: skip
    message = failed_build(site)
    assert "build failed with 3 errors" in message
    assert "content/posts/a.md:3: date:" in message
    assert "content/posts/b.md:3: draft:" in message
    assert "content/posts/b.md:4: reading_time:" in message


def test_layout_typo_names_the_layout_file_and_line(built_site) -> None:
    site = built_site({"layouts/_tags.html": "<p>\n{{ post.tagz }}\n</p>"})
    message = failed_build(site)
    assert "layouts/_tags.html:2:" in message
    assert "tagz" in message


def test_layout_syntax_error_names_the_layout_file_and_line(built_site) -> None:
    site = built_site({"layouts/_tags.html": "<p>\n\n{% if %}\n</p>"})
    assert "layouts/_tags.html:3:" in failed_build(site)


def test_unknown_layout_named_in_front_matter_is_an_error_at_its_line(built_site) -> None:
    site = built_site({"content/posts/x.md": post(tags="[AI]", layout="nosuch")})
    assert "content/posts/x.md:5: layout 'nosuch' not found in layouts/" in failed_build(site)


def test_a_list_layout_named_in_a_posts_front_matter_fails_at_that_line(built_site) -> None:
    site = built_site({"content/posts/x.md": post(layout="list")})
    assert ("(built-in) list.html:5: 'paginator' is undefined (while rendering "
            "2025/11/20/x/index.html with list.html, named by layout: at content/posts/x.md:4)"
            ) in failed_build(site)  # fmt: skip


def test_a_partial_named_as_a_posts_layout_is_an_error_at_its_line(built_site) -> None:
    site = built_site({"content/posts/x.md": post(layout="_post_card")})
    assert ("content/posts/x.md:4: layout '_post_card' is a partial that other layouts "
            "include, not a page") in failed_build(site)  # fmt: skip


def test_misspelt_layout_gets_a_suggestion(built_site) -> None:
    site = built_site({"content/posts/x.md": post(layout="postt")})
    assert "layout 'postt' not found in layouts/; did you mean 'post'?" in failed_build(site)


def post_layout(line4: str) -> str:
    """A post layout whose line 4 is `line4`."""
    lines = ['{% extends "base.html" %}', "{% block content %}", "{{ post.html }}", line4]
    return "\n".join([*lines, "{% endblock %}", ""])


def test_missing_include_names_the_layout_and_line_that_includes_it(built_site) -> None:
    site = built_site({"layouts/post.html": post_layout('{% include "nope.html" %}')})
    assert "layouts/post.html:4: include 'nope.html' not found in layouts/ (" in failed_build(site)


def test_missing_parent_layout_is_named_as_extends(built_site) -> None:
    site = built_site({"layouts/post.html": '<p>\n{% extends "nope.html" %}\n'})
    assert "layouts/post.html:2: extends 'nope.html' not found in layouts/" in failed_build(site)


def test_missing_macro_layout_is_named_as_import(built_site) -> None:
    site = built_site({"layouts/post.html": post_layout('{% import "nope.html" as m %}')})
    assert "layouts/post.html:4: import 'nope.html' not found in layouts/" in failed_build(site)


def test_missing_from_import_layout_is_named_as_import(built_site) -> None:
    site = built_site({"layouts/post.html": post_layout('{% from "nope.html" import m %}')})
    assert "layouts/post.html:4: import 'nope.html' not found in layouts/" in failed_build(site)


def test_misspelt_include_gets_a_suggestion(built_site) -> None:
    site = built_site({"layouts/post.html": post_layout('{% include "_post_mta.html" %}')})
    assert "include '_post_mta.html' not found in layouts/; did you mean '_post_meta.html'?" in (
        failed_build(site)
    )


def test_missing_include_is_reported_once_for_every_page_using_it(built_site) -> None:
    files = {f"content/posts/p{i}.md": post() for i in range(3)}
    site = built_site({**files, "layouts/post.html": post_layout('{% include "nope.html" %}')})
    message = failed_build(site)
    assert message.count("include 'nope.html'") == 1
    assert "and 3 more pages" in message


def test_one_layout_mistake_is_reported_once_not_per_page(built_site) -> None:
    files = {f"content/posts/p{i}.md": post() for i in range(5)}
    site = built_site({**files, "layouts/_tags.html": "{{ post.tagz }}"})
    message = failed_build(site)
    assert message.count("tagz") == 1
    assert "and 5 more pages" in message


def test_cli_prints_errors_without_traceback_and_exits_1(built_site, capsys) -> None:
    site = built_site({"content/posts/x.md": '---\ntitle: t\ndate: "2025-13-01"\n---\n'})
    assert main(["build", "-s", str(site), "-q"]) == 1
    err = capsys.readouterr().err
    assert 'content/posts/x.md:3: date: cannot parse "2025-13-01"' in err
    assert "Traceback" not in err


def test_bad_config_lists_every_problem_with_suggestions(make_site) -> None:
    site = make_site(GOOD, config="title: t\nbase_ur: x\npaginate: many\ntimezone: Mars/Base\n")
    with pytest.raises(SsgError) as failure:
        build_site(site)
    message = str(failure.value)
    assert "unknown key 'base_ur'; did you mean 'base_url'?" in message
    assert "'paginate' must be a whole number" in message
    assert "Mars/Base" in message


@pytest.mark.parametrize(
    ("layout", "reason"),
    [
        ({"output/content/x.md": "x"}, "looks like a site folder"),
        ({"output/notes.txt": "mine"}, "was not made by ssg"),
    ],
)
def test_refuses_to_replace_a_folder_it_did_not_make(make_site, layout, reason) -> None:
    site = make_site({**GOOD, **layout})
    with pytest.raises(SsgError, match=reason):
        build_site(site)
    for rel, text in layout.items():
        assert (site / rel).read_text() == text


def test_refuses_the_site_root_as_output(make_site) -> None:
    site = make_site(GOOD)
    with pytest.raises(SsgError, match="contains the site itself"):
        build_site(site, output_dir=site)
    assert (site / "content/posts/good.md").is_file()


def test_refuses_an_output_folder_inside_content(make_site) -> None:
    site = make_site(GOOD)
    with pytest.raises(SsgError, match="inside content/"):
        build_site(site, output_dir=site / "content" / "out")


def test_impossible_unquoted_date_is_reported_not_crashed_on(built_site) -> None:
    site = built_site({"content/posts/x.md": "---\ntitle: t\ndate: 2025-13-01\n---\n"})
    assert 'content/posts/x.md:3: date: cannot parse "2025-13-01"' in failed_build(site)


def test_unclosed_quote_points_at_the_line_where_it_starts(built_site) -> None:
    site = built_site({"content/posts/x.md": '---\ntitle: "壊れた\ndate: 2025-01-01\n---\n'})
    assert "that starts on line 2" in failed_build(site)


def test_a_broken_symlink_in_content_is_reported(built_site) -> None:
    site = built_site({})
    (site / "content/posts/gone.md").symlink_to(site / "nowhere.md")
    target = site / "nowhere.md"
    assert f"content/posts/gone.md -> {target}: a symbolic link to nothing" in failed_build(site)


def test_layout_runtime_errors_of_any_kind_are_reported(built_site) -> None:
    site = built_site({"layouts/_tags.html": "{{ 1 // 0 }}"})
    assert "layouts/_tags.html:1: integer division or modulo by zero" in failed_build(site)


def test_a_data_file_error_names_its_line(built_site) -> None:
    site = built_site({"data/tickers.yaml": "NVDA: 1\nTSM: [2\n"})
    assert "data/tickers.yaml:3: invalid YAML" in failed_build(site)


def test_data_and_content_errors_are_reported_in_one_build(built_site) -> None:
    site = built_site({"data/tickers.yaml": "TSM: [2\n", "content/posts/x.md": post(date="x")})
    message = failed_build(site)
    assert "data/tickers.yaml:2: invalid YAML" in message
    assert 'content/posts/x.md:3: date: cannot parse "x"' in message


def test_a_path_collision_names_both_sources_and_the_permalink_line(built_site) -> None:
    site = built_site({
        "content/posts/a.md": post(permalink="/about/"),
        "content/about.md": "---\ntitle: 紹介\n---\n",
    })  # fmt: skip
    assert "path collision: content/posts/a.md:4 and content/about.md both write about/" in (
        failed_build(site)
    )


def test_cli_prints_each_config_problem_at_its_line(make_site, capsys) -> None:
    site = make_site(GOOD, config="title: t\nbase_ur: x\npaginate: many\n")
    assert main(["build", "-s", str(site), "-q"]) == 1
    err = capsys.readouterr().err
    assert "  config.yaml:2: unknown key 'base_ur'; did you mean 'base_url'?\n" in err
    assert "  config.yaml:3: 'paginate' must be a whole number, got 'many'\n" in err


def test_control_characters_pasted_into_a_post_are_removed_with_a_located_warning(
    make_site,
) -> None:
    import xml.etree.ElementTree as ET

    import feedparser

    text = post(title="決算\x0cメモ", body="本文\x00です。\n\n次の\x1b段落。")
    site = make_site({"content/posts/a.md": text})
    report = build_site(site)
    assert any(w.startswith("content/posts/a.md:2: removed 3 control characters or "
                            "noncharacters (first: U+000C)") for w in report.warnings)  # fmt: skip
    feed = (site / "output/feed.xml").read_bytes()
    ET.fromstring(feed)  # well-formed XML
    assert not feedparser.parse(feed).bozo
    page = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    assert "<title>決算メモ" in page and "\x00" not in page


def test_a_c1_control_in_front_matter_is_removed_rather_than_failing_yaml(make_site) -> None:
    # U+0085 and U+0096 come from Windows text read as Latin-1; YAML refuses C1 controls.
    site = make_site({"content/posts/a.md": post(title="決算\x96メモ", body="本文\x85です。")})
    report = build_site(site)
    assert any(w.startswith("content/posts/a.md:2: removed 2 control characters or "
                            "noncharacters (first: U+0096)") for w in report.warnings)  # fmt: skip
    page = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    assert "<title>決算メモ" in page and "本文です。" in page


def test_a_noncharacter_in_a_body_is_removed_so_feed_xml_stays_xml(make_site) -> None:
    import xml.etree.ElementTree as ET

    site = make_site({"content/posts/a.md": post(body="本文\ufffeです。\ufdd0")})
    report = build_site(site)
    assert any(w.startswith("content/posts/a.md:6: removed 2 control characters or "
                            "noncharacters (first: U+FFFE)") for w in report.warnings)  # fmt: skip
    ET.fromstring((site / "output/feed.xml").read_bytes())


def test_a_yaml_alias_bomb_in_front_matter_is_a_located_error_not_a_hang(make_site) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = "---\ntitle: 爆弾\ndate: 2025-01-01\n" + "\n".join(lines) + "\n---\n本文\n"
    site = make_site({"content/posts/x.md": text})
    assert "content/posts/x.md:2: front matter holds more than 10,000 values" in failed_build(site)


def test_front_matter_nested_hundreds_deep_is_a_located_error(make_site) -> None:
    text = "---\ntitle: 深い\ndate: 2025-01-01\nx: " + "[" * 900 + "]" * 900 + "\n---\n本文\n"
    site = make_site({"content/posts/x.md": text})
    assert "content/posts/x.md:2: front matter is nested more than 50 levels deep" in (
        failed_build(site)
    )


def test_a_slug_or_tag_too_long_for_a_file_name_is_shortened_and_builds(make_site) -> None:
    long_tag, long_slug = "半導体" * 100, "s" * 300
    site = make_site({"content/posts/a.md": post(tags=f"[{long_tag}]", slug=long_slug)})
    build_site(site)
    tag_dirs = [p for p in (site / "output/tags").iterdir() if p.is_dir()]
    post_dirs = list((site / "output/2025/11/20").iterdir())
    assert len(tag_dirs) == 1 and tag_dirs[0].name.startswith("半導体半導体")
    assert len(post_dirs) == 1 and post_dirs[0].name.startswith("sss")
    for folder in (*tag_dirs, *post_dirs):
        assert len(folder.name.encode("utf-8")) <= 200


def test_new_post_with_a_very_long_japanese_title_gets_a_file(make_site) -> None:
    from ssg.config import load_config
    from ssg.scaffold import new_post

    site = make_site({})
    path = new_post(load_config(site), "長い題名の記事" * 22, None)
    assert path.is_file() and len(path.name.encode("utf-8")) < 255


def test_a_code_block_too_slow_to_highlight_is_a_warning_at_its_file_line(make_site) -> None:
    body = "本文\n\n```perl\n" + "s{" * 20_000 + "\n```\n"
    site = make_site({"content/posts/x.md": post(body=body)})
    report = build_site(site)
    assert "content/posts/x.md:8: the perl code block was not highlighted" in "\n".join(
        report.warnings
    )


def test_content_errors_and_path_collisions_are_reported_together(built_site) -> None:
    site = built_site({
        "content/posts/x.md": '---\ntitle: t\ndate: "2025-13-01"\n---\n',
        "content/posts/a.md": post(permalink="/same/"),
        "content/posts/b.md": post(permalink="/same/"),
    })  # fmt: skip
    message = failed_build(site)
    assert 'content/posts/x.md:3: date: cannot parse "2025-13-01"' in message
    assert "path collision: content/posts/" in message
    assert "both write same/index.html" in message


def test_content_errors_and_missing_layouts_are_reported_together(built_site) -> None:
    site = built_site({
        "content/posts/x.md": '---\ntitle: t\ndate: "2025-13-01"\n---\n',
        "content/posts/a.md": post(layout="nosuch"),
    })  # fmt: skip
    message = failed_build(site)
    assert 'content/posts/x.md:3: date: cannot parse "2025-13-01"' in message
    assert "content/posts/a.md:4: layout 'nosuch' not found in layouts/" in message
