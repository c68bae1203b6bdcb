"""What each page depends on, as one fingerprint, so a rebuild renders only changed pages.

A page's fingerprint covers: its layout and every layout that layout extends or includes
(their bytes); the parts of `site` those layouts mention (`site.posts`, `site.tags`, ...);
the whole config; and the page's own values (posts by digest, pagination, terms). Equal
fingerprint and an untouched output file mean the page's bytes would be the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from ssg.content.post import Post
from ssg.content.slugs import term_key
from ssg.render.built_in import BUILT_IN
from ssg.render.templates import CARD_LAYOUT
from ssg.site import walk
from ssg.site.model import Site
from ssg.site.pages import OutputPage
from ssg.site.taxonomy import TAXONOMIES, Term

_SITE_ATTR = re.compile(r"\bsite\s*\.\s*(\w+)")
# `site` not followed by `.name` (`{% set s = site %}`, `site['posts']`): could read anything.
_SITE_WHOLE = re.compile(r"\bsite\b(?!\s*\.\s*\w)")
# `term.posts`, `t.count`: a layout showing a term's posts or size depends on them.
_POSTS_OWNER = re.compile(r"\b(\w+)\s*\.\s*posts\b")
_COUNT_OWNER = re.compile(r"\b(\w+)\s*\.\s*count\b")
_NOW = re.compile(r"\bnow\b")
# Filters that read attributes by computed names: a layout using them may read all of a post.
_DYNAMIC_FILTERS = frozenset({"attr", "pprint", "tojson"})
# Attribute paths in strings: `map(attribute='tags.0')`, `sort(attribute='date,title')`.
_PATH_SEPARATORS = re.compile(r"[.,\s]+")
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# Parts of `site` covered elsewhere: config is in config_digest.
_IN_CONFIG_DIGEST = frozenset({"config"})
# Functions of `site` that read site.data (data/tickers.yaml): a layout naming them reads data.
_READS_DATA = frozenset({"ticker_info"})
# `site.term_for(...)` is hashed per page, for the terms of the posts the page shows.
_PER_PAGE = frozenset({"term_for"})


def _hash(*parts: str) -> str:
    # One encode and one update per page: fingerprinting 20,000 pages must stay cheap.
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


class PostReads(NamedTuple):
    """The parts of a post a layout may show, besides its title, date, url, excerpt, ..."""

    body: bool  # its HTML or table of contents
    taxonomies: frozenset[str]  # its categories, its tags, its tickers


ALL_OF_POST = PostReads(True, frozenset(TAXONOMIES))


def post_key(post: Post, reads: PostReads = ALL_OF_POST) -> str:
    """A post's identity as a layout that `reads` these parts of it sees it: the digest of
    the whole post, or of its metadata plus the terms the layout names."""
    return post_keyer(reads)(post)


@lru_cache(maxsize=16)
def post_keyer(reads: PostReads) -> Callable[[Post], str]:
    """post_key for one `reads`, as a one-argument function: fingerprints call it for every
    post on every page (a million times at 10,000 posts)."""
    if reads.body:
        return lambda post: post.digest or repr(post)
    categories, tags = "categories" in reads.taxonomies, "tags" in reads.taxonomies
    tickers = "tickers" in reads.taxonomies

    def key(post: Post) -> str:
        if not post.core_digest:
            return post.digest or repr(post)
        key = post.core_digest
        if categories:
            key += "\x1fC" + "\x1e".join(post.categories)
        if tags:
            key += "\x1fT" + "\x1e".join(post.tags)
        if tickers:
            key += "\x1f$" + "\x1e".join(post.tickers)
        return key

    return key


def value_key(value: Any, deep_terms: bool = True, reads: PostReads = ALL_OF_POST) -> str:
    """A string that changes whenever a page value changes (ssg.site.walk); posts count by
    the parts of them the layout `reads` (see `post_key`).

    With `deep_terms` False, a term counts by its name, place and size only: enough for
    layouts that never list `term.posts` (the paginator carries the posts a page shows).
    """
    return walk.value_key(value, post_keyer(reads), deep_terms)


# Closures by layout name as plain tuples of their fields: what the cache keeps.
KnownClosures = Mapping[str, tuple[Any, ...]]


class Closure(NamedTuple):
    """What a layout and everything it extends or includes can read."""

    digest: str  # of the layouts' sources
    site_attrs: frozenset[str]  # parts of `site` named in their code
    deep_terms: bool  # shows a term's posts (`term.posts`)
    sizes: bool  # shows a term's size (`term.count`)
    body: bool  # may show a post's HTML or table of contents
    taxonomies: frozenset[str]  # names `categories`, `tags`, `tickers` (a post's, term_for's)

    @property
    def post_reads(self) -> PostReads:
        return PostReads(self.body, self.taxonomies)


@dataclass
class Dependencies:
    """Fingerprints for one build: layouts and site parts hashed once, pages on demand."""

    env: Environment
    site: Site
    # The last build's closures as plain tuples (Closure's fields), by layout name: valid
    # while the layouts, config and ssg are the same (its other-inputs digest).
    known: KnownClosures = field(default_factory=dict)
    _closures: dict[str, Closure] = field(default_factory=dict)
    _prefixes: dict[str, str] = field(default_factory=dict)
    # (detail, reads) -> post digest -> its terms, as terms_of_page shows them
    _post_terms: dict[tuple[str, PostReads], dict[str, str]] = field(default_factory=dict)
    _details: dict[tuple[str, PostReads], dict[tuple[str, str], str]] = field(default_factory=dict)
    _parts: dict[tuple[str, PostReads], str] = field(default_factory=dict)
    _contents: dict[str, str] = field(default_factory=dict)  # output path -> content_key

    def fingerprint(self, page: OutputPage) -> str:
        closure = self.template_closure(page.template)
        parts = [self._prefix(page.template), page.url]
        if "term_for" in closure.site_attrs:
            detail = "posts" if closure.deep_terms else "count" if closure.sizes else "place"
            parts.append(self.terms_of_page(page, detail, closure.post_reads, closure.deep_terms))
        values = value_key(page.context, closure.deep_terms, closure.post_reads)
        if closure.body:  # kept in the cache for body edits: its key, for free
            self._contents[page.output_path] = _hash(page.template, page.url, page.source, values)
        parts.append(values)
        return _hash(*parts)

    def content_key(self, page: OutputPage) -> str:
        """A key of the page itself (its place, layout name and values), not of what its
        layouts read: the cache keeps a body edit's pages again only when this changes
        (ssg.incremental.edit_view), not after a layout edit."""
        known = self._contents.get(page.output_path)
        if known is None:
            closure = self.template_closure(page.template)
            values = value_key(page.context, closure.deep_terms, closure.post_reads)
            known = _hash(page.template, page.url, page.source, values)
        return known

    def _prefix(self, template: str) -> str:
        """The part of a fingerprint every page of `template` shares: config, layouts, and
        the parts of `site` they read."""
        if template not in self._prefixes:
            closure = self.template_closure(template)
            attrs = sorted(closure.site_attrs - _PER_PAGE)
            parts = [self.site_part(attr, closure.post_reads) for attr in attrs]
            self._prefixes[template] = _hash(self.config_digest, template, closure.digest, *parts)
        return self._prefixes[template]

    def closures(self) -> KnownClosures:
        """The closures worked out so far, as plain tuples: `known` for the next build (the
        cache reads them back without importing this module)."""
        return {name: tuple(closure) for name, closure in self._closures.items()}

    def reads_clock(self) -> bool:
        """Whether any layout fingerprinted so far reads `now`."""
        return any("now" in closure.site_attrs for closure in self._closures.values())

    def terms_of_page(self, page: OutputPage, detail: str = "place",
                      reads: PostReads = ALL_OF_POST,
                      reads_term_posts: bool = True) -> str:  # fmt: skip
        """What `site.term_for` answers for the terms of the posts this page shows.

        Layouts look up the terms of the posts they show; a page does not change when an
        unrelated term appears elsewhere in the site.
        """
        known = self._post_terms.setdefault((detail, reads), {})
        found = []
        for post in walk.posts_in(page.context.values(), reads_term_posts):
            terms = known.get(post.digest)
            if terms is None:
                terms = known[post.digest] = self._terms_of_post(post, detail, reads)
            found.append(terms)
        return "|".join(found)

    def _terms_of_post(self, post: Post, detail: str, reads: PostReads) -> str:
        """The post's terms as `term_for` gives them: where they are, and their size or
        posts when the layout shows those; only of the taxonomies the layout names."""
        places = self._term_details(detail, reads)
        names = [(tax, term_key(name)) for tax in TAXONOMIES if tax in reads.taxonomies
                 for name in getattr(post, tax)]  # fmt: skip
        return ",".join(places.get(key, "-") for key in names)

    @cached_property
    def config_digest(self) -> str:
        # The clock is not config: only layouts that read `now` depend on it (site part "now").
        config = dataclasses.replace(self.site.config, build_time=None)
        return _hash(repr(config))

    @cached_property
    def _terms(self) -> list[tuple[tuple[str, str], Term]]:
        terms = (*self.site.categories, *self.site.tags, *self.site.tickers)
        return [((t.taxonomy, term_key(t.name)), t) for t in terms]

    def _term_details(self, detail: str, reads: PostReads) -> dict[tuple[str, str], str]:
        if (detail, reads) not in self._details:
            if detail == "posts":
                details = {key: value_key(t, True, reads) for key, t in self._terms}
            elif detail == "count":
                details = {key: f"{t.name}:{t.url}:{t.count}" for key, t in self._terms}
            else:
                details = {key: f"{t.name}:{t.url}" for key, t in self._terms}
            self._details[detail, reads] = details
        return self._details[detail, reads]

    def template_closure(self, name: str) -> Closure:
        """What `name` and all it extends/includes read, from their Jinja code."""
        made = self._closures.get(name)
        if made is not None:
            return made
        saved = self.known.get(name)
        if saved is not None:
            self._closures[name] = closure = Closure(*saved)
            return closure
        built_in = BUILT_IN.get(name)
        if built_in is not None:
            body = built_in.body(self.site.config)
            closure = Closure(name, frozenset(), False, False, body, built_in.taxonomies)
            self._closures[name] = closure
            return closure
        if name not in self._closures:
            sources: dict[str, str] = {}
            names: dict[str, frozenset[str] | None] = {}  # per layout, see _names_read
            if not self._collect(name, sources, names):
                # A dynamic include names its layout at render time: depend on all of them.
                for other in self.env.list_templates():
                    self._collect(other, sources, names)
            # Only the Jinja code counts: `class="site-header"` in HTML reads nothing.
            text = "\n".join(_JINJA_CODE.findall("\n".join(sources.values())))
            attrs = set(_SITE_ATTR.findall(text))
            whole_site = bool(_SITE_WHOLE.search(text))
            if attrs & _READS_DATA:
                attrs = (attrs - _READS_DATA) | {"data"}
            if whole_site or attrs - _IN_CONFIG_DIGEST - _PER_PAGE - set(_SITE_PART_NAMES):
                attrs |= set(_SITE_PART_NAMES)  # can't tell what is read: depend on all of it
            if _NOW.search(text):
                attrs.add("now")
            owners = set(_POSTS_OWNER.findall(text)) - {"paginator", "site"}
            sizes = bool(set(_COUNT_OWNER.findall(text)) - {"paginator", "site"})
            read = _POST_PARTS
            known = [names_of for names_of in names.values() if names_of is not None]
            if not whole_site and len(known) == len(names):
                read = _POST_PARTS & frozenset[str]().union(*known)
            body = bool(read & {"html", "toc"})
            taxonomies = read & frozenset(TAXONOMIES)
            digest = _hash(*(f"{k}:{v}" for k, v in sorted(sources.items())))
            self._closures[name] = Closure(
                digest, frozenset(attrs), bool(owners), sizes, body, taxonomies
            )
        return self._closures[name]

    def _collect(self, name: str, sources: dict[str, str],
                 names: dict[str, frozenset[str] | None]) -> bool:  # fmt: skip
        """Add `name` and its references to `sources`, and the names each reads to `names`;
        False if a reference is dynamic."""
        if name in sources:
            return True
        try:
            source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - a missing layout fails later, in render, with context
            sources[name], names[name] = "<missing>", frozenset()
            return True
        sources[name] = source
        try:
            tree = self.env.parse(source)
        except TemplateSyntaxError:
            names[name] = None
            return True  # reported by render, with the layout's file and line
        names[name] = _names_read(tree)
        refs = list(meta.find_referenced_templates(tree))
        if any(n.name == "post_card" for n in tree.find_all(nodes.Name)):
            refs.append(
                CARD_LAYOUT
            )  # renders the card layout by name (ssg.render.templates.bind_site)
        static = True
        for ref in refs:
            static = self._collect(ref, sources, names) if ref else False
        return static

    def site_part(self, attr: str, reads: PostReads = ALL_OF_POST) -> str:
        """A digest of `site.<attr>`; config is in config_digest instead."""
        if attr not in _SITE_PART_NAMES:
            return attr
        if (attr, reads) not in self._parts:
            site = self.site
            if attr == "now":  # `site.config.now` read by a layout (a footer's year)
                part = site.config.now.date().isoformat()
            elif attr == "data":
                # Only pages whose layouts read `site.data` depend on it: editing a chart's
                # data file re-renders the posts that draw it (their digests), not the site.
                part = _hash(json.dumps(site.data, sort_keys=True, default=repr))
            elif attr == "term_index":
                terms = (site.categories, site.tags, site.tickers)
                part = _hash(*(value_key(t, True, reads) for t in terms))
            else:
                part = _hash(value_key(getattr(site, attr), True, reads))
            self._parts[attr, reads] = part
        return self._parts[attr, reads]


# The names of post parts fingerprints tell apart (see PostReads).
_POST_PARTS = frozenset({"html", "toc", *TAXONOMIES})


def _names_read(tree: nodes.Template) -> frozenset[str] | None:
    """Every name a layout may read something by: attributes (`post.tags`), variables
    (`tags`), and the words of its strings (`post['html']`, `term_for('tags', n)`,
    `map(attribute='tags.0')`), but not the layouts it extends or includes ("base.html").
    None when it reads by computed names (`post[key]`, `attr`, `tojson`, dunders): then it
    may read anything."""
    layout_names = set()
    for ref in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        # find_all is typed as yielding Node; these four kinds all have `template`.
        template = ref.template  # type: ignore[attr-defined]
        layout_names |= {id(template), *(id(c) for c in template.find_all(nodes.Const))}
    found: set[str] = set()
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Getattr):
            found.add(node.attr)
        elif isinstance(node, nodes.Name):
            found.add(node.name)
        elif isinstance(node, nodes.Getitem):
            if not isinstance(node.arg, nodes.Const | nodes.Slice):
                return None
        elif isinstance(node, nodes.Filter | nodes.Test):
            if node.name in _DYNAMIC_FILTERS:
                return None
        elif isinstance(node, nodes.Const) and type(node.value) is str:
            found.update(_PATH_SEPARATORS.split(node.value) if id(node) not in layout_names else ())
    if any(name.startswith("__") for name in found):
        return None
    return frozenset(found)


_SITE_PART_NAMES = (
    "posts",
    "pages",
    "categories",
    "tags",
    "tickers",
    "years",
    "months",
    "term_index",
    "now",
    "data",
)
