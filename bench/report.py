"""Turn measurements into the Markdown report that `make bench` prints."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from cases import CaseResult
from measure import Measurement

HEADER = (
    "| case | wall s, median (min–max) | CPU s | max RSS, largest process "
    "| peak RSS, process tree | files in output | ssg/Hugo |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
)
# Hugo has no cache, so its rebuild is its build: both ratios use that time.
COMPARED_WITH_HUGO = ("cold build", "no-change rebuild")


@dataclass
class SizeReport:
    """Everything measured for one corpus size."""

    posts: int
    corpus_mb: float
    runs: int
    shape: str = ""  # "" for the mixed corpus; "long-form" for the real blog's shape
    ssg: dict[str, list[CaseResult]] = field(default_factory=dict)
    ssg_note: str = ""  # why ssg was not measured, or what was skipped
    # The same cases with some features turned off in config (`features_off` says which).
    ssg_features_off: dict[str, list[CaseResult]] = field(default_factory=dict)
    features_off: str = ""
    hugo: list[CaseResult] = field(default_factory=list)
    hugo_note: str = ""
    markdown: list[tuple[Measurement, float]] = field(default_factory=list)  # (process, render_s)
    markdown_note: str = ""
    # bench/floors.py's results, one per run: the other parts of a build, each alone.
    floors: list[dict[str, float]] = field(default_factory=list)
    floors_note: str = ""
    failures: list[str] = field(default_factory=list)  # make the run exit 1
    warnings: list[str] = field(default_factory=list)  # numbers to distrust, not errors


def corpus_name(size: SizeReport) -> str:
    """`1000`, or `long-form-1100`: the corpus folder's name, and its outputs'."""
    return f"{size.shape}-{size.posts}" if size.shape else str(size.posts)


def mib(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:.0f} MiB"


def median_wall(results: list[CaseResult]) -> float | None:
    ok = [r.measurement.wall_s for r in results if r.measurement.ok]
    return statistics.median(ok) if ok and len(ok) == len(results) else None


def spread(values: list[float]) -> str:
    middle = f"{statistics.median(values):.2f}"
    return middle if len(values) == 1 else f"{middle} ({min(values):.2f}–{max(values):.2f})"


def row(name: str, results: list[CaseResult], ratio: str = "") -> str:
    if not all(r.measurement.ok for r in results):
        codes = sorted({r.measurement.returncode for r in results if not r.measurement.ok})
        return f"| {name} | failed (exit {codes}) | | | | | |"
    ms = [r.measurement for r in results]
    trees = [m.tree_rss_kb for m in ms if m.tree_rss_kb is not None]
    cells = [
        name,
        spread([m.wall_s for m in ms]),
        f"{statistics.median(m.cpu_s for m in ms):.2f}",
        mib(max(m.max_rss_kb for m in ms)),
        mib(max(trees) if trees else None),
        str(results[-1].files),
        ratio,
    ]
    return "| " + " | ".join(cells) + " |"


def hugo_ratio(size: SizeReport, case: str) -> str:
    if case not in COMPARED_WITH_HUGO or not size.hugo:
        return ""
    ssg_s, hugo_s = median_wall(size.ssg[case]), median_wall(size.hugo)
    return f"{ssg_s / hugo_s:.1f}×" if ssg_s and hugo_s else ""


def markdown_row(size: SizeReport) -> str:
    render = spread([render_s for _, render_s in size.markdown])
    process = [m for m, _ in size.markdown]
    return (
        f"| markdown-it-py render only (Pool of all cores) | {render} "
        f"| {statistics.median(m.cpu_s for m in process):.2f} "
        f"| {mib(max(m.max_rss_kb for m in process))} "
        f"| {mib(max((m.tree_rss_kb or 0) for m in process) or None)} | | |"
    )


def format_size(size: SizeReport) -> str:
    lines = [
        f"### {size.posts:,} {size.shape + ' ' if size.shape else ''}posts "
        f"({size.corpus_mb:.1f} MB of Markdown), "
        f"median of {size.runs} run(s)",
        "",
        HEADER,
    ]
    lines += [row(name, results, hugo_ratio(size, name)) for name, results in size.ssg.items()]
    for name, results in size.ssg_features_off.items():
        lines.append(row(f"{name}, with {size.features_off}", results))
    if size.hugo:
        lines.append(row("Hugo build (= its rebuild: no cache)", size.hugo))
    if size.markdown:
        lines.append(markdown_row(size))
    notes = [n for n in (size.ssg_note, size.hugo_note, size.markdown_note, size.floors_note) if n]
    lines += [""] + [f"- {note}" for note in notes]
    lines += [f"- **failed:** {f}" for f in size.failures]
    lines += [f"- **warning:** {w}" for w in size.warnings]
    lines.append(paired_ratios(size))
    if size.ssg_features_off:
        lines.append(features_ratios(size))
    lines.append(share_of_markdown(size))
    lines.append(floors_line(size))
    return "\n".join(lines).rstrip() + "\n"


def paired_ratios(size: SizeReport) -> str:
    """The cold build's ssg/Hugo in each run: the two builds ran minutes apart at most, so
    these move less with the machine's load than a ratio of medians."""
    pairs = list(zip(size.ssg.get("cold build", []), size.hugo, strict=False))
    ratios = [s.measurement.wall_s / h.measurement.wall_s for s, h in pairs
              if s.measurement.ok and h.measurement.ok and h.measurement.wall_s]  # fmt: skip
    if not ratios:
        return ""
    each = ", ".join(f"{r:.2f}" for r in ratios)
    return (f"- cold build ssg/Hugo run by run (ssg's cases, then Hugo): {each}; "
            f"median {statistics.median(ratios):.2f}.")  # fmt: skip


