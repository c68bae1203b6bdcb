"""Time markdown-it-py alone on a site's post bodies, on every core.

    python bench/markdown_only.py POSTS_DIR

Prints one JSON object: render_s (the Pool map alone, from pool start to the
last result back in the parent), posts and body_bytes. This is the floor for
any Python build that renders every post: what ssg spends beyond it is the
rest of the build (front matter, templates, writing, caching).
"""

from __future__ import annotations

import json
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

from markdown_it import MarkdownIt

_md: MarkdownIt | None = None


def strip_front_matter(text: str) -> str:
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 4)
    return text if end < 0 else text[end + 5 :]


def init_worker() -> None:
    global _md
    _md = MarkdownIt("commonmark").enable("table")


def render(body: str) -> str:
    assert _md is not None, "init_worker runs first in every pool process"
    return _md.render(body)


def time_render(bodies: list[str], processes: int) -> float:
    # Several chunks per worker keep both cores busy to the end despite the
    # long tail of 50 KB posts.
    chunksize = max(1, len(bodies) // (processes * 8))
    started = time.perf_counter()
    with Pool(processes, initializer=init_worker) as pool:
        pool.map(render, bodies, chunksize=chunksize)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    posts_dir = Path(argv[0])
    bodies = [strip_front_matter(p.read_text(encoding="utf-8")) for p in posts_dir.glob("*.md")]
    render_s = time_render(bodies, os.cpu_count() or 1)
    body_bytes = sum(len(b.encode("utf-8")) for b in bodies)
    print(json.dumps({"render_s": render_s, "posts": len(bodies), "body_bytes": body_bytes}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
