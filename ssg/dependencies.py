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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from jinja2 import Environment, TemplateSyntaxError, meta

from ssg.content import Post
from ssg.pages import OutputPage, Paginator
from ssg.render import CARD_LAYOUT
from ssg.site import Archive, Site
from ssg.slugs import term_key
from ssg.taxonomy import TAXONOMIES, Term

_SITE_ATTR = re.compile(r"\bsite\s*\.\s*(\w+)")
# `site` not followed by `.name` (`{% set s = site %}`, `site['posts']`): could read anything.
_SITE_WHOLE = re.compile(r"\bsite\b(?!\s*\.\s*\w)")
# `term.posts`, `t.count`: a layout showing a term's posts or size depends on them.
_POSTS_OWNER = re.compile(r"\b(\w+)\s*\.\s*posts\b")
_COUNT_OWNER = re.compile(r"\b(\w+)\s*\.\s*count\b")
_NOW = re.compile(r"\bnow\b")
# A post's body: `post.html`, `p.toc`; or any attribute by a computed name. String literals
# are looked at apart: `post['html']` reads the body, `{% extends "base.html" %}` does not.
_BODY = re.compile(r"\b(html|toc|attr|pprint|tojson|__\w+)\b")
_STRING = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# Parts of `site` covered elsewhere: config and data are in config_digest.
_IN_CONFIG_DIGEST = frozenset({"config", "data"})
# `site.term_for(...)` is hashed per page, for the terms of the posts the page shows.
_PER_PAGE = frozenset({"term_for"})


def _hash(*parts: str) -> str:
    # One encode and one update per page: fingerprinting 20,000 pages must stay cheap.
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def _posts_in(values: Iterable[Any]) -> Iterator[Post]:
    """Every post a page's values hold: the post, its neighbours, a paginator's posts."""
    for value in values:
        if isinstance(value, Post):
            yield value
        elif isinstance(value, Paginator):
            yield from value.posts


def post_key(post: Post, body: bool) -> str:
    """A post's identity: its digest, or with `body` False only its metadata's (title, url,
    excerpt, ...), for layouts that never show a post's HTML or table of contents."""
    return (post.digest if body else post.meta_digest) or repr(post)


def value_key(value: Any, deep_terms: bool = True, body: bool = True) -> str:
    """A string that changes whenever a page value changes; posts count by their digest.

    With `deep_terms` False, a term counts by its name, place and size only: enough for
    layouts that never list `term.posts` (the paginator carries the posts a page shows).
    With `body` False, posts count by their metadata only (see `post_key`).
    """
    if isinstance(value, Post):
        return post_key(value, body)
    if isinstance(value, Paginator):
        posts = ",".join([post_key(p, body) for p in value.posts])
        # The other pages' urls follow from the first and their number (urls.paginated_url);
        # joining them all would make a term with 1,000 pages cost a million urls.
        pages = f"P{value.page}/{value.total_pages}/{value.total_posts}/{value.urls[0]}"
        return f"{pages}:{posts}"
    if isinstance(value, Term):
        head = f"T{value.taxonomy}:{value.name}:{value.slug}:{value.url}:{value.count}"
        if not deep_terms:
            return head
        return head + ":" + ",".join(post_key(p, body) for p in value.posts)
    if isinstance(value, Archive):
        posts = ",".join(post_key(p, body) for p in value.posts)
        return f"A{value.year}:{value.month}:{value.url}:{posts}"
    if isinstance(value, tuple | list):
        return "[" + "|".join(value_key(v, deep_terms, body) for v in value) + "]"
    if isinstance(value, Mapping):
        items = sorted(value.items())
        return "{" + "|".join(f"{k}={value_key(v, deep_terms, body)}" for k, v in items) + "}"
    return f"{type(value).__name__}:{value!r}"


class Closure(NamedTuple):
    """What a layout and everything it extends or includes can read."""

    digest: str  # of the layouts' sources
    site_attrs: frozenset[str]  # parts of `site` named in their code
    deep_terms: bool  # shows a term's posts (`term.posts`)
    sizes: bool  # shows a term's size (`term.count`)
    body: bool  # may show a post's HTML or table of contents


