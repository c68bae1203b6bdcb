"""Every page the site will have, planned before anything is rendered.

A plan is a list of `OutputPage` values (where it goes, which layout, what data), so path
collisions are found before a single file is written, and tests can inspect the plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ssg.content.frontmatter import YamlWord
from ssg.content.post import Post
from ssg.content.urls import normalize_url, output_path_for, paginated_url
from ssg.site.model import Archive, Site
from ssg.site.related import RelatedPlaces, RelatedPost, related_posts
from ssg.site.search import SearchIndex
from ssg.site.share import share_image_of
from ssg.site.taxonomy import (
    DEFAULT_LAYOUTS,
    TAXONOMIES,
    TAXONOMY_LABELS,
    TAXONOMY_LAYOUTS,
    Term,
)


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of a paginated list."""

    posts: tuple[Post, ...]
    page: int  # 1-based
    total_pages: int
    total_posts: int
    urls: tuple[str, ...]  # the url of every page, index 0 = page 1

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.page - 2] if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.page] if self.page < self.total_pages else None

    def holder_key(self) -> str:
        # The other pages' urls follow from the first two and their number
        # (urls.paginated_url); joining them all would make a term with 1,000 pages cost a
        # million urls.
        return f"P{self.page}/{self.total_pages}/{self.total_posts}/{self.urls[:2]}"

    def with_posts(self, posts: tuple[Post, ...]) -> Paginator:
        return dataclasses.replace(self, posts=posts)


@dataclass(frozen=True, slots=True)
class OutputPage:
    """A page to render: its place, its layout, and the values the layout receives."""

    url: str  # site-relative
    template: str  # layout file name, e.g. "post.html"
    source: str  # what asked for it, for collision messages ("posts/a.md", "tag 'AI'")
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def output_path(self) -> str:
        return output_path_for(self.url)

    def __reduce__(self) -> tuple[type[OutputPage], tuple[object, ...]]:
        # A constructor call, not slots' Python-level __getstate__: the build cache keeps
        # the pages showing each post's body (ssg.incremental.edit_view).
        return (OutputPage, (self.url, self.template, self.source, self.context))


def plan_pages(site: Site, own_files: Collection[str] = (), search: SiteSearch | None = None,
               related: Sequence[tuple[RelatedPost, ...]] | None = None
               ) -> list[OutputPage]:  # fmt: skip
    """All pages of the site, in a stable order: HTML, then feeds, sitemap and robots.txt
    (unless `own_files`, the output paths of static/, has its own), share images, then the
    search page and its files when the site has `search` (ssg.site.search), and redirects
    from old URLs. `related`: each post's related posts, if already known (site_related)."""
    pages: list[OutputPage] = []
    if related is None:
        related = site_related(site)[0]
    pages += plan_post_pages(site.posts, related)
    pages += [_page(p.url, f"{p.layout}.html", p, title=p.title_text, post=p) for p in site.pages]
    config = site.config
    pages += plan_list("/", site.posts, config.paginate, "list.html", "home page",
                       path_pattern=config.paginate_path)  # fmt: skip
    for taxonomy in TAXONOMIES:
        terms = getattr(site, taxonomy)
        label = TAXONOMY_LABELS[config.language][taxonomy]
        context = {"title": label, "taxonomy": taxonomy, "terms": terms}
        overview, term_layout = TAXONOMY_LAYOUTS.get(taxonomy, DEFAULT_LAYOUTS)
        url = config.taxonomy_path(taxonomy)
        pages.append(OutputPage(url, overview, f"{taxonomy} overview", context))
        for term in terms:
            pages += plan_term(term, config.paginate, label, term_layout, config.paginate_path)
    pages += plan_archives(site)
    pages += plan_trends(site)
    pages.append(OutputPage("/404.html", "404.html", "404 page", {"title": "404"}))
    pages += plan_feeds(site, pages, own_files)
    pages += plan_share_images(site)
    if search is not None:
        pages += plan_search(site, search)
    pages += plan_redirects(site, own_files)
    return pages


def site_related(site: Site, last: RelatedPlaces | None = None
                 ) -> tuple[list[tuple[RelatedPost, ...]], RelatedPlaces]:  # fmt: skip
    """Each post's related posts (ssg.site.related), and their places for the next build;
    `last`, the last build's places, is reused when the posts' terms are as they were."""
    terms = {taxonomy: getattr(site, taxonomy) for taxonomy in TAXONOMIES}
    return related_posts(site.posts, terms, site.config.related_posts, last)


