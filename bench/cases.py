"""The ssg build cases the benchmark times, and the edits that set each one up.

One run goes through CASES in order on the same site: a cold build, then each
later case changes one thing and rebuilds on top of the previous build. The
edited files are restored after the run, so the corpus stays reusable.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from measure import Measurement, run_measured, warm_page_cache

TAGS_LINE = re.compile(r"^tags: (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class BenchSite:
    """A generated site and the files the edit cases touch."""

    site_dir: Path
    out_dir: Path
    post: Path  # the post whose body and tags get edited
    layout: Path | None  # SITE/layouts/post.html, or None when there are no default layouts
    trash: Path  # where a cold build's set-up moves the last output and cache (set_aside)


@dataclass(frozen=True)
class CaseResult:
    measurement: Measurement
    files: int  # files in the output folder after the build


def pick_post(posts_dir: Path) -> Path:
    # A post from the middle of the date range: editing the newest one would
    # also touch the first home page and feeds, which is not the typical edit.
    posts = sorted(posts_dir.glob("*.md"))
    return posts[len(posts) // 2]


def install_layouts(default_layouts: Path, site_dir: Path) -> Path | None:
    """Copy ssg's default layouts into SITE/layouts; return post.html there, if any."""
    layouts = site_dir / "layouts"
    if layouts.exists():
        shutil.rmtree(layouts)
    if not (default_layouts / "post.html").exists():
        return None
    shutil.copytree(default_layouts, layouts)
    return layouts / "post.html"


def set_aside(path: Path, trash: Path) -> None:
    """Move `path` into `trash` (deleted by `empty_trash` when the benchmark ends), or delete
    it where it cannot be moved there. Not deleted now: on ext4 without a journal (this
    machine's disk) every file created in the next minutes skips the inodes freed by the
    deletion, reading each from disk (`recently_deleted`): the timed build would pay for
    the set-up (README: "The cases")."""
    if not path.exists():
        return
    trash.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(path, trash / f"{path.name}-{time.monotonic_ns()}")
    except OSError:  # another file system
        shutil.rmtree(path, ignore_errors=True)


def empty_trash(trash: Path) -> None:
    shutil.rmtree(trash, ignore_errors=True)


def start_cold(site: BenchSite, run: int) -> None:
    set_aside(site.site_dir / ".ssg-cache", site.trash)
    set_aside(site.out_dir, site.trash)


def change_nothing(site: BenchSite, run: int) -> None:
    pass


def edit_body(site: BenchSite, run: int) -> None:
    with site.post.open("a", encoding="utf-8") as post:
        post.write(f"\nベンチマークによる追記（実行{run}）：**「本文の編集」**を確認します。\n")


def edit_tags(site: BenchSite, run: int) -> None:
    # Adds a tag that already exists on other posts, so the change moves the
    # post into one more term's pages rather than creating a new term.
    text = site.post.read_text(encoding="utf-8")
    line = TAGS_LINE.search(text)
    if line is None:
        raise ValueError(f"{site.post} has no `tags:` line to edit")
    current = line.group(1)
    new_tag = "決算" if "決算" not in current else "金利"
    is_list = current.startswith("[")
    edited = current[:-1] + f', "{new_tag}"]' if is_list else f"{current} {new_tag}"
    site.post.write_text(text[: line.start(1)] + edited + text[line.end(1) :], encoding="utf-8")


def edit_layout(site: BenchSite, run: int) -> None:
    assert site.layout is not None, "the layout case is skipped when there are no layouts"
    with site.layout.open("a", encoding="utf-8") as layout:
        layout.write(f"\n<!-- bench edit {run} -->\n")


CASES: dict[str, Callable[[BenchSite, int], None]] = {
    "cold build": start_cold,
    "no-change rebuild": change_nothing,
    "edit one post's body": edit_body,
    "change one post's tags": edit_tags,
    "edit post.html layout": edit_layout,
}


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def run_cases(site: BenchSite, build_cmd: list[str], run: int) -> dict[str, CaseResult]:
    """Run every case once, in order; restore the edited files afterwards."""
    originals = {p: p.read_bytes() for p in (site.post, site.layout) if p is not None}
    results: dict[str, CaseResult] = {}
    try:
        for name, prepare in CASES.items():
            if prepare is edit_layout and site.layout is None:
                continue
            prepare(site, run)
            warm_page_cache(site.site_dir)
            measurement = run_measured(build_cmd)
            results[name] = CaseResult(measurement, count_files(site.out_dir))
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    return results
