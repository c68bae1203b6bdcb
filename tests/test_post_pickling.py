"""Posts as the build cache and the parse workers pickle them."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path, PurePosixPath

from ssg.config import Config
from ssg.content.post import Post, parse_post
from ssg.markdown.parser import make_markdown

CONFIG = Config(site_dir=Path("/site"))
MD = make_markdown()
TEXT = """---
title: "**円安**の行方"
date: 2025-11-20
tags: [為替, 日銀]
description: 日銀の政策変更と円相場の見通し。
---
日銀は**「金融政策の正常化」**を進めると表明した。為替市場では円安が一服している。

## 見通し

| 指標 | 値 |
| --- | --- |
| ドル円 | 150円 |
"""


def japanese_post() -> Post:
    return parse_post(PurePosixPath("posts/2025-11-20-yen.md"), TEXT, CONFIG, MD).post


def test_a_post_comes_back_from_pickling_equal_and_with_the_same_field_types() -> None:
    post = japanese_post()
    copy = pickle.loads(pickle.dumps(post, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == post
    assert {name: type(value) for name, value in vars(copy).items()} == {
        name: type(value) for name, value in vars(post).items()
    }


def test_pickling_a_post_leaves_no_utf8_copy_of_its_text_in_memory() -> None:
    # CPython keeps a str's UTF-8 form once pickle has asked for it; for the bodies of every
    # post in the cache that is 1.5 bytes per Japanese character, for as long as the build runs.
    post = japanese_post()
    long_text = ("html", "search_text", "search_terms", "excerpt", "excerpt_html", "description")
    assert all(not getattr(post, name).isascii() for name in long_text)
    sizes = {name: sys.getsizeof(getattr(post, name)) for name in long_text}
    pickle.dumps(post, protocol=pickle.HIGHEST_PROTOCOL)
    assert {name: sys.getsizeof(getattr(post, name)) for name in long_text} == sizes
