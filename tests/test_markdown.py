"""Markdown: GFM, Japanese heading ids, highlighted code, excerpts, and safe links."""

from __future__ import annotations

import pytest

from ssg.markdown.parser import RenderedMarkdown, highlight_css, make_markdown, render_markdown

MD = make_markdown()


def render(body: str) -> RenderedMarkdown:
    return render_markdown(MD, body)


def html(body: str) -> str:
    return render(body).html


def ids(body: str) -> list[str]:
    return [h.id for h in render(body).toc]


# GitHub-flavoured Markdown


def test_tables_are_wrapped_for_horizontal_scrolling() -> None:
    out = html("| 銘柄 | 株価 |\n|---|---:|\n| A | 100 |\n")
    assert out.startswith(
        '<div class="table-wrap" tabindex="0" role="region" aria-label="表"><table>\n<thead>'
    )
    assert out.endswith("</table></div>\n")
    assert "<th>銘柄</th>" in out
    assert '<td style="text-align:right" class="num">100</td>' in out


def test_strikethrough() -> None:
    assert html("~~旧予想~~ 新予想") == "<p><s>旧予想</s> 新予想</p>\n"


def test_a_single_tilde_is_a_range_not_strikethrough() -> None:
    assert html("売上は3~5%増、利益は10~15%増") == "<p>売上は3~5%増、利益は10~15%増</p>\n"


def test_a_range_and_a_strikethrough_in_one_line() -> None:
    assert html("3~5%と~~旧予想~~") == "<p>3~5%と<s>旧予想</s></p>\n"


def test_three_tildes_still_open_a_code_fence() -> None:
    assert html("~~~\nA~B\n~~~\n") == '<pre class="highlight"><code>A~B\n</code></pre>\n'


def test_task_lists_render_disabled_checkboxes() -> None:
    out = html("- [ ] 未確認\n- [x] 確認済み\n")
    assert out.count('type="checkbox"') == 2
    assert out.count('checked=""') == 1
    assert out.count('disabled=""') == 2


def test_a_task_checkbox_is_labelled_by_its_item_text() -> None:
    assert html("- [x] 決算を**確認**\n") == (
        '<ul class="contains-task-list">\n<li class="task-list-item"><label>'
        '<input class="task-list-item-checkbox" disabled="" type="checkbox" checked=""> '
        "決算を<strong>確認</strong></label></li>\n</ul>\n"
    )


def test_a_task_label_in_a_loose_list_stays_inside_the_paragraph() -> None:
    out = html("- [ ] 一つ目\n\n- [x] 二つ目\n")
    assert out.count("<p><label><input") == 2 and out.count("</label></p>") == 2


def test_a_task_item_label_ends_before_its_nested_list() -> None:
    out = html("- [ ] 親\n  - 子\n")
    assert 'type="checkbox"> 親</label>\n<ul>\n<li>子</li>' in out


def test_bare_urls_become_links() -> None:
    assert html("詳細は https://example.com/ir を参照") == (
        '<p>詳細は <a href="https://example.com/ir">https://example.com/ir</a> を参照</p>\n'
    )


def test_footnotes_link_both_ways() -> None:
    out = html("本文[^1]\n\n[^1]: 注釈\n")
    assert '<a href="#fn1" id="fnref1">' in out
    assert '<li id="fn1" class="footnote-item"><p>注釈 <a href="#fnref1"' in out


def test_footnotes_section_has_a_heading_for_screen_readers() -> None:
    out = html("本文[^1]\n\n[^1]: 注釈\n")
    assert '<section class="footnotes">\n<h2 class="visually-hidden">脚注</h2>\n<ol' in out


# Heading ids and table of contents


def test_japanese_heading_id_keeps_japanese_and_drops_punctuation() -> None:
    assert html("## 投資の 結論！\n") == '<h2 id="投資の-結論">投資の 結論！</h2>\n'


def test_heading_id_folds_full_width_and_case() -> None:
    assert ids("## ＡＩと半導体\n") == ["aiと半導体"]


def test_heading_id_uses_the_text_of_inline_markup() -> None:
    assert ids("## **決算**の`要点`\n") == ["決算の要点"]


def test_heading_ids_are_unique_within_a_page() -> None:
    assert ids("## まとめ\n## まとめ\n## まとめ\n") == ["まとめ", "まとめ-2", "まとめ-3"]


def test_a_heading_named_like_a_numbered_repeat_keeps_ids_unique() -> None:
    assert ids("## a\n## a-2\n## a\n## a\n") == ["a", "a-2", "a-3", "a-4"]


