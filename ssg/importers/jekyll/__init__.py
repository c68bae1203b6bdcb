"""`ssg import jekyll`: a Jekyll 4 site read into a new ssg site that serves every old URL.

Posts keep the URL Jekyll gave them (its permalink style, time zone and slug rules, in
jekyll_urls); Liquid is rewritten (liquid), kramdown attribute lists too (kramdown); pages
stay at their URLs, list pages become ssg's lists, other files go to static/.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml

from ssg.config import Config
from ssg.importers.dialect import JEKYLL, convert_dialect
from ssg.importers.jekyll.archives import Archives, read_archives
from ssg.importers.jekyll.config import JekyllConfig, read_jekyll_config
from ssg.importers.jekyll.kramdown import convert_kramdown
from ssg.importers.jekyll.liquid import LiquidContext, convert_liquid
from ssg.importers.jekyll.lists import ListPages
from ssg.importers.jekyll.pages import (
    SSG_FILES,
    JekyllPage,
    SiteFiles,
    collection_docs,
    new_page_path,
    read_page,
    ssg_page_url,
    walk_site,
)
from ssg.importers.jekyll.posts import (
    JekyllPost,
    flatten_seo_keys,
    post_files,
    read_post,
    resolve_clashes,
    separate_new_paths,
    ssg_pattern,
    write_post,
)
from ssg.importers.jekyll.redirects import Redirects
from ssg.importers.jekyll.urls import UnknownPlaceholder
from ssg.importers.new_site import NewSite
from ssg.importers.report import CONVERTED, DIALECT, REPORTED, URL, ImportReport

T = TypeVar("T")
DEFAULT_PERMALINK = "/:year/:month/:day/:slug/"
SSG_PAGINATE_PATH = "page/:num/"


def read_jekyll_site(source: Path) -> NewSite:
    config = read_jekyll_config(source)
    report = ImportReport()
    files = walk_site(source, config)
    posts = _read_posts(source, files, config, report)
    pages = _read_pages(source, files, config, report)
    site = NewSite(config={}, report=report)
    archives = read_archives(config, posts, report)
    lists = ListPages(config, report, archives.taxonomy_paths)
    lists.map_listings(pages)
    redirects = Redirects(config, report)
    for relative in files.statics:
        _bring_static(site, source, relative)
    context = _liquid_context(config, posts, pages, files, lists)
    pattern = _post_pattern(config, report)
    attributes = sum(_bring_post(site, post, pattern, config, context, redirects)
                     for post in posts)  # fmt: skip
    attributes += sum(_bring_page(site, page, context, lists, redirects) for page in pages)
    _bring_redirects_json(site, redirects)
    site.old_urls += lists.old_urls(posts, pages) + archives.old_urls
    lists.redirects |= redirects.to | archives.redirects
    site.old_urls = list(dict.fromkeys(site.old_urls))  # a clash's URL was served once
    site.config = _new_config(config, pattern, lists, archives, attributes > 0, report)
    return site


def _read_posts(source: Path, files: SiteFiles, config: JekyllConfig,
                report: ImportReport) -> list[JekyllPost]:  # fmt: skip
    now = datetime.now(config.tz)
    posts = [post for relative in post_files(source, files.post_dirs, config)
             if (post := _unless_unreadable(relative, report, read_post, source, relative,
                                            config, now, report))]  # fmt: skip
    resolve_clashes(posts, report)
    separate_new_paths(posts, report)
    return posts


def _read_pages(source: Path, files: SiteFiles, config: JekyllConfig,
                report: ImportReport) -> list[JekyllPage]:  # fmt: skip
    pages = [page for relative in files.pages
             if (page := _unless_unreadable(relative, report, read_page, source, relative,
                                            config))]  # fmt: skip
    return pages + collection_docs(source, config)


def _bring_redirects_json(site: NewSite, redirects: Redirects) -> None:
    """jekyll-redirect-from's list, unless the site had its own file (the plugin then
    wrote none; the file was copied)."""
    json_file = redirects.redirects_json()
    if json_file is not None and "/redirects.json" not in site.old_urls:
        site.files["static/redirects.json"] = json_file
        site.old_urls.append("/redirects.json")


def _bring_post(site: NewSite, post: JekyllPost, pattern: str, config: JekyllConfig,
                context: LiquidContext, redirects: Redirects) -> int:  # fmt: skip
    """The post's new file; returns the attribute lists converted in it."""
    report = site.report
    if post.published and redirects.redirect_to(post.relative, post.fm, post.served):
        site.old_urls.append(post.served)
        return 0
    write_post(post, pattern, config, report)
    attributes = _convert_body(post.relative, post.fm, context, report)
    if post.relative.lower().endswith((".html", ".htm")):
        post.fm.body = html_as_markdown(post.fm.body, post.relative, report)
    _excerpt_separator(post, config, report)
    if post.published:  # Jekyll made redirect pages for the posts it wrote
        site.old_urls.append(post.served)
        site.old_urls += redirects.redirect_from(post.relative, post.fm, post.new_url)
    site.files[post.new_path] = post.fm.text()
    site.posts += 1
    return attributes


