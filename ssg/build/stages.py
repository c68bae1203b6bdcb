"""The stages after the inputs: parse posts -> plan pages -> render what changed -> commit
output/ (ssg.build.pipeline runs them, when the inputs show anything to do).

A build failing here hands back what did parse, and claims no inputs; after body-only
edits the last build's plan is kept and just the pages showing them are rendered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssg.build.inputs import Inputs
from ssg.build.parse import ParsedSources, parse_one, parse_sources
from ssg.build.plan import (
    LastSearch,
    Plan,
    make_model,
    plan_edits,
    plan_site,
    plan_view_edits,
)
from ssg.build.report import Progress, build_warnings
from ssg.build.write import Written, write_plan
from ssg.config import Config
from ssg.content.listing import Found
from ssg.content.post import Parsed, Post
from ssg.content.sources import StaticFiles, read_data
from ssg.content.tickers import TICKERS_DATA
from ssg.errors import BuildFailed, SsgError
from ssg.incremental.edits import body_edits, changed_sources, metadata_unchanged, pages_to_render
from ssg.incremental.fingerprints import KnownClosures
from ssg.incremental.freshness import next_clock_change, outputs_intact, racy_files_unchanged
from ssg.incremental.site_model import SiteModel
from ssg.incremental.state import BuildState, warnings_of
from ssg.render.share_images import prune_cache
from ssg.render.templates import prune_layout_code
from ssg.site.pages import SHARE_IMAGE_RENDERER
from ssg.site.search import SearchIndex

if TYPE_CHECKING:
    from ssg.build.pipeline import Committing


def parse_plan_write(config: Config, last: BuildState, inputs: Inputs, progress: Progress,
                     committing: Committing, hold_model: bool = True
                     ) -> tuple[BuildState, Written]:  # fmt: skip
    """Parse what changed, plan, render and commit; the new state. Raises BuildFailed with
    every problem, and with the state of what did parse.

    `hold_model`: the caller keeps the state for more builds (`ssg serve`): it needs the
    site's model, which a body edit may otherwise skip making (the cache's view is enough)."""
    data, sources = _parse_all(config, inputs, last, progress)

    def failed() -> BuildState:  # what did parse, for the next build (it claims no inputs)
        parsed_so_far = {**dict(last.parsed.items()), **sources.parsed}
        return dataclasses.replace(last, parsed=parsed_so_far, stamps=sources.stamps,
                                   inputs="", others="", model=None, view=None)  # fmt: skip

    if sources.errors:
        problems = [*sources.errors, *plan_problems(config, sources, data, inputs.statics)]
        raise BuildFailed(problems, state=failed())
    # Then render what changed, and commit.
    try:
        plan, written = _plan_and_write(config, last, inputs, sources, data, progress, committing,
                                        hold_model)  # fmt: skip
    except BuildFailed as failure:
        raise BuildFailed(failure.errors, state=failed()) from None
    return _next_state(config, last, inputs, sources, plan, written), written


def _parse_all(config: Config, inputs: Inputs, last: BuildState, progress: Progress
               ) -> tuple[dict[str, Any], ParsedSources]:  # fmt: skip
    """data/ and every source; the errors of all together: links first, then data's."""
    data, errors = read_data_checked(inputs.data)
    sources = parse_sources(config, inputs.files, last, progress, known_tickers(data))
    errors = [*inputs.errors, *errors, *sources.errors]
    return data, dataclasses.replace(sources, errors=errors)


