"""`markdown_attributes: true`: `{.class #id key=value}` after inline elements and before
blocks, safe ones only; off, the output is what it always was."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, build_site, post
from hypothesis import given, settings
from hypothesis import strategies as st

from ssg.config import load_config
from ssg.errors import ConfigError
from ssg.markdown.parser import make_markdown, render_markdown

ON = make_markdown(attributes=True)
OFF = make_markdown()
ATTRIBUTES_CONFIG = MINIMAL_CONFIG + "markdown_attributes: true\n"


def soup(body: str, md=ON) -> BeautifulSoup:
    return BeautifulSoup(render_markdown(md, body).html, "html.parser")


def warnings(body: str) -> tuple[tuple[int, str], ...]:
    return render_markdown(ON, body).warnings


def post_page(site: Path) -> BeautifulSoup:
    html = (site / "output/2025/11/20/a/index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_a_class_after_a_link_goes_on_the_link() -> None:
    link = soup("[無料相談はこちら](/consulting/){.consulting-cta-link}").a
    assert link["class"] == ["consulting-cta-link"]
    assert link["href"] == "/consulting/"


def test_a_width_after_an_image_goes_on_the_image() -> None:
    assert soup("![図1](/assets/chart.png){width=300}").img["width"] == "300"


def test_a_line_of_attributes_goes_on_the_block_below_it() -> None:
    paragraph = soup("{.note #risk}\n投資にはリスクがあります。\n").p
    assert paragraph["class"] == ["note"]
    assert paragraph["id"] == "risk"


def test_attributes_are_text_when_the_setting_is_off() -> None:
    page = soup("[a](/u){.cta}\n", md=OFF)
    assert page.a.get("class") is None
    assert "{.cta}" in page.p.text


def test_an_event_handler_is_left_out_with_a_warning() -> None:
    body = '[a](/u){.ok onclick="alert(1)"}\n'
    assert soup(body).a.attrs == {"href": "/u", "class": ["ok"]}
    assert warnings(body) == ((1, "attribute onclick left out: event handlers run script"),)


def test_a_style_that_loads_a_url_is_left_out() -> None:
    body = '\n{style="background: URL(https://evil.example/x.png)"}\n本文\n'
    assert soup(body).p.get("style") is None
    assert warnings(body)[0][0] == 2


def test_a_style_with_an_expression_is_left_out() -> None:
    assert soup('{style="width: expression(alert(1))"}\n本文\n').p.get("style") is None


def test_a_plain_style_passes() -> None:
    assert soup('{style="color: red"}\n本文\n').p["style"] == "color: red"


def test_a_javascript_href_set_by_attributes_is_left_out() -> None:
    body = '[a](/u){href="javascript:alert(1)"}\n'
    assert soup(body).a["href"] == "/u"
    assert "href" in warnings(body)[0][1]


def test_a_data_url_set_by_attributes_is_left_out_but_a_markdown_data_image_stays() -> None:
    page = soup('![a](data:image/png;base64,AAAA){src="data:text/html,x" .wide}\n')
    assert page.img["src"] == "data:image/png;base64,AAAA"
    assert page.img["class"] == ["wide"]


def test_an_id_scripts_test_for_is_left_out() -> None:
    assert soup("{#exports}\n本文\n").p.get("id") is None


def test_an_id_given_to_a_heading_replaces_its_generated_id() -> None:
    assert soup("{#summary}\n## まとめ\n").h2["id"] == "summary"


def test_generated_heading_ids_never_take_an_id_the_writer_gave() -> None:
    page = soup("{#まとめ}\n段落\n\n## まとめ\n")
    assert page.h2["id"] == "まとめ-2"


def test_a_page_built_with_the_setting_carries_the_attributes(make_site) -> None:
    body = "[申し込む](/form/){.cta}\n"
    site = make_site({"content/posts/a.md": post(body=body)}, config=ATTRIBUTES_CONFIG)
    build_site(site)
    assert post_page(site).find("a", class_="cta")["href"] == "/form/"


def test_a_left_out_attribute_is_a_warning_at_its_file_line(make_site) -> None:
    body = '段落\n\n[a](/u){onclick="x()"}\n'
    site = make_site({"content/posts/a.md": post(body=body)}, config=ATTRIBUTES_CONFIG)
    report = build_site(site)
    # post() writes 4 front-matter lines, `---`, a blank line: the body starts on line 6.
    assert any(w.startswith("content/posts/a.md:8: attribute onclick") for w in report.warnings)


def test_turning_the_setting_on_parses_the_posts_again(make_site) -> None:
    site = make_site({"content/posts/a.md": post(body="[申し込む](/form/){.cta}\n")})
    build_site(site)
    assert post_page(site).find("a", href="/form/").get("class") is None
    (site / "config.yaml").write_text(ATTRIBUTES_CONFIG, encoding="utf-8")
    build_site(site)
    assert post_page(site).find("a", href="/form/")["class"] == ["cta"]


def test_the_setting_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("markdown_attributes: yes please\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'markdown_attributes' must be true or false"):
        load_config(tmp_path)


# Markdown made of what the attribute rules look at or sit beside: links, images, code,
# headings, block starts, HTML, Japanese text.
_PIECES = st.sampled_from(["[x](/y)", "![i](p.png)", "`c`", "\n", "\n\n", "## ", "- ", "> ",
                           "=", '"', "見出し", "text ", "*", "<b>", "</div>", "| a |", "---",
                           ":::message\n", "$NVDA", "**「重要」**"])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=30).map("".join))
def test_without_braces_the_setting_changes_nothing(body: str) -> None:
    # The golden snapshot (test_snapshot_example.py) shows the setting's default leaves
    # the example site byte for byte as it was; here, with the plugins in, any Markdown
    # without an attribute still renders exactly as without them.
    body = body.replace("{", "(").replace("}", ")")
    assert render_markdown(ON, body) == render_markdown(OFF, body)
