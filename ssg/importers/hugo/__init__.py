"""`ssg import hugo`: a Hugo site read into a new ssg site that serves every old URL.

The main section's pages (Hugo's `mainSections`) become posts, every other page a page;
each keeps Hugo's URL, through the config's `permalink` pattern where it agrees and a
`permalink:` of its own where it does not. Section, taxonomy and paginated lists keep
theirs through config or redirects; shortcodes become Markdown or HTML
(ssg.importers.hugo.shortcodes).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from ssg.content.dates import strip_date_prefix
from ssg.content.slugs import slugify, term_slug
from ssg.content.urls import normalize_url, post_url
from ssg.errors import SsgError
from ssg.importers.dialect import HUGO, convert_dialect
from ssg.importers.hugo.config import HugoConfig, read_hugo_config
from ssg.importers.hugo.files import file_text, free_path, front_matter, page_path, post_path
from ssg.importers.hugo.lists import (
    SSG_TAXONOMIES,
    ListPlan,
    count_terms,
    plan_home,
    plan_section,
    plan_taxonomy,
)
from ssg.importers.hugo.markdown import move_block_attributes
from ssg.importers.hugo.pages import HugoPage, main_sections, read_pages
from ssg.importers.hugo.refs import RefIndex
from ssg.importers.hugo.shortcodes import ShortcodeContext, convert_shortcodes
from ssg.importers.hugo.site import (
    SECTION_LAYOUT,
    SECTION_LAYOUT_TEXT,
    copy_static,
    new_config,
)
from ssg.importers.hugo.urls import folder_url, urlize
from ssg.importers.new_site import NewSite
from ssg.importers.report import CONVERTED, DIALECT, REPORTED, URL

# goldmark's heading attributes: `## Title {#id .class}`.
_HEADING_ATTRIBUTES = re.compile(r"^#{1,6} .*?\{[.#][^}\n]*\}\s*$", re.MULTILINE)


def read_hugo_site(source: Path) -> NewSite:
    """The Hugo site at `source` as a new ssg site; every problem of the old site at once."""
    config, problems = read_hugo_config(source)
    pages, errors = read_pages(source, config)
    errors.sort(key=lambda e: (e.path.as_posix(), e.line or 0))
    problems += [str(error) for error in errors]
    if problems:
        raise SsgError("\n".join(problems))
    return _HugoImport(source, config, pages).run()


@dataclass(slots=True)
class _HugoImport:
    source: Path
    config: HugoConfig
    pages: list[HugoPage]
    site: NewSite = field(init=False)
    taken: set[str] = field(default_factory=set)
    attributes: bool = False  # goldmark attributes seen in a body

    def run(self) -> NewSite:
        mains = main_sections(self.pages, self.config)
        settings = new_config(self.config, mains)
        self.site = NewSite(config=settings.values)
        taxonomies = {plural: SSG_TAXONOMIES[singular]
                      for singular, plural in self.config.taxonomies.items()
                      if singular in SSG_TAXONOMIES}  # fmt: skip
        refs = RefIndex(self.pages)
        templates = _shortcode_templates(self.source, self.config.theme)
        posts = [p for p in self.pages if _is_post(p, mains)]
        post_ids = {id(p) for p in posts}
        for page in self.pages:
            params = {**self.config.params, **_lower(page.file.front)}
            ctx = ShortcodeContext(page.file.shown, refs.resolver(page), templates, params)
            if self._left_out(page):
                continue
            if page.kind == "home":
                self._home(page)
            elif id(page) in post_ids:
                self._post(page, settings.pattern, settings.slug_token, taxonomies, ctx)
            else:
                self._page(page, mains, taxonomies, ctx)
        lists = self._lists(posts, mains, taxonomies)
        if mains:
            self.site.files[f"layouts/{SECTION_LAYOUT}.html"] = SECTION_LAYOUT_TEXT
        self.site.copies |= copy_static(self.source, self.config.theme, self.site.old_urls)
        self.site.old_urls.append("/sitemap.xml")
        settings.finish(lists, self.attributes)
        feeds = [old for old in lists.redirects if old.endswith(".xml")]
        lists.notes.append(
            f"feeds: Hugo's {len(feeds)} RSS feeds (/index.xml, /tags/x/index.xml, ...) "
            "redirect to ssg's (/feed.xml, /tags/x/feed.xml): feed readers follow the 301s of "
            "/_redirects on hosts that read it; elsewhere they get a refresh page"
        )
        for note in lists.notes:
            self.site.report.add(self.config.path, None, URL, note)
        self.site.old_urls = list(dict.fromkeys(self.site.old_urls))
        return self.site

    def _left_out(self, page: HugoPage) -> bool:
        """Pages Hugo never rendered (headless bundles, `_build: {render: never}`), and a
        taxonomy's `_index.md` (ssg makes that list page itself), are not written."""
        if not page.rendered:
            why = "Hugo did not render it (headless or `_build`); not imported"
        elif page.kind == "section" and page.section in self.config.taxonomies.values():
            why = "a taxonomy's list page: ssg makes its own; its text is not imported"
        else:
            return False
        self.site.report.add(page.file.shown, None, REPORTED, why)
        return True

    def _body(self, page: HugoPage, ctx: ShortcodeContext) -> str:
        file = page.file
        report = self.site.report
        body = convert_shortcodes(file.body, file.body_line, ctx, report)
        body, attributes = move_block_attributes(body, file.body_line, file.shown, report)
        self.attributes = self.attributes or attributes or bool(_HEADING_ATTRIBUTES.search(body))
        body, fixed, left = convert_dialect(file.body, body, file.body_line, HUGO)
        for line, message in fixed:
            report.add(file.shown, line, CONVERTED, message)
        for line, message in left:
            report.add(file.shown, line, DIALECT, message)
        return body

    def _post(self, page: HugoPage, pattern: str, slug_token: str,
              taxonomies: dict[str, str], ctx: ShortcodeContext) -> None:  # fmt: skip
        path = post_path(page, self.taken)
        front = front_matter(page, taxonomies)
        slug = _token_value(page, slug_token, self.config.path_to_lower)
        default_slug = slugify(strip_date_prefix(PurePosixPath(path).stem))
        if slug and slug != default_slug:
            front["slug"] = slug
        assert page.date is not None  # a post has one (_is_post)
        zone = ZoneInfo(str(self.site.config["timezone"]))
        categories = tuple(term_slug(str(c), {}) for c in front.get("categories", ()))
        ssg_url = post_url(pattern, page.date, slugify(slug) if slug else default_slug,
                           categories, zone)  # fmt: skip
        self._place(page, path, front, ssg_url, ctx)
        self.site.posts += page.published

    def _page(self, page: HugoPage, mains: tuple[str, ...], taxonomies: dict[str, str],
              ctx: ShortcodeContext) -> None:  # fmt: skip
        path = page_path(page, mains, self.taken)
        front = front_matter(page, {})
        front.pop("date", None)  # a page has no date in ssg; kept as `updated` if it had one
        listing = ""
        if page.kind == "section":
            front["title"] = front["title"] or page.file.rel.parent.name.title()
            if page.section in mains and len(page.file.rel.parts) == 2:
                front["layout"] = SECTION_LAYOUT
            else:
                listing = self._section_list(page.file.rel.parent)
        stem = PurePosixPath(path).with_suffix("")
        parts = stem.parts[1:-1] if stem.name == "index" else stem.parts[1:]
        ssg_url = normalize_url("/".join(parts))
        if any(front.get(key) for key in taxonomies):
            self.site.report.add(page.file.shown, None, REPORTED,
                                 "a page's tags and categories are not listed by ssg")  # fmt: skip
        self._place(page, path, front, ssg_url, ctx, listing)
        self.site.pages += page.published

    def _place(self, page: HugoPage, path: str, front: dict[str, Any], ssg_url: str,
               ctx: ShortcodeContext, listing: str = "") -> None:  # fmt: skip
        """Write the file, pinning Hugo's URL where ssg's rule gives another."""
        if normalize_url(page.url) != ssg_url:
            front.pop("slug", None)
            front["permalink"] = page.url
            line = page.file.line_of("url") if page.file.get("url") else None
            message = f"permalink {page.url} (ssg's rule gives {ssg_url})"
            self.site.report.add(page.file.shown, line, URL, message)
        if page.aliases:
            front["aliases"] = list(page.aliases)
        body = self._body(page, ctx)
        if listing:
            body = f"{body.rstrip()}\n\n{listing}" if body.strip() else listing
        self.site.files[path] = file_text(front, body)
        if not page.published:
            return
        self.site.old_urls += [page.url, *page.aliases]
        folder = page.url_folder.strip("/")
        bundle = self.source / "content" / page.file.rel.parent
        for resource in page.resources:
            target = PurePosixPath("static", folder, resource).as_posix()
            self.site.copies[target] = bundle / resource
            self.site.old_urls.append(f"/{folder}/{resource}".replace("//", "/"))

    def _home(self, page: HugoPage) -> None:
        if page.file.body.strip():
            self.site.report.add(page.file.shown, page.file.body_line, REPORTED,
                                 "the home page's text is not shown: ssg's home page lists "
                                 "posts (put it in config `description` or a layout)")  # fmt: skip

    def _lists(self, posts: list[HugoPage], mains: tuple[str, ...],
               taxonomies: dict[str, str]) -> ListPlan:  # fmt: skip
        config, lists = self.config, ListPlan()
        live = [p for p in posts if p.published]
        plan_home(lists, len(live), config.paginate, config.paginate_path)
        for url, count, main in self._sections(mains):
            plan_section(lists, url, count, config.paginate, config.paginate_path, main)
        for singular, plural in config.taxonomies.items():
            counts = count_terms(p.file.get(plural.lower()) for p in live)
            ssg_name = SSG_TAXONOMIES.get(singular)
            plan_taxonomy(lists, plural, ssg_name if plural in taxonomies else None, counts,
                          config.paginate, config.paginate_path, config.path_to_lower)  # fmt: skip
        self.site.old_urls += lists.old_urls
        return lists

    def _sections(self, mains: tuple[str, ...]) -> list[tuple[str, int, bool]]:
        """(URL, regular pages, is main) of each section list Hugo made: every first-level
        folder with pages, and every folder with an `_index.md`. A first-level folder
        without `_index.md` gets a page here too, as ssg needs a file to serve its URL."""
        taxonomies = set(self.config.taxonomies.values())
        sections: dict[PurePosixPath, str] = {
            p.file.rel.parent: p.url
            for p in self.pages
            if p.kind == "section" and p.published and p.section not in taxonomies
        }
        lower = self.config.path_to_lower
        for page in self.pages:
            top = PurePosixPath(page.section)
            if page.kind == "page" and page.section and top not in sections:
                sections[top] = folder_url(urlize(page.section, lower))
                self._section_page(top, sections[top], page.section in mains)
        return [(url, _count(self.pages, folder), folder.as_posix() in mains)
                for folder, url in sections.items()]  # fmt: skip

    def _section_page(self, folder: PurePosixPath, url: str, main: bool) -> None:
        """A page at the URL of a section that has no `_index.md`, titled as Hugo does."""
        front: dict[str, Any] = {"title": folder.name.title()}
        if main:
            front["layout"] = SECTION_LAYOUT
        path = free_path(f"content/{folder}.md", self.taken)
        if normalize_url(path[len("content/") : -len(".md")]) != url:
            front["permalink"] = url
        body = "" if main else self._section_list(folder)
        self.site.files[path] = file_text(front, body)
        self.site.pages += 1

    def _section_list(self, folder: PurePosixPath) -> str:
        """Links to a section's pages, newest first, as Hugo's list of it showed them (a
        main section's page lists the posts through its layout instead)."""
        pages = [p for p in self.pages if p.kind == "page" and p.published
                 and folder in p.file.rel.parents]  # fmt: skip
        pages.sort(key=lambda p: (p.date is None, -(p.date.timestamp() if p.date else 0)))
        links = [f"- [{_link_text(p.facts.title or p.facts.filename)}]({p.url})" for p in pages]
        return "\n".join(links) + "\n" if links else ""


