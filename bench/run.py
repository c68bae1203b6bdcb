"""Benchmark `ssg build` on generated sites, against Hugo and markdown-it-py alone.

    python bench/run.py [--sizes 1000 10000] [--long-form 1100] [--runs 3] [--no-hugo]

For each size: generate (or reuse) bench/corpus/N, time ssg's build cases
(see cases.py), Hugo's build of the same posts, and markdown-it-py rendering
the same bodies; the same for a corpus shaped like the real blog (`--long-form`
posts of 20–80 KB, bench/corpus/long-form-N); print a Markdown report and write it
to bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import generate
from cases import (
    BenchSite,
    CaseResult,
    count_files,
    empty_trash,
    install_layouts,
    pick_post,
    run_cases,
    set_aside,
)
from hugo_site import ensure_hugo, hugo_build_command, hugo_version, prepare_hugo_site
from measure import run_measured, warm_page_cache
from report import SizeReport, corpus_name, format_report

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
CORPUS_DIR = BENCH_DIR / "corpus"
# Outputs and caches set aside before cold builds, deleted when the benchmark ends.
TRASH_DIR = CORPUS_DIR / ".trash"
RESULTS_FILE = BENCH_DIR / "results" / "latest.md"
PROJECT_PYTHON = REPO_DIR / ".venv" / "bin" / "python"
CORPUS_STAMP = ".bench-corpus.json"
# The same site without the features that cost build time beyond pages and feeds: the
# benchmark measures both, so that their cost is a ratio within one run.
FEATURES_OFF = {"search": "false", "share_images": "false", "related_posts": "0"}
# ... and without the ```chart blocks a tenth of the posts carry (drawing is parse work).
CHART_BLOCK = re.compile(r"^```chart\n.*?^```\n\n", re.MULTILINE | re.DOTALL)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--long-form", type=int, default=1100, metavar="N",
                        help="posts in the real blog's shape (generate.py --long-form); 0: "
                        "none")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument(
        "--no-features-off",
        action="store_true",
        help="skip the build with " + ", ".join(f"{k}: {v}" for k, v in FEATURES_OFF.items()),
    )
    parser.add_argument(
        "--ssg-cmd",
        default=f"{PROJECT_PYTHON} -m ssg",
        help="command that runs ssg (to compare another checkout or a stub)",
    )
    parser.add_argument(
        "--default-layouts",
        type=Path,
        default=REPO_DIR / "ssg" / "default_layouts",
        help="layouts copied into each site, so the layout-edit case has a post.html to edit",
    )
    return parser.parse_args(argv)


def corpus_stamp(count: int, seed: int, long_form: bool = False) -> dict[str, object]:
    # The generator's own hash is part of the stamp, so changing generate.py
    # regenerates the corpus instead of silently reusing stale posts.
    source = Path(generate.__file__).read_bytes()
    stamp = {"count": count, "seed": seed, "generator": hashlib.sha256(source).hexdigest()}
    return {**stamp, "long_form": True} if long_form else stamp


def ensure_corpus(count: int, seed: int, long_form: bool = False) -> Path:
    site_dir = CORPUS_DIR / (f"long-form-{count}" if long_form else str(count))
    stamp_path = site_dir / CORPUS_STAMP
    stamp = corpus_stamp(count, seed, long_form)
    if stamp_path.exists() and json.loads(stamp_path.read_text()) == stamp:
        return site_dir
    shutil.rmtree(site_dir, ignore_errors=True)
    started = time.perf_counter()
    total = generate.write_site(count, site_dir, seed, long_form=long_form)
    print(
        f"generated {count} posts ({total / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )
    stamp_path.write_text(json.dumps(stamp))
    return site_dir


def corpus_megabytes(posts_dir: Path) -> float:
    return sum(p.stat().st_size for p in posts_dir.glob("*.md")) / 1e6


def command_output(cmd: list[str]) -> str:
    """The first line a command prints, or "" if it fails or prints nothing."""
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_DIR)
    except OSError:
        return ""
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if result.returncode == 0 and lines else ""


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def describe_machine(ssg_cmd: list[str], hugo: str) -> list[str]:
    python_version = "import sys; print(sys.version.split()[0])"
    python = command_output([ssg_cmd[0], "-c", python_version]) or "unknown"
    mdit_version = "import markdown_it; print(markdown_it.__version__)"
    mdit = command_output([str(PROJECT_PYTHON), "-c", mdit_version]) or "unknown"
    commit = command_output(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    if command_output(["git", "status", "--porcelain", "--", "ssg"]):
        commit += " plus uncommitted changes in ssg/"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}, ssg commit {commit}",
        f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}",
        f"load average at start: {load} (other work on the machine skews the numbers)",
        f"ssg: `{shlex.join(ssg_cmd)} build -s SITE -d OUT -q`, Python {python}",
        f"markdown-it-py {mdit}",
        f"Hugo: {hugo}",
    ]


def check_ssg(ssg_cmd: list[str]) -> str:
    """Return "" if `ssg build` exists, else why it cannot be benchmarked."""
    try:
        result = subprocess.run([*ssg_cmd, "build", "--help"], capture_output=True, text=True)
    except OSError as error:
        return f"ssg not measured: `{shlex.join(ssg_cmd)}` cannot run ({error})"
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"ssg not measured: `{shlex.join(ssg_cmd)} build --help` failed: {why}"
    return ""


CODE_CHANGED = (
    "ssg/ changed during ssg run {run} (someone edited the working tree): ssg's parse "
    "cache is keyed on its own code, so that run's rebuilds may have re-parsed every "
    "post. Rerun on a quiet tree."
)


def ssg_source_digest() -> str:
    """Hash of this checkout's ssg/ package, to notice edits made while we measure."""
    digest = hashlib.sha256()
    for path in sorted((REPO_DIR / "ssg").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def features_off_copy(site_dir: Path) -> Path:
    """A copy of the corpus at `site_dir` whose config turns FEATURES_OFF off, and whose
    posts have no ```chart blocks."""
    copy = site_dir.with_name(f"{site_dir.name}-features-off")
    stamp = (site_dir / CORPUS_STAMP).read_text() + json.dumps(FEATURES_OFF) + "no charts"
    if not ((copy / CORPUS_STAMP).exists() and (copy / CORPUS_STAMP).read_text() == stamp):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns(".ssg-cache", "layouts"))
        for post in (copy / "content" / "posts").iterdir():
            text = post.read_text(encoding="utf-8")
            if "```chart" in text:
                post.write_text(CHART_BLOCK.sub("", text), encoding="utf-8")
        extra = "".join(f"{key}: {value}\n" for key, value in FEATURES_OFF.items())
        with (copy / "config.yaml").open("a", encoding="utf-8") as config:
            config.write(extra)
        (copy / CORPUS_STAMP).write_text(stamp)
    return copy