def _bring_static(site: NewSite, source: Path, relative: str) -> None:
    url = "/" + relative
    site.old_urls.append(url)
    if url in SSG_FILES and url != "/robots.txt":  # ssg leaves its robots.txt to a static one
        site.report.add(relative, None, URL, f"{url} is written by ssg itself; not copied")
        return
    site.copies[f"static/{relative}"] = source / relative


def _excerpt_separator(post: JekyllPost, config: JekyllConfig, report: ImportReport) -> None:
    """Jekyll's `excerpt_separator` (the post's, else the config's) as ssg's `<!--more-->`."""
    separator = post.fm.get("excerpt_separator") or config.data.get("excerpt_separator")
    if not isinstance(separator, str) or separator in ("\n\n", "<!--more-->"):
        return
    post.fm.remove("excerpt_separator")
    if separator in post.fm.body:
        post.fm.body = post.fm.body.replace(separator, "<!--more-->", 1)
        report.add(post.relative, None, CONVERTED, f"excerpt separator {separator} -> <!--more-->")


def html_as_markdown(body: str, relative: str, report: ImportReport) -> str:
    """An HTML page's body made one HTML block for Markdown, which ssg's pages are: lines
    unindented (four spaces would make code) and blank lines dropped (one would end the
    block). HTML with <pre> or <textarea>, where both matter, is left as it is."""
    if re.search(r"<(?:pre|textarea)\b", body, re.IGNORECASE):
        report.add(relative, None, DIALECT, "an HTML page read as Markdown; check its <pre>")
        return body
    lines = [line.strip() for line in body.splitlines()]
    return "".join(f"{line}\n" for line in lines if line)


def _unless_unreadable(relative: str, report: ImportReport, read: Callable[..., T],
                       *args: Any) -> T | None:  # fmt: skip
    """`read(*args)`, or None and a report line for a file Jekyll could not have built
    either (front matter that is not YAML, a permalink with an unknown placeholder)."""
    try:
        return read(*args)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        report.add(relative, line, REPORTED, "front matter is not valid YAML; not imported")
    except UnicodeDecodeError:
        report.add(relative, None, REPORTED, "not UTF-8; not imported (save it as UTF-8)")
    except UnknownPlaceholder as exc:
        report.add(relative, None, REPORTED, f"{exc}; not imported")
    return None


def _post_pattern(config: JekyllConfig, report: ImportReport) -> str:
    pattern = ssg_pattern(config.posts_permalink)
    if pattern is None:
        report.add("_config.yml", None, URL,
                   f"permalink {config.posts_permalink} uses placeholders ssg does not have; "
                   f"every post's URL is pinned with permalink:")  # fmt: skip
        return DEFAULT_PERMALINK
    return pattern


def _liquid_context(config: JekyllConfig, posts: list[JekyllPost], pages: list[JekyllPage],
                    files: SiteFiles, lists: ListPages) -> LiquidContext:  # fmt: skip
    post_urls: dict[str, str] = {}
    link_urls: dict[str, str] = {}
    for post in posts:
        parts = post.relative.split("/")
        inside = [p for p in parts[:-1] if p not in ("_posts", "_drafts")]
        stem = PurePosixPath(parts[-1]).stem
        post_urls.setdefault(stem, post.new_url)
        post_urls["/".join([*inside, stem])] = post.new_url
        link_urls[post.relative] = post.new_url
    for page in pages:
        link_urls[page.relative] = lists.targets.get(page.served, page.served)
    for relative in files.statics:
        link_urls[relative] = "/" + relative
    site = {key: str(value) for key, value in config.data.items()
            if isinstance(value, (str, int, float)) and not isinstance(value, bool)}  # fmt: skip
    site |= {"url": config.url, "baseurl": config.baseurl}
    return LiquidContext(post_urls, link_urls, config.baseurl, config.url, files.includes, site)


def _convert_body(relative: str, fm: Any, context: LiquidContext, report: ImportReport) -> int:
    page = {key: value for key, value in fm.values.items() if isinstance(value, str)}
    context = dataclasses.replace(context, page=page)
    body = convert_liquid(fm.body, context, relative, fm.body_line, report)
    body, attributes = convert_kramdown(body, relative, fm.body_line, report)
    body, fixed, left = convert_dialect(fm.body, body, fm.body_line, JEKYLL)
    for line, message in fixed:
        report.add(relative, line, CONVERTED, message)
    for line, message in left:
        if not message.startswith(("heading attributes", "kramdown extension")):
            report.add(relative, line, DIALECT, message)  # the others: kramdown.py's
    fm.body = body
    return attributes


