"""Jinja layouts: the site's own `layouts/` over the built-in ones, strict and autoescaped."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from ssg.config import Config
from ssg.dates import format_date
from ssg.errors import SsgError
from ssg.pages import OutputPage
from ssg.site import Site
from ssg.urls import href, is_safe_link

DEFAULT_LAYOUTS = Path(__file__).parent / "default_layouts"


class RenderError(SsgError):
    """A layout failed for one page; says which page, which layout file and line."""


def make_environment(config: Config) -> Environment:
    """A Jinja environment: site layouts first, built-in defaults for the rest.

    StrictUndefined turns a typo in a layout into an error instead of an empty string.
    """
    loader = ChoiceLoader([FileSystemLoader(config.layouts_dir), FileSystemLoader(DEFAULT_LAYOUTS)])
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = lambda moment, fmt=None, weekday=False: _format(
        moment, config, fmt, weekday
    )
    env.filters["url"] = lambda url: href(config.base_path, url)
    env.filters["absolute_url"] = lambda url: absolute_url(config, url)
    env.filters["safe_link"] = lambda url: url if is_safe_link(str(url)) else "#"
    env.globals["language"] = config.language
    return env


def _format(moment: datetime, config: Config, fmt: str | None, weekday: bool) -> str:
    return format_date(moment.astimezone(config.tz), config.language, fmt, weekday)


def absolute_url(config: Config, url: str) -> str:
    """`/2025/x/` -> `https://example.com/blog/2025/x/` (or root-relative without a host)."""
    if url.startswith(("http://", "https://")):
        return url
    root = config.base_url.rstrip("/")
    path = href(config.base_path, url)
    if "://" in root:
        scheme_host = root.split("://", 1)[0] + "://" + root.split("://", 1)[1].split("/", 1)[0]
        return scheme_host + path
    return path


def render_page(env: Environment, page: OutputPage, site: Site) -> str:
    """Render one planned page; any layout failure becomes a RenderError that locates it."""
    try:
        template = env.get_template(page.template)
        return template.render(site=site, page=page, **page.context)
    except TemplateNotFound as exc:
        message = f"layout '{exc.name}' not found in layouts/ or the built-in layouts"
        raise RenderError(f"{page.source}: {message}") from None
    except TemplateSyntaxError as exc:
        where = f"{_layout_name(exc.filename, site.config)}:{exc.lineno}"
        raise RenderError(f"{where}: {exc.message} (while rendering {page.output_path})") from None
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        where = _template_frame(exc, site.config)
        raise RenderError(
            f"{where}: {exc} (while rendering {page.output_path} with {page.template})"
        ) from None


def _template_frame(exc: BaseException, config: Config) -> str:
    """`layouts/post.html:12`, the innermost layout line the error passed through."""
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml"))
    ]
    if not frames:
        return "layout"
    return f"{_layout_name(frames[-1].filename, config)}:{frames[-1].lineno}"


def _layout_name(filename: str | None, config: Config) -> str:
    if not filename:
        return "layout"
    path = Path(filename)
    if path.is_relative_to(config.site_dir):
        return path.relative_to(config.site_dir).as_posix()
    return f"(built-in) {path.name}"
