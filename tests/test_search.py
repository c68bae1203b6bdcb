"""Search: keys made from Japanese and English text, the static index, and its upkeep."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from conftest import build_site, post
from hypothesis import given
from hypothesis import strategies as st

from ssg.content.post import Post
from ssg.content.search_terms import (
    fold,
    query_keys,
    search_terms,
    term_counts,
    weighted_terms,
)
from ssg.site.search import SearchIndex, build_index, decode, doc_ids, encode, update_index

SEMICONDUCTOR = "半導体の需要が急増している。半導体メーカーの決算は好調だ。"
SCATTERED = "半分の人が導入に賛成し、体制を整えた。"


def keys(title: str, text: str) -> dict[str, int]:
    return dict(weighted_terms(search_terms(title, text)))


def test_japanese_is_keyed_by_character_pairs_and_single_kanji() -> None:
    found = keys("", "半導体")
    assert {"半導", "導体", "半", "導", "体"} <= found.keys()


def test_scattered_characters_do_not_make_the_compound_pairs() -> None:
    found = keys("", SCATTERED)
    assert "半導" not in found and "導体" not in found


def test_latin_words_and_tickers_are_keys_whole_and_folded() -> None:
    found = keys("", "ＮＶＩＤＩＡと7203.Tの決算、S&P500も。")
    assert {"nvidia", "7203.t", "s&p500"} <= found.keys()


def test_half_width_katakana_is_folded_to_full_width() -> None:
    assert "エヌ" in keys("", "ｴﾇﾋﾞﾃﾞｨｱ")


@given(st.text(alphabet=st.sampled_from("ＡｚＺ０９！～　ｱﾞｶﾞ①㍿ﾃｽﾄ半導体 aZ.&-'、。")))
def test_fold_is_nfkc_then_lower_case(text: str) -> None:
    assert fold(text) == unicodedata.normalize("NFKC", text).lower()


def test_weight_counts_occurrences_and_the_title() -> None:
    found = keys("半導体", "半導体" * 6 + "。円安。")
    assert found["半導"] == 3 + 4  # five or more in the body, and in the title
    assert found["円安"] == 1


# Japanese, Latin, an emoji beyond the BMP and a lone surrogate (a file never holds one,
# but no text may break the count).
KEY_TEXT = st.text(alphabet="半導体の金ノーあ々〆 a1.。\U0001f600\ud800\n", max_size=60)
JAPANESE_CHAR = (
    "[\u3005\u3006\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
KANJI_CHAR = "[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


@given(KEY_TEXT)
def test_term_counts_count_words_and_overlapping_pairs_listing_keys_as_they_first_occur(
    text: str,
) -> None:
    pairs: dict[str, int] = {}
    for start in range(len(text) - 1):
        if re.fullmatch(JAPANESE_CHAR * 2, text[start : start + 2]):
            pairs[text[start : start + 2]] = pairs.get(text[start : start + 2], 0) + 1
    kanji = dict.fromkeys(re.findall(KANJI_CHAR, text), 1)
    words = Counter(re.findall(r"[a-z0-9]+(?:[.&'\-][a-z0-9]+)*", text))
    assert list(term_counts(text).items()) == list({**words, **pairs, **kanji}.items())


def test_a_repeated_character_counts_each_overlapping_pair() -> None:
    assert term_counts("ああああ") == {"ああ": 3}


@given(st.lists(st.integers(min_value=0, max_value=2**40), unique=True))
def test_posting_lists_decode_to_what_was_encoded(numbers: list[int]) -> None:
    entries = sorted(numbers)
    assert decode(encode(entries)) == entries


def make_post(name: str, date: str, text: str, title: str = "") -> Post:
    from datetime import datetime
    from pathlib import PurePosixPath

    from markupsafe import Markup

    return Post(
        source_path=PurePosixPath(f"posts/{name}.md"), kind="post", title=title,
        title_html=Markup(title), title_text=title, date=datetime.fromisoformat(date),
        updated=None, slug=name, url=f"/{name}/", url_line=None, categories=(), tags=(),
        author="", excerpt="", excerpt_html="", description="", canonical_url=None,
        robots=None, reading_time=1, layout="post", draft=False, image=None, html="",
        toc=(), search_text=text, search_terms=search_terms(title, text),
        digest=f"{name}:{hash(text)}",
    )  # fmt: skip


def test_numbers_grow_with_the_date() -> None:
    posts = [make_post("b", "2025-01-02T00:00:00+09:00", "x"),
             make_post("a", "2025-01-01T00:00:00+09:00", "x"),
             make_post("c", "2025-01-01T12:00:00+09:00", "x")]  # fmt: skip
    numbers = doc_ids(posts)
    assert numbers["posts/a.md"] < numbers["posts/c.md"] < numbers["posts/b.md"]


def test_a_new_post_on_another_day_leaves_the_other_numbers() -> None:
    posts = [make_post(f"p{i}", f"2025-01-{i + 1:02d}T00:00:00+09:00", "x") for i in range(5)]
    before = doc_ids(posts)
    after = doc_ids([*posts, make_post("new", "2025-02-01T00:00:00+09:00", "x")])
    assert all(after[rel] == number for rel, number in before.items())


WORDS = ["半導体", "円安", "生成AI", "NVIDIA", "金利", "決算", "データ", "7203.T", "の", "は"]


def random_posts(rng: random.Random, count: int) -> dict[int, Post]:
    posts = {}
    for i in range(count):
        text = "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
        posts[i * 8] = make_post(f"p{i}", f"2025-01-{i % 28 + 1:02d}T00:00:00+09:00", text)
    return posts


def same_index(a: SearchIndex, b: SearchIndex) -> bool:
    texts = [[index.shard_text(k) for k in range(index.shards)] for index in (a, b)]
    return a.postings == b.postings and a.shards == b.shards and texts[0] == texts[1]


def test_a_patched_index_equals_one_built_afresh() -> None:
    rng = random.Random(7)
    posts = random_posts(rng, 40)
    index = build_index(posts)
    for _round in range(30):
        old = {post.digest: post for post in posts.values()}
        posts = dict(posts)
        for number in rng.sample(sorted(posts), 2):
            text = "".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))
            name = posts[number].slug
            posts[number] = make_post(name, posts[number].date.isoformat(), text)  # type: ignore[union-attr]
        if rng.random() < 0.3:
            del posts[rng.choice(sorted(posts))]
        index = update_index(index, posts, old.get)
        assert same_index(index, build_index(posts))


def test_an_edit_changes_only_the_shards_of_the_keys_it_changed() -> None:
    posts = random_posts(random.Random(3), 40)
    index = build_index(posts)
    edited = dict(posts)
    first = posts[0]
    edited[0] = dataclasses.replace(
        first, digest="edited", search_terms=search_terms("", first.search_text + "円安")
    )
    patched = update_index(index, edited, {p.digest: p for p in posts.values()}.get)
    assert patched.changed is not None
    assert patched.changed <= {k for k in range(index.shards)}
    unchanged = set(range(index.shards)) - patched.changed
    assert all(patched.shard_text(k) == index.shard_text(k) for k in unchanged)


# ── the built site ──


def search_site(make_site: Any, config: str = "") -> Path:
    return make_site(
        {
            "content/posts/2025-11-01-chips.md": post("半導体の行方", "2025-11-01", SEMICONDUCTOR),
            "content/posts/2025-11-02-other.md": post("体制の話", "2025-11-02", SCATTERED),
            "content/posts/2025-11-03-yen.md": post("**円安**の行方", "2025-11-03", "円安が続く。"),
        },
        config='title: テスト\nbase_url: "https://example.com/blog/"\n' + config,
    )


def test_the_search_page_and_an_entry_per_post_are_written(make_site: Any) -> None:
    site = search_site(make_site)
    build_site(site)
    out = site / "output" / "search"
    assert (out / "index.html").is_file()
    entries = [json.loads(p.read_text("utf-8")) for p in sorted((out / "docs").glob("*.json"))]
    assert [e["t"] for e in entries] == ["半導体の行方", "体制の話", "円安の行方"]
    assert entries[0]["u"] == "/blog/2025/11/01/chips/"
    assert entries[0]["d"] == "2025年11月1日"
    assert SEMICONDUCTOR in entries[0]["x"]


def test_every_key_is_in_the_shard_search_js_computes_for_it(make_site: Any) -> None:
    import zlib

    site = search_site(make_site)
    build_site(site)
    shards = sorted((site / "output" / "search" / "index").glob("*.json"))
    for path in shards:
        for key in json.loads(path.read_text("utf-8")):
            assert zlib.crc32(key.encode()) % len(shards) == int(path.stem)


def test_search_files_stay_out_of_the_sitemap(make_site: Any) -> None:
    site = search_site(make_site)
    build_site(site)
    assert "/search/" not in (site / "output" / "sitemap.xml").read_text("utf-8")


def test_search_off_writes_no_search_files(make_site: Any) -> None:
    site = search_site(make_site, "search: false\n")
    build_site(site)
    assert not (site / "output" / "search").exists()
    assert "/search/" not in (site / "output" / "index.html").read_text("utf-8")


def test_a_body_edit_gives_the_files_a_clean_build_gives(make_site: Any, tmp_path: Path) -> None:
    site = search_site(make_site)
    build_site(site)
    source = site / "content/posts/2025-11-03-yen.md"
    source.write_text(post("**円安**の行方", "2025-11-03", "円安とドル高が続く。NVIDIA"), "utf-8")
    build_site(site)
    edited = {p.relative_to(site): p.read_bytes() for p in (site / "output/search").rglob("*")
              if p.is_file()}  # fmt: skip
    for cache in (site / ".ssg-cache", site / "output"):
        import shutil

        shutil.rmtree(cache)
    build_site(site)
    clean = {p.relative_to(site): p.read_bytes() for p in (site / "output/search").rglob("*")
             if p.is_file()}  # fmt: skip
    assert edited == clean
    assert any("nvidia" in text.decode() for text in clean.values())


def test_a_query_word_looks_up_its_pairs_or_its_single_kanji() -> None:
    assert query_keys("半導体") == ["半導", "導体"]
    assert query_keys("金") == ["金"]
    assert query_keys("の") == []
    assert query_keys("生成ai") == ["ai", "生成"]


JAPANESE_TEXT = st.text(alphabet="半導体の円安がAI生成金利、。 nvidia7203.tｶﾞ", max_size=40)


@given(JAPANESE_TEXT, st.data())
def test_every_key_of_a_word_in_a_text_is_a_key_of_the_text(text: str, data: st.DataObject) -> None:
    folded = fold(text)
    start = data.draw(st.integers(0, len(folded)))
    end = data.draw(st.integers(start, len(folded)))
    text_keys = set(keys("", text))
    for word in folded[start:end].split():
        # A word cut out of the middle of a Latin word is not a word of the text.
        latin = {k for k in query_keys(word) if k.isascii()}
        assert set(query_keys(word)) - latin <= text_keys