class SsgRuns:
    """ssg's build cases on one site, one run at a time (see cases.py)."""

    def __init__(self, size: SizeReport, site_dir: Path, args: argparse.Namespace,
                 results: dict[str, list[CaseResult]] | None = None) -> None:  # fmt: skip
        self.size = size
        self.results = size.ssg if results is None else results
        variant = "" if results is None else f"-{site_dir.name}"
        out_dir = CORPUS_DIR / "out" / f"ssg-{corpus_name(size)}{variant}"
        layout = install_layouts(args.default_layouts, site_dir)
        if layout is None:
            size.ssg_note = f"layout edit not measured: no post.html in {args.default_layouts}"
        self.site = BenchSite(site_dir, out_dir, pick_post(site_dir / "content" / "posts"),
                              layout, TRASH_DIR)  # fmt: skip
        self.build_cmd = [*shlex.split(args.ssg_cmd), "build", "-s", str(site_dir),
                          "-d", str(out_dir), "-q"]  # fmt: skip
        self.versions = {ssg_source_digest()}

    def run(self, run: int) -> None:
        before = ssg_source_digest()
        for name, result in run_cases(self.site, self.build_cmd, run).items():
            self.results.setdefault(name, []).append(result)
            if not result.measurement.ok:
                self.size.failures.append(
                    f"ssg {name}, run {run + 1}: {result.measurement.stderr_tail}"
                )
        if ssg_source_digest() != before:
            self.size.warnings.append(CODE_CHANGED.format(run=run + 1))
        self.versions.add(ssg_source_digest())

    def finish(self) -> None:
        if len(self.versions) > 1:
            self.size.warnings.append("the runs measured more than one version of ssg/")
        note = f"edited post: `{self.site.post.name}`."
        self.size.ssg_note = " ".join(filter(None, [self.size.ssg_note, note]))


class HugoRuns:
    """Hugo's build of the same posts, one run at a time."""

    def __init__(self, size: SizeReport, site_dir: Path, binary: Path) -> None:
        self.size, self.binary = size, binary
        self.hugo_dir = CORPUS_DIR / f"hugo-{corpus_name(size)}"
        self.out_dir = CORPUS_DIR / "out" / f"hugo-{corpus_name(size)}"
        prepare_hugo_site(site_dir / "content" / "posts", self.hugo_dir)
        size.hugo_note = (
            "Hugo builds a copy of the posts in which space-separated `tags:` strings are "
            "rewritten as lists (Hugo would take each string as one tag); it parses all three "
            "date styles (`+0000`, `+0900`, date-only) as they are."
        )

    def run(self, run: int) -> None:
        set_aside(self.out_dir, TRASH_DIR)
        warm_page_cache(self.hugo_dir)
        measurement = run_measured(hugo_build_command(self.binary, self.hugo_dir, self.out_dir))
        self.size.hugo.append(CaseResult(measurement, count_files(self.out_dir)))
        if not measurement.ok:
            self.size.failures.append(f"Hugo run {run + 1}: {measurement.stderr_tail}")


