"""Edge cases found while reviewing the pure stages: each once crashed or misbehaved."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from ssg.config import Config, load_config
from ssg.content.post import ContentProblems, parse_post
from ssg.content.slugs import term_slug, term_slug_map
from ssg.content.summary import make_excerpt
from ssg.errors import ConfigError
from ssg.markdown.parser import make_markdown, render_markdown

CONFIG = Config(site_dir=Path("/site"))
MD = make_markdown()


def test_a_more_marker_inside_a_code_block_is_code() -> None:
    rendered = render_markdown(MD, "Jekyllでは:\n\n```html\n<!--more-->\n```\n")
    assert "&lt;!--more--&gt;" in rendered.html
    assert rendered.more_html is None


def test_an_index_page_in_a_folder_is_the_folder_url() -> None:
    text = "---\ntitle: Docs\n---\n"
    assert parse_post(PurePosixPath("docs/index.md"), text, CONFIG, MD).post.url == "/docs/"


def test_an_empty_date_in_a_post_is_reported_not_crashed_on() -> None:
    with pytest.raises(ContentProblems) as failure:
        parse_post(PurePosixPath("posts/a.md"), "---\ntitle: A\ndate:\n---\n", CONFIG, MD)
    (message,) = [str(e) for e in failure.value.errors]
    assert message.startswith("posts/a.md:")
    assert "date" in message


def test_excerpt_never_cuts_a_latin_word_inside_japanese_text() -> None:
    text = "今回の決算で特に注目すべき銘柄はNVIDIAとBroadcomの二社である"
    assert make_excerpt(text, 20) == "今回の決算で特に注目すべき銘柄は…"


def test_numeric_taxonomy_slug_keys_are_read_as_text(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("taxonomy_slugs: {2025: y2025}\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert term_slug("2025", term_slug_map(config.taxonomy_slugs)) == "y2025"


def test_base_url_without_a_scheme_is_rejected(tmp_path: Path) -> None:
    # "example.com/blog" would make every link relative to the current page.
    (tmp_path / "config.yaml").write_text("base_url: example.com/blog\n", encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_config(tmp_path)
    assert "'base_url'" in str(failure.value)