def _plan_and_write(config: Config, last: BuildState, inputs: Inputs, sources: ParsedSources,
                    data: Mapping[str, Any], progress: Progress, committing: Committing,
                    hold_model: bool) -> tuple[Plan, Written]:  # fmt: skip
    """The last build's plan after body-only edits (only content/ changed), else a new one."""
    # Layouts, config and ssg as the last build had them (by stamp, and by bytes for files
    # saved too recently to trust their stamp): what each layout reads is known.
    same_others = (bool(inputs.others) and inputs.others == last.others
                   and racy_files_unchanged(last.racy))  # fmt: skip
    closures = last.closures if same_others else {}
    if same_others:
        plan = _plan_body_edits(config, last, sources, data, inputs.statics, closures,
                                hold_model)  # fmt: skip
        written = _write_kept_plan(plan, last, progress, committing) if plan is not None else None
        if plan is not None and written is not None:
            return plan, written
    documents = [p.post for p in sources.parsed.values()]
    plan = plan_site(config, documents, data, inputs.statics, last_search(last),
                     last.related_places(), closures)  # fmt: skip
    previous = last.outputs_in(str(config.output_dir))
    written = write_plan(plan, previous, progress, committing)
    # A full plan knows every share image the site has: the cache keeps just those.
    prune_cache(config, {p.context["digest"] for p in plan.model.pages
                         if p.template == SHARE_IMAGE_RENDERER})  # fmt: skip
    prune_layout_code(plan.model.deps.env)
    return plan, written


def plan_problems(config: Config, sources: ParsedSources, data: Mapping[str, Any],
                  statics: StaticFiles) -> list[SsgError]:  # fmt: skip
    """The path collisions and missing layouts among the files that did parse, so that a
    build with content errors reports those too, all at once (an import that clashes
    and has a bad date is fixed in one round)."""
    documents = [p.post for p in sources.parsed.values()]
    try:  # planning only: no search index, no share images to find
        plan_site(dataclasses.replace(config, search=False, share_images=False), documents,
                  data, statics)  # fmt: skip
    except BuildFailed as failed:
        return list(failed.errors)
    return []


def _next_state(config: Config, last: BuildState, inputs: Inputs, sources: ParsedSources,
                plan: Plan, written: Written) -> BuildState:  # fmt: skip
    valid_until = last.valid_until  # a kept plan: the same posts, dates and layouts
    model, view, related = plan.model, None, plan.model.related
    if plan.from_view:  # a model of the edited pages only: the cache's view stays valid
        model, view, related = None, last.view, last.related  # type: ignore[assignment]
    if plan.candidates is None:
        posts = [p.post for p in sources.parsed.values()]
        valid_until = next_clock_change(config, posts, written.reads_clock)
    return BuildState(
        key=last.key,
        output_dir=str(config.output_dir),
        stamps=sources.stamps,
        parsed=sources.parsed,
        outputs=written.outputs,
        inputs=inputs.digest or "",
        others=inputs.others or "",
        racy=inputs.racy,
        racy_texts=sources.racy_texts,
        closures=plan.model.deps.closures(),
        valid_until=valid_until,
        summary=_summary(config, plan.model, sources.parsed, inputs.warnings),
        input_warnings=inputs.warnings,
        model=model,
        search=_search_of(plan.model),
        related=related,
        view=view,
    )


def _plan_body_edits(config: Config, last: BuildState, sources: ParsedSources,
                     data: Mapping[str, Any], statics: StaticFiles, closures: KnownClosures,
                     hold_model: bool) -> Plan | None:  # fmt: skip
    """The last build's plan with the edited posts in it, when only post bodies changed
    since (the same files, the same metadata, output/ as it was left); else None.

    Without a model (a new process), and not asked to hold one, the cache's view of the
    last planned site gives the pages to render: no model made, few posts read."""
    if not last.outputs_in(str(config.output_dir)):
        return None
    changed = changed_sources(last, sources.stamps)
    if not changed or not metadata_unchanged(last, sources.stamps, sources.parsed, changed):
        return None
    if not outputs_intact(config.output_dir, last.outputs):
        return None  # the full plan finds and rewrites what was touched
    edits = {rel: sources.parsed[sources.stamps[rel][2]] for rel in changed}
    cached = last.cached_view() if last.model is None and not hold_model else None
    if cached is not None:
        if last.valid_until and config.now >= last.valid_until:
            return None

        def old_post(rel: str) -> Post:
            return last.parsed[last.stamps[rel][2]].post

        new = {rel: parsed.post for rel, parsed in edits.items()}
        return plan_view_edits(config, cached, new, old_post, last.search_index, closures)
    posts = [p.post for p in last.parsed.values()]
    model = last.model or make_model(config, posts, data, statics.files.keys(), last_search(last),
                                     last.related_places(), closures)  # fmt: skip
    return _plan_for(config, last, model, edits)