@dataclass
class Dependencies:
    """Fingerprints for one build: layouts and site parts hashed once, pages on demand."""

    env: Environment
    site: Site
    _closures: dict[str, Closure] = field(default_factory=dict)
    _prefixes: dict[str, str] = field(default_factory=dict)
    # (detail, body) -> post digest -> its terms, as terms_of_page shows them
    _post_terms: dict[tuple[str, bool], dict[str, str]] = field(default_factory=dict)
    _details: dict[tuple[str, bool], dict[tuple[str, str], str]] = field(default_factory=dict)
    _parts: dict[tuple[str, bool], str] = field(default_factory=dict)

    def fingerprint(self, page: OutputPage) -> str:
        closure = self.template_closure(page.template)
        parts = [self._prefix(page.template), page.url]
        if "term_for" in closure.site_attrs:
            detail = "posts" if closure.deep_terms else "count" if closure.sizes else "place"
            parts.append(self.terms_of_page(page, detail, closure.body))
        parts.append(value_key(page.context, closure.deep_terms, closure.body))
        return _hash(*parts)

    def _prefix(self, template: str) -> str:
        """The part of a fingerprint every page of `template` shares: config, layouts, and
        the parts of `site` they read."""
        if template not in self._prefixes:
            closure = self.template_closure(template)
            attrs = sorted(closure.site_attrs - _PER_PAGE)
            parts = [self.site_part(attr, closure.body) for attr in attrs]
            self._prefixes[template] = _hash(self.config_digest, template, closure.digest, *parts)
        return self._prefixes[template]

    def reads_clock(self) -> bool:
        """Whether any layout fingerprinted so far reads `now`."""
        return any("now" in closure.site_attrs for closure in self._closures.values())

    def terms_of_page(self, page: OutputPage, detail: str = "place", body: bool = True) -> str:
        """What `site.term_for` answers for the terms of the posts this page shows.

        Layouts look up the terms of the posts they show; a page does not change when an
        unrelated term appears elsewhere in the site.
        """
        known = self._post_terms.setdefault((detail, body), {})
        found = []
        for post in _posts_in(page.context.values()):
            terms = known.get(post.digest)
            if terms is None:
                terms = known[post.digest] = self._terms_of_post(post, detail, body)
            found.append(terms)
        return "|".join(found)

    def _terms_of_post(self, post: Post, detail: str, body: bool) -> str:
        """The post's terms as `term_for` gives them: where they are, and their size or
        posts when the layout shows those."""
        places = self._term_details(detail, body)
        names = [(tax, term_key(name)) for tax in TAXONOMIES for name in getattr(post, tax)]
        return ",".join(places.get(key, "-") for key in names)

    @cached_property
    def config_digest(self) -> str:
        # The clock is not config: only layouts that read `now` depend on it (site part "now").
        config = dataclasses.replace(self.site.config, build_time=None)
        return _hash(repr(config), json.dumps(self.site.data, sort_keys=True, default=repr))

    @cached_property
    def _terms(self) -> list[tuple[tuple[str, str], Term]]:
        terms = (*self.site.categories, *self.site.tags)
        return [((t.taxonomy, term_key(t.name)), t) for t in terms]

    def _term_details(self, detail: str, body: bool) -> dict[tuple[str, str], str]:
        if (detail, body) not in self._details:
            if detail == "posts":
                details = {key: value_key(t, True, body) for key, t in self._terms}
            elif detail == "count":
                details = {key: f"{t.name}:{t.url}:{t.count}" for key, t in self._terms}
            else:
                details = {key: f"{t.name}:{t.url}" for key, t in self._terms}
            self._details[detail, body] = details
        return self._details[detail, body]

    def template_closure(self, name: str) -> Closure:
        """What `name` and all it extends/includes read, from their Jinja code."""
        if name not in self._closures:
            sources: dict[str, str] = {}
            if not self._collect(name, sources):
                # A dynamic include names its layout at render time: depend on all of them.
                for other in self.env.list_templates():
                    self._collect(other, sources)
            # Only the Jinja code counts: `class="site-header"` in HTML reads nothing.
            text = "\n".join(_JINJA_CODE.findall("\n".join(sources.values())))
            attrs = set(_SITE_ATTR.findall(text))
            whole_site = bool(_SITE_WHOLE.search(text))
            if whole_site or attrs - _IN_CONFIG_DIGEST - _PER_PAGE - set(_SITE_PART_NAMES):
                attrs |= set(_SITE_PART_NAMES)  # can't tell what is read: depend on all of it
            if _NOW.search(text):
                attrs.add("now")
            owners = set(_POSTS_OWNER.findall(text)) - {"paginator", "site"}
            sizes = bool(set(_COUNT_OWNER.findall(text)) - {"paginator", "site"})
            body = whole_site or _reads_body(text)
            digest = _hash(*(f"{k}:{v}" for k, v in sorted(sources.items())))
            self._closures[name] = Closure(digest, frozenset(attrs), bool(owners), sizes, body)
        return self._closures[name]

    def _collect(self, name: str, sources: dict[str, str]) -> bool:
        """Add `name` and its references to `sources`; False if a reference is dynamic."""
        if name in sources:
            return True
        try:
            source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - a missing layout fails later, in render, with context
            sources[name] = "<missing>"
            return True
        sources[name] = source
        try:
            refs = list(meta.find_referenced_templates(self.env.parse(source)))
        except TemplateSyntaxError:
            return True  # reported by render, with the layout's file and line
        if "post_card(" in source:  # renders the card layout by name (ssg.render.bind_site)
            refs.append(CARD_LAYOUT)
        static = True
        for ref in refs:
            static = self._collect(ref, sources) if ref else False
        return static

    def site_part(self, attr: str, body: bool = True) -> str:
        """A digest of `site.<attr>`; config and data are in config_digest instead."""
        if attr not in _SITE_PART_NAMES:
            return attr
        if (attr, body) not in self._parts:
            site = self.site
            if attr == "now":  # `site.config.now` read by a layout (a footer's year)
                part = site.config.now.date().isoformat()
            elif attr == "term_index":
                terms = (site.categories, site.tags)
                part = _hash(*(value_key(t, True, body) for t in terms))
            else:
                part = _hash(value_key(getattr(site, attr), True, body))
            self._parts[attr, body] = part
        return self._parts[attr, body]


def _reads_body(code: str) -> bool:
    literals = {a or b for a, b in _STRING.findall(code)}
    return bool(literals & {"html", "toc"}) or bool(_BODY.search(_STRING.sub("", code)))


_SITE_PART_NAMES = ("posts", "pages", "categories", "tags", "years", "months", "term_index", "now")