# Files ssg renders itself rather than through a layout (ssg.render.feeds renders them):
# planned like pages, so they take part in fingerprints and body edits the same way.
ATOM_FEED_RENDERER = "ssg:atom"
RSS_FEED_RENDERER = "ssg:rss"
JSON_FEED_RENDERER = "ssg:json-feed"
SITEMAP_RENDERER = "ssg:sitemap"
ROBOTS_RENDERER = "ssg:robots"
SHARE_IMAGE_RENDERER = "ssg:share-image"
# The feeds of a list (the site's, each term's), by file name in the list's folder; the site
# also has a JSON Feed. Layouts link them as `/feed.xml`, `term.url ~ 'feed.xml'`, ...
LIST_FEEDS = (("feed.xml", ATOM_FEED_RENDERER, "Atom"), ("rss.xml", RSS_FEED_RENDERER, "RSS"))
JSON_FEED_URL = "/feed.json"
ROBOTS_TXT = "robots.txt"


REDIRECT_RENDERER = "ssg:redirect"
REDIRECTS_FILE_RENDERER = "ssg:redirects-file"
REDIRECTS_FILE = "_redirects"


def plan_redirects(site: Site, own_files: Collection[str] = ()) -> list[OutputPage]:
    """A page at each old URL (front matter `redirect_from:` or `aliases:`, config's
    `redirects`) that sends the reader on to the new one, and, unless static/ has its own,
    `/_redirects` listing them all for hosts that redirect from it (Netlify, Cloudflare
    Pages) with a real 301."""
    moves: list[tuple[str, str, str]] = []  # (old url, new url, what asked for it)
    for document in (*site.posts, *site.pages):
        source = f"content/{document.source_path.as_posix()}"
        moves += [(old, document.url, f"redirect_from of {source}") for old in document.aliases]
    for old, new in site.config.redirects.items():
        moves.append((normalize_url(old), new, "redirects in config.yaml"))
    pages = [OutputPage(old, REDIRECT_RENDERER, source, {"to": new}) for old, new, source in moves]
    if moves and REDIRECTS_FILE not in own_files:
        lines = tuple((old, new) for old, new, _ in moves)
        pages.append(OutputPage(f"/{REDIRECTS_FILE}", REDIRECTS_FILE_RENDERER,
                                "the redirects file", {"redirects": lines}))  # fmt: skip
    return pages


SEARCH_DOC_RENDERER = "ssg:search-doc"
SEARCH_SHARD_RENDERER = "ssg:search-shard"
SEARCH_URL = "/search/"


@dataclass(frozen=True)
class SiteSearch:
    """The search index of a site, and the number each post has in it."""

    index: SearchIndex
    numbers: Mapping[str, int]  # source path -> number

    def shard_page(self, shard: int) -> OutputPage:
        context = {"shard": shard, "json": self.index.shard_text(shard)}
        return OutputPage(f"{SEARCH_URL}index/{shard}.json", SEARCH_SHARD_RENDERER,
                          f"search index shard {shard}", context)  # fmt: skip


def plan_search(site: Site, search: SiteSearch) -> list[OutputPage]:
    """The search page, one file per post with what a result shows (title, date, URL,
    text for the snippet), and the index's shards (ssg.site.search). Left out of the
    sitemap: none is a page to land on from a search engine."""
    title = "検索" if site.config.language == "ja" else "Search"
    context = {"title": title, "search_shards": search.index.shards}
    pages = [OutputPage(SEARCH_URL, "search.html", "search page", context)]
    for post in site.posts:
        pages.append(search_doc_page(post, search.numbers[post.source_path.as_posix()]))
    pages += [search.shard_page(shard) for shard in range(search.index.shards)]
    return pages


def search_doc_page(post: Post, number: int) -> OutputPage:
    """The file of `post` numbered `number` in the search index, which a result shows."""
    url = f"{SEARCH_URL}docs/{number}.json"
    return OutputPage(url, SEARCH_DOC_RENDERER, f"search entry of {post.url}", {"post": post})


def plan_feeds(site: Site, html_pages: Sequence[OutputPage],
               own_files: Collection[str] = ()) -> list[OutputPage]:  # fmt: skip
    """Atom and RSS feeds of the newest posts of the site and of every term, the site's
    JSON Feed, the sitemap of the pages search engines may index, and robots.txt unless
    the site has its own among `own_files` (output paths of static/)."""
    limit = site.config.feed_limit
    site_feed = {"posts": site.posts[:limit], "title": site.config.title, "link": "/"}
    pages = plan_list_feeds("/", site_feed, "the site")
    pages.append(OutputPage(JSON_FEED_URL, JSON_FEED_RENDERER, "the JSON feed", site_feed))
    for taxonomy in TAXONOMIES:
        label = TAXONOMY_LABELS[site.config.language][taxonomy]
        for term in getattr(site, taxonomy):
            title = f"{label}: {term.name} | {site.config.title}"
            feed = {"posts": term.posts[:limit], "title": title, "link": term.url}
            pages += plan_list_feeds(term.url, feed, f"{taxonomy} '{term.name}'")
    entries = SitemapEntries(tuple(html_pages))
    pages.append(OutputPage("/sitemap.xml", SITEMAP_RENDERER, "the sitemap", {"entries": entries}))
    if ROBOTS_TXT not in own_files:
        pages.append(OutputPage(f"/{ROBOTS_TXT}", ROBOTS_RENDERER, "robots.txt", {}))
    return pages


