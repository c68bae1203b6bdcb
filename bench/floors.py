"""Time, each alone, the parts of a cold build that are not markdown-it-py's:

    python bench/floors.py SITE_DIR OUTPUT_DIR WRITE_DIR

Prints one JSON object: search_keys_s (ssg's search keys of every post) and share_images_s
(ssg drawing every post's share image), each left out when the site's config turns that
off; write_files_s (writing OUTPUT_DIR's files again, bytes already in memory, into
WRITE_DIR, which must not exist and is left for the caller to delete: the file system's
part of a build writing that output) and files. Each is a
`Pool` of every core from start to the last result, inputs made before the clock starts,
as markdown_only.py times the parser: with its time they add up to about the least a
build making this output with these features can take on this machine, whatever it does
around them.

Approximations, both on the cheap side: the search keys are taken from the Markdown body
with its marks removed (ssg takes them from the rendered text, which is about as long),
and every image has the same date line.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ssg.config import Config, load_config  # noqa: E402
from ssg.content.search_terms import search_terms  # noqa: E402
from ssg.render.share_images import draw_share_image  # noqa: E402
from ssg.site.share import ShareImage  # noqa: E402

MARKS = re.compile(r"[#*`|>\[\]()_~-]+")
DATE_LINE = "2025年11月20日"  # as long as any the site prints

_config: Config | None = None
_files: list[tuple[str, bytes]] = []
_dest = Path()


def read_post(path: Path) -> tuple[str, str]:
    """The title and the body, marks removed, of one post."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return "", MARKS.sub(" ", text)
    end = text.find("\n---\n", 4)
    meta = yaml.load(text[4:end], Loader=yaml.CSafeLoader) or {}
    return str(meta.get("title") or ""), MARKS.sub(" ", text[end + 5 :])


def keys_of(post: tuple[str, str]) -> int:
    return len(search_terms(*post))


def image_of(post: tuple[str, str]) -> int:
    assert _config is not None
    image = ShareImage(post[0], DATE_LINE, _config.title, "floor")
    return len(draw_share_image(image, _config))


def write_share(share: tuple[int, int]) -> int:
    """Write every `processes`-th file from the `first`-th (`share`), each folder made once."""
    first, processes = share
    made: set[str] = set()
    for rel, data in _files[first::processes]:
        path = os.path.join(_dest, rel)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)
    return 0


def timed(work: Callable[[Any], int], items: Sequence[Any], processes: int) -> float:
    chunksize = max(1, len(items) // (processes * 8))
    started = time.perf_counter()
    with Pool(processes) as pool:
        pool.map(work, items, chunksize=chunksize)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    global _config, _files, _dest
    site_dir, output_dir, _dest = (Path(arg) for arg in argv[:3])
    if _dest.exists():
        print(f"{_dest} exists: name a folder to create", file=sys.stderr)
        return 2
    processes = os.cpu_count() or 1
    _config = load_config(site_dir)
    posts = [read_post(path) for path in sorted((site_dir / "content" / "posts").glob("*.md"))]
    result: dict[str, float | int] = {}
    if _config.search:
        result["search_keys_s"] = timed(keys_of, posts, processes)
    if _config.share_images:
        result["share_images_s"] = timed(image_of, posts, processes)
    _files = [(path.relative_to(output_dir).as_posix(), path.read_bytes())
              for path in output_dir.rglob("*") if path.is_file()]  # fmt: skip
    shares = [(first, processes) for first in range(processes)]
    result["write_files_s"] = timed(write_share, shares, processes)
    result["files"] = len(_files)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
