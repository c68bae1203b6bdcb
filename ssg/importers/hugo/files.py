"""One Hugo page as an ssg file: where it goes, and its front matter in ssg's keys."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import Any

import yaml

from ssg.importers.hugo.pages import HugoPage

# Hugo keys the import rewrites itself, or that mean nothing (or something else) to ssg.
_HANDLED = {
    "title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "draft",
    "slug", "url", "aliases", "summary", "description", "images", "image", "author",
    "authors", "layout", "type", "headless", "_build", "build", "cascade", "outputs",
    "markup", "sitemap", "expirydate", "unpublishdate", "tags", "categories", "permalink",
    "updated", "excerpt",
}  # fmt: skip


def post_path(page: HugoPage, taken: set[str]) -> str:
    """`posts/x/index.md` -> `content/posts/x.md` (a bundle is named by its folder, as its
    `index` would be its slug); the section's subfolders are kept, whatever the section."""
    rel = page.file.rel
    parts = list(rel.parts[1:])
    if rel.stem == "index" and len(parts) > 1:
        parts = parts[:-1]
        parts[-1] += ".md"
    parts[-1] = str(PurePosixPath(parts[-1]).with_suffix(".md"))
    return free_path("content/posts/" + "/".join(parts), taken)


def page_path(page: HugoPage, main: tuple[str, ...], taken: set[str]) -> str:
    """A page keeps its path; one in a folder named `posts` (not a main section) goes
    under `content/pages/`, as ssg would read it as a post."""
    rel = page.file.rel.with_suffix(".md")
    if page.kind == "section":
        rel = rel.parent.with_suffix(".md")
    prefix = "content/pages/" if rel.parts[0] == "posts" and len(rel.parts) > 1 else "content/"
    return free_path(prefix + rel.as_posix(), taken)


def free_path(path: str, taken: set[str]) -> str:
    """`path`, or `path` with `-2`, `-3`... when another file took it."""
    candidate, number = path, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{path[:-3]}-{number}.md"
    taken.add(candidate.casefold())
    return candidate


def front_matter(page: HugoPage, taxonomies: dict[str, str]) -> dict[str, Any]:
    """ssg front matter from the Hugo page's: dates with their offsets, `lastmod` as
    `updated`, terms, `summary` as `excerpt`, images made site paths; other keys kept."""
    file = page.file
    front: dict[str, Any] = {"title": str(file.get("title") or "")}
    if page.date is not None:
        front["date"] = _date(page.date)
    if page.lastmod is not None and page.lastmod != page.date:
        front["updated"] = _date(page.lastmod)
    if page.draft or page.expired:  # ssg has no expiry date: an expired page is a draft
        front["draft"] = True
    for plural, ssg_name in taxonomies.items():
        value = file.get(plural.lower())
        if value:
            front[ssg_name] = value if isinstance(value, list) else [str(value)]
    _copy_text(front, "description", file.get("description"))
    _copy_text(front, "excerpt", file.get("summary"))
    _copy_text(front, "author", _author(file.get("author") or file.get("authors")))
    image = _image(file.get("image") or file.get("images"), page.url_folder)
    if image:
        front["image"] = image
    for key, value in file.front.items():
        if key.lower() not in _HANDLED and key.lower() not in taxonomies and key not in front:
            front[key] = _plain(value)
    return front


def _plain(value: Any) -> Any:
    """A value YAML can write and ssg reads as written: TOML's dates and times as text."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _date(moment: datetime) -> str:
    return moment.isoformat()


def _copy_text(front: dict[str, Any], key: str, value: Any) -> None:
    if isinstance(value, str | int | float) and str(value).strip():
        front[key] = str(value)


def _author(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value) if value else ""


def _image(value: Any, folder: str) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    if text.startswith(("http://", "https://", "/")):
        return text
    return folder + text  # a bundle's own image, published beside the page


def file_text(front: dict[str, Any], body: str) -> str:
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n{body}"
