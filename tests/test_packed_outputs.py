"""The files a build wrote are kept packed in the cache, and read back as the same mapping."""

from __future__ import annotations

import pickle
import shutil
import time
from array import array
from pathlib import Path

import pytest
from conftest import build_site, config_for, post, write_files
from hypothesis import given
from hypothesis import strategies as st

from ssg.incremental.keys import parse_settings_key
from ssg.incremental.outputs import PackedOutputs
from ssg.incremental.store import StateStore

paths = st.text(st.characters(blacklist_characters="\0", blacklist_categories=["Cs"]), min_size=1)
outputs = st.dictionaries(
    paths,
    st.tuples(
        st.sampled_from(["", "0f" * 16, "ab4908af5221131a71b9cfa772248220"]),
        st.integers(0, 2**40),
        st.integers(0, 2**62),
    ),  # fmt: skip
)


@given(outputs)
def test_packed_outputs_are_the_mapping_they_were_made_from(files: dict) -> None:
    packed = PackedOutputs.pack(files)
    assert packed == files and dict(packed) == files and len(packed) == len(files)
    assert list(packed) == list(files)  # in the build's order


@given(outputs)
def test_packed_outputs_list_each_file_with_its_size_and_mtime(files: dict) -> None:
    expected = [(path, size, mtime) for path, (_print, size, mtime) in files.items()]
    paths, sizes, mtimes = PackedOutputs.pack(files).columns()
    assert list(zip(paths, sizes, mtimes, strict=True)) == expected


@given(outputs)
def test_packed_outputs_survive_pickling(files: dict) -> None:
    packed = PackedOutputs.pack(files)
    assert pickle.loads(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)) == packed


def test_packed_outputs_differ_from_a_mapping_with_another_entry() -> None:
    packed = PackedOutputs.pack({"index.html": ("ab", 10, 5)})
    assert packed != {"index.html": ("ab", 10, 6)}
    assert packed != PackedOutputs.pack({"index.html": ("ab", 11, 5)})


def test_packed_outputs_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        PackedOutputs("a.html\0b.html", "\0", array("q", [1]), array("q", [2]))


def test_the_cache_keeps_the_written_files_packed(make_site) -> None:
    site = make_site({"content/posts/2025-01-01-a.md": post(title="記事")})
    build_site(site)
    config = config_for(site)
    state = StateStore(site / ".ssg-cache").load(parse_settings_key(config))
    assert isinstance(state.outputs, PackedOutputs)
    assert "index.html" in state.outputs
    assert (site / "output" / "index.html").stat().st_size == state.outputs["index.html"][1]


def saved_stamps_match_output(site: Path) -> None:
    state = StateStore(site / ".ssg-cache").load(parse_settings_key(config_for(site)))
    files = {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*")
             if p.is_file() and p.name != ".ssg-output"}  # fmt: skip
    assert set(state.outputs) == files
    for rel in files:
        stat = (site / "output" / rel).stat()
        assert state.outputs[rel][1:] == (stat.st_size, stat.st_mtime_ns), rel


def edit_body(site: Path) -> None:
    rel = "content/posts/2025-01-01-a.md"
    write_files(site, {rel: post(title="記事", body="要約。\n\n書き足した本文。")})


def rebuild_without_cache(site: Path) -> None:  # every page found as output/ has it
    shutil.rmtree(site / ".ssg-cache")


@pytest.mark.parametrize("change", [None, edit_body, rebuild_without_cache])
def test_the_cache_knows_each_output_file_as_it_is_on_disk(make_site, change) -> None:
    site = make_site({
        "content/posts/2025-01-01-a.md": post(title="記事", body="要約。\n\n本文。"),
        "content/posts/2025-01-02-b.md": post(title="別の記事", tags="[AI]"),
    })  # fmt: skip
    build_site(site)
    if change is not None:
        time.sleep(0.01)  # a rewritten file gets another mtime
        change(site)
        build_site(site)
    saved_stamps_match_output(site)


def test_a_build_with_nothing_to_do_leaves_the_saved_state_alone(make_site) -> None:
    site = make_site({"content/posts/2025-01-01-a.md": post(title="記事")})
    build_site(site)
    build_site(site)  # files saved this instant are read again once
    saved = Path(site / ".ssg-cache" / "state.pickle")
    before = saved.stat().st_mtime_ns
    build_site(site)
    assert saved.stat().st_mtime_ns == before


def test_updated_entries_are_those_of_the_merged_mapping() -> None:
    outputs = {"a/index.html": ("f1", 10, 1), "b/index.html": ("", 20, 2), "c.xml": ("f3", 3, 3)}
    changes = {"b/index.html": ("f9", 21, 9), "c.xml": ("", 4, 4)}
    updated = PackedOutputs.pack(outputs).updated(changes)
    assert isinstance(updated, PackedOutputs)
    assert dict(updated.items()) == {**outputs, **changes}
    assert list(updated) == list(outputs)


def test_updated_with_a_new_path_adds_it() -> None:
    packed = PackedOutputs.pack({"a/index.html": ("f1", 10, 1)})
    updated = packed.updated({"new/index.html": ("f2", 5, 5)})
    assert dict(updated.items()) == {"a/index.html": ("f1", 10, 1), "new/index.html": ("f2", 5, 5)}