def features_ratios(size: SizeReport) -> str:
    """Each case's median with everything on over its median with `features_off`."""
    ratios = []
    for name, results in size.ssg.items():
        on, off = median_wall(results), median_wall(size.ssg_features_off.get(name, []))
        if on and off:
            ratios.append(f"{name} {on / off:.2f}")
    return f"- ssg as configured / with {size.features_off}: " + "; ".join(ratios)


def share_of_markdown(size: SizeReport) -> str:
    cold = median_wall(size.ssg.get("cold build", []))
    if not cold or not size.markdown:
        return ""
    render = statistics.median(render_s for _, render_s in size.markdown)
    return (
        f"- markdown-it-py alone renders these bodies in {render:.2f} s, "
        f"{render / cold:.0%} of ssg's cold build ({cold:.2f} s); the rest is everything else."
    )


FLOOR_PARTS = {
    "search_keys_s": "search keys",
    "share_images_s": "share images",
    "write_files_s": "writing the output's {files:,} files",
}


def floors_line(size: SizeReport) -> str:
    """The floors' medians, with markdown-it-py's, their sum and that over Hugo's build."""
    if not size.floors or not size.markdown:
        return ""
    parts = {"markdown-it-py": statistics.median(render_s for _, render_s in size.markdown)}
    files = size.floors[-1].get("files", 0)
    for key, name in FLOOR_PARTS.items():
        if all(key in floor for floor in size.floors):
            parts[name.format(files=files)] = statistics.median(f[key] for f in size.floors)
    total = sum(parts.values())
    each = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in parts.items())
    hugo = median_wall(size.hugo)
    versus = f", {total / hugo:.2f}× Hugo's build ({hugo:.2f} s)" if hugo else ""
    return (
        f"- Floors, each part alone on a Pool of all cores with its inputs in memory "
        f"(bench/floors.py, medians): {each}; together {total:.2f} s{versus}."
    )


LEGEND = """\
How to read this:
- wall s: elapsed time of the whole command, interpreter start-up included.
- CPU s: user + system time of the process and every child it reaped (pool workers);
  CPU s above wall s means the build ran on more than one core.
- max RSS, largest process: peak resident memory of the biggest single process in
  the tree (getrusage/wait4 `ru_maxrss`); it does not add up pool workers.
- peak RSS, process tree: the largest sum of RSS over the process and its
  descendants, sampled from /proc every 50 ms; pages that forked workers share
  with their parent count once per process, so this overstates real use.
- each edit case changes one thing on top of the previous case's build, then
  rebuilds; the edited files are restored after each run.
"""


def format_report(machine: list[str], sizes: list[SizeReport]) -> str:
    parts = ["## ssg benchmark", "", *[f"- {line}" for line in machine], ""]
    parts += [format_size(size) for size in sizes]
    parts.append(LEGEND)
    return "\n".join(parts)
