"""jekyll-archives' tag, category and date pages (plugin 2.2's rules), kept through ssg's
`taxonomy_paths`, `taxonomy_slugs` and its yearly and monthly archives; day pages, which
ssg does not have, redirect to their month."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ssg.content.slugs import term_key, term_slug
from ssg.importers.jekyll.config import JekyllConfig
from ssg.importers.jekyll.posts import JekyllPost
from ssg.importers.jekyll.urls import expand_hash, sanitize_url, slugify
from ssg.importers.report import REPORTED, URL, ImportReport

# JekyllArchives::Archives::DEFAULTS["permalinks"]
DEFAULT_PERMALINKS = {
    "year": "/:year/", "month": "/:year/:month/", "day": "/:year/:month/:day/",
    "tag": "/tag/:name/", "category": "/category/:name/",
}  # fmt: skip
_TAXONOMIES = {"tag": ("tags", "tags"), "category": ("categories", "categories")}


@dataclass(slots=True)
class Archives:
    """The old archive pages and the config that keeps them."""

    old_urls: list[str] = field(default_factory=list)
    taxonomy_paths: dict[str, str] = field(default_factory=dict)
    taxonomy_slugs: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)


def read_archives(config: JekyllConfig, posts: list[JekyllPost], report: ImportReport) -> Archives:
    found = Archives()
    settings = config.data.get("jekyll-archives")
    if "jekyll-archives" not in config.plugins or not isinstance(settings, dict):
        return found
    enabled = settings.get("enabled")
    permalinks = {**DEFAULT_PERMALINKS, **(settings.get("permalinks") or {})}
    published = [p for p in posts if p.published]

    def on(kind: str) -> bool:
        return enabled in (True, "all") or (isinstance(enabled, list) and kind in enabled)

    for kind, name in (("tag", "tags"), ("category", "categories")):
        if on(name):
            _terms(found, kind, str(permalinks[kind]), published, report)
    for kind in ("year", "month", "day"):
        if on(kind):
            _dates(found, kind, str(permalinks[kind]), published, report)
    return found


def _terms(found: Archives, kind: str, template: str, posts: list[JekyllPost],
           report: ImportReport) -> None:  # fmt: skip
    taxonomy, attribute = _TAXONOMIES[kind]
    prefix, placeholder, rest = template.partition(":name")
    if not placeholder or ":" in prefix or rest not in ("/", ""):
        report.add("_config.yml", None, REPORTED,
                   f"jekyll-archives {kind} permalink {template}: ssg's term pages are "
                   f"/folder/name/; not kept")  # fmt: skip
        return
    found.taxonomy_paths[taxonomy] = prefix
    names = dict.fromkeys(name for post in posts for name in getattr(post, attribute))
    for name in names:
        slug = slugify(name) or ""
        found.old_urls.append(sanitize_url(expand_hash(template, {"name": slug, "type": kind})))
        if term_slug(name, {}) != slug:
            found.taxonomy_slugs[term_key(name)] = slug
    kept = f"jekyll-archives {kind} pages kept: taxonomy_paths {taxonomy}: {prefix}"
    report.add("_config.yml", None, URL, kept)


def _dates(found: Archives, kind: str, template: str, posts: list[JekyllPost],
           report: ImportReport) -> None:  # fmt: skip
    ssg_template = {"year": "/:year/", "month": "/:year/:month/", "day": "/:year/:month/"}[kind]
    for post in posts:
        values: dict[str, Any] = {
            "year": f"{post.date.year:04d}", "month": f"{post.date.month:02d}",
            "day": f"{post.date.day:02d}",
        }  # fmt: skip
        old = sanitize_url(expand_hash(template, values))
        new = sanitize_url(expand_hash(ssg_template, values))
        if old not in found.old_urls:
            found.old_urls.append(old)
        if old != new:
            found.redirects[old] = new
    if template != ssg_template:
        moved = f"jekyll-archives {kind} pages ({template}) redirect to ssg's {ssg_template}"
        report.add("_config.yml", None, URL, moved)
