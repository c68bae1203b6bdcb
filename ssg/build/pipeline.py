"""The build, as a pipeline of stages:

    scan inputs -> parse posts -> plan pages -> render what changed -> commit output/

One function, whoever calls it: `ssg build` hands it the state saved by the last command,
`ssg serve` the state of its last build, kept in memory, and `--no-cache` none at all.
It returns the new state and never changes the one it was given.

First every file is read and checked (all errors reported together); only then is anything
rendered, and only when every page rendered is output/ touched. With a previous state, a
rebuild parses only changed files and renders only pages whose inputs changed; after
body-only edits it keeps the last build's plan and renders just the pages showing them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from ssg.build.inputs import scan_inputs
from ssg.build.output import check_output_dir, finish_interrupted_commits
from ssg.build.report import BuildReport, Progress
from ssg.config import Config
from ssg.incremental.freshness import OutputsCheck, is_up_to_date
from ssg.incremental.keys import parse_settings_key
from ssg.incremental.state import BuildState, StaleCache

if TYPE_CHECKING:
    from ssg.build.write import Written

Committing = Callable[[], AbstractContextManager[object]]


def build(
    config: Config,
    previous: BuildState | None = None,
    progress: Progress | None = None,
    committing: Committing = nullcontext,
    changed: Collection[Path] | None = None,
    hold_model: bool = True,
) -> tuple[BuildReport, BuildState]:
    """Build the site into config.output_dir; raise BuildFailed listing every problem.

    `committing` wraps the moment files move into output/ (the preview server holds
    requests only then). `changed`: the content files a watcher saw change since
    `previous` was built, when nothing else changed; a hint, never trusted blindly.
    `hold_model`: the state returned will build again in this process (it then holds the
    site's model); a one-off build after body edits may skip making it.
    """
    started = time.perf_counter()
    report = progress or _no_progress
    check_output_dir(config)
    finish_interrupted_commits(config.output_dir)  # a killed build's, before anything reads
    key = parse_settings_key(config)
    last = previous if previous is not None and previous.key == key else BuildState(key=key)
    if changed is not None and last.model is not None:
        from ssg.build.stages import build_watched_edits  # loaded: the server has a model

        watched = build_watched_edits(config, last, last.model, changed, report, committing)
        if watched is not None:
            return _report(watched[1], watched[0], started), watched[1]
    # First gather and check everything, so that all errors are known before any write;
    # on a large site, a forked process checks most of output/ meanwhile.
    with OutputsCheck(config.output_dir, last.outputs, child_share=0.75) as outputs:
        inputs = scan_inputs(config, key)
        unchanged = not inputs.errors and is_up_to_date(config, last, inputs.files,
                                                        inputs.digest, outputs)  # fmt: skip
    if unchanged:
        return _report(last, None, started), last
    # Imported only now: the parsers, layouts and image drawing are most of ssg's start-up
    # time, and a build with nothing to do (above) needs none of them.
    from ssg.build.stages import parse_plan_write

    try:
        state, written = parse_plan_write(config, last, inputs, report, committing, hold_model)
    except StaleCache:  # a cache file lost posts it should hold: build as if it had none
        last = BuildState(key=key)
        state, written = parse_plan_write(config, last, inputs, report, committing, hold_model)
    return _report(state, written, started), state


def _report(state: BuildState, written: Written | None, started: float) -> BuildReport:
    posts, pages, warnings = state.summary
    return BuildReport(
        posts=posts,
        pages=pages,
        files=len(state.outputs),
        written=written.written if written else 0,
        rendered=written.rendered if written else 0,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def _no_progress(stage: str, done: int, total: int) -> None:
    pass