def _bring_page(site: NewSite, page: JekyllPage, context: LiquidContext, lists: ListPages,
                redirects: Redirects) -> int:  # fmt: skip
    """A page: dropped for the file ssg writes itself, mapped onto an ssg list, or brought
    over at its old URL. Returns the attribute lists converted in it."""
    report = site.report
    if page.served in SSG_FILES:
        report.add(page.relative, None, URL, f"{page.served} is written by ssg itself")
        site.old_urls.append(page.served)
        return 0
    if page.output_ext == ".css":
        report.add(page.relative, None, DIALECT,
                   "stylesheet left out: the new site uses ssg's layouts and style")  # fmt: skip
        return 0
    if page.output_ext not in (".html", ".htm", ".xhtml"):
        site.old_urls.append(page.served)
        if "{%" not in page.fm.body and "{{" not in page.fm.body and page.served[-1] != "/":
            # Front matter only to make Jekyll process it: the text is the file.
            site.files["static" + page.served] = page.fm.body
            report.add(page.relative, None, CONVERTED, "front matter dropped; a static file")
            return 0
        report.add(page.relative, None, REPORTED,
                   f"{page.served}: a {page.output_ext} file made by Liquid; rewrite it by hand "
                   f"under static/")  # fmt: skip
        return 0
    if page.served in lists.targets or redirects.redirect_to(page.relative, page.fm, page.served):
        site.old_urls.append(page.served)  # a list of posts mapped onto ssg's, or a redirect
        return 0
    fm = page.fm
    for key in ("layout", "permalink"):
        fm.remove(key)
    flatten_seo_keys(fm, page.relative, report)
    new_path = new_page_path(page)
    if ssg_page_url(new_path, fm) != page.served:
        fm.set("permalink", page.served)
    attributes = _convert_body(page.relative, fm, context, report)
    if page.relative.lower().endswith((".html", ".htm")):
        fm.body = html_as_markdown(fm.body, page.relative, report)
    site.old_urls.append(page.served)
    site.old_urls += redirects.redirect_from(page.relative, fm, page.served)
    site.files[new_path] = fm.text()
    site.pages += 1
    return attributes


def _new_config(config: JekyllConfig, pattern: str, lists: ListPages, archives: Archives,
                attributes: bool, report: ImportReport) -> dict[str, Any]:  # fmt: skip
    data = config.data
    author = data.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    new: dict[str, Any] = {
        "title": str(data.get("title") or "ssg site"),
        "description": str(data.get("description") or ""),
        "author": str(author or ""),
        "base_url": (config.url + config.baseurl + "/") if config.url else config.baseurl + "/",
        "language": _language(data.get("lang"), report),
        "timezone": config.timezone,
        "permalink": pattern,
    }
    if config.paginate:
        new["paginate"] = config.paginate
    if lists.paginate_path and lists.paginate_path != SSG_PAGINATE_PATH:
        new["paginate_path"] = lists.paginate_path
    if str(data.get("markdown") or "kramdown").lower() == "kramdown":
        new["heading_ids"] = "kramdown"  # old #anchors keep working
        kramdown = data.get("kramdown")
        parser = kramdown.get("input", "GFM") if isinstance(kramdown, dict) else "GFM"
        if str(parser) != "GFM":  # kramdown's own parser makes `section` of Japanese
            ids = f"kramdown input {parser}: heading ids follow kramdown's GFM parser"
            report.add("_config.yml", None, DIALECT, ids)
    if attributes:
        new["markdown_attributes"] = True
    if archives.taxonomy_paths:
        new["taxonomy_paths"] = archives.taxonomy_paths
    if archives.taxonomy_slugs:
        new["taxonomy_slugs"] = archives.taxonomy_slugs
    if lists.redirects:
        new["redirects"] = lists.redirects
    return _known_keys(new, report)


def _language(lang: object, report: ImportReport) -> str:
    """`lang: ja-JP` / `en_US` as ssg's `ja` or `en`; ssg's Japanese default otherwise."""
    code = re.split(r"[-_]", str(lang or "ja"))[0].lower()
    if code in ("ja", "en"):
        return code
    report.add("_config.yml", None, DIALECT, f"lang {lang}: ssg writes ja or en; ja is used")
    return "ja"


def _known_keys(new: dict[str, Any], report: ImportReport) -> dict[str, Any]:
    """Only keys this ssg's config knows; the others are reported, since a build would stop
    on them (keys the importer writes may be newer than the ssg it runs with)."""
    known = {field.name for field in dataclasses.fields(Config)}
    for key in [key for key in new if key not in known]:
        report.add("_config.yml", None, REPORTED,
                   f"config key {key}: {new.pop(key)!r} is not known to this ssg; "
                   f"set it once ssg supports it")  # fmt: skip
    return new
