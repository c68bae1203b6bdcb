"""`ssg import hugo`, rule by rule: Hugo's URLs, its front matter, its shortcodes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest

from ssg.errors import ContentError
from ssg.importers.hugo.content import split_front_matter
from ssg.importers.hugo.lists import ListPlan, plan_taxonomy
from ssg.importers.hugo.markdown import move_block_attributes
from ssg.importers.hugo.shortcodes import (
    Shortcode,
    ShortcodeContext,
    convert_shortcodes,
    expand_template,
)
from ssg.importers.hugo.urls import (
    PageFacts,
    alias_url,
    default_url,
    front_matter_url,
    pattern_url,
    urlize,
)
from ssg.importers.report import ImportReport

JST = timezone(timedelta(hours=9))


def _facts(rel: str, title: str = "", slug: str = "", date: datetime | None = None) -> PageFacts:
    return PageFacts(PurePosixPath(rel), title, slug, date)


# Hugo's URLs (each checked against Hugo 0.111's output)


def test_urlize_lower_cases_and_joins_words_with_hyphens() -> None:
    assert urlize("Big Tech") == "big-tech"


def test_urlize_drops_characters_hugo_drops_and_keeps_japanese() -> None:
    assert urlize("S&P500") == "sp500"
    assert urlize("テスラの決算分析 2024") == "テスラの決算分析-2024"


def test_a_page_without_url_is_at_its_lower_cased_path() -> None:
    assert default_url(_facts("posts/My File.md"), True, False) == "/posts/my-file/"


def test_a_bundle_is_named_by_its_folder() -> None:
    assert default_url(_facts("posts/photo-report/index.md"), True, False) == "/posts/photo-report/"


def test_slug_replaces_the_file_name() -> None:
    assert default_url(_facts("posts/c.md", slug="My Slug"), True, False) == "/posts/my-slug/"


def test_ugly_urls_end_in_html() -> None:
    assert default_url(_facts("posts/a.md"), True, True) == "/posts/a.html"


def test_permalink_slug_falls_back_to_the_title() -> None:
    page = _facts("posts/x.md", title="工場見学", date=datetime(2024, 3, 15, tzinfo=JST))
    assert pattern_url("/:year/:month/:slug/", page, True, False) == "/2024/03/工場見学/"


def test_permalink_dates_keep_the_dates_own_offset() -> None:
    page = _facts("posts/x.md", slug="x", date=datetime(2024, 1, 31, 20, tzinfo=UTC))
    assert pattern_url("/:year/:month/:day/:slug/", page, True, False) == "/2024/01/31/x/"


def test_permalink_filename_and_section_tokens() -> None:
    page = _facts("blog/Report.md", date=datetime(2024, 1, 1, tzinfo=JST))
    assert pattern_url("/:section/:filename/", page, True, False) == "/blog/report/"


def test_an_unknown_permalink_token_gives_no_url() -> None:
    assert pattern_url("/:nonsense/", _facts("posts/x.md"), True, False) is None


def test_front_matter_url_keeps_its_case() -> None:
    assert front_matter_url("/Upper/Case/") == "/Upper/Case/"


def test_a_relative_url_starts_at_the_site_root() -> None:
    assert front_matter_url("yen/weak-yen/") == "/yen/weak-yen/"


def test_a_url_without_trailing_slash_is_a_folder_unless_it_has_an_extension() -> None:
    assert front_matter_url("/no-slash") == "/no-slash/"
    assert front_matter_url("/2023/06/old.html") == "/2023/06/old.html"


def test_a_relative_alias_is_relative_to_the_pages_folder() -> None:
    assert alias_url("old-semi/", "/blog/semiconductor-outlook/") == "/blog/old-semi/"


def test_an_absolute_alias_stays() -> None:
    assert alias_url("/2023/12/semi", "/blog/x/") == "/2023/12/semi/"


# Front matter


def test_toml_front_matter_is_read() -> None:
    front, body, line = split_front_matter("x.md", '+++\ntitle = "決算"\n+++\n本文\n')
    assert front == {"title": "決算"}
    assert (body, line) == ("本文\n", 4)


def test_yaml_front_matter_is_read() -> None:
    front, body, line = split_front_matter("x.md", "---\ntitle: 決算\ntags: [AI]\n---\n本文\n")
    assert front == {"title": "決算", "tags": ["AI"]}
    assert line == 5


def test_json_front_matter_is_read() -> None:
    front, body, line = split_front_matter("x.md", '{\n  "title": "決算"\n}\n本文\n')
    assert front == {"title": "決算"}
    assert (body, line) == ("本文\n", 4)


def test_bad_toml_is_an_error_at_its_line() -> None:
    with pytest.raises(ContentError) as caught:
        split_front_matter("content/x.md", '+++\ntitle = "a"\ndate = \n+++\n')
    assert str(caught.value).startswith("content/x.md:3: invalid TOML")


def test_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(ContentError, match="never closed"):
        split_front_matter("content/x.md", "---\ntitle: a\n本文\n")


# Shortcodes


def _convert(text: str, **context: object) -> tuple[str, ImportReport]:
    report = ImportReport()
    ctx = ShortcodeContext("content/posts/x.md", lambda target: {"a.md": "/a/"}.get(target))
    for key, value in context.items():
        setattr(ctx, key, value)
    return convert_shortcodes(text, 5, ctx, report), report


def test_ref_becomes_the_targets_url() -> None:
    text, report = _convert('[前回]({{< ref "a.md" >}})')
    assert text == "[前回](/a/)"
    assert [n.kind for n in report.notes] == ["converted"]


def test_relref_keeps_its_anchor() -> None:
    assert _convert('[x]({{< relref "a.md#結論" >}})')[0] == "[x](/a/#結論)"


def test_a_ref_to_no_page_is_reported_and_left() -> None:
    text, report = _convert('[x]({{< ref "missing.md" >}})')
    assert text == '[x]({{< ref "missing.md" >}})'
    assert str(report.notes[0]).startswith("content/posts/x.md:5: reported: shortcode 'ref'")


def test_figure_becomes_a_figure_element() -> None:
    text = _convert('{{< figure src="/a.png" alt="図" title="売上" >}}')[0]
    assert text == (
        '<figure><img src="/a.png" alt="図" loading="lazy">'
        "<figcaption><h4>売上</h4></figcaption></figure>"
    )


def test_highlight_becomes_a_fenced_block() -> None:
    text = _convert('{{< highlight python "linenos=table" >}}\nx = 1\n{{< /highlight >}}')[0]
    assert text == "```python\nx = 1\n```"


def test_a_fence_is_longer_than_any_inside_the_code() -> None:
    text = _convert("{{< highlight md >}}\n```\nx\n```\n{{< /highlight >}}")[0]
    assert text.startswith("````md\n") and text.endswith("\n````")


def test_youtube_becomes_a_privacy_enhanced_iframe() -> None:
    text = _convert("{{< youtube dQw4w9WgXcQ >}}")[0]
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text


def test_tweet_becomes_a_quote_linking_the_post() -> None:
    text = _convert('{{< tweet user="jack" id="20" >}}')[0]
    assert 'href="https://twitter.com/jack/status/20"' in text
    assert "<script" not in text


def test_vimeo_becomes_an_iframe_that_does_not_track() -> None:
    assert (
        'src="https://player.vimeo.com/video/146022717?dnt=1"'
        in _convert("{{< vimeo 146022717 >}}")[0]
    )


def test_gist_becomes_its_script() -> None:
    text = _convert("{{< gist spf13 7896402 >}}")[0]
    assert text == '<script src="https://gist.github.com/spf13/7896402.js"></script>'


def test_param_becomes_its_value() -> None:
    assert _convert('{{< param "broker" >}}', params={"broker": "SBI証券"})[0] == "SBI証券"


def test_code_becomes_a_fenced_block_in_its_language() -> None:
    text = _convert('{{< code lang="go" >}}\nfmt.Println(1)\n{{< /code >}}')[0]
    assert text == "```go\nfmt.Println(1)\n```"


def test_code_keeps_shortcode_syntax_inside_it() -> None:
    text = _convert("{{< code >}}\n{{< youtube x >}}\n{{< /code >}}")[0]
    assert "{{< youtube x >}}" in text


def test_image_without_a_template_becomes_a_markdown_image() -> None:
    assert _convert('{{< image src="/a.png" alt="図" >}}')[0] == "![図](</a.png>)"


def test_a_sites_simple_shortcode_is_expanded_with_its_values_escaped() -> None:
    templates = {"note": '<aside class="{{ .Get 0 }}">{{ .Inner }}</aside>\n'}
    text = _convert('{{% note "a<b" %}}**注意**{{% /note %}}', templates=templates)[0]
    assert text == '<aside class="a&lt;b">**注意**</aside>'


def test_template_trim_markers_remove_the_whitespace_beside_them() -> None:
    code = Shortcode("x", "<", ("v",), {}, None)
    assert expand_template("<b>\n  {{- .Get 0 -}}\n</b>", code) == "<b>v</b>"


def test_a_template_with_logic_is_not_expanded() -> None:
    templates = {"price": '{{ with .Get "t" }}<span>{{ . }}</span>{{ end }}'}
    text, report = _convert('{{< price t="NVDA" >}}', templates=templates)
    assert text == '{{< price t="NVDA" >}}'
    assert report.notes[0].kind == "reported"


def test_an_unknown_shortcode_is_reported_at_its_line() -> None:
    text, report = _convert('本文\n\n{{< stockprice ticker="NVDA" >}}')
    assert text.endswith('{{< stockprice ticker="NVDA" >}}')
    assert str(report.notes[0]).startswith("content/posts/x.md:7: reported:")


def test_shortcodes_inside_a_shortcode_are_converted() -> None:
    templates = {"box": "<div>{{ .Inner }}</div>"}
    text = _convert('{{< box >}}[a]({{< ref "a.md" >}}){{< /box >}}', templates=templates)[0]
    assert text == "<div>[a](/a/)</div>"


def test_an_escaped_shortcode_becomes_its_text() -> None:
    assert _convert("{{</* youtube x */>}}")[0] == "{{< youtube x >}}"


# goldmark's Markdown


def test_block_attributes_move_above_their_paragraph() -> None:
    body, found = move_block_attributes("一行目\n二行目\n{.important}\n", 1, "x.md", ImportReport())
    assert found
    assert body == "{.important}\n一行目\n二行目\n"


def test_block_attributes_in_code_are_left() -> None:
    text = "```\nx\n{.a}\n```\n"
    assert move_block_attributes(text, 1, "x.md", ImportReport()) == (text, False)


# Term URLs


def test_a_term_url_ssg_cannot_write_redirects_to_ssgs() -> None:
    plan = ListPlan()
    plan_taxonomy(plan, "tags", "tags", {"C++": 1}, 10, "page", True)
    assert plan.redirects["/tags/c++/"] == "/tags/c/"
    assert plan.taxonomy_slugs == {}


def test_terms_hugo_merges_are_one_list() -> None:
    plan = ListPlan()
    plan_taxonomy(plan, "tags", "tags", {"AI": 6, "Ai": 5}, 10, "page", True)
    assert "/tags/ai/page/2/" in plan.old_urls
