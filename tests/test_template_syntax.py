"""`ssg build` never shows Liquid, Jinja or Hugo shortcode syntax silently: each line that a
reader would see it on is a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_site, post

from ssg.content.template_syntax import template_syntax

BODY = 6  # post() puts the first line of the body on line 6 of the file


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("{% post_url 2013-10-03-rails %}", "template syntax {% post_url 2013-10-03-rails %}"),
        ('![01]({{ "/assets/a.png" | relative_url }})', 'template syntax {{ "/assets/a.png" |'),
        ("{{< code lang=go >}}", "Hugo shortcode {{< code lang=go >}}"),
        ("{{% notice %}}", "Hugo shortcode {{% notice %}}"),
    ],
)
def test_a_build_warns_at_the_line_showing_template_syntax(
    make_site: Callable[..., Path], line: str, shown: str
) -> None:
    site = make_site({"content/posts/a.md": post(body=f"前置き。\n\n{line}\n")})
    report = build_site(site)
    (warning,) = report.warnings
    assert warning.startswith(f"content/posts/a.md:{BODY + 2}: {shown}")
    assert warning.endswith("remove it, or put it in `code` to show it")


def test_template_syntax_in_code_gives_no_warning(make_site: Callable[..., Path]) -> None:
    body = "`{{ site.title }}` と\n\n```liquid\n{% for p in site.posts %}\n{{ p.title }}\n```\n"
    site = make_site({"content/posts/a.md": post(body=body)})
    assert build_site(site).warnings == ()


def test_each_line_with_template_syntax_is_named() -> None:
    body = "{% include ads.html %}\n\n本文\n\n{% include amazon.html asin=1 %}\n"
    html = "<p>{% include ads.html %}</p>\n<p>本文</p>\n<p>{% include amazon.html asin=1 %}</p>\n"
    assert [line for line, _ in template_syntax(body, html)] == [1, 5]


def test_a_line_both_in_and_out_of_code_counts_outside_only() -> None:
    body = "`{{ a }}` と {{ b }}\n"
    html = "<p><code>{{ a }}</code> と {{ b }}</p>\n"
    ((line, message),) = template_syntax(body, html)
    assert (line, "{{ b }}" in message, "{{ a }}" in message) == (1, True, False)
