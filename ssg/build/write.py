"""Render what changed and commit it: the one place a build writes output/.

Each candidate page gets a fingerprint (ssg.incremental.fingerprints); a page whose
fingerprint and file are as the last build left them is kept, the rest are rendered into
the staging folder, and only when every one of them rendered does output/ change.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ssg.build.output import OutputError, OutputWriter, Stamp, stage_bytes, stage_link
from ssg.build.plan import HIGHLIGHT_CSS, Plan
from ssg.build.report import Progress
from ssg.errors import BuildFailed
from ssg.incremental.keys import Output
from ssg.incremental.outputs import PackedOutputs
from ssg.markdown.parser import highlight_css
from ssg.render.share_images import CachedFile, NewCachedFile, keep_staged
from ssg.render.templates import Rendered, RenderError, render_pages, summarize_render_errors
from ssg.site.pages import OutputPage


@dataclass(frozen=True)
class Written:
    """What writing a plan did."""

    outputs: Mapping[str, Output]  # every file now in output/, for the next build to check
    written: int  # files new or changed
    rendered: int  # pages rendered (the rest were known to be current)
    reads_clock: bool  # a layout reads `now`


def write_plan(plan: Plan, previous: Mapping[str, Output], progress: Progress,
               committing: Callable[[], AbstractContextManager[object]]) -> Written:  # fmt: skip
    """Render the plan's changed pages into staging; commit to output/ only if all of them
    rendered. `previous`: the files the last build wrote into this output folder."""
    model = plan.model
    output_dir = model.site.config.output_dir
    writer = OutputWriter(output_dir, previous=previous.keys() if previous else None)
    indexes = range(len(model.pages)) if plan.candidates is None else plan.candidates
    pages = [model.page(i) for i in indexes]
    paths = [page.output_path for page in pages]
    fingerprints: dict[str, str] = {}
    if previous:
        fingerprints = dict(zip(paths, map(model.deps.fingerprint, pages), strict=True))
    try:
        todo: list[tuple[str, OutputPage]] = []
        for path, page in zip(paths, pages, strict=True):
            if previous and is_current(str(output_dir), path, fingerprints[path], previous):
                writer.keep(path)
            else:
                todo.append((path, page))
        reserved = [writer.reserve(path) for path, _page in todo]
        # With no output folder yet there is no file to compare a page with.
        compare_with = output_dir if output_dir.is_dir() else None
        stage = partial(_stage_page, compare_with, writer.staging_dir, reserved)
        errors: list[RenderError] = []
        rendering = render_pages(model.deps.env, model.site, [p for _, p in todo], stage)
        # Closed on the way out, whatever ends the loop (Ctrl-C included): the workers stop
        # before the staging folder is removed, so none of them makes it again.
        with closing(rendering):
            for done, (page, staged) in enumerate(rendering, start=1):
                if not previous:
                    # Nothing to compare with: every page renders, and this process works
                    # out the fingerprints for the next build while the workers render.
                    fingerprints[todo[done - 1][0]] = model.deps.fingerprint(page)
                if isinstance(staged, RenderError):
                    errors.append(staged)
                else:
                    writer.staged(reserved[done - 1], *staged)
                if done % 500 == 0 or done == len(todo):
                    progress("render", done, len(todo))
        if errors:
            raise BuildFailed(summarize_render_errors(errors))
        _copy_files(writer, plan)
    except OSError as exc:  # a full or read-only disk, most likely
        writer.abort()
        where = exc.filename or writer.staging_dir
        raise OutputError(f"{where}: cannot write: {exc.strerror}; "
                          f"{output_dir.name}/ is as the last build left it") from exc  # fmt: skip
    except BaseException:
        writer.abort()
        raise
    with committing():
        # After body edits only the candidates were planned: the other files stay.
        writer.commit(remove_stale=plan.candidates is None)
    written = writer.written_stamps(fingerprints)
    outputs: Mapping[str, Output]
    if plan.candidates is not None and isinstance(previous, PackedOutputs):
        outputs = previous.updated(written)  # 100,000s of entries kept as they are packed
    elif plan.candidates is not None:
        outputs = {**previous, **written}
    else:
        outputs = {path: previous[path] for path in writer.planned if path in previous}
        outputs.update(written)
    return Written(outputs, writer.written, len(todo), model.deps.reads_clock())


def is_current(output_dir: str, path: str, fingerprint: str,
               previous: Mapping[str, Output]) -> bool:  # fmt: skip
    """The page's inputs are unchanged and its file is as the last build left it."""
    known = previous.get(path)
    if known is None or known[0] != fingerprint:
        return False
    try:
        stat = os.stat(os.path.join(output_dir, path))
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == known[1:]


def _stage_page(output_dir: Path | None, staging_dir: Path, reserved: list[str], index: int,
                page: OutputPage, rendered: Rendered) -> tuple[bool, Stamp]:  # fmt: skip
    # Runs in the render workers: each stages its own pages, in parallel.
    rel = reserved[index]
    target = output_dir / rel if output_dir is not None else None
    if isinstance(rendered, CachedFile):
        return stage_link(target, staging_dir / rel, rendered.path)
    if isinstance(rendered, NewCachedFile):
        written, stamp = stage_bytes(target, staging_dir / rel, rendered.data)
        keep_staged(staging_dir / rel if written or target is None else target, rendered)
        return written, stamp
    data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    return stage_bytes(target, staging_dir / rel, data)


def _copy_files(writer: OutputWriter, plan: Plan) -> None:
    if plan.highlight_css:
        writer.add(HIGHLIGHT_CSS, highlight_css().encode("utf-8"))
    for rel, path in plan.statics.items():
        writer.add_file(rel, path)
