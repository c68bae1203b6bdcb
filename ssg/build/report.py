"""What a build reports: counts, warnings and time, for the summary line and the server."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ssg.config import CONFIG_FILE, Config
from ssg.content.urls import unportable_segments
from ssg.errors import ContentError, SsgError

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a successful build did."""

    posts: int
    pages: int  # standalone pages
    files: int  # files in output/
    written: int  # files new or changed this build
    rendered: int  # pages rendered (the rest were known to be current)
    warnings: tuple[str, ...]
    seconds: float


def build_warnings(config: Config, post_warnings: Iterable[SsgError],
                   input_warnings: Iterable[str] = ()) -> tuple[str, ...]:  # fmt: skip
    """Every warning of a build: the config's, ssg's own, the other inputs' (static/ names)
    and each source's."""
    # The markdown-it-py warning comes from this process, once per build, rather than from
    # each parse worker that builds a parser. (Imported here: it loads markdown-it-py,
    # which a build with nothing to do never needs.)
    from ssg.markdown.pinned import pinned_warnings

    return (
        *config_warnings(config),
        *pinned_warnings(),
        *input_warnings,
        *(str(in_content(w)) for w in post_warnings),
    )


def config_warnings(config: Config) -> list[str]:
    warnings = []
    if "://" not in config.base_url:
        warnings.append(
            f"{CONFIG_FILE}: base_url has no host, so feed.xml, sitemap.xml and canonical links "
            "are relative; set it to the site's address, e.g. https://example.com/"
        )
    fixed = "/".join(s for s in config.permalink.split("/") if ":" not in s)
    for segment, portable, why in unportable_segments(fixed):
        warnings.append(f'{CONFIG_FILE}: permalink segment "{segment}" {why}; using "{portable}"')
    return warnings


def in_content(error: SsgError) -> SsgError:
    """Name files from the site folder (content/posts/x.md), as the writer sees them."""
    if isinstance(error, ContentError) and error.path.parts[:1] != ("content",):
        return ContentError(Path("content") / error.path, error.message, error.line)
    return error
