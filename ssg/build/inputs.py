"""The build's first stage: every input listed and stamped, and checked for links that lead
outside the site, before anything is parsed. Enough to tell that nothing changed."""

from __future__ import annotations

from dataclasses import dataclass

from ssg.config import Config
from ssg.content.listing import Found
from ssg.content.sources import (
    SourceFile,
    StaticFiles,
    collect_static,
    list_data,
    list_layouts,
    scan_sources,
)
from ssg.errors import SsgError
from ssg.incremental.freshness import input_digest, other_inputs_digest


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, by stamp: sources, static files, the rest as a digest."""

    files: list[SourceFile]
    statics: StaticFiles
    data: list[Found]  # data/'s files
    others: str | None  # other_inputs_digest: all but content/ (None: a file vanished)
    racy: dict[str, str]  # ... and the bytes of those too new to trust by stamp
    digest: str | None  # all of it
    errors: list[SsgError]  # links that lead outside the site or nowhere
    warnings: tuple[str, ...]  # static/ names changed for Windows


def scan_inputs(config: Config, key: str) -> Inputs:
    files, content_errors = scan_sources(config)
    statics = collect_static(config)
    data, layouts = list_data(config), list_layouts(config)
    listed = [f.path for f in (*layouts.files, *data.files)]
    others, racy = other_inputs_digest(config, key, [*listed, *statics.files.values()])
    errors = [*content_errors, *statics.errors, *data.errors, *layouts.errors]
    warnings = tuple(map(str, statics.warnings))
    return Inputs(files, statics, data.files, others, racy, input_digest(others, files),
                  sorted(errors, key=str), warnings)  # fmt: skip
