"""Property: whatever a writer puts in front matter and Markdown, a build either writes
well-formed HTML and XML, or fails with errors located in the writer's files; never a
traceback.

Hypothesis draws small sites whose posts and pages carry hostile but realistic input:
front matter of random YAML (scalars, lists and maps; titles with `<>&"'`, `</script>`,
`]]>`, control characters, emoji, NFD kana, very long text; numbers like 1.10 or 007;
yes/no/on; null; dates in odd shapes; tags as lists, words or maps; explicit YAML tags;
broken YAML) and bodies mixing Japanese text with emphasis next to 「」, `~`, `---` lines,
fences (closed or not), tables, callouts, links to odd URLs, `<http://`, NUL and raw HTML.

Each site is built as `ssg build` builds it (`ssg.cli.run_build`). Then:

- on success, every .html parses with html5lib (the WHATWG parsing algorithm) without a
  single parse error, and every .xml with ElementTree; feed.xml with feedparser, no bozo;
- on failure, the error is an SsgError whose every problem starts with `content/FILE:`
  (`content/FILE:LINE:` when the line is known), for a FILE the site has;
- either way every warning is located the same way, and any other exception fails the test.

Raw HTML is the writer's own: a `<div>` left open breaks the page as the writer wrote it.
So the bodies of the first two properties hold only raw HTML that is complete in itself,
and a third property throws in unbalanced fragments and checks the rest: no traceback,
valid XML, located errors.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import html5lib
import yaml
from conftest import MINIMAL_CONFIG, config_for, write_files
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ssg.cli import run_build
from ssg.errors import SsgError

# --- Hostile text --------------------------------------------------------------------------

JAPANESE = ("円安が進んだ。", "半導体", "投資判断は自己責任で", "ＮＶＩＤＩＡ", "ｶﾀｶﾅ", "「重要」",
            "（注）", "…", "　", "〜", "ー")  # fmt: skip
# What pastes from PDFs, chat tools and other blogs carry, and what breaks markup.
SPECIALS = (
    "<>&\"'", "</script>", "<script>alert(1)</script>", "]]>", "<![CDATA[", "<!--", "-->",
    "&amp;", "&#0;", "&#x110000;", "&nbsp", "{{ site.title }}", "{% raw %}", "\\", "%", "#",
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9f",
    "\u200b", "\u200e", "\u202e", "\u2028", "\u2029", "\ufeff", "\ufdd0", "\ufffe", "\uffff",
    "\U0010ffff", "\U0001fffe", "😀", "👨‍👩‍👧", "🇯🇵", "カ\u3099", "ハ\u309a", "が", "ﾊﾟ", "ｶﾞ",
    "Å", "é", "\t", " ", "\r", "\r\n", "\n",
)  # fmt: skip
WORDS = ("AI", "ai", "NVIDIA", "TSMC", "FOMC", "1.10", "007", "1e3", "yes", "no", "on", "off",
         "null", "~", "true", "-", "_", ".", "..", "con", "index")  # fmt: skip

pieces = st.one_of(
    st.sampled_from(JAPANESE),
    st.sampled_from(SPECIALS),
    st.sampled_from(WORDS),
    st.text(max_size=6),
)
hostile_text = st.one_of(
    st.lists(pieces, max_size=6).map("".join),
    # Very long text: a title or tag of a few thousand characters.
    st.tuples(st.sampled_from(("長い", "a", "😀", "<&>", "カ\u3099")), st.integers(100, 3000)).map(
        lambda t: t[0] * t[1]
    ),
)

# --- Front matter --------------------------------------------------------------------------

# YAML values a writer can mean: dumped by PyYAML, so they are valid YAML of any shape.
yaml_scalars = st.one_of(
    hostile_text,
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)

# Dates in the shapes blogs write, some far in the past or future; then ones ssg must refuse.
DATES = (
    "2025-01-05", "2025/1/5", "2025-1-5 9:05", "2025-11-20 08:43:29 +0000", "2025-11-20 08:43 Z",
    "2025-11-20T09:30:00+09:00", "2025-11-20T09:30:00.123456789Z", "'2025-01-05'",
    "0002-01-01 00:00 +1400", "0002-01-01", "9998-12-31 23:59 -1200", "9998-12-31",
    "2099-01-01", "2026-11-21 12:00 +0900", "!!timestamp 2025-01-05",
)  # fmt: skip
BAD_DATES = ("2025-11-20 25:61", "2025-13-01", "2025-02-30", "20250105", "2025年1月5日", "昨日",
             '"2025-01-05 +2400"', "!!timestamp 2025-13-01", "[2025-01-05]",
             "0001-01-01 00:00 +0900", "9999-12-31 23:59 -0900")  # fmt: skip
# Values as writers type them, read by ssg's own YAML rules (plain, quoted, flow, block,
# explicit tags), and some that are not YAML at all.
RAW_VALUES = BAD_DATES + (
    "", "1.10", "007", "1e3", "0x1F", "1_000", ".inf", ".nan", "-0", "yes", "no", "on", "Off",
    "null", "~", "true", "False", "AI 半導体 投資", "[AI, 半導体]", "[yes, on, 007, 1.10]", "[]",
    "{}", "[[AI], {a: b}]", "{a: 1, b: [2]}", '"unclosed', "'it''s'",
    '"\\0\\x85\\e\\u2028\\U0001F600"', '"\\x7f"', "[a, b", "a: b: c", "- a",
    "|\n  ブロック\n  テキスト", ">-\n  折り\n  返し", "&anchor x", "*nowhere", "!!timestamp 昨日",
    "!!int abc", "!!int 0x", "!!float x", "!!bool maybe", "!!str 007", "!!binary aGVsbG8=",
    "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system x", "!custom x", "@at",
    "`tick", "%percent", "#comment", "\t tab", "< >", "9" * 5000,
)  # fmt: skip
KEYS = ("title", "date", "updated", "tags", "categories", "tag", "category", "author",
        "excerpt", "description", "reading_time", "slug", "permalink", "layout", "draft",
        "published", "image", "series", "日本語キー", "on", "null", "1",
        "'quoted key'")  # fmt: skip


def dump_value(key: str, value: object) -> str:
    """`key: value` as PyYAML writes it (escaping what must be escaped)."""
    text: str = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False)
    return text.rstrip("\n")


def raw(key: str, values: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(values).map(lambda value: f"{key}: {value}")


def dumped(key: str, values: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    return values.map(lambda value: dump_value(key, value))


def printable(text: str) -> str:
    """`text` without the characters ssg refuses in a front-matter value."""
    return "".join(c for c in text if c in "\t\n" or not (
        unicodedata.category(c) == "Cc" or 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE
    ))  # fmt: skip


TEXT_WORDS = ("1.10", "007", "1e3", "-0", "yes", "no", "on", "Off", "null", "~", "true", "")
# Mostly text ssg takes; sometimes with a control character written as a YAML escape.
texts = st.one_of(hostile_text.map(printable), hostile_text.map(printable), hostile_text,
                  st.integers(), st.floats())  # fmt: skip


def term_lines(key: str) -> st.SearchStrategy[str]:
    return st.one_of(
        dumped(key, st.lists(texts, max_size=4)),
        dumped(key, hostile_text),  # Jekyll's space-separated string
        raw(key, ("AI 半導体 投資", "[yes, on, 007, 1.10]", "[AI, ai, Ai]", "[]", "", "[' ', 　]")),
    )


# Each known key with values ssg should take, or refuse at the key's line.
KEY_LINES = st.one_of(
    *(dumped(key, texts) for key in ("title", "author", "description", "excerpt", "slug")),
    *(raw(key, TEXT_WORDS) for key in ("title", "author", "slug")),
    *(term_lines(key) for key in ("tags", "categories")),
    *(dumped(key, texts) for key in ("tag", "category")),
    raw("updated", DATES + BAD_DATES[:2]),
    raw("permalink", ("/about-us/", "/2025/a b/", "/日本語/", "/a/../b/", "/x.html", "/feed.xml",
                      "/tags/", "/", "//x", "/a?b#c", "/%E6%97%A5/", "/404.html", "x/")),
    raw("layout", ("post", "page", "post.html", "list", "base", "term", "_post_card", "nothing")),
    raw("draft", ("true", "false", "yes", "no", "On", "1", "null")),
    raw("published", ("true", "false", "no")),
    raw("reading_time", ("1", "5", "0", "-1", "1.5", "007", "abc", "null", "99999999999")),
    raw("image", ("/img/a.png", "https://example.com/a b.png", "javascript:alert(1)", "画像.png",
                  "//cdn.example/x.png", "data:image/png;base64,xx")),
    # Keys ssg does not know: any YAML at all, kept for layouts.
    st.builds(dump_value, st.sampled_from(("series", "日本語キー", "1", "on")), yaml_values),
)  # fmt: skip
# Anything: any key, any value, lines that are not YAML.
ANY_LINES = st.one_of(
    st.builds(dump_value, st.sampled_from(KEYS), yaml_values),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(KEYS), st.sampled_from(RAW_VALUES)),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(KEYS), hostile_text),
    st.sampled_from(("", "# コメント", "  indented: x", "- stray", "---x", "...", "key", ":")),
)


@st.composite
def front_matters(draw: st.DrawFn, lines: st.SearchStrategy[str] = KEY_LINES) -> str:
    """A front-matter block: a title and a date, then other lines; sometimes no title or
    date, sometimes lines of anything, not closed or not opened, after a BOM or with CRLF
    line endings. Broken blocks are kept rare, so that most sites build."""
    body = draw(st.lists(lines, max_size=6))
    if draw(st.integers(0, 9)) == 0:
        body += draw(st.lists(ANY_LINES, min_size=1, max_size=3))
    if draw(st.integers(0, 9)):
        title = draw(st.one_of(dumped("title", hostile_text), raw("title", TEXT_WORDS)))
        body = [title, f"date: {draw(st.sampled_from(DATES))}", *body]
    opening, closing = draw(
        st.sampled_from((("---", "---"),) * 17 + (("---", "..."), ("---", None), (None, None)))
    )
    text = "\n".join(line for line in (opening, *body, closing) if line is not None) + "\n"
    bom, newline = draw(st.sampled_from((("", "\n"),) * 6 + (("\ufeff", "\n"), ("", "\r\n"))))
    return bom + text.replace("\n", newline)


# --- Markdown bodies -----------------------------------------------------------------------

# Inline pieces of a line. `<` appears only where it opens no tag: raw HTML comes whole,
# from INLINE_HTML and BLOCK_HTML below, so that it never ends up half in a code block.
INLINE = (
    "円安が進んだ。", "**「重要」**な点", "「**重要**」だ", "**太字**の後", "*斜体*", "__init__",
    "~~取り消し~~", "~100円", "1~2%", "~", "~~", "**", "*", "_", "`code`", "``", "` `` `",
    "<http://", "<http://example.com>", "<mailto:a@b.jp>", "a < b", "<>", "<3", "&", "&amp;",
    "&#0;", "&#x110000;", "&nbsp;", "&unknown;", "https://example.com/a?b=1&c=2",
    "www.example.com", "[リンク](b)", "[a](javascript:alert(1))", "[a](<b c>)",
    '[a](http://x.com/"onmouseover="x)', "[a](/about/)", "[a]( )", "[a](#見出し)",
    "[a](http://例え.jp/?q=\"<>\")", "[a](//evil.example/)", "[a](data:text/html,x)",
    '![画像](img.png "t\\"")', "![](<>)", "[^1]", "[a][ref]", "\\", "  ", "\x00", "\x0c",
    "\u2028", "\ufeff", "😀", "カ\u3099", "$$", "{{ x }}", "{% if %}", "]]>",
)  # fmt: skip
# Raw HTML complete in itself: elements a paragraph may hold, and blocks on lines of
# their own (a <div> inside a paragraph's line would close the <p>: the writer's doing).
INLINE_HTML = ("<span>強調</span>", "<br>", '<img src="x.png" alt="&<>">', "<!-- コメント -->",
               "<!--more-->", "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
               "<script>a < b && c</script>")  # fmt: skip
BLOCK_HTML = (
    '<div class="note">注意</div>', "<details><summary>要約</summary>本文</details>",
    "<!-- more -->", "<script>if (a < b && c) { x = '</div>' }</script>",
    "<table><tr><td>1</td></tr></table>",
)  # fmt: skip
# Raw HTML a writer left incomplete (only in the third property). A comment over a blank
# line is one: right under a <div> line, CommonMark ends the HTML block at the blank line.
BROKEN_HTML = ("<div>", "</div>", "<p>", "</span>", "<!--", "<script>", "<table>", "<td>",
               "<a href='x", "<style>", "</main>", "<b><i>x</b></i>",
               "<!-- コメント\n\n続く -->")  # fmt: skip
LINE_STARTS = ("", "", "", "# ", "## ", "### ", "###### ", "####### ", "#", "- ", "* ", "1. ",
               "- [ ] ", "- [x] ", "> ", "> > ", "    ", "\t", "  - ", "[^1]: ",
               "[ref]: ")  # fmt: skip
BLOCKS = (
    "---", "***", "___", "===", "- - -", "見出し\n===", "見出し\n---", "```", "```python",
    "```python:main.py", "```js\nconst a = '<b>';\n```", "~~~", "~~~ruby\nputs 1\n~~~",
    "````\n```\n````", "```\n未閉じ", ":::message\n本文\n:::", ":::message alert", ":::",
    "::::details 外側\n:::note info\n中\n:::\n::::", ":::note danger", "> [!NOTE]\n> 注",
    "| a | b |\n|---|---|\n| 1 | 2 |", "|a|\n|-|", "| 見出し |\n|:--:|\n| **太** \\| 線 |",
    "|a|b|\n|-|-|\n|1|2|3|", "1) 一\n2) 二", "- 項目\n\n  続き", "<!-- more -->",
    "## 見出し\n## 見出し\n## 見出し-2", "## !?\n## ＃", "[^1]\n\n[^1]: 一\n[^1]: 二",
    "[ref]: /url 'タイトル'\n[ref]", "[ref]: <> \"\"", "> " * 60 + "深い引用",
    "".join(f"{'  ' * i}- {i}\n" for i in range(40)), "*" * 300 + "強調" + "*" * 300,
    "[" * 100 + "](" * 50, "`" * 50 + "code", "# " + "長い見出し" * 300,
    "| a |\n|---|\n" + "| x |\n" * 50, "~" * 200, "_" * 200 + "a" + "_" * 200,
)  # fmt: skip


@st.composite
def markdown_lines(draw: st.DrawFn) -> str:
    inline = st.one_of(
        st.sampled_from(INLINE),
        st.sampled_from(JAPANESE),
        st.sampled_from(INLINE_HTML),
        st.text(st.characters(exclude_characters="<\n\r"), max_size=6),
    )
    start = draw(st.sampled_from(LINE_STARTS))
    text = "".join(draw(st.lists(inline, max_size=5)))
    if text.lstrip(" \t").startswith("<"):
        # A line starting with a tag or comment starts a raw HTML block, which keeps the
        # rest of the line and those up to a blank line raw: any `a < b` there breaks the
        # page as the writer wrote it. Inline HTML here stays inline.
        text = "文" + text
    return start + text


def bodies(html: tuple[str, ...] = BLOCK_HTML) -> st.SearchStrategy[str]:
    # A blank line after raw HTML: CommonMark keeps the lines up to one raw too, and `a < b`
    # or `<>` there is the writer's broken HTML, not ssg's.
    raw_blocks = st.sampled_from(html).map(lambda text: text + "\n")
    block = st.one_of(markdown_lines(), st.sampled_from(BLOCKS), raw_blocks)
    separated = st.tuples(block, st.sampled_from(("\n", "\n\n", "\n\n", "\r\n", "\n\n\n")))
    return st.lists(separated, max_size=10).map(lambda parts: "".join(a + b for a, b in parts))


# --- Sites ---------------------------------------------------------------------------------

# Post file names: with a date, without one (the front matter must give it), with an
# impossible one.
POST_NAMES = ("2025-01-05-a.md", "b.md", "2025-02-30-c.md", "1999-12-31-d.md", "2025-11-20-投資.md")
PAGE_NAMES = ("about.md", "docs/index.md", "会社概要.md")


Site = dict[str, str]  # text by path in the site folder


def site(posts: dict[str, str], pages: dict[str, str]) -> Site:
    """Posts and pages by file name (what Hypothesis prints for a failing example)."""
    return {f"content/posts/{name}": text for name, text in posts.items()} | {
        f"content/{name}": text for name, text in pages.items()
    }


# For the bodies' properties: front matter that is a title and a date, so the body is built.
titled = st.builds(
    lambda title, date: f"---\n{title}\ndate: {date}\n---\n",
    dumped("title", hostile_text.map(printable)),
    st.sampled_from(DATES),
)


def sites(body: st.SearchStrategy[str], front: st.SearchStrategy[str]) -> st.SearchStrategy[Site]:
    source = st.tuples(front, body).map("".join)
    return st.builds(
        site,
        posts=st.dictionaries(st.sampled_from(POST_NAMES), source, min_size=1, max_size=3),
        pages=st.dictionaries(st.sampled_from(PAGE_NAMES), source, max_size=1),
    )


# --- Building and checking -----------------------------------------------------------------


@dataclass
class Outcome:
    output: Path
    error: SsgError | None
    warnings: list[str]


def build_in_tmp(site: Site, folder: Path) -> Outcome:
    """Build `site` as `ssg build` does; an exception other than SsgError propagates."""
    write_files(folder, {"config.yaml": MINIMAL_CONFIG, **site})
    err = io.StringIO()
    error = None
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            run_build(config_for(folder))
        except SsgError as exc:
            error = exc
    warnings = [line.removeprefix("warning: ") for line in err.getvalue().splitlines()
                if line.startswith("warning: ")]  # fmt: skip
    return Outcome(folder / "output", error, warnings)


def unlocated(messages: list[str], site: Site) -> list[str]:
    """The messages that neither start with `content/FILE:` for a FILE of the site nor name
    one as `content/FILE:LINE` (a path collision names two places, a layout's error the
    front-matter line that chose the layout)."""
    files = [rel for rel in site if rel.startswith("content/")]
    return [m for m in messages if not any(
        m.startswith(f"{rel}:") or re.search(rf"\b{re.escape(rel)}:\d", m) for rel in files
    )]  # fmt: skip


def problems(error: SsgError) -> list[str]:
    """One message per problem: a BuildFailed lists them under a head line."""
    lines = str(error).splitlines()
    if lines[0].startswith("build failed with "):
        return [line.strip() for line in lines[1:]]
    return lines


def html_errors(path: Path) -> list[str]:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(path.read_bytes(), transport_encoding="utf-8")
    text = path.read_text("utf-8").splitlines()
    found = []
    for (line, column), code, data in parser.errors:
        source = text[line - 1][max(0, column - 60) : column + 20] if line <= len(text) else ""
        found.append(f"{code} {data} at {line}:{column}: {source!r}")
    return found


def xml_errors(path: Path) -> list[str]:
    found = []
    try:
        ET.parse(path)
    except ET.ParseError as exc:
        found.append(f"not well-formed XML: {exc}")
    if path.name == "feed.xml":
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            found.append(f"feedparser: {feed.bozo_exception!r}")
    return found


def check_site(site: Site, check_html: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="ssg-build-property-") as tmp:
        outcome = build_in_tmp(site, Path(tmp) / "site")
        assert not unlocated(outcome.warnings, site), f"unlocated warnings: {outcome.warnings}"
        event("failed" if outcome.error else "built")
        if outcome.error is not None:
            messages = problems(outcome.error)
            assert messages and not unlocated(messages, site), f"unlocated error:\n{outcome.error}"
            return
        bad = {}
        for path in sorted(outcome.output.rglob("*")):
            rel = path.relative_to(outcome.output).as_posix()
            if path.suffix == ".xml":
                bad[rel] = xml_errors(path)
            elif path.suffix == ".html" and check_html:
                bad[rel] = html_errors(path)
        bad = {rel: errors for rel, errors in bad.items() if errors}
        report = "\n".join(f"{rel}:\n  " + "\n  ".join(errors[:5]) for rel, errors in bad.items())
        assert not bad, f"{len(bad)} files are not well-formed:\n{report}"


# Each example builds a site of up to four files (~0.1 s, most of it compiling layouts) and
# parses its pages: the defaults keep this file near 30 s. Hunting for bugs, raise it
# (`make property` runs 500).
MAX_EXAMPLES = int(os.environ.get("SSG_PROPERTY_EXAMPLES", "40"))

property_settings = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)  # fmt: skip

PLAIN_BODY = "円安が進んだ。\n\n## 見通し\n\n本文。\n"


@property_settings
@given(sites(st.just(PLAIN_BODY), front_matters()))
def test_any_front_matter_builds_well_formed_pages_or_fails_located(site: Site) -> None:
    check_site(site)


@property_settings
@given(sites(bodies(), titled))
def test_any_markdown_body_builds_well_formed_pages_or_fails_located(site: Site) -> None:
    check_site(site)


@property_settings
@given(sites(bodies(BLOCK_HTML + BROKEN_HTML), titled))
def test_raw_html_left_open_never_breaks_the_build_or_the_feeds(site: Site) -> None:
    check_site(site, check_html=False)
