"""Jekyll pages (files with front matter outside `_` folders) and static files: kept at
their old URLs, or, for pages that only list posts, mapped onto ssg's own lists."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from ssg.content.dates import strip_date_prefix
from ssg.content.slugs import slugify as ssg_slugify
from ssg.content.urls import normalize_url
from ssg.importers.jekyll.config import JekyllConfig, front_matter_defaults, is_excluded
from ssg.importers.jekyll.frontmatter import (
    FrontMatter,
    as_list,
    has_front_matter,
    read_front_matter,
)
from ssg.importers.jekyll.urls import (
    PostFacts,
    add_permalink_suffix,
    expand_drop,
    expand_hash,
    jekyll_date,
    page_template,
    post_placeholders,
    sanitize_url,
    served_url,
)

# Liquid that walks the site's posts: a page made of it is a list ssg makes itself.
_LISTING = re.compile(r"\b(?:site\.posts|paginator\.|site\.tags|site\.categories)\b")
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
# Files ssg writes itself: a page of the old site at one of these URLs is not brought over.
SSG_FILES = ("/feed.xml", "/sitemap.xml", "/robots.txt", "/404.html")


@dataclass(slots=True)
class SiteFiles:
    """The old site's files, by what Jekyll does with them (paths relative to the site)."""

    post_dirs: list[str]  # `_posts`, `tech/_posts`, `_drafts`
    pages: list[str]  # files with front matter
    statics: list[str]  # copied as they are
    includes: dict[str, str]  # `_includes/` file name -> text


def walk_site(source: Path, config: JekyllConfig) -> SiteFiles:
    """Jekyll's reader: `_` and `.` folders are skipped but for `_posts`/`_drafts`
    (at any depth) and `include:`; `exclude:` leaves files out."""
    found = SiteFiles([], [], [], _read_includes(source / "_includes"))
    for folder, dirs, files in os.walk(source):
        here = Path(folder).relative_to(source).as_posix()
        here = "" if here == "." else here
        kept = []
        for name in sorted(dirs):
            relative = f"{here}/{name}".lstrip("/")
            if name in ("_posts", "_drafts") and not is_excluded(config, relative):
                found.post_dirs.append(relative)
            elif _visible(name, config) and not is_excluded(config, relative):
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            relative = f"{here}/{name}".lstrip("/")
            if not _visible(name, config) or is_excluded(config, relative):
                continue
            with open(source / relative, "rb") as handle:
                first_line = handle.readline(256)
            (found.pages if has_front_matter(first_line) else found.statics).append(relative)
    return found


def _visible(name: str, config: JekyllConfig) -> bool:
    if name in config.include:
        return True
    return not (name.startswith((".", "_", "#")) or name.endswith("~") or name == "_site")


def _read_includes(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8-sig")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@dataclass(slots=True)
class JekyllPage:
    relative: str  # `about.md`, `archive.html`
    fm: FrontMatter
    output_ext: str  # `.html` for Markdown and HTML pages
    served: str  # the URL of the file Jekyll wrote

    @property
    def home(self) -> bool:
        return self.served in ("/", "/index.html")

    @property
    def listing(self) -> bool:
        """A list of posts: Liquid over site.posts or paginator, or the home page (ssg's
        home lists the posts; minima's `layout: home` index has no text of its own)."""
        return self.home or _LISTING.search(self.fm.body) is not None

    @property
    def own_text(self) -> str:
        """What the page says besides Liquid and tags."""
        return _HTML_TAG.sub("", _LIQUID.sub("", self.fm.body)).strip()


def read_page(source: Path, relative: str, config: JekyllConfig) -> JekyllPage:
    fm = read_front_matter((source / relative).read_text(encoding="utf-8-sig"))
    path = PurePosixPath(relative)
    suffix = path.suffix
    output_ext = ".html" if suffix.lower() in config.markdown_exts else suffix
    if suffix in (".scss", ".sass"):
        output_ext = ".css"
    basename = path.name[: len(path.name) - len(suffix)].rstrip(".") if suffix else path.name
    defaults = front_matter_defaults(config, relative, "pages")
    permalink = fm.get("permalink") or defaults.get("permalink")
    template = (
        permalink
        if isinstance(permalink, str) and permalink
        else page_template(basename, output_ext, config.permalink_style)
    )
    directory = path.parent.as_posix() if path.parent.as_posix() != "." else ""
    values: dict[str, str | None] = {
        "path": directory, "basename": basename, "output_ext": output_ext,
    }  # fmt: skip
    url = sanitize_url(expand_hash(template, values))
    return JekyllPage(relative, fm, output_ext, served_url(url, output_ext))


def collection_docs(source: Path, config: JekyllConfig) -> list[JekyllPage]:
    """The documents of collections other than posts that Jekyll writes (`output: true`),
    as pages at their URLs: ssg has posts and pages only."""
    collections = config.data.get("collections")
    if isinstance(collections, list):
        collections = {label: {} for label in collections}
    if not isinstance(collections, dict):
        return []
    docs = []
    for label, settings in collections.items():
        settings = settings if isinstance(settings, dict) else {}
        if label == "posts" or settings.get("output") is not True:
            continue
        template = str(settings.get("permalink") or "") or add_permalink_suffix(
            "/:collection/:path", config.permalink_style
        )
        folder = source / f"_{label}"
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and path.suffix.lower() in (*config.markdown_exts, ".html"):
                docs.append(_collection_doc(source, path, label, template, config))
    return docs


def _collection_doc(source: Path, path: Path, label: str, template: str,
                    config: JekyllConfig) -> JekyllPage:  # fmt: skip
    relative = path.relative_to(source).as_posix()
    fm = read_front_matter(path.read_text(encoding="utf-8-sig"))
    inside = relative.removeprefix(f"_{label}").rsplit(".", 1)[0]
    slug = fm.get("slug") if isinstance(fm.get("slug"), str) else None
    written = fm.get("date")
    date = jekyll_date(written, config.tz) if isinstance(written, str) else None
    facts = PostFacts(
        date=date or datetime.now(config.tz),  # Jekyll: the build's time
        slug=slug or path.stem, basename=path.stem,
        categories=tuple(as_list(fm.get("categories"))), path=inside, collection=label,
    )  # fmt: skip
    permalink = fm.get("permalink")
    chosen = permalink if isinstance(permalink, str) and permalink else template
    url = sanitize_url(expand_drop(chosen, post_placeholders(facts)))
    return JekyllPage(relative, fm, ".html", served_url(url))


def new_page_path(page: JekyllPage) -> str:
    """The page's file in the new site: Markdown under content/, at its old place."""
    path = PurePosixPath(page.relative)
    stem = path.name[: len(path.name) - len(path.suffix)] if path.suffix else path.name
    parent = path.parent.as_posix().lstrip("_")  # a collection's `_docs/` is `docs/`
    folder = "" if parent == "." else parent + "/"
    if folder.split("/")[0] == "posts":  # content/posts/ holds posts only
        folder = "pages/" + folder
    return f"content/{folder}{stem}.md"


def ssg_page_url(new_path: str, fm: FrontMatter) -> str:
    """The URL ssg gives a page at `new_path` (content/about.md -> /about/)."""
    stem = PurePosixPath(new_path.removeprefix("content/")).with_suffix("")
    if stem.name == "index":
        return normalize_url("/".join(stem.parts[:-1]))
    slug = fm.get("slug")
    name = ssg_slugify(slug if isinstance(slug, str) and slug else strip_date_prefix(stem.name))
    return normalize_url("/".join((*stem.parts[:-1], name)))