def plan_share_images(site: Site) -> list[OutputPage]:
    """The generated share image of each post without `image:` (ssg.site.share); posts
    whose images would be the same (same title, date) share one file."""
    pages: dict[str, OutputPage] = {}
    for post in site.posts:
        image = share_image_of(post, site.config)
        if image is not None and image.url not in pages:
            source = f"the share image of content/{post.source_path.as_posix()}"
            values = {"title": image.title, "date": image.date, "site_name": image.site_name,
                      "digest": image.digest}  # fmt: skip
            pages[image.url] = OutputPage(image.url, SHARE_IMAGE_RENDERER, source, values)
    return list(pages.values())


def plan_list_feeds(url: str, feed: Mapping[str, Any], owner: str) -> list[OutputPage]:
    """The Atom and RSS feed of one list of posts, in its folder (`/tags/ai/feed.xml`)."""
    return [OutputPage(f"{url}{name}", renderer, f"the {kind} feed of {owner}", feed)
            for name, renderer, kind in LIST_FEEDS]  # fmt: skip


class SitemapEntries:
    """The sitemap's (url, lastmod) of every page search engines may index, worked out the
    first time they are read: a build after body edits renders a few pages and never
    reads them (the newest date of 200,000 pages takes 2 s at 100,000 posts).

    ssg.site.walk keys a page value by its repr, which lists the entries."""

    def __init__(self, pages: Sequence[OutputPage]) -> None:
        self._pages = pages
        self._entries: tuple[tuple[str, str], ...] | None = None

    @property
    def entries(self) -> tuple[tuple[str, str], ...]:
        if self._entries is None:
            self._entries = tuple((p.url, lastmod(p)) for p in self._pages if in_sitemap(p))
        return self._entries

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return repr(self.entries)


def in_sitemap(page: OutputPage) -> bool:
    """Not the 404 page, nor a draft, nor a post or page that asks to stay out of search
    engines (`sitemap: false`, `robots: noindex`)."""
    if page.url == "/404.html":
        return False
    document = page.context.get("post")
    if not isinstance(document, Post) or document.url != page.url:
        return True
    listed, robots = document.extra.get("sitemap"), document.robots
    return not (
        document.draft
        or listed is False
        or (isinstance(listed, YamlWord) and not listed.flag())  # Jekyll's `sitemap: no`
        or (isinstance(robots, str) and "noindex" in robots.lower())
    )


def lastmod(page: OutputPage) -> str:
    """When the page last changed, as far as its posts tell (`updated`, else `date`): a post
    or page its own; a list the newest of the posts it shows; "" when unknown."""
    context = page.context
    document = context.get("post")
    if isinstance(document, Post) and document.url == page.url:
        posts: Sequence[Post] = (document,)
    elif "paginator" in context:
        posts = context["paginator"].posts
    elif "archive" in context:
        posts = context["archive"].posts
    elif "terms" in context:
        posts = [term.posts[0] for term in context["terms"] if term.posts]
    else:
        return ""
    times = [time for p in posts if (time := p.updated or p.date)]
    return max(times).isoformat() if times else ""


def _page(url: str, template: str, document: Post, **context: Any) -> OutputPage:
    return OutputPage(url, template, document.source_path.as_posix(), context)


def plan_post_pages(
    posts: Sequence[Post], related: Sequence[tuple[RelatedPost, ...]]
) -> list[OutputPage]:
    """One page per post, each knowing its newer and older neighbour and its related posts
    (ssg.site.related, one tuple per post)."""
    pages = []
    for i, post in enumerate(posts):
        newer = posts[i - 1] if i > 0 else None
        older = posts[i + 1] if i + 1 < len(posts) else None
        pages.append(
            _page(
                post.url,
                f"{post.layout}.html",
                post,
                title=post.title_text,
                post=post,
                newer=newer,
                older=older,
                related=related[i],
            )  # fmt: skip
        )
    return pages


