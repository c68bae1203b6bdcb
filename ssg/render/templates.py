"""Jinja layouts: the site's own `layouts/` over the built-in ones, strict and autoescaped."""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import json
import os
import posixpath
import signal
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    nodes,
)
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path
from markupsafe import Markup

from ssg.config import CONFIG_FILE, DEFAULT_LAYOUTS, TAXONOMY_NAMES, Config
from ssg.content.dates import format_date, parse_date
from ssg.content.post import Post
from ssg.content.sources import front_matter_line
from ssg.content.urls import absolute_url, href, is_safe_link
from ssg.errors import SsgError, not_utf8
from ssg.interrupts import held, ignore_ctrl_c
from ssg.render.built_in import BUILT_IN
from ssg.render.share_images import CachedFile, NewCachedFile, ShareImageError
from ssg.site.model import Site
from ssg.site.pages import OutputPage
from ssg.site.share import share_image_of

T = TypeVar("T")
# A rendered page: text (HTML, XML, JSON), or a share image's PNG as bytes or a cache file.
Rendered = str | bytes | CachedFile | NewCachedFile


class RenderError(SsgError):
    """A layout failed for one page; says which layout file and line, and which page."""

    def __init__(self, where: str, problem: str, page: str = "") -> None:
        self.where, self.problem, self.page = where, problem, page
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[RenderError], tuple[str, str, str]]:
        # Render workers send these back to the main process.
        return (RenderError, (self.where, self.problem, self.page))

    def __str__(self) -> str:
        during = f" (while rendering {self.page})" if self.page else ""
        return f"{self.where}: {self.problem}{during}"


def summarize_render_errors(errors: list[RenderError]) -> list[SsgError]:
    """One line per distinct layout problem: a typo in post.html is not 10,000 errors."""
    groups: dict[tuple[str, str], list[RenderError]] = {}
    for error in errors:
        groups.setdefault((error.where, error.problem), []).append(error)
    summary: list[SsgError] = []
    for (where, problem), group in groups.items():
        more = f" and {len(group) - 1} more page{'s' * (len(group) > 2)}" if len(group) > 1 else ""
        summary.append(RenderError(where, problem, group[0].page + more))
    return summary


