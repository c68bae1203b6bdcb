"""Simple front matter is loaded without PyYAML's parser; it must load exactly as PyYAML would."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from ssg.content.frontmatter import _FrontMatterLoader, _load_simple_yaml

KEYS = ["title", "date", "tags", "on", "yes", "null", "true", "_x", "a-b", "1", "~", "k" * 120]
VALUES = [
    '"キーエンス"', '"a # b"', '"a\\"b"', '"a\\nb"', '""', '"  sp  "', "post", "4", "012",
    "0x1F", "1_000", "12:30", "3.14", ".inf", ".nan", "1e3", "yes", "No", "on", "true", "null",
    "~", "", "2019-01-03 15:47:09 +0000", "2019-01-03", "AI 半導体 FRB", "a: b", "a:", "a #c",
    "don't", "'q'", "-5", "- x", "=", "<<", "&a", "*a", "!x", "|", ">", "%x", "@x",
    '["a", "b"]', '[ "a" , "b" ]', "[]", '["a",]', "[a, b]", "{a: 1}", "a, b", "x\ty",
    "\u3000全角", "a\u2028b", "a\x85b", "a\x07b", "\ufeffx", "C#", 'a"b', "0b101", "+12",
    "190:20:30", "5.", "FALSE", "a   ",
    "[6861.T, AAPL, NVDA]", "[a, 1, true, null, ~]", "[a, , b]", "[a,b]", "[ a ]", '["a", b]',
    "[a: b]", "[a:b]", "[a:]", "[a #c]", "[a#c]", "[a b, c]", "[-1]", "[1.5, .inf, 0x1F]",
    "[S&P 500, 日経平均]", "[a, b,]", "[ ]", "[2019-01-03]", "[x\ty]", "[a]]", "[[a]]",
    "[a, [b]]", "[{a: 1}]", '["a, b"]', "[?a]", "[a?]", "[&a]", "[*a]", "[!x]", "[a, 'b']",
    "[yes, No, on]", "[012, +12, 1_000]", "[,]", "[a", "a]", "[\u3000全角]", "[a\u2028b]",
]  # fmt: skip
SEPARATORS = [": ", ":  ", ":", ":\t", " : "]


def pyyaml(text: str) -> Any:
    try:
        data = yaml.load(text, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return "error"
    return {} if data is None else data


@pytest.mark.parametrize("seed", range(4))
def test_simple_front_matter_loads_as_pyyaml_loads_it(seed: int) -> None:
    rng = random.Random(seed)
    loaded = 0
    for _ in range(3000):
        lines = [
            rng.choice(["", "# note", "  nested: x", "- item"])
            if rng.random() < 0.05
            else rng.choice(KEYS) + rng.choice(SEPARATORS) + rng.choice(VALUES) + rng.choice("  ")
            for _ in range(rng.randint(0, 3))
        ]
        text = "\n".join(lines)
        simple = _load_simple_yaml(text)
        if simple is None:
            continue  # left to PyYAML
        loaded += 1
        expected = pyyaml(text)
        assert isinstance(expected, dict), text
        assert repr(simple) == repr(expected), text  # repr: .nan equals nothing
        assert [type(v) for v in simple.values()] == [type(v) for v in expected.values()], text
    assert loaded > 100  # the shortcut is exercised, not always declined


def test_typical_front_matter_takes_the_shortcut() -> None:
    text = (
        'layout: post\ntitle: "決算速報：個人消費"\ndate: 2019-01-03 15:47:09 +0000\n'
        'categories: ["半導体"]\ntags: ["AI", "FRB"]\nauthor: "Market Desk"\nreading_time: 4\n'
        "tickers: [7203.T, NVDA, 6861.T]\n"
    )
    assert _load_simple_yaml(text) == pyyaml(text)
    assert _load_simple_yaml(text) is not None
