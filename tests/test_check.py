"""`ssg check`: content, config and layouts checked as a build would; the built site's
links, images and anchors followed and reported at their Markdown line; writing traps
warned at theirs; exit 1 only for errors and broken links; nothing ever written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import build_site, post, write_files

from ssg.cli import main
from ssg.render.templates import DEFAULT_LAYOUTS

# post() puts the body on line 6: ---, title, date, ---, a blank line, then the body.
BODY = 6


@pytest.fixture
def check(capsys):
    """check(site, *options) -> (exit status, stdout, stderr) of `ssg check -s site`."""

    def run(site: Path, *options: str) -> tuple[int, str, str]:
        status = main(["check", "-s", str(site), *options])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def built(make_site, files: dict[str, str | bytes], config: str | None = None) -> Path:
    site = make_site(files) if config is None else make_site(files, config)
    build_site(site)
    return site


def errors(err: str) -> list[str]:
    return [line.removeprefix("error: ") for line in err.splitlines() if line.startswith("error")]


def warnings(err: str) -> list[str]:
    return [line.removeprefix("warning: ") for line in err.splitlines() if line.startswith("warn")]


# --- a site without problems -------------------------------------------------------------


def test_a_built_site_without_problems_passes(make_site, check) -> None:
    site = built(make_site, {
        "content/posts/a.md": post(title="a", body="[b](/2025/11/21/b/) と [紹介](/about/)"),
        "content/posts/b.md": post(title="b", date="2025-11-21", body="## 見出し\n\n本文"),
        "content/about.md": post(title="紹介"),
    })  # fmt: skip
    status, out, err = check(site)
    assert (status, err) == (0, "")
    assert out.startswith("checked 3 posts and pages, the links of ") and "no problems" in out


def test_links_to_headings_footnotes_and_other_pages_anchors_pass(make_site, check) -> None:
    body = "[目次](#投資の結論)と注[^1]、[他](/2025/11/21/b/#別の見出し)\n\n## 投資の結論\n\n"
    body += "[^1]: 注記"
    site = built(make_site, {
        "content/posts/a.md": post(title="a", body=body),
        "content/posts/b.md": post(title="b", date="2025-11-21", body="## 別の見出し"),
    })  # fmt: skip
    assert check(site)[0] == 0


def test_other_sites_mail_and_folder_urls_without_slash_are_fine(make_site, check) -> None:
    body = ("[外](https://other.example.org/nope/) [メール](mailto:a@example.com) "
            "[紹介](/about) <a href='/about/'>引用符</a> <a href=/about/>なし</a>")  # fmt: skip
    site = built(make_site, {"content/posts/a.md": post(body=body), "content/about.md": post()})
    assert check(site)[0] == 0


def test_a_file_put_into_output_by_hand_is_a_link_target(make_site, check) -> None:
    site = built(make_site, {"content/posts/a.md": post(body="[資料](/files/report.pdf)")})
    status, _out, err = check(site)
    assert status == 1 and "report.pdf does not exist" in err
    write_files(site, {"output/files/report.pdf": b"%PDF"})
    assert check(site)[0] == 0


# --- broken links, images and anchors, at their source line ------------------------------


def test_a_link_to_a_missing_page_is_reported_at_its_markdown_line(make_site, check) -> None:
    body = "一行目\n\n詳しくは[こちら](/2025/01/02/y/)を参照。"
    site = built(make_site, {"content/posts/x.md": post(body=body)})
    status, out, err = check(site)
    assert status == 1
    assert errors(err) == [f"content/posts/x.md:{BODY + 2}: link to /2025/01/02/y/ does not exist"]
    assert "1 broken link" in out


def test_a_broken_link_written_twice_is_reported_at_both_lines(make_site, check) -> None:
    site = built(make_site, {"content/posts/x.md": post(body="[a](/nope/)\n\n[b](/nope/)")})
    assert errors(check(site)[2]) == [
        f"content/posts/x.md:{BODY}: link to /nope/ does not exist",
        f"content/posts/x.md:{BODY + 2}: link to /nope/ does not exist",
    ]


def test_a_missing_image_is_reported_as_an_image(make_site, check) -> None:
    site = built(make_site, {"content/posts/x.md": post(body="![図](/images/chart.png)")})
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == [f"content/posts/x.md:{BODY}: image /images/chart.png does not exist"]


def test_an_image_that_exists_in_static_passes(make_site, check) -> None:
    site = built(make_site, {
        "content/posts/x.md": post(body="![図](/images/chart.png)"),
        "static/images/chart.png": b"\x89PNG",
    })  # fmt: skip
    assert check(site)[0] == 0


def test_a_missing_anchor_on_the_same_page(make_site, check) -> None:
    site = built(make_site, {"content/posts/x.md": post(body="## 結論\n\n[結論へ](#けつろん)")})
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == [
        f"content/posts/x.md:{BODY + 2}: link to #けつろん: no element on this page has id "
        "'けつろん'"
    ]


def test_a_missing_anchor_on_another_page(make_site, check) -> None:
    site = built(make_site, {
        "content/posts/x.md": post(body="[前回](/2025/11/21/y/#まとめ)"),
        "content/posts/y.md": post(date="2025-11-21", body="## 結論"),
    })  # fmt: skip
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == [
        f"content/posts/x.md:{BODY}: link to /2025/11/21/y/#まとめ: no element on that page "
        "has id 'まとめ'"
    ]


def test_a_link_in_a_code_block_or_a_comment_is_not_followed(make_site, check) -> None:
    body = '```html\n<a href="/nope/">x</a>\n```\n\n<!-- <a href="/old/">古い</a> -->\n\n`href=/x/`'
    site = built(make_site, {"content/posts/x.md": post(body=body)})
    assert check(site)[0] == 0


def test_a_broken_link_a_layout_makes_names_the_output_page_once(make_site, check) -> None:
    base = (DEFAULT_LAYOUTS / "base.html").read_text(encoding="utf-8")
    assert "</footer>" in base
    site = built(make_site, {
        "content/posts/a.md": post(title="a"),
        "content/posts/b.md": post(title="b", date="2025-11-21"),
        "layouts/base.html": base.replace("</footer>", '<a href="/contact/">連絡</a></footer>'),
    })  # fmt: skip
    status, _out, err = check(site)
    assert status == 1
    assert (
        "output/2025/11/21/b/index.html: link to /contact/ does not exist (made by the layout "
        "post.html; also on 1 other page)"
    ) in errors(err)
    assert any("(made by its layout; also on " in line for line in errors(err))


# --- base_url with a path ---------------------------------------------------------------

SUB_PATH = 'title: テスト\nbase_url: "https://example.com/blog/"\n'


def test_with_a_base_path_markdown_links_are_checked_below_it(make_site, check) -> None:
    site = built(make_site, {
        "content/posts/a.md": post(body="[紹介](/about/)\n\n[古い](/old/)"),
        "content/about.md": post(title="紹介"),
    }, SUB_PATH)  # fmt: skip
    assert 'href="/blog/old/"' in (site / "output/2025/11/20/a/index.html").read_text("utf-8")
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == [f"content/posts/a.md:{BODY + 2}: link to /old/ does not exist"]


def test_with_a_base_path_absolute_links_to_it_are_checked(make_site, check) -> None:
    body = "[ok](https://example.com/blog/about/)\n\n[ng](https://example.com/blog/nope/)\n\n" \
        "[別のアプリ](https://example.com/shop/)"  # fmt: skip
    site = built(make_site, {"content/posts/a.md": post(body=body),
                             "content/about.md": post()}, SUB_PATH)  # fmt: skip
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == [
        f"content/posts/a.md:{BODY + 2}: link to https://example.com/blog/nope/ does not exist"
    ]


def test_with_a_base_path_a_raw_root_link_outside_it_leaves_the_site(make_site, check) -> None:
    site = built(make_site, {"content/posts/a.md": post(body='<a href="/about/">紹介</a>'),
                             "content/about.md": post()}, SUB_PATH)  # fmt: skip
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == [
        f"content/posts/a.md:{BODY}: link to /about/ leaves the site (its pages are under /blog/)"
    ]


# --- content, config and layouts, as a build checks them ---------------------------------


def test_content_errors_are_all_reported_like_a_build(make_site, check) -> None:
    site = make_site({
        "content/posts/a.md": "---\ntitle: [unclosed\n---\n本文\n",
        "content/posts/b.md": post(date="someday"),
    })  # fmt: skip
    status, _out, err = check(site)
    assert status == 1
    found = errors(err)
    assert len(found) == 2
    assert found[0].startswith("content/posts/a.md:3: invalid YAML")
    assert found[1].startswith("content/posts/b.md:3: ")
    assert not (site / "output").exists()


def test_a_missing_layout_is_an_error(make_site, check) -> None:
    site = make_site({"content/posts/a.md": post(layout="postt")})
    status, _out, err = check(site)
    assert status == 1
    assert errors(err) == ["content/posts/a.md:4: layout 'postt' not found in layouts/; "
                           "did you mean 'post'?"]  # fmt: skip


def test_a_layout_syntax_error_is_an_error_at_its_line(make_site, check) -> None:
    site = make_site({
        "content/posts/a.md": post(),
        "layouts/page.html": "{% extends 'base.html' %}\n{% block content %}\n{% if %}\n",
    })  # fmt: skip
    status, _out, err = check(site)
    assert status == 1
    assert errors(err)[0].startswith("layouts/page.html:3: ")


def test_a_config_error_is_an_error(make_site, check) -> None:
    site = make_site({"content/posts/a.md": post()}, "title: x\nbase_ur: /\n")
    status, _out, err = check(site)
    assert status == 1 and "config.yaml:2: unknown key 'base_ur'" in err


# --- output/ missing or out of date ----------------------------------------------------


def test_links_are_not_checked_before_a_build(make_site, check) -> None:
    site = make_site({"content/posts/a.md": post(body="[x](/nope/)")})
    status, out, err = check(site)
    assert status == 0
    assert warnings(err) == ["links not checked: output/ has not been built; run `ssg build`, "
                             "then `ssg check` again"]  # fmt: skip
    assert "no links" in out


def test_links_are_not_checked_when_output_is_older_than_the_content(make_site, check) -> None:
    site = built(make_site, {"content/posts/a.md": post()})
    write_files(site, {"content/posts/a.md": post(body="[x](/nope/)")})
    status, _out, err = check(site)
    assert status == 0
    assert (
        "links not checked: output/ is out of date (files changed since the last `ssg build`" in err
    )


# --- writing traps -----------------------------------------------------------------------


def test_an_unpaired_bold_is_a_warning_at_its_line(make_site, check) -> None:
    body = "**「重要」**です。\n\nここは**閉じ忘れです。"
    site = built(make_site, {"content/posts/a.md": post(body=body)})
    status, _out, err = check(site)
    assert status == 0
    assert warnings(err) == [
        f"content/posts/a.md:{BODY + 2}: unpaired ** is shown as text; close the bold with **, "
        "keep no space just inside it, or write \\*\\* for asterisks"
    ]


def test_asterisks_in_code_or_escaped_are_no_trap(make_site, check) -> None:
    body = "**太字**と`2**10`\n\n```python\nx = 2**10\n```\n\n\\*\\*注\\*\\*"
    site = built(make_site, {"content/posts/a.md": post(body=body)})
    status, _out, err = check(site)
    assert (status, err) == (0, "")


@pytest.mark.parametrize(("snippet", "kind"), [
    ("{{ site.title }}", "template syntax {{ site.title }} is shown as text"),
    ("{% include chart.html %}", "template syntax {% include chart.html %} is shown as text"),
    ("{{< youtube abc >}}", "Hugo shortcode {{< youtube abc >}} is shown as text"),
])  # fmt: skip
def test_template_syntax_in_a_body_is_a_warning(make_site, check, snippet, kind) -> None:
    site = built(make_site, {"content/posts/a.md": post(body=f"前置き\n\n{snippet}\n")})
    status, _out, err = check(site)
    assert status == 0
    assert len(warnings(err)) == 1
    assert warnings(err)[0].startswith(f"content/posts/a.md:{BODY + 2}: {kind}")


def test_template_syntax_in_code_is_no_trap(make_site, check) -> None:
    body = "`{{ site.title }}` と\n\n```liquid\n{% for p in site.posts %}\n```"
    site = built(make_site, {"content/posts/a.md": post(body=body)})
    assert check(site)[2] == ""


def test_dashes_under_a_one_line_paragraph_are_a_warning(make_site, check) -> None:
    body = "前の段落。\n\n見出しのつもりではない\n---\n\n続き。"
    site = built(make_site, {"content/posts/a.md": post(body=body)})
    status, _out, err = check(site)
    assert status == 0
    assert warnings(err) == [
        f"content/posts/a.md:{BODY + 3}: --- under a one-line paragraph makes that line a "
        "heading, not a rule; put a blank line above --- for a rule, or write ## for a heading"
    ]


@pytest.mark.parametrize("body", [
    "段落。\n\n---\n\n続き。",  # a rule: blank line above
    "一行目\n二行目\n---\n\n続き。",  # a longer paragraph: the parser's business
    "- 項目\n---\n",  # a list item
    "## 見出し\n---\n",  # an ATX heading
    "```\ncode\n---\n```\n",  # code
])  # fmt: skip
def test_dashes_elsewhere_are_no_trap(make_site, check, body) -> None:
    site = built(make_site, {"content/posts/a.md": post(body=body)})
    assert check(site)[2] == ""


def test_traps_are_found_before_a_build_too(make_site, check) -> None:
    site = make_site({"content/posts/a.md": post(body="ここは**閉じ忘れ。")})
    status, _out, err = check(site)
    assert status == 0 and f"content/posts/a.md:{BODY}: unpaired **" in err


# --- nothing is written ------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_check_never_writes_output_or_the_cache(make_site, check) -> None:
    site = built(make_site, {"content/posts/a.md": post(body="[x](/nope/)")})
    before = (snapshot(site / "output"), snapshot(site / ".ssg-cache"), sorted(os.listdir(site)))
    assert check(site)[0] == 1  # up to date: links followed
    write_files(site, {"content/posts/b.md": post(date="2025-11-21")})
    assert check(site)[0] == 0  # out of date: parsed and planned
    after = (snapshot(site / "output"), snapshot(site / ".ssg-cache"), sorted(os.listdir(site)))
    assert after == before


def test_the_output_folder_can_be_chosen_as_for_a_build(make_site, check, tmp_path) -> None:
    site = make_site({"content/posts/a.md": post(body="[x](/nope/)")})
    public = tmp_path / "public"
    assert main(["build", "-s", str(site), "-d", str(public), "-q"]) == 0
    status, _out, err = check(site, "-d", str(public))
    assert status == 1 and "link to /nope/ does not exist" in err
    assert "output/ has not been built" in check(site)[2]