def plan_list(url: str, posts: Sequence[Post], per_page: int, template: str, source: str,
              path_pattern: str = "page/:num/", **context: Any) -> list[OutputPage]:  # fmt: skip
    """`url`, `url/page/2/`, ... (`path_pattern`: config's `paginate_path`) with `per_page`
    posts each; one empty page if no posts."""
    total = max(1, -(-len(posts) // per_page))
    urls = tuple(paginated_url(url, n, path_pattern) for n in range(1, total + 1))
    pages = []
    for n in range(1, total + 1):
        chunk = tuple(posts[(n - 1) * per_page : n * per_page])
        paginator = Paginator(chunk, n, total, len(posts), urls)
        pages.append(OutputPage(urls[n - 1], template, source, {**context, "paginator": paginator}))
    return pages


def plan_term(term: Term, per_page: int, label: str, layout: str = "term.html",
              path_pattern: str = "page/:num/") -> list[OutputPage]:  # fmt: skip
    source = f"{term.taxonomy} '{term.name}'"
    title = f"{label}: {term.name}"
    return plan_list(term.url, term.posts, per_page, layout, source, path_pattern,
                     term=term, title=title)  # fmt: skip


def plan_archives(site: Site) -> list[OutputPage]:
    title = "アーカイブ" if site.config.language == "ja" else "Archives"
    pages = [OutputPage("/archives/", "archives.html", "archives", {"title": title})]
    for archive in (*site.years, *site.months):
        # A year's page links its months; handing it just those (not site.months) means an
        # edit in one year re-renders that year's archive pages only.
        months = () if archive.month else tuple(m for m in site.months if m.year == archive.year)
        title_ = archive_title(archive, site.config.language)
        context = {"title": title_, "archive": archive, "months": months}
        pages.append(OutputPage(archive.url, "archive.html", f"archive {archive.url}", context))
    return pages


def plan_trends(site: Site) -> list[OutputPage]:
    """`/trends/`: the posts with a trend header, newest first; none when no post has one."""
    trends = tuple(post for post in site.posts if post.trend is not None)
    if not trends:
        return []
    title = "トレンド" if site.config.language == "ja" else "Trends"
    return [
        OutputPage("/trends/", "trends.html", "trends page", {"title": title, "trends": trends})
    ]


def archive_title(archive: Archive, language: str) -> str:
    if language == "ja":
        return f"{archive.year}年{archive.month}月" if archive.month else f"{archive.year}年"
    if archive.month:
        return f"{archive.year}-{archive.month:02d}"
    return str(archive.year)


def find_collisions(pages: Sequence[OutputPage], files: Sequence[tuple[str, str]] = ()
                    ) -> list[str]:  # fmt: skip
    """Zola's check: sources that would write the same output file, all named together.

    `files` are the outputs that are not pages, as (url, name): `static/x`, `the Atom
    feed`. Also a file that would sit where another source needs a folder (`static/guide`
    and a page at `/guide/`). Paths are compared case-folded: macOS and Windows would merge
    them.
    """
    writers: dict[str, list[tuple[str, str]]] = {}  # case-folded path -> (path, source)
    for url, source in [*((page.url, source_name(page)) for page in pages), *files]:
        path = output_path_for(url)
        writers.setdefault(path.casefold(), []).append((path, source))
    return _same_file(writers) + _file_for_folder(writers)


def source_name(page: OutputPage) -> str:
    """What asked for `page`, as errors name it: `content/posts/a.md:4` for a page made from
    a content file (with the line of the permalink or slug that chose its url, if one did),
    else `tags 'AI'`, `home page`."""
    # Post and standalone pages hand their Post to the layout as `post`; list pages do not.
    document = page.context.get("post")
    if not isinstance(document, Post) or document.url != page.url:
        return page.source
    where = f"content/{page.source}"
    return f"{where}:{document.url_line}" if document.url_line else where


def _same_file(writers: Mapping[str, list[tuple[str, str]]]) -> list[str]:
    problems = []
    for found in writers.values():
        if len(found) > 1:
            *others, last = [source for _, source in found]
            both = "both" if len(found) == 2 else "all"
            problems.append(f"{', '.join(others)} and {last} {both} write {found[-1][0]}")
    return problems


def _file_for_folder(writers: Mapping[str, list[tuple[str, str]]]) -> list[str]:
    folders: dict[str, str] = {}  # case-folded folder -> the first source needing it
    for key, found in writers.items():
        parts = key.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), found[0][1])
    return [
        f"{found[0][1]} writes the file {key}, where {folders[key]} needs a folder"
        for key, found in writers.items()
        if key in folders
    ]