def _link_text(title: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", title)


def _count(pages: list[HugoPage], folder: PurePosixPath) -> int:
    return sum(1 for p in pages if p.kind == "page" and p.published
               and folder in p.file.rel.parents)  # fmt: skip


def _is_post(page: HugoPage, mains: tuple[str, ...]) -> bool:
    return page.kind == "page" and page.section in mains and page.date is not None


def _token_value(page: HugoPage, token: str, lower: bool) -> str:
    facts = page.facts
    values = {
        "slug": facts.slug or facts.title,
        "title": facts.title,
        "filename": facts.filename,
        "slugorfilename": facts.slug or facts.filename,
    }
    return urlize(values.get(token, ""), lower) if token else ""


def _lower(front: dict[str, Any]) -> dict[str, Any]:
    return {k.lower(): v for k, v in front.items()}


def _shortcode_templates(source: Path, theme: str) -> dict[str, str]:
    """The site's own shortcode templates by name (the site's over its theme's)."""
    templates: dict[str, str] = {}
    folders = [source / "layouts" / "shortcodes"]
    if theme:
        folders.insert(0, source / "themes" / theme / "layouts" / "shortcodes")
    for folder in folders:
        if folder.is_dir():
            for name in sorted(os.listdir(folder)):
                if name.endswith(".html"):
                    templates[name[:-5]] = (folder / name).read_text(encoding="utf-8")
    return templates
