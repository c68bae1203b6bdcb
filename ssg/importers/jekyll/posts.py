"""Jekyll posts (`_posts/`, `CATEGORY/_posts/`, `_drafts/`): where Jekyll published each,
and the front matter that makes ssg publish it at the same URL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from ssg.content.dates import DateError, date_from_filename, parse_date, strip_date_prefix
from ssg.content.slugs import slugify as ssg_slugify
from ssg.content.slugs import term_slug
from ssg.content.urls import normalize_url, post_url
from ssg.importers.jekyll.config import JekyllConfig, front_matter_defaults
from ssg.importers.jekyll.frontmatter import FrontMatter, as_flag, as_list, read_front_matter
from ssg.importers.jekyll.urls import (
    PostFacts,
    expand_drop,
    filename_date,
    filename_slug,
    jekyll_date,
    post_placeholders,
    sanitize_url,
    served_url,
)
from ssg.importers.report import CONVERTED, DIALECT, URL, ImportReport

DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
# Front-matter keys that only meant something to Jekyll's templates or its URL rules.
_JEKYLL_ONLY = ("layout", "permalink")
_HTML = (".html", ".htm")


@dataclass(slots=True)
class JekyllPost:
    """One post: where it was, where Jekyll put it, and its new file."""

    relative: str  # in the old site: `_posts/2013-10-03-x.md`, `tech/_posts/…`, `_drafts/…`
    new_path: str  # in the new site: `content/posts/2013-10-03-x.md`
    fm: FrontMatter
    date: datetime  # as Jekyll read it, in the site's zone
    categories: tuple[str, ...]  # folder categories, defaults', then the post's own
    jekyll_url: str  # unescaped, as Jekyll made it
    served: str  # the URL of the file Jekyll wrote (`/about` was `/about.html`)
    published: bool  # Jekyll wrote it (not a draft, not `published: false`, not future)
    new_url: str = ""  # where the new site publishes it
    tags: tuple[str, ...] = ()  # `tag:`, else `tags:` (a list, or split on spaces)

    @property
    def basename(self) -> str:
        return PurePosixPath(self.relative).stem


def post_files(source: Path, relative_dirs: list[str], config: JekyllConfig) -> list[str]:
    """The post files Jekyll reads in these `_posts`/`_drafts` folders, sorted."""
    found = []
    for folder in relative_dirs:
        for path in sorted((source / folder).rglob("*")):
            if not path.is_file() or path.suffix.lower() not in (*config.markdown_exts, *_HTML):
                continue
            relative = path.relative_to(source).as_posix()
            inside = path.relative_to(source / folder).parts  # EntryFilter's rules
            if any(p.startswith((".", "_", "#")) or p.endswith("~") for p in inside):
                continue
            if folder.endswith("_posts") and filename_date(path.name, config.tz) is None:
                continue  # Jekyll skips post files without a date in their name
            found.append(relative)
    return found


def separate_new_paths(posts: list[JekyllPost], report: ImportReport) -> None:
    """Two old files that would be one new file (a draft and a post of one name, or names
    in two category folders): a published post keeps the name, the other gets `-2` (its URL
    is pinned as usual)."""
    taken: set[str] = set()
    for post in sorted(posts, key=lambda p: (not p.published, p.relative)):
        path = PurePosixPath(post.new_path)
        number = 2
        while post.new_path.lower() in taken:
            post.new_path = str(path.with_stem(f"{path.stem}-{number}"))
            number += 1
        if post.new_path != str(path):
            report.add(post.relative, None, URL, f"written as {post.new_path}: {path} was taken")
        taken.add(post.new_path.lower())


def read_post(source: Path, relative: str, config: JekyllConfig, now: datetime,
              report: ImportReport) -> JekyllPost:  # fmt: skip
    parts = relative.split("/")
    special = next(i for i, p in enumerate(parts) if p in ("_posts", "_drafts"))
    draft = parts[special] == "_drafts"
    fm = read_front_matter((source / relative).read_text(encoding="utf-8-sig"))
    defaults = front_matter_defaults(config, relative, "drafts" if draft else "posts")
    merged = {**defaults, **fm.values}
    categories = _categories(parts[:special], defaults, fm)
    name = parts[-1]
    date = _date(source, relative, merged.get("date"), name, config, report, fm)
    facts = PostFacts(
        date=date, slug=_text(merged.get("slug")) or filename_slug(name),
        basename=PurePosixPath(name).stem,
        categories=categories, path="/" + "/".join(parts[special + 1 :]).rsplit(".", 1)[0],
    )  # fmt: skip
    template = _text(merged.get("permalink")) or config.posts_permalink
    url = sanitize_url(expand_drop(template, post_placeholders(facts)))
    published = (
        not draft
        and as_flag(merged.get("published")) is not False
        and (config.future or date <= now)
    )
    new_path = "content/posts/" + "/".join([*parts[:special], *parts[special + 1 :]])
    if PurePosixPath(name).suffix.lower() in _HTML:  # ssg's posts are Markdown files
        new_path = str(PurePosixPath(new_path).with_suffix(".md"))
        report.add(relative, None, DIALECT, "an HTML post: its body is read as Markdown")
    post = JekyllPost(relative, new_path, fm, date, categories, url, served_url(url), published)
    singular = merged.get("tag")
    post.tags = tuple(as_list([singular] if isinstance(singular, str) else merged.get("tags")))
    _bring_defaults(post, defaults)
    return post


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _categories(
    folders: list[str], defaults: dict[str, object], fm: FrontMatter
) -> tuple[str, ...]:
    found = [*folders, *as_list(defaults.get("categories")), *as_list(fm.get("categories"))]
    singular = fm.get("category") or defaults.get("category")
    if singular is not None:
        found += [str(singular)] if isinstance(singular, str) else as_list(singular)
    return tuple(dict.fromkeys(found))


def _date(source: Path, relative: str, written: object, name: str, config: JekyllConfig,
          report: ImportReport, fm: FrontMatter) -> datetime:  # fmt: skip
    if isinstance(written, str) and written.strip():
        try:
            return jekyll_date(written, config.tz)
        except ValueError:
            report.add(relative, fm.line_of("date"), DIALECT,
                       f"date {written!r} unreadable; the file name's date is used")  # fmt: skip
    from_name = filename_date(name, config.tz)
    if from_name is not None:
        return from_name
    # A draft without a date: Jekyll --drafts dates it by the file's modification time.
    mtime = (source / relative).stat().st_mtime
    return datetime.fromtimestamp(mtime, config.tz).replace(microsecond=0)


def _bring_defaults(post: JekyllPost, defaults: dict[str, object]) -> None:
    """Front-matter defaults a post relied on, written into it (ssg has no `defaults:`)."""
    for key, value in defaults.items():
        if key in _JEKYLL_ONLY or key in ("categories", "category", "date"):
            continue
        if post.fm.get(key) is None and isinstance(value, (str, int, float, bool, list)):
            post.fm.set(key, value)


def resolve_clashes(posts: list[JekyllPost], report: ImportReport) -> None:
    """Posts Jekyll wrote to one file: the last written (Jekyll's order: date, then path)
    keeps the URL, the others get `-2`, `-3`, … (Jekyll warned "Conflict" and lost them)."""
    taken = {p.served for p in posts if p.published}
    groups: dict[str, list[JekyllPost]] = {}
    for post in sorted(posts, key=lambda p: (p.date, p.relative)):
        post.new_url = post.served
        if post.published:
            groups.setdefault(post.served, []).append(post)
    for url, group in groups.items():
        winner = group[-1]
        for number, loser in enumerate(group[:-1], start=2):
            suffixed = _suffixed(url, number)
            while suffixed in taken:
                number += 1
                suffixed = _suffixed(url, number)
            taken.add(suffixed)
            loser.new_url = suffixed
            report.add(loser.relative, None, URL,
                       f"{url} was also {winner.relative}'s URL (Jekyll: Conflict; it published "
                       f"that one); this post is now at {suffixed}")  # fmt: skip


def _suffixed(url: str, number: int) -> str:
    if url.endswith("/"):
        return f"{url[:-1]}-{number}/"
    stem, dot, ext = url.rpartition(".")
    return f"{stem}-{number}.{ext}" if dot and "/" not in ext else f"{url}-{number}"


def ssg_pattern(jekyll_template: str) -> str | None:
    """Jekyll's posts permalink in ssg's words, or None when ssg has no such placeholder."""
    pattern = jekyll_template.replace(":output_ext", ".html")
    try:
        expand_drop(pattern, dict.fromkeys(SSG_PLACEHOLDERS, "x"))
    except ValueError:
        return None
    return pattern


SSG_PLACEHOLDERS = ("year", "month", "day", "hour", "minute", "second", "slug", "title",
                    "categories", "i_month", "i_day", "short_year")  # fmt: skip


def write_post(post: JekyllPost, pattern: str, config: JekyllConfig,
               report: ImportReport) -> None:  # fmt: skip
    """Edit the post's front matter so ssg reads the same date, categories and URL."""
    fm = post.fm
    layout = fm.get("layout")
    if layout is not None and layout not in ("post", "posts"):
        report.add(post.relative, fm.line_of("layout"), DIALECT,
                   f"layout {layout!r} dropped: the new site uses ssg's post layout")  # fmt: skip
    for key in _JEKYLL_ONLY:
        fm.remove(key)
    flatten_seo_keys(fm, post.relative, report)
    if not fm.get("title"):  # Jekyll titled it from the file name: Utils.titleize_slug
        slug = filename_slug(PurePosixPath(post.relative).name)
        fm.set("title", " ".join(word.capitalize() for word in slug.split("-")))
    if _ssg_date(post, config) != post.date:
        if fm.get("date") is not None:
            report.add(post.relative, fm.line_of("date"), DIALECT,
                       f"date {fm.get('date')} has no offset and seconds: Jekyll read it as UTC; "
                       f"written as {post.date.strftime(DATE_FORMAT)}")  # fmt: skip
        fm.set_text("date", post.date.strftime(DATE_FORMAT))
    if (
        post.relative.split("/")[0] != "_posts"
        or fm.get("category") is not None
        or (as_list(fm.get("categories")) != list(post.categories))
    ):
        fm.remove("category")
        if post.categories:
            fm.set("categories", list(post.categories))
    if post.relative.split("/")[0] == "_drafts" or "/_drafts/" in post.relative:
        fm.set("draft", True)
    if ssg_post_url(post, pattern, config) != post.new_url:
        fm.set("permalink", post.new_url)
    if normalize_url(post.new_url) != post.new_url:
        report.add(post.relative, None, URL,
                   f"{post.new_url} cannot be a file name everywhere; it becomes "
                   f"{normalize_url(post.new_url)}")  # fmt: skip


# jekyll-seo-tag's object forms, and the text ssg reads in their place.
_SEO_OBJECTS = {"image": "path", "author": "name"}


def flatten_seo_keys(fm: FrontMatter, relative: str, report: ImportReport) -> None:
    """`image: {path: …}` and `author: {name: …}` (jekyll-seo-tag) as the text ssg reads."""
    for key, inner in _SEO_OBJECTS.items():
        value = fm.get(key)
        if isinstance(value, dict) and isinstance(value.get(inner), str):
            report.add(relative, fm.line_of(key), CONVERTED,
                       f"{key}: {{{inner}: …}} written as {key}: {value[inner]}")  # fmt: skip
            fm.set(key, value[inner])


def _ssg_date(post: JekyllPost, config: JekyllConfig) -> datetime | None:
    written = post.fm.get("date")
    try:
        if isinstance(written, str) and written.strip():
            return parse_date(written, config.tz)
    except DateError:
        return None
    return date_from_filename(PurePosixPath(post.new_path).stem, config.tz)


def ssg_post_url(post: JekyllPost, pattern: str, config: JekyllConfig) -> str:
    """The URL ssg gives the post from its new front matter, without a permalink."""
    slug = post.fm.get("slug")
    stem = PurePosixPath(post.new_path).stem
    ssg_slug = ssg_slugify(slug) if isinstance(slug, str) and slug else None
    slug_text = ssg_slug or ssg_slugify(strip_date_prefix(stem))
    categories = tuple(term_slug(name, {}) for name in post.categories)
    return post_url(pattern, post.date, slug_text, categories, config.tz)


def paginated_pages(posts: list[JekyllPost], per_page: int) -> int:
    """How many home pages jekyll-paginate wrote."""
    return max(1, math.ceil(sum(1 for p in posts if p.published) / per_page))
