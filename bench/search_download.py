"""What a search query downloads from a built site: the shards of its keys and the entries
of the first page of results, as search.js fetches them.

    python bench/search_download.py OUTPUT_DIR [QUERY ...]
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

from ssg.content.search_terms import fold, query_keys
from ssg.site.search import decode

QUERIES = ["半導体", "円安", "生成AI", "データセンター投資", "NVIDIA 決算", "7203", "金利"]
PAGE = 10


def download(search_dir: Path, query: str) -> tuple[int, int, int]:
    shards = len(list((search_dir / "index").glob("*.json")))
    words = [query_keys(word) for word in fold(query).split()]
    keys = sorted({key for word in words for key in word})
    files = {f"index/{zlib.crc32(k.encode()) % shards}.json" for k in keys}
    loaded = {f: json.loads((search_dir / f).read_text("utf-8")) for f in files}
    found: set[int] | None = None
    for key in keys:
        shard = loaded[f"index/{zlib.crc32(key.encode()) % shards}.json"]
        numbers = {entry // 8 for entry in decode(shard.get(key, ""))}
        found = numbers if found is None else found & numbers
    results = sorted(found or (), reverse=True)[:PAGE]
    files |= {f"docs/{number}.json" for number in results}
    size = sum((search_dir / f).stat().st_size for f in files)
    return size, len(files), len(found or ())


def main() -> None:
    output = Path(sys.argv[1])
    for query in sys.argv[2:] or QUERIES:
        size, count, hits = download(output / "search", query)
        print(f"{query:>20}: {size / 1024:7.1f} KB in {count:2d} files, {hits} posts")


if __name__ == "__main__":
    main()
