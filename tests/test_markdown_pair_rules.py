"""ssg's copies of markdown-it-py's emphasis and text-joining rules make exactly the tokens
markdown-it-py's own make, on the versions they are installed on."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.gfm import gfm_plugin

from ssg.markdown.pair_rules import new_token, use_pair_rules
from ssg.markdown.parser import make_markdown

# Pieces that open, close, nest, split and join emphasis, and text beside it.
PIECES = [
    "*", "**", "***", "_", "__", "~~", "「重要」", "。", "原則", "a", "word", " ", "\n", "  \n",
    "\\*", "\\_", "&amp;", "`c`", "[l](/x)", "[", "](/y)", "![図](/a.png)", "![**a**_b_](/b)",
    "<b>", "-", "(", ")", "{.c}", "\r", "\r\n", "\0", "\u3000", "한", "’", "\ufe01",
    "www.example.com",
]  # fmt: skip
BLOCKS = ["# ", "## ", "> ", "- ", "1. ", "| a | b |\n|---|---|\n| ", "```\n", ""]

DOCUMENT = st.lists(
    st.tuples(st.sampled_from(BLOCKS), st.lists(st.sampled_from(PIECES), max_size=30)),
    max_size=6,
).map(lambda blocks: "\n\n".join(start + "".join(pieces) for start, pieces in blocks))


def token_dicts(md: MarkdownIt, text: str) -> list[dict[str, Any]]:
    return [token.as_dict() for token in md.parse(text)]


def gfm(pair_rules: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark").use(gfm_plugin)
    if pair_rules:
        use_pair_rules(md)
    return md


STOCK, COPIED = gfm(False), gfm(True)


@settings(max_examples=400)
@given(DOCUMENT)
def test_the_copied_rules_make_markdown_it_pys_tokens_and_html(text: str) -> None:
    assert token_dicts(COPIED, text) == token_dicts(STOCK, text)
    assert COPIED.render(text) == STOCK.render(text)


def test_the_copied_rules_replace_markdown_it_pys() -> None:
    rules = {rule.name: rule.fn for rule in COPIED.inline.ruler.__rules__}
    assert rules["emphasis"].__module__ == "ssg.markdown.pair_rules"
    assert {rule.fn.__module__ for rule in COPIED.core.ruler.__rules__
            if rule.name == "text_join"} == {"ssg.markdown.pair_rules"}  # fmt: skip


def test_ssgs_parser_makes_the_tokens_of_markdown_it_pys_own_loops_and_rules() -> None:
    fast, plain = make_markdown(), make_markdown(copied_loops=False)
    rng = random.Random(17)
    for _ in range(300):
        blocks = [rng.choice(BLOCKS) + "".join(rng.choices(PIECES, k=rng.randint(0, 40)))
                  for _ in range(rng.randint(1, 6))]  # fmt: skip
        text = "\n\n".join(blocks)
        assert token_dicts(fast, text) == token_dicts(plain, text), text


def test_a_long_form_post_parses_to_the_same_tokens() -> None:
    post = "\n\n".join(
        "## 見出し" if n % 7 == 0 else
        "正直なところ、**「また始まったか」**と苦笑いしました。OpenAIが**380億ドル**の"
        "契約を結び、_NVIDIA_のGPUを*確保*する話。[出典](https://example.com/a)。" * 8
        for n in range(40)
    )  # fmt: skip
    assert token_dicts(make_markdown(), post) == token_dicts(
        make_markdown(copied_loops=False), post
    )


def test_a_quickly_made_token_equals_one_made_by_its_class() -> None:
    made = new_token("strong_open", "strong", 1, 2, "x")
    assert made == Token("strong_open", "strong", 1, level=2, content="x")
    assert made.attrs is not new_token("text", "", 0).attrs  # each token its own dicts
