"""`ssg new post` and `ssg init`: files a writer starts from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ssg.config import CONFIG_FILE, Config
from ssg.content.slugs import slugify
from ssg.errors import SsgError

SAMPLE_CONFIG = """\
title: 投資分析ブログ
description: 企業と市場を読み解く分析ノート
author: 編集部
base_url: "https://example.com/"
language: ja
timezone: Asia/Tokyo
paginate: 10
permalink: /:year/:month/:day/:slug/
"""

SAMPLE_POST = """\
ssgへようこそ。この記事は `ssg init` が作ったサンプルです。

<!--more-->

## 書き方

`content/posts/` に Markdown ファイルを置き、`ssg build` を実行すると `output/` にサイトができます。

| 銘柄 | ティッカー | 前年比 |
|------|-----------|-------|
| エヌビディア | NVDA | **+94%** |
"""


def new_post(config: Config, title: str, slug: str | None = None,
             now: datetime | None = None) -> Path:  # fmt: skip
    """Write `content/posts/YYYY-MM-DD-slug.md` with front matter filled in; return its path."""
    now = (now or datetime.now(config.tz)).replace(microsecond=0)
    slug = slugify(slug or title)
    path = config.content_dir / "posts" / f"{now:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise SsgError(f"{path}: already exists; choose another title or --slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(post_text(title, now), encoding="utf-8")
    return path


def post_text(title: str, now: datetime, body: str = "") -> str:
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "---\n"
        "layout: post\n"
        f'title: "{quoted}"\n'
        f"date: {now:%Y-%m-%d %H:%M:%S %z}\n"
        "categories: []\n"
        "tags: []\n"
        "draft: true\n"
        "---\n\n" + body
    )


def init_site(site_dir: Path, now: datetime) -> list[Path]:
    """Create a new site with config.yaml and one sample post; refuse a non-empty folder."""
    if site_dir.exists() and not site_dir.is_dir():
        raise SsgError(f"{site_dir}: is a file; `ssg init` needs a new or empty folder")
    if site_dir.exists() and any(site_dir.iterdir()):
        raise SsgError(f"{site_dir}: is not empty; `ssg init` only creates new sites")
    (site_dir / "content" / "posts").mkdir(parents=True)
    (site_dir / "layouts").mkdir()
    (site_dir / "static").mkdir()
    config = site_dir / CONFIG_FILE
    config.write_text(SAMPLE_CONFIG, encoding="utf-8")
    post = site_dir / "content" / "posts" / f"{now:%Y-%m-%d}-welcome.md"
    text = post_text("はじめての投稿", now, SAMPLE_POST).replace("draft: true\n", "")
    post.write_text(text, encoding="utf-8")
    (site_dir / ".gitignore").write_text("output/\n.ssg-cache/\n", encoding="utf-8")
    return [config, post]
