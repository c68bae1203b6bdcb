"""A Jekyll site's lists of posts (the paginated home page, archive, tag and category
pages): where they were, and how the new site keeps those URLs (config keys, else
redirects)."""

from __future__ import annotations

import re

from ssg.importers.jekyll.config import JekyllConfig
from ssg.importers.jekyll.pages import SSG_FILES, JekyllPage
from ssg.importers.jekyll.posts import JekyllPost, paginated_pages
from ssg.importers.report import REPORTED, URL, ImportReport

# Liquid that lists posts: a home page with other Liquid may have text of its own.
_LISTING_ONLY = re.compile(r"\b(?:site\.posts|paginator\.)")


class ListPages:
    """Where the old site's lists were (home pages, archive and tag pages) and how the new
    site keeps those URLs: config keys, else redirects."""

    def __init__(self, config: JekyllConfig, report: ImportReport,
                 taxonomy_paths: dict[str, str]) -> None:  # fmt: skip
        self.config = config
        self.taxonomy_paths = taxonomy_paths
        self.report = report
        self.redirects: dict[str, str] = {}
        self.targets: dict[str, str] = {}  # old list page URL -> the ssg list it became
        self.paginate_path: str | None = None

    def map_listings(self, pages: list[JekyllPage]) -> None:
        for page in pages:
            if page.output_ext == ".html" and page.served not in SSG_FILES and page.listing:
                self.map_listing(page)

    def map_listing(self, page: JekyllPage) -> None:
        url = page.served
        if page.home:
            self.targets[url] = "/"
            self.report.add(page.relative, None, URL, "the post list is ssg's home page, /")
            if page.own_text and not _LISTING_ONLY.search(page.fm.body):
                lost = "its text is not on ssg's home page; move it to a page"
                self.report.add(page.relative, None, REPORTED, lost)
            return
        lowered = url.lower()
        taxonomy = "tags" if "tag" in lowered else "categories" if "categor" in lowered else None
        target = self.taxonomy_paths.get(taxonomy, f"/{taxonomy}/") if taxonomy else "/archives/"
        self.targets[url] = target
        if url != target:
            self.redirects[url] = target
        now = f"redirects to ssg's {target}" if url != target else "is ssg's list"
        self.report.add(page.relative, None, URL, f"a list of posts made by Liquid; {url} {now}")

    def old_urls(self, posts: list[JekyllPost], pages: list[JekyllPage]) -> list[str]:
        has_index = any(page.home for page in pages)
        urls = ["/"] if has_index and "/" not in self.targets.values() else []
        urls += self._paginated(posts, has_index)
        plugins = self.config.plugins
        if "jekyll-feed" in plugins:
            urls.append(self._feed_path())
        if "jekyll-sitemap" in plugins:
            urls += ["/sitemap.xml", "/robots.txt"]
        return urls

    def _paginated(self, posts: list[JekyllPost], has_index: bool) -> list[str]:
        config = self.config
        if not config.paginate or "jekyll-paginate" not in config.plugins or not has_index:
            return []
        path = config.paginate_path.strip("/")
        if "/" in path:
            self.report.add("_config.yml", None, REPORTED,
                            f"paginate_path {config.paginate_path}: ssg paginates the home "
                            f"page at /, not a sub-folder")  # fmt: skip
            return []
        self.paginate_path = path + "/"
        total = paginated_pages(posts, config.paginate)
        return [f"/{path.replace(':num', str(n))}/" for n in range(2, total + 1)]

    def _feed_path(self) -> str:
        feed = self.config.data.get("feed")
        path = feed.get("path") if isinstance(feed, dict) else None
        url = "/" + str(path or "feed.xml").lstrip("/")
        if url != "/feed.xml":
            self.report.add("_config.yml", None, REPORTED,
                            f"jekyll-feed's {url}: ssg's feed is /feed.xml")  # fmt: skip
        return url