def bench_markdown(size: SizeReport, site_dir: Path, runs: int) -> None:
    script = BENCH_DIR / "markdown_only.py"
    for _ in range(runs):
        warm_page_cache(site_dir / "content" / "posts")
        measurement = run_measured(
            [str(PROJECT_PYTHON), str(script), str(site_dir / "content" / "posts")]
        )
        if not measurement.ok:
            size.markdown_note = f"markdown-it-py alone not measured: {measurement.stderr_tail}"
            return
        size.markdown.append((measurement, json.loads(measurement.stdout)["render_s"]))


def bench_floors(size: SizeReport, site_dir: Path, output_dir: Path, runs: int) -> None:
    """bench/floors.py after the builds, on the output ssg made."""
    script = BENCH_DIR / "floors.py"
    for run in range(runs):
        write_dir = CORPUS_DIR / "out" / f"floor-writes-{corpus_name(size)}-{run}"
        set_aside(write_dir, TRASH_DIR)
        warm_page_cache(site_dir / "content" / "posts")
        warm_page_cache(output_dir)
        command = [str(PROJECT_PYTHON), str(script), str(site_dir), str(output_dir), str(write_dir)]
        measurement = run_measured(command)
        set_aside(write_dir, TRASH_DIR)
        if not measurement.ok:
            size.floors_note = f"floors not measured: {measurement.stderr_tail}"
            return
        size.floors.append(json.loads(measurement.stdout))


def bench_size(count: int, args: argparse.Namespace, ssg_problem: str, hugo: Path | None,
               long_form: bool = False) -> SizeReport:  # fmt: skip
    site_dir = ensure_corpus(count, args.seed, long_form)
    posts_dir = site_dir / "content" / "posts"
    size = SizeReport(posts=count, corpus_mb=corpus_megabytes(posts_dir), runs=args.runs,
                      shape="long-form" if long_form else "")  # fmt: skip
    print(f"{count} {size.shape} posts:", flush=True)
    size.ssg_note = ssg_problem
    ssg = None if ssg_problem else SsgRuns(size, site_dir, args)  # may add its own note
    plain = None
    if ssg and not args.no_features_off and not long_form:  # no charts there to strip
        size.features_off = (
            ", ".join(f"`{k}: {v}`" for k, v in FEATURES_OFF.items()) + ", no charts"
        )
        plain = SsgRuns(size, features_off_copy(site_dir), args, size.ssg_features_off)
    hugo_runs = HugoRuns(size, site_dir, hugo) if hugo is not None else None
    # Alternate the tools, so that a slow spell of this shared machine falls on both
    # (each run's ratio is reported too).
    for run in range(args.runs):
        if ssg:
            ssg.run(run)
        if plain:
            plain.run(run)
        if hugo_runs:
            hugo_runs.run(run)
        print(f"  run {run + 1}/{args.runs} done", flush=True)
    if ssg:
        ssg.finish()
    bench_markdown(size, site_dir, args.runs)
    print("  markdown-it-py done", flush=True)
    if ssg and ssg.site.out_dir.is_dir():
        bench_floors(size, site_dir, ssg.site.out_dir, args.runs)
        print("  floors done", flush=True)
    return size


def compile_ssg(ssg_cmd: list[str]) -> str:
    """Write ssg's bytecode, as `pip install` does, so that runs do not compile its modules
    (this machine sets PYTHONDONTWRITEBYTECODE, which would charge every run ~80 ms)."""
    result = subprocess.run([ssg_cmd[0], "-m", "compileall", "-q", str(REPO_DIR / "ssg")],
                            capture_output=True, text=True)  # fmt: skip
    return "" if result.returncode == 0 else "ssg's bytecode not written: imports compile it"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ssg_cmd = shlex.split(args.ssg_cmd)
    ssg_problem = check_ssg(ssg_cmd)
    compiled = compile_ssg(ssg_cmd)
    hugo, hugo_problem = (None, "skipped (--no-hugo)") if args.no_hugo else ensure_hugo()
    hugo_text = hugo_version(hugo) if hugo else f"not measured: {hugo_problem}"
    machine = describe_machine(ssg_cmd, hugo_text)
    machine.append(compiled or "ssg's bytecode written before the runs, as installed packages have")
    empty_trash(TRASH_DIR)  # left by an interrupted run
    try:
        sizes = [bench_size(count, args, ssg_problem, hugo) for count in args.sizes]
        if args.long_form:
            sizes.append(bench_size(args.long_form, args, ssg_problem, hugo, long_form=True))
    finally:
        empty_trash(TRASH_DIR)
    end_load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    machine.insert(3, f"load average at end: {end_load}")
    report = format_report(machine, sizes)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"(written to {RESULTS_FILE.relative_to(REPO_DIR)})")
    return 1 if ssg_problem or any(size.failures for size in sizes) else 0


if __name__ == "__main__":
    sys.exit(main())