def test_twenty_thousand_repeated_headings_take_linear_time() -> None:
    import time

    started = time.perf_counter()
    found = ids("# h\n" * 20_000)
    # Quadratic suffix search took 28 s here; linear takes well under one.
    assert time.perf_counter() - started < 5
    assert found[-1] == "h-20000" and len(set(found)) == 20_000


def test_heading_ids_restart_for_each_page() -> None:
    assert ids("## まとめ\n") == ["まとめ"]
    assert ids("## まとめ\n") == ["まとめ"]


def test_editing_one_heading_does_not_change_the_others_ids() -> None:
    before = ids("## 概要\n## 業績\n## まとめ\n")
    after = ids("## 概要（改訂）\n## 業績\n## まとめ\n")
    assert before[1:] == after[1:] == ["業績", "まとめ"]


def test_heading_without_usable_text_gets_a_fallback_id() -> None:
    assert ids("## !!!\n") == ["section"]


@pytest.mark.parametrize("name", ["Exports", "module", "require", "define", "Global", "PROCESS"])
def test_a_heading_named_like_a_module_global_gets_a_section_suffix(name: str) -> None:
    assert ids(f"## {name}\n") == [f"{name.lower()}-section"]


def test_repeated_headings_named_like_a_module_global_stay_unique() -> None:
    assert ids("## Exports\n## Exports\n## exports section\n") == [
        "exports-section",
        "exports-section-2",
        "exports-section-3",
    ]


def test_headings_that_only_contain_a_module_global_keep_their_id() -> None:
    assert ids("## Exports and imports\n## 輸出（exports）\n") == [
        "exports-and-imports",
        "輸出exports",
    ]


def test_table_of_contents_lists_every_heading_in_order() -> None:
    toc = render("# 題\n\n## 概要\n\n### 詳細\n").toc
    assert [(h.level, h.id, h.text) for h in toc] == [
        (1, "題", "題"),
        (2, "概要", "概要"),
        (3, "詳細", "詳細"),
    ]


# Underlined (setext) headings: one line only, as in kramdown

DISCLAIMER = "【免責事項】\n本記事は投資助言ではありません。\n投資判断はご自身の責任で。\n---\n"


def test_several_lines_then_dashes_are_a_paragraph_and_a_rule() -> None:
    assert html(DISCLAIMER) == (
        "<p>【免責事項】本記事は投資助言ではありません。投資判断はご自身の責任で。</p>\n<hr />\n"
    )


def test_several_lines_then_dashes_make_no_heading() -> None:
    assert render(DISCLAIMER).toc == ()


def test_one_line_then_dashes_is_still_a_heading() -> None:
    assert html("業績の要点\n---\n本文") == '<h2 id="業績の要点">業績の要点</h2>\n<p>本文</p>\n'


def test_one_line_then_equals_is_still_a_heading() -> None:
    assert html("業績の要点\n===\n") == '<h1 id="業績の要点">業績の要点</h1>\n'


def test_equals_under_several_lines_stay_text_in_the_paragraph() -> None:
    assert html("一行目\n二行目\n===\n") == "<p>一行目二行目\n===</p>\n"


def test_several_lines_then_dashes_in_a_quote_are_a_paragraph_and_a_rule() -> None:
    assert html("> 一行目\n> 二行目\n> ---\n") == (
        "<blockquote>\n<p>一行目二行目</p>\n<hr />\n</blockquote>\n"
    )


# Code


def test_known_language_is_highlighted_with_css_classes() -> None:
    out = html('```python\nprint("<hi>")\n```\n')
    assert out.startswith('<pre class="highlight"><code class="language-python">')
    assert '<span class="nb">print</span>' in out
    assert "&lt;hi&gt;" in out
    assert "style=" not in out


def test_unknown_language_is_escaped_and_not_highlighted() -> None:
    out = html("```nosuchlang\n<b>x</b>\n```\n")
    assert out == (
        '<pre class="highlight"><code class="language-nosuchlang">&lt;b&gt;x&lt;/b&gt;\n'
        "</code></pre>\n"
    )


def test_fence_without_language_is_escaped() -> None:
    assert html("```\n<script>\n```\n") == (
        '<pre class="highlight"><code>&lt;script&gt;\n</code></pre>\n'
    )


def test_language_with_a_file_name_shows_the_file_name() -> None:
    out = html("```python:main.py\nx = 1\n```\n")
    assert out.startswith(
        '<div class="code-block"><div class="code-filename">main.py</div>'
        '<pre class="highlight"><code class="language-python">'
    )
    assert '<span class="n">x</span>' in out


def test_file_name_and_language_of_a_fence_are_escaped() -> None:
    out = html("```<x>:<b>.py\ncode\n```\n")
    assert "<b>" not in out
    assert "<x>" not in out