class LayoutLoader(FileSystemLoader):
    """Layouts as UTF-8 text, a BOM (as Windows editors save) dropped; a layout in another
    encoding is an error at its own line, not a decoding error of the page including it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder, encoding="utf-8-sig")

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:  # fmt: skip
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            filename = posixpath.join(self.searchpath[0], *split_template_path(template))
            problem = not_utf8(filename, Path(filename).read_bytes())
            raise TemplateSyntaxError(problem.message, problem.line or 1, template,
                                      filename) from None  # fmt: skip


def make_environment(config: Config) -> Environment:
    """A Jinja environment: site layouts first, built-in defaults for the rest.

    StrictUndefined turns a typo in a layout into an error instead of an empty string.
    """
    loader = ChoiceLoader([LayoutLoader(config.layouts_dir), LayoutLoader(DEFAULT_LAYOUTS)])
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: layouts cannot change under it, so skip mtime checks.
        auto_reload=False,
    )
    env.filters["date"] = lambda moment, fmt=None, weekday=False: _format(
        moment, config, fmt, weekday
    )
    env.filters["url"] = lambda url: href(config.base_path, url)
    env.filters["absolute_url"] = lambda url: absolute_url(config.base_url, url)
    env.filters["safe_link"] = lambda url: url if is_safe_link(str(url)) else "#"
    env.filters["json_ld"] = json_ld
    env.globals["share_image"] = lambda post: share_image(post, config)
    env.globals["language"] = config.language
    # `/tags/`, or where config's `taxonomy_paths` moves it. Named `tags_url` rather than
    # looked up by the taxonomy's name: a layout naming `tags` depends on every post's tags.
    for taxonomy in TAXONOMY_NAMES:
        env.globals[f"{taxonomy}_url"] = config.taxonomy_path(taxonomy)
    if config.layout_code_cache is not None:
        env.bytecode_cache = LayoutCodeCache(config.layout_code_cache, env)
    return env


class LayoutCodeCache(FileSystemBytecodeCache):
    """Layouts compiled to Python code, kept between builds: a build in a new process (a
    one-post edit) loads them instead of compiling them again. Jinja checks each file
    against its layout's source and its own version; the names carry what else the code
    depends on (the environment's options, its filters and tests). Best effort: a cache
    that cannot be written costs a compile, never the build."""

    def __init__(self, folder: Path, env: Environment) -> None:
        options = repr((
            env.autoescape, env.undefined.__name__, env.trim_blocks, env.lstrip_blocks,
            env.keep_trailing_newline, env.newline_sequence, env.optimized, env.is_async,
            env.finalize is None, env.block_start_string, env.variable_start_string,
            env.comment_start_string, env.line_statement_prefix, env.line_comment_prefix,
            sorted(env.filters), sorted(env.tests), sorted(env.extensions),
        ))  # fmt: skip
        variant = hashlib.blake2b(options.encode(), digest_size=8).hexdigest()
        super().__init__(str(folder), f"{variant}-%s.code")

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)

    def prune(self) -> None:
        """Remove code kept under other options (an older ssg's, other filters): no build
        of this one loads it, and each version would otherwise leave its files behind."""
        ours = self.pattern.split("%s")[0]
        try:
            entries = list(os.scandir(self.directory))
        except OSError:
            return
        for entry in entries:
            if not entry.name.startswith(ours):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def prune_layout_code(env: Environment) -> None:
    """After a full build: the layout code cache keeps only what this ssg can load."""
    if isinstance(env.bytecode_cache, LayoutCodeCache):
        env.bytecode_cache.prune()


def share_image(post: Post, config: Config) -> str | None:
    """The absolute URL of the image shown when `post` is shared (og:image, twitter:image,
    JSON-LD): its `image:`, else its generated share image (ssg.site.share), or None."""
    if post.image:
        return absolute_url(config.base_url, post.image) if is_safe_link(post.image) else None
    generated = share_image_of(post, config)
    return absolute_url(config.base_url, generated.url) if generated else None


# In a <script>, `</script>` or `<!--` in a value would end or confuse the element; these
# escapes keep the JSON the same value and the HTML parser blind to it.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))  # fmt: skip


def json_ld(value: Any) -> Markup:
    """`value` (mappings, lists, text, numbers) as JSON safe inside <script>; keys whose
    value is None, "" or empty are left out, so layouts can write optional fields inline.

    Only plain values are taken: unlike `tojson`, it never reads an object's attributes,
    so fingerprints know what a layout using it reads."""
    text = json.dumps(_without_empty(value), ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES:  # str.replace: several times faster than translate
        text = text.replace(char, escaped)
    return Markup(text)


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        pairs = ((str(k), _without_empty(v)) for k, v in value.items())
        return {k: v for k, v in pairs if v not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        return [_without_empty(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return str(value) if isinstance(value, str) else value  # Markup as its text
    raise TypeError(f"json_ld takes mappings, lists, text and numbers, got {type(value).__name__}")


def _format(moment: datetime | str, config: Config, fmt: str | None, weekday: bool) -> str:
    # Front-matter keys ssg does not model (post.extra) keep dates as text; read them here.
    if not isinstance(moment, datetime):
        moment = parse_date(moment, config.tz)
    return format_date(moment.astimezone(config.tz), config.language, fmt, weekday)


CARD_LAYOUT = "_post_card.html"


def bind_site(env: Environment, site: Site) -> None:
    """Give layouts `post_card(post)`: `_post_card.html` rendered once per post and build.

    A post appears on the home page, its category and each tag page; rendering its card once
    instead of on every list page is most of a large site's list rendering. The card layout
    therefore sees only `post` and `site`, never the page it is shown on.
    """
    # By id, keeping the post itself: an id is unique only while its object lives.
    cards: dict[int, tuple[Post, Markup]] = {}

    def post_card(post: Post) -> Markup:
        known = cards.get(id(post))
        if known is None or known[0] is not post:
            html = Markup(env.get_template(CARD_LAYOUT).render(post=post, site=site))
            known = cards[id(post)] = (post, html)
        return known[1]

    env.globals["post_card"] = post_card


def render_page(env: Environment, page: OutputPage, site: Site) -> Rendered:
    """Render one planned page; any layout failure becomes a RenderError that locates it."""
    built_in = BUILT_IN.get(page.template)
    if built_in is not None:
        try:
            return built_in.render(page, site)
        except ShareImageError as exc:
            raise RenderError(CONFIG_FILE, str(exc), page.output_path) from None
    rendering = f"{page.output_path} with {page.template}"
    try:
        template = env.get_template(page.template)
        return template.render(site=site, page=page, **page.context)
    except TemplateNotFound as exc:
        raise _not_found(exc, env, page, site.config) from None
    except TemplateSyntaxError as exc:
        where = f"{_display_path(exc.filename, site.config)}:{exc.lineno}"
        raise RenderError(where, exc.message or "syntax error", page.output_path) from None
    except Exception as exc:  # noqa: BLE001 - any layout failure is the writer's to fix
        chosen = _chosen_at(page, site.config)
        rendering += f", named by layout: at {chosen}" if chosen else ""
        raise RenderError(_template_frame(exc, site.config), str(exc), rendering) from None


def _chosen_at(page: OutputPage, config: Config) -> str | None:
    """Where front matter named the page's layout (`layout: list` in a post), if it did:
    there the writer fixes a layout that cannot show a single post or page."""
    post = page.context.get("post")
    if not isinstance(post, Post) or post.layout == post.kind:
        return None
    rel = post.source_path.as_posix()
    line = front_matter_line(config.content_dir, rel, "layout")
    return f"content/{rel}:{line}" if line else f"content/{rel}"


# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_RENDER_THRESHOLD = 400


# What becomes of a rendered page: (its index in the list, the page, what it rendered to)
# -> a result.
Sink = Callable[[int, OutputPage, Rendered], T]


def render_pages(
    env: Environment, site: Site, pages: list[OutputPage], sink: Sink[T]
) -> Generator[tuple[OutputPage, T | RenderError], None, None]:
    """Render `pages` and hand each page's HTML to `sink`, yielding what it returns, in
    order; a failed page yields its RenderError instead.

    Large renders use forked workers, which inherit `site` and the compiled layouts
    instead of receiving a pickled copy of the whole site, and call `sink` themselves (a
    sink that writes the page to disk keeps the HTML from travelling back).
    """
    workers = min(os.cpu_count() or 1, 8)
    # Forking a process that runs other threads (the preview server) can deadlock a child.
    if len(pages) < PARALLEL_RENDER_THRESHOLD or workers < 2 or threading.active_count() > 1:
        yield from _render_here(env, site, pages, sink)
        return
    import multiprocessing  # here: a rebuild that renders a few pages skips its 20 ms

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from _render_here(env, site, pages, sink)
        return
    context = multiprocessing.get_context("fork")
    state = (env, site, pages, sink)
    # The workers share the site's memory with this process until they write to it, and
    # the cyclic collector writes to every object it visits: frozen objects are never
    # visited, so each worker does not end up with its own copy of the whole site.
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        with held(signal.SIGINT):  # until the workers ignore it
            pool = context.Pool(workers, initializer=_start_worker, initargs=(state,))
        with pool:
            chunk = max(1, min(64, len(pages) // (workers * 4)))
            for index, outcome in pool.imap(_render_index, range(len(pages)), chunksize=chunk):
                yield pages[index], outcome
    finally:
        if thawed:  # a caller's own freeze stays
            gc.unfreeze()


def _render_here(env: Environment, site: Site, pages: list[OutputPage], sink: Sink[T],
                 ) -> Iterator[tuple[OutputPage, T | RenderError]]:  # fmt: skip
    for index, page in enumerate(pages):
        yield page, _render_into(env, site, pages, sink, index)


def _render_into(env: Environment, site: Site, pages: list[OutputPage], sink: Sink[T],
                 index: int) -> T | RenderError:  # fmt: skip
    try:
        html = render_page(env, pages[index], site)
    except RenderError as exc:
        return exc
    return sink(index, pages[index], html)


# Set once in each forked render worker (see render_pages); never used in the main process.
_worker_state: tuple[Environment, Site, list[OutputPage], Sink[Any]] | None = None


def _start_worker(state: tuple[Environment, Site, list[OutputPage], Sink[Any]]) -> None:
    global _worker_state
    ignore_ctrl_c()
    _worker_state = state


def _render_index(index: int) -> tuple[int, Any]:
    assert _worker_state is not None
    return index, _render_into(*_worker_state, index)


def _not_found(exc: TemplateNotFound, env: Environment, page: OutputPage, config: Config,
               ) -> RenderError:  # fmt: skip
    """A missing layout named by an include, extends or import, at the line that names it;
    a page's own layout (no layout line to blame) at the page's source."""
    rendering = f"{page.output_path} with {page.template}"
    frame = _layout_frame(exc)
    if frame is None:
        problem = f"layout '{exc.name}' not found in layouts/ or the built-in layouts"
        return RenderError(page.source, problem, rendering)
    kind = _reference_kind(env, frame, str(exc.name))
    where = f"{_display_path(frame.filename, config)}:{frame.lineno}"
    hint = _suggestion(str(exc.name), env.list_templates())
    return RenderError(where, f"{kind} '{exc.name}' not found in layouts/{hint}", rendering)


def _suggestion(name: str, known: list[str]) -> str:
    # Compared without `.html`, which would make every name look close to every other.
    stems = {k.rsplit(".", 1)[0]: k for k in known}
    close = difflib.get_close_matches(name.rsplit(".", 1)[0], stems, n=1)
    return f"; did you mean '{stems[close[0]]}'?" if close else ""


# The tags that name another layout, and what the writer calls each.
_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
_REFERENCE_WORDS = {nodes.Extends: "extends", nodes.Include: "include"}


def _reference_kind(env: Environment, frame: traceback.FrameSummary, name: str) -> str:
    """`include`, `extends` or `import`: the tag on the frame's line naming `name`."""
    try:
        tree = env.parse(Path(frame.filename).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TemplateSyntaxError):
        return "layout"
    found = tree.find_all(_REFERENCES)
    tags = [t for t in found if isinstance(t, _REFERENCES) and t.lineno == frame.lineno]
    # Two tags on one line: the one naming `name` outright, else the first.
    named = [t for t in tags if isinstance(t.template, nodes.Const) and t.template.value == name]
    return _REFERENCE_WORDS.get(type((named or tags)[0]), "import") if tags else "layout"


def _layout_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost layout line the error passed through."""
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))
    ]
    return frames[-1] if frames else None


def _template_frame(exc: BaseException, config: Config) -> str:
    """`layouts/post.html:12`, the innermost layout line the error passed through."""
    frame = _layout_frame(exc)
    if frame is None:
        return "layout"
    return f"{_display_path(frame.filename, config)}:{frame.lineno}"


def _display_path(filename: str | None, config: Config) -> str:
    if not filename:
        return "layout"
    path = Path(filename)
    if path.is_relative_to(config.site_dir):
        return path.relative_to(config.site_dir).as_posix()
    return f"(built-in) {path.name}"
