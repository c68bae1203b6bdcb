"""Two versions of ssg on one corpus, runs alternating: which is faster, as ratios.

    python bench/compare.py BEFORE AFTER [--size 10000] [--runs 3] [--long-form]

BEFORE and AFTER are checkouts of this repository (a `git worktree add /tmp/before REV`
is one); each is run with this project's Python and its own `ssg/` first on PYTHONPATH,
on its own copy of the corpus (bench/corpus/N), through every case of cases.py. Runs
alternate between the two, so load on a shared machine falls on both; the report gives
each case's median wall and CPU time and the ratio AFTER / BEFORE.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

from cases import BenchSite, CaseResult, empty_trash, install_layouts, pick_post, run_cases
from run import CORPUS_DIR, CORPUS_STAMP, PROJECT_PYTHON, TRASH_DIR, cpu_model, ensure_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--long-form", action="store_true", help="posts shaped as the real blog's")
    args = parser.parse_args(argv)
    corpus = ensure_corpus(args.size, args.seed, long_form=args.long_form)
    label = f"long-form-{args.size}" if args.long_form else str(args.size)
    variants = {}
    for name, checkout in (("before", args.before), ("after", args.after)):
        site_dir = CORPUS_DIR / f"{label}-{name}"
        if (
            not (site_dir / CORPUS_STAMP).exists()
            or (site_dir / CORPUS_STAMP).read_text() != (corpus / CORPUS_STAMP).read_text()
        ):
            shutil.rmtree(site_dir, ignore_errors=True)
            shutil.copytree(corpus, site_dir, ignore=shutil.ignore_patterns(".ssg-cache"))
        layout = install_layouts(checkout.resolve() / "ssg" / "default_layouts", site_dir)
        out_dir = CORPUS_DIR / "out" / f"compare-{label}-{name}"
        site = BenchSite(site_dir, out_dir, pick_post(site_dir / "content" / "posts"), layout,
                         TRASH_DIR)  # fmt: skip
        # -P: without it `-m` puts the working directory (this checkout) first on sys.path,
        # ahead of PYTHONPATH, and both sides would run this checkout's ssg.
        command = ["env", f"PYTHONPATH={checkout.resolve()}", str(PROJECT_PYTHON), "-P", "-m",
                   "ssg", "build", "-s", str(site_dir), "-d", str(out_dir), "-q"]  # fmt: skip
        variants[name] = (site, command)
    results: dict[str, dict[str, list[CaseResult]]] = {"before": {}, "after": {}}
    try:
        for run in range(args.runs):
            for name, (site, command) in variants.items():
                for case, result in run_cases(site, command, run).items():
                    if not result.measurement.ok:
                        print(f"{name} {case} run {run + 1} failed: "
                              f"{result.measurement.stderr_tail}")  # fmt: skip
                        return 1
                    results[name].setdefault(case, []).append(result)
    finally:
        empty_trash(TRASH_DIR)
    print(f"{label} posts, {args.runs} runs alternating; {os.cpu_count()} CPUs, "
          f"{cpu_model()}; load at end {os.getloadavg()[0]:.2f}\n")  # fmt: skip
    print("| case | before wall s | after wall s | after/before | before CPU s | after CPU s |")
    print("|---|---|---|---|---|---|")
    for case in results["before"]:
        before = statistics.median(r.measurement.wall_s for r in results["before"][case])
        after = statistics.median(r.measurement.wall_s for r in results["after"][case])
        cpu_b = statistics.median(r.measurement.cpu_s for r in results["before"][case])
        cpu_a = statistics.median(r.measurement.cpu_s for r in results["after"][case])
        print(f"| {case} | {before:.2f} | {after:.2f} | {after / before:.2f} | {cpu_b:.2f} "
              f"| {cpu_a:.2f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
