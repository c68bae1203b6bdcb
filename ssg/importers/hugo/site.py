"""The new site's config.yaml from Hugo's, and the files copied as they are (`static/`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ssg.importers.hugo.config import HugoConfig
from ssg.importers.hugo.lists import SSG_TAXONOMIES, ListPlan

DEFAULT_PERMALINK = "/:year/:month/:day/:slug/"
# Hugo's tokens ssg has, and those that are the page's name (ssg's `:slug`, which the
# import sets to Hugo's value of that token).
_SAME_TOKENS = {"year", "month", "day"}
_NAME_TOKENS = {"slug", "title", "filename", "slugorfilename", "contentbasename",
                "slugorcontentbasename"}  # fmt: skip
_TOKEN = re.compile(r":([a-z_]+)")

# A page at a main section's URL (`/posts/`) listing every post, as Hugo's section list did.
SECTION_LAYOUT = "hugo_section"
SECTION_LAYOUT_TEXT = """\
{% extends "base.html" %}
{% block content %}
<article class="post page">
  <header class="post-header"><h1>{{ post.title_html }}</h1></header>
  <div class="post-body">
{{ post.html | safe }}
  </div>
  <ul class="archive-list">
  {% for item in site.posts %}
  <li><time datetime="{{ item.date.isoformat() }}">{{ item.date | date }}</time>
    <a href="{{ item.url | url }}">{{ item.title_html }}</a></li>
  {% endfor %}
  </ul>
</article>
{% endblock %}
"""


@dataclass(slots=True)
class NewConfig:
    """config.yaml's keys, filled in two steps: what Hugo's config says, then what the
    lists need (redirects, term slugs)."""

    values: dict[str, Any]
    pattern: str  # ssg's `permalink`
    slug_token: str  # the Hugo token ssg's `:slug` stands for ("" when none)

    def finish(self, lists: ListPlan, attributes: bool) -> None:
        if lists.taxonomy_slugs:
            self.values["taxonomy_slugs"] = lists.taxonomy_slugs
        if lists.redirects:
            self.values["redirects"] = lists.redirects
        if attributes:
            self.values["markdown_attributes"] = True


def new_config(config: HugoConfig, mains: tuple[str, ...]) -> NewConfig:
    language = "en" if config.language_code.lower().startswith("en") else "ja"
    pattern, token = ssg_permalink(config, mains)
    values: dict[str, Any] = {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "base_url": config.base_url,
        "language": language,
        # Dates are written with their offsets, so the zone only places URL date parts
        # (pinned where they differ) and shows dates; Hugo's default is UTC.
        "timezone": config.time_zone_name or ("Asia/Tokyo" if language == "ja" else "UTC"),
        "paginate": config.paginate,
        "paginate_path": f"{config.paginate_path.strip('/')}/:num/",
        "permalink": pattern,
        "taxonomy_paths": {
            SSG_TAXONOMIES[s]: f"/{p}/" for s, p in config.taxonomies.items() if s in SSG_TAXONOMIES
        },  # fmt: skip
        "heading_ids": "goldmark",
    }
    return NewConfig({k: v for k, v in values.items() if v != ""}, pattern, token)


def ssg_permalink(config: HugoConfig, mains: tuple[str, ...]) -> tuple[str, str]:
    """ssg's `permalink` for the main section's Hugo pattern, and the Hugo token its
    `:slug` stands for; Hugo's default is `/<section>/<slug or file name>/`."""
    section = mains[0] if mains else "posts"
    pattern = config.permalinks.get(section)
    if pattern is None:
        return f"/{section}/:slug/", "slugorfilename"
    tokens = _TOKEN.findall(pattern)
    names = [t for t in tokens if t in _NAME_TOKENS]
    if len(names) > 1 or any(t not in _SAME_TOKENS | _NAME_TOKENS | {"section"} for t in tokens):
        return DEFAULT_PERMALINK, ""  # every post pins its URL
    token = names[0] if names else ""
    translated = _TOKEN.sub(lambda m: _translate(m[1], section), pattern)
    if config.ugly_urls and translated.endswith("/"):
        translated = translated.rstrip("/") + ".html"
    return translated, token


def _translate(token: str, section: str) -> str:
    if token == "section":
        return section
    return ":slug" if token in _NAME_TOKENS else f":{token}"


def copy_static(source: Path, theme: str, old_urls: list[str]) -> dict[str, Path]:
    """`static/` (and the theme's, under the site's) to copy as is; their URLs listed."""
    copies: dict[str, Path] = {}
    folders = [source / "static"]
    if theme:
        folders.insert(0, source / "themes" / theme / "static")
    for folder in folders:
        for here, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(here) / name
                rel = PurePosixPath(path.relative_to(folder).as_posix())
                copies[f"static/{rel}"] = path
    old_urls += [f"/{rel[len('static/') :]}" for rel in copies if not _hidden(rel)]
    return copies


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))