def test_highlight_css_styles_the_highlight_classes() -> None:
    assert ".highlight .k" in highlight_css()


# Excerpt marker


def test_more_marker_is_removed_from_the_html() -> None:
    assert html("導入。\n\n<!--more-->\n\n本文。\n") == "<p>導入。</p>\n<p>本文。</p>\n"


def test_more_marker_gives_the_text_before_it() -> None:
    assert render("# 題\n\n導入。\n\n<!--more-->\n\n本文。\n").more_text == "題 導入。"


def test_more_html_holds_only_the_blocks_before_the_marker() -> None:
    rendered = render_markdown(MD, "導入。\n\n<!--more-->\n\n本文。\n\n- a\n- b\n")
    assert rendered.more_html == "<p>導入。</p>\n"


def test_no_more_marker_gives_no_more_excerpt() -> None:
    rendered = render("導入。\n\n本文。\n")
    assert (rendered.more_html, rendered.more_text) == (None, None)


def test_an_excerpts_headings_have_no_ids_as_list_pages_show_many() -> None:
    rendered = render("## はじめに\n\n導入。\n\n<!--more-->\n\n本文。\n")
    assert rendered.more_html == "<h2>はじめに</h2>\n<p>導入。</p>\n"
    assert '<h2 id="はじめに">' in rendered.html


def test_an_excerpts_footnote_reference_is_a_plain_mark() -> None:
    rendered = render("導入[^1]。\n\n<!--more-->\n\n本文。\n\n[^1]: 注。\n")
    assert rendered.more_html == '<p>導入<sup class="footnote-ref">[1]</sup>。</p>\n'
    assert '<a href="#fn1" id="fnref1">[1]</a>' in rendered.html


def test_first_paragraph_skips_headings() -> None:
    assert render("## 見出し\n\n最初の段落。\n\n次。\n").first_paragraph == "最初の段落。"


# Links and raw HTML


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "![img](javascript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_script_links_never_reach_an_href(body: str) -> None:
    out = html(body).lower()
    assert 'href="javascript' not in out
    assert 'src="javascript' not in out
    assert 'href="vbscript' not in out
    assert 'href="data:' not in out


def test_ordinary_links_are_kept() -> None:
    assert html("[IR](https://example.com/ir)") == (
        '<p><a href="https://example.com/ir">IR</a></p>\n'
    )


def test_raw_html_passes_through_by_default() -> None:
    assert html('<div class="note">注意</div>\n') == '<div class="note">注意</div>\n'


def test_raw_html_is_escaped_when_turned_off() -> None:
    out = render_markdown(make_markdown(raw_html=False), '<div class="note">注意</div>\n').html
    assert out == "<p>&lt;div class=&quot;note&quot;&gt;注意&lt;/div&gt;</p>\n"


# Prose counts for reading time


def test_prose_counts_japanese_characters_and_latin_words() -> None:
    rendered = render("OpenAIとAWSの契約。\n")
    assert (rendered.cjk_chars, rendered.latin_words) == (5, 2)


def test_prose_counts_exclude_code_blocks_and_inline_code() -> None:
    rendered = render("本文です。\n\n```\n日本語 code words\n```\n\n`インライン code`\n")
    assert (rendered.cjk_chars, rendered.latin_words) == (5, 0)


def test_prose_counts_include_headings_and_lists() -> None:
    rendered = render("## 見出し\n\n- 項目 one\n")
    assert (rendered.cjk_chars, rendered.latin_words) == (5, 1)


def test_thirty_thousand_unclosed_autolinks_take_linear_time() -> None:
    import time

    started = time.perf_counter()
    html("<http://" * 30_000 + "\n")
    # The protocol rule's look-back over all pending text made this take minutes.
    assert time.perf_counter() - started < 10


def test_a_url_after_a_long_run_of_text_is_still_a_link() -> None:
    long = "長い段落の文章です。" * 60 + "a:" * 200
    out = html(f"{long} https://example.com/x と mailto:ir@example.jp を参照。")
    assert '<a href="https://example.com/x">https://example.com/x</a>' in out
    assert '<a href="mailto:ir@example.jp">mailto:ir@example.jp</a>' in out
    assert out.count("長い段落の文章です。") == 60


def test_a_fence_that_pygments_cannot_finish_in_time_is_plain_text_with_a_warning() -> None:
    rendered = render("本文\n\n```perl\n" + "s{" * 20_000 + "\n```\n")
    assert rendered.warnings == (
        (3, "the perl code block was not highlighted: Pygments took over 2 s on it; "
            "it is shown as plain text"),
    )  # fmt: skip
    assert "s{s{s{" in rendered.html and '<span class="' not in rendered.html
