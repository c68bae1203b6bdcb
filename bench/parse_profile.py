"""Time parsing one post against bare markdown-it-py, in one process, on one core.

    python bench/parse_profile.py [SITE_DIR] [--posts N] [--rounds R] [--profile]

SITE_DIR defaults to bench/corpus/10000 (run `bench/run.py` or `bench/generate.py` first);
N posts are taken evenly spread over its content/posts. Each round times, one after
another, `parse_post` (front matter, Markdown, derived data), ssg's parser alone
(`md.render`) and `MarkdownIt("commonmark").enable("table").render`, so all three see the
same machine load; medians are printed in ms per post, with the ratio to the bare parser.
CPU time, not wall time: a busy machine slows all three alike. Each round starts with a
cold code-block memo, as a build parses each post once. `--profile` adds a cProfile of
`parse_post` (top 25 by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt

from ssg.build.parse import markdown_for
from ssg.config import load_config
from ssg.content.frontmatter import normalize_text, split_front_matter
from ssg.content.post import parse_post
from ssg.markdown.parser import highlight_code

DEFAULT_SITE = Path(__file__).parent / "corpus" / "10000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    config = load_config(args.site)
    md = markdown_for(config.raw_html, config.base_path, config.language)
    bare = MarkdownIt("commonmark").enable("table")
    files = sorted((args.site / "content" / "posts").glob("*.md"))
    files = files[:: max(1, len(files) // args.posts)][: args.posts]
    docs = [(PurePosixPath("posts") / f.name, f.read_text(encoding="utf-8")) for f in files]
    bodies = [split_front_matter(path, normalize_text(raw)).body for path, raw in docs]

    def parse_all() -> None:
        for path, raw in docs:
            parse_post(path, raw, config, md)

    def ssg_markdown() -> None:
        for body in bodies:
            md.render(body)

    def bare_markdown() -> None:
        for body in bodies:
            bare.render(body)

    cases: dict[str, Callable[[], None]] = {
        "parse_post": parse_all,
        "ssg markdown": ssg_markdown,
        "bare markdown-it": bare_markdown,
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    parse_all()  # warm up imports, lexers and regex caches
    for _ in range(args.rounds):
        for name, case in cases.items():
            highlight_code.cache_clear()
            started = time.process_time()
            case()
            times[name].append((time.process_time() - started) * 1000 / len(docs))
    base = statistics.median(times["bare markdown-it"])
    print(f"{len(docs)} posts from {args.site}, median of {args.rounds} rounds (CPU ms/post)")
    for name, runs in times.items():
        median = statistics.median(runs)
        spread = " ".join(f"{t:.3f}" for t in runs)
        print(f"  {name:18} {median:6.3f}  x{median / base:4.2f}  ({spread})")

    if args.profile:
        highlight_code.cache_clear()
        profile = cProfile.Profile()
        profile.runcall(parse_all)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