def _plan_for(config: Config, last: BuildState, model: SiteModel,
              edits: Mapping[str, Parsed]) -> Plan | None:  # fmt: skip
    posts = body_edits(config, last, model, edits)
    if posts is None:
        return None
    edited = model.with_edits(posts)
    if edited is None:
        return None
    return plan_edits(edited, [*pages_to_render(edited, posts), *edited.search_pages_changed()])


def _write_kept_plan(plan: Plan, last: BuildState, progress: Progress,
                     committing: Committing) -> Written | None:  # fmt: skip
    try:
        return write_plan(plan, last.outputs, progress, committing)
    except BuildFailed:
        return None  # the full plan reports it, for every page it concerns


def build_watched_edits(config: Config, last: BuildState, model: SiteModel,
                         changed: Collection[Path], progress: Progress,
                         committing: Committing) -> tuple[Written, BuildState] | None:  # fmt: skip
    """The preview server's case: the watcher names the saved files, so nothing else is
    scanned. Only for body edits of posts the model has; None sends the build the usual way."""
    if not last.others or not last.outputs_in(str(config.output_dir)):
        return None
    found: dict[str, tuple[Parsed, tuple[int, int, str]]] = {}
    for path in set(changed):
        try:
            rel = path.relative_to(config.content_dir).as_posix()
        except ValueError:
            return None
        if rel not in model.posts_by_source:
            return None  # a new file, a draft, a page: the full build decides
        one = parse_one(config, rel, last.key, last.parsed, known_tickers(model.site.data))
        if one is None:
            return None
        found[rel] = one
    plan = _plan_for(config, last, model, {rel: parsed for rel, (parsed, _) in found.items()})
    written = _write_kept_plan(plan, last, progress, committing) if plan else None
    if plan is None or written is None:
        return None
    parsed = dict(last.parsed.items())
    for rel, (new, stamp) in found.items():
        parsed.pop(last.stamps[rel][2], None)
        parsed[stamp[2]] = new
    stamps = {**last.stamps, **{rel: stamp for rel, (_new, stamp) in found.items()}}
    racy_texts = {rel: text for rel, text in last.racy_texts.items() if rel not in found}
    state = dataclasses.replace(
        last, stamps=stamps, racy_texts=racy_texts, parsed=parsed, outputs=written.outputs,
        model=plan.model, search=_search_of(plan.model), related=plan.model.related,
        inputs="",  # the next `ssg build` checks every file again
        summary=_summary(config, plan.model, parsed, last.input_warnings),
    )  # fmt: skip
    return written, state


def last_search(last: BuildState) -> LastSearch:
    """The last build's search index to patch, with its posts (they hold their keys)."""

    def post(digest: str) -> Post | None:
        parsed = last.parsed.get(digest)
        return parsed.post if parsed is not None else None

    return LastSearch(last.search_index(), post)


def _search_of(model: SiteModel) -> SearchIndex | None:
    return model.search.index if model.search is not None else None


def known_tickers(data: Mapping[str, Any]) -> frozenset[str]:
    """The symbols data/tickers.yaml lists (read_data normalised them): `$SYMBOL` links."""
    table = data.get(TICKERS_DATA)
    return frozenset(table) if isinstance(table, Mapping) else frozenset()


def read_data_checked(files: list[Found]) -> tuple[dict[str, Any], list[SsgError]]:
    """data/'s files, and their errors: reported with the content's, in one build."""
    try:
        return read_data(files), []
    except BuildFailed as failed:
        return {}, list(failed.errors)


def _summary(config: Config, model: SiteModel, parsed: Mapping[str, Parsed],
             input_warnings: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:  # fmt: skip
    site = model.site
    warnings = build_warnings(config, warnings_of(parsed), input_warnings)
    return (len(site.posts), len(site.pages), warnings)
