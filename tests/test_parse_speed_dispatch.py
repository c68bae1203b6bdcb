"""The parser's shortcuts (rules tried by first character, plain inlines, prose counting)
give exactly what markdown-it's own loops give.

They rely on what each markdown-it rule checks first; these tests fail if an upgrade of
markdown-it-py or mdit-py-plugins changes that, instead of letting output drift.
"""

from __future__ import annotations

import random
import re

import pytest

from ssg.markdown.parser import (
    _WORD_RE,
    CJK_CHARS,
    _plain_text,
    count_prose,
    make_markdown,
    render_markdown,
)
from ssg.markdown.rule_dispatch import (
    _BLOCK_RULE_STARTS,
    _INLINE_RULE_STARTS,
    _PAIR_RULES,
    _TEXT_RULE,
    _rule_key,
)

ATOMS = [
    "日本語", "「重要」", "**", "*", "_", "__", "~~", "~", "`code`", "``", "\n", " ", "  \n",
    "\u3000", "www.example.com", "https://example.com/a?b=1", "mail@example.com",
    "mailto:a@b.co", "[link](/about/)", "![img](/i.png)", "[^1]", "&amp;", "&#x3042;", "\\*",
    "\\", "<b>", "</b>", "%", "+", "=", "-", ":", "@", "!", "[", "]", "(", ")", "<", ">", "#",
    "$", "{", "}", "^", "w", "word", "Latin words here.", "。", "、", "’", "\ufe01", "한국어",
    "3.14", "don't", "<!--more-->", "<http://x.org>",
]  # fmt: skip
BLOCKS = [
    "# 見出し", "## 投資の 結論！", "## 投資の 結論！", "Setext\n---", "> 引用\n> 続き",
    "- item\n- **項目**\n  - nested", "1. one\n2. two", "```python\nprint('x')\n```",
    "```python:main.py\nx = 1\n```", "```\nplain\n```", "    indented code",
    ":::message\n本文**強調**\n:::", ":::note warn\n注意\n:::",
    "::::details タイトル\n:::message alert\n中\n:::\n::::", ":::foo\nnot a box\n:::",
    "| a | b |\n|---|---|\n| 1 | **2** |", "<!--more-->", "<div>\nhtml block\n</div>",
    "[^1]: 脚注 text", "- [ ] task\n- [x] done", "> [!NOTE]\n> alert", "***", "[ref]: /x",
    "[ref]", "　全角スペースで始まる段落　", "{.note #n}\n段落", "[申込](/f/){.cta}",
    "![図](/a.png){width=300 onclick=x}", "`x`{.c}",
]  # fmt: skip


def documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        parts = [
            rng.choice(BLOCKS)
            if rng.random() < 0.4
            else "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 40)))
            for _ in range(rng.randint(1, 10))
        ]
        docs.append(("\n\n" if rng.random() < 0.8 else "\n").join(parts))
    return docs


@pytest.mark.parametrize(
    "options",
    [{}, {"base_path": "/blog/"}, {"raw_html": False}, {"cjk": False}, {"attributes": True}],
    ids=["default", "base_path", "no_html", "no_cjk", "attributes"],
)
def test_shortcuts_render_what_markdown_it_renders(options: dict) -> None:
    fast, plain = make_markdown(**options), make_markdown(copied_loops=False, **options)
    for doc in documents(300, seed=len(options)):
        assert render_markdown(fast, doc) == render_markdown(plain, doc), doc


@pytest.mark.parametrize("attributes", [False, True], ids=["default", "attributes"])
def test_every_rule_of_the_parser_has_known_starts(attributes: bool) -> None:
    # A rule missing here still works (it is tried everywhere) but loses the shortcut.
    md = make_markdown(attributes=attributes)
    inline = [_rule_key(rule) for rule in md.inline.ruler.getRules("")]
    assert inline[0] == _TEXT_RULE
    assert set(inline[1:]) <= set(_INLINE_RULE_STARTS)
    assert {_rule_key(rule) for rule in md.inline.ruler2.getRules("")} <= _PAIR_RULES
    anywhere = {"table", "code", "lheading", "paragraph"}
    starts = {**_BLOCK_RULE_STARTS, **md.block.tokenize.starts}
    names = {rule.fn: rule.name for rule in md.block.ruler.__rules__}
    unknown = {names[rule] for rule in md.block.ruler.getRules("") if rule not in starts}
    assert unknown == anywhere


def test_prose_counts_match_the_plain_text() -> None:
    # count_prose skips cleaning each inline's text; counting the cleaned text must agree.
    md = make_markdown()
    for doc in documents(300, seed=7):
        tokens = md.parse(doc)
        text = "\n".join(_plain_text(t, code=False) for t in tokens if t.type == "inline")
        cjk = len(re.findall(f"[{CJK_CHARS}]", text))
        assert count_prose(tokens) == (cjk, len(_WORD_RE.findall(text))), doc


def test_a_bodys_prose_counts_are_count_prose_of_its_tokens() -> None:
    # render_markdown counts the body's plain text itself when no inline holds code.
    md = make_markdown()
    for doc in documents(300, seed=11) + ["本文だけ。Latin words　全角", "`x` 本文"]:
        rendered = render_markdown(md, doc)
        assert (rendered.cjk_chars, rendered.latin_words) == count_prose(md.parse(doc)), doc
