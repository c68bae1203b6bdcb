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
from typing import Any

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
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# Parts of `site` covered elsewhere: config and data are in config_digest.
_IN_CONFIG_DIGEST = frozenset({"config", "data"})
# `site.term_for(...)` is hashed per page, for the terms of the posts the page shows.
_PER_PAGE = frozenset({"term_for"})


def _hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _posts_in(values: Iterable[Any]) -> Iterator[Post]:
    """Every post a page's values hold: the post, its neighbours, a paginator's posts."""
    for value in values:
        if isinstance(value, Post):
            yield value
        elif isinstance(value, Paginator):
            yield from value.posts


def value_key(value: Any, deep_terms: bool = True) -> str:
    """A string that changes whenever a page value changes; posts count by their digest.

    With `deep_terms` False, a term counts by its name, place and size only: enough for
    layouts that never list `term.posts` (the paginator carries the posts a page shows).
    Keys are joined and hashed once per page, which keeps fingerprinting cheap at scale.
    """
    if isinstance(value, Post):
        return value.digest or repr(value)
    if isinstance(value, Paginator):
        posts = ",".join(p.digest for p in value.posts)
        pages = f"P{value.page}/{value.total_pages}/{value.total_posts}"
        return f"{pages}:{','.join(value.urls)}:{posts}"
    if isinstance(value, Term):
        head = f"T{value.taxonomy}:{value.name}:{value.slug}:{value.url}:{value.count}"
        return head + (":" + ",".join(p.digest for p in value.posts) if deep_terms else "")
    if isinstance(value, Archive):
        return f"A{value.year}:{value.month}:{value.url}:" + ",".join(p.digest for p in value.posts)
    if isinstance(value, tuple | list):
        return "[" + "|".join(value_key(v, deep_terms) for v in value) + "]"
    if isinstance(value, Mapping):
        items = sorted(value.items())
        return "{" + "|".join(f"{k}={value_key(v, deep_terms)}" for k, v in items) + "}"
    return f"{type(value).__name__}:{value!r}"


def value_digest(value: Any, deep_terms: bool = True) -> str:
    return _hash(value_key(value, deep_terms))


@dataclass
class Dependencies:
    """Fingerprints for one build: layouts and site parts hashed once, pages on demand."""

    env: Environment
    site: Site
    _templates: dict[str, tuple[str, frozenset[str], bool, bool]] = field(default_factory=dict)
    _post_terms: dict[tuple[str, str], str] = field(default_factory=dict)

    def fingerprint(self, page: OutputPage) -> str:
        layouts, site_attrs, deep_terms, sizes = self.template_closure(page.template)
        site_parts = [self.site_part(attr) for attr in sorted(site_attrs - {"term_for"})]
        if "term_for" in site_attrs:
            detail = "posts" if deep_terms else "count" if sizes else "place"
            site_parts.append(self.terms_of_page(page, detail))
        return _hash(
            self.config_digest, layouts, page.url, page.template, *site_parts,
            value_key(dict(page.context), deep_terms),
        )  # fmt: skip

    def reads_clock(self) -> bool:
        """Whether any layout fingerprinted so far reads `now`."""
        return any("now" in attrs for _digest, attrs, _deep, _sizes in self._templates.values())

    def terms_of_page(self, page: OutputPage, detail: str = "place") -> str:
        """What `site.term_for` answers for the terms of the posts this page shows.

        Layouts look up the terms of the posts they show; a page does not change when an
        unrelated term appears elsewhere in the site.
        """
        return "|".join(self._terms_of_post(p, detail) for p in _posts_in(page.context.values()))

    def _terms_of_post(self, post: Post, detail: str) -> str:
        """The post's terms as `term_for` gives them: where they are, and their size or
        posts when the layout shows those."""
        key = (post.digest, detail)
        if key not in self._post_terms:
            places = self._term_details[detail]
            self._post_terms[key] = ",".join(
                places.get((tax, term_key(name)), "-")
                for tax in TAXONOMIES
                for name in getattr(post, tax)
            )
        return self._post_terms[key]

    @cached_property
    def config_digest(self) -> str:
        # The clock is not config: only layouts that read `now` depend on it (site part "now").
        config = dataclasses.replace(self.site.config, build_time=None)
        return _hash(repr(config), json.dumps(self.site.data, sort_keys=True, default=repr))

    @cached_property
    def _term_details(self) -> dict[str, dict[tuple[str, str], str]]:
        terms = [
            ((t.taxonomy, term_key(t.name)), t) for t in (*self.site.categories, *self.site.tags)
        ]
        return {
            "place": {key: f"{t.name}:{t.url}" for key, t in terms},
            "count": {key: f"{t.name}:{t.url}:{t.count}" for key, t in terms},
            "posts": {key: value_key(t) for key, t in terms},
        }

    def template_closure(self, name: str) -> tuple[str, frozenset[str], bool, bool]:
        """(digest of the sources of `name` and all it extends/includes, site attrs used,
        whether a term's post list is shown, whether a term's size is shown)."""
        if name not in self._templates:
            sources: dict[str, str] = {}
            if not self._collect(name, sources):
                # A dynamic include names its layout at render time: depend on all of them.
                for other in self.env.list_templates():
                    self._collect(other, sources)
            # Only the Jinja code counts: `class="site-header"` in HTML reads nothing.
            text = "\n".join(_JINJA_CODE.findall("\n".join(sources.values())))
            attrs = set(_SITE_ATTR.findall(text))
            if _SITE_WHOLE.search(text) or attrs - _IN_CONFIG_DIGEST - _PER_PAGE - set(
                self._site_parts
            ):
                attrs |= set(self._site_parts)  # can't tell what is read: depend on all of it
            if _NOW.search(text):
                attrs.add("now")
            owners = set(_POSTS_OWNER.findall(text)) - {"paginator", "site"}
            sizes = bool(set(_COUNT_OWNER.findall(text)) - {"paginator", "site"})
            digest = _hash(*(f"{k}:{v}" for k, v in sorted(sources.items())))
            self._templates[name] = (digest, frozenset(attrs), bool(owners), sizes)
        return self._templates[name]

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

    @cached_property
    def _site_parts(self) -> dict[str, str]:
        site = self.site
        return {
            "posts": _hash(*(p.digest for p in site.posts)),
            "pages": _hash(*(p.digest for p in site.pages)),
            "categories": value_digest(site.categories),
            "tags": value_digest(site.tags),
            "years": value_digest(site.years),
            "months": value_digest(site.months),
            "term_index": _hash(value_digest(site.categories), value_digest(site.tags)),
            # `site.config.now` read by a layout (a footer's year): today's date counts.
            "now": site.config.now.date().isoformat(),
        }

    def site_part(self, attr: str) -> str:
        # config and data are in config_digest (template_closure never asks for others).
        return self._site_parts.get(attr, attr)
