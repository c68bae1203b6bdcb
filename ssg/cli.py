"""Command line: `ssg build | serve | check | clean | new post | init | import`. Prints
errors, never tracebacks."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from ssg import __version__
from ssg.build.clean import clean_site
from ssg.build.session import BuildSession
from ssg.config import Config, load_config
from ssg.errors import SsgError
from ssg.importers import GENERATORS

if TYPE_CHECKING:
    from ssg.build.report import BuildReport
    from ssg.check.command import CheckReport

# Each command imports what only it uses (check, import, init, new, serve) when it runs:
# `ssg build` with nothing to do is mostly Python's start-up and these imports.


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssg", description="Build a Japanese blog.")
    parser.add_argument("--version", action="version", version=f"ssg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the site into output/")
    _site_options(b)
    b.add_argument("--base-url", help="override base_url from config.yaml")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    b.add_argument("--no-cache", action="store_true", help="ignore and keep no .ssg-cache/")
    s = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change")
    _site_options(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    k = commands.add_parser("check", help="check content, layouts and the built site's links")
    _site_options(k)
    c = commands.add_parser("clean", help="remove output/, .ssg-cache/ and staging folders")
    c.add_argument("-s", "--site", type=Path, default=Path("."), help="site folder")
    c.add_argument("-d", "--output", type=Path, help="output folder (default: SITE/output)")
    n = commands.add_parser("new", help="create content")
    n.add_argument("kind", choices=["post"])
    n.add_argument("title")
    n.add_argument("--slug", help="file-name slug (default: from the title)")
    n.add_argument("-s", "--site", type=Path, default=Path("."), help="site folder")
    i = commands.add_parser("init", help="create a new site")
    i.add_argument("directory", type=Path)
    m = commands.add_parser("import", help="make a new site from a Jekyll or Hugo site")
    m.add_argument("generator", choices=GENERATORS)
    m.add_argument("source", type=Path, help="the old site's folder")
    m.add_argument("-s", "--site", type=Path, required=True, help="new site folder (new or empty)")
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--site", type=Path, default=Path("."), help="site folder")
    parser.add_argument("--drafts", action="store_true", help="include draft posts")
    parser.add_argument("--future", action="store_true", help="include future-dated posts")
    parser.add_argument("-d", "--output", type=Path, help="output folder (default: SITE/output)")


def run() -> NoReturn:
    """The `ssg` command: main(), then exit without tearing the interpreter down.

    A build of 10,000 posts leaves a large heap behind (the layouts' environment holds the
    site), and freeing it object by object at exit takes ~0.15 s of every rebuild the
    writer waits for; the operating system reclaims it at once. Files are all closed by
    then and worker pools joined, so only the standard streams need flushing.
    """
    code = main()
    if sys.gettrace() or sys.getprofile():
        sys.exit(code)  # a profiler or coverage writes its data at exit
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run_command(make_parser().parse_args(argv))
    except SsgError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run_command(args: argparse.Namespace) -> int:
    if args.command == "init":
        from ssg.scaffold import init_site

        for path in init_site(args.directory, datetime.now().astimezone()):
            print(path)
        return 0
    if args.command == "new":
        from ssg.scaffold import new_post

        print(new_post(load_config(args.site), args.title, args.slug))
        return 0
    if args.command == "clean":
        return run_clean(load_config(args.site), args.output)
    if args.command == "import":
        return run_import(args.generator, args.source, args.site)
    config = load_config(
        args.site,
        include_drafts=args.drafts,
        include_future=args.future,
        output_dir=getattr(args, "output", None) and args.output.resolve(),
        base_url=getattr(args, "base_url", None),
    )
    if args.command == "serve":
        from ssg.serve.command import serve_site

        return serve_site(config, host=args.host, port=args.port)
    if args.command == "check":
        return run_check(config)
    return run_build(config, quiet=args.quiet, use_cache=not args.no_cache)


def run_build(config: Config, quiet: bool = False, use_cache: bool = True) -> int:
    stream = sys.stderr
    progress = LiveProgress(stream) if stream.isatty() and not quiet else None
    session = BuildSession(config, use_cache=use_cache)
    try:
        report = session.build(progress=progress)
    finally:
        # Kept after a failed build too: the next one parses only the files fixed since.
        cache_warning = session.save()
        if progress:
            progress.clear()
        if cache_warning:
            print(f"warning: {cache_warning}", file=stream)
    if not quiet:
        for warning in report.warnings:
            print(f"warning: {warning}", file=stream)
        print(summary_line(report), file=sys.stdout)
    return 0


def run_import(generator: str, source: Path, target: Path) -> int:
    from ssg.importers.command import import_site

    site, missing, line = import_site(generator, source, target)
    for note in site.report.notes:
        if note.kind == "reported":  # the rest are in the report file
            print(f"warning: {note}", file=sys.stderr)
    for url in missing:
        print(f"error: {url}: served by the old site, missing from the new one", file=sys.stderr)
    print(line)
    return 1 if missing else 0


def run_check(config: Config) -> int:
    from ssg.check.command import check_site

    report = check_site(config)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    for broken in report.broken:
        print(f"error: {broken}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.unchecked:
        print(f"warning: links not checked: {report.unchecked}", file=sys.stderr)
    print(check_summary(report))
    return 1 if report.failed else 0


def check_summary(report: CheckReport) -> str:
    links = f"the links of {report.pages} pages" if report.unchecked is None else "no links"
    found = [
        _count(len(report.errors), "error"),
        _count(len(report.broken), "broken link"),
        _count(len(report.warnings), "warning"),
    ]
    problems = ", ".join(f for f in found if f) or "no problems"
    return (f"checked {report.documents} posts and pages, {links}: {problems} "
            f"in {report.seconds:.2f} s")  # fmt: skip


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}" if number else ""


def run_clean(config: Config, output: Path | None) -> int:
    cleaning = clean_site(config, output)
    for removed in cleaning.removed:
        print(f"removed {removed}")
    for kept in cleaning.kept:
        print(f"kept {kept}")
    for refused in cleaning.refused:
        print(f"error: {refused}", file=sys.stderr)
    if not (cleaning.removed or cleaning.kept or cleaning.refused):
        print("nothing to remove")
    return 1 if cleaning.refused else 0


def summary_line(report: BuildReport) -> str:
    warnings = f", {len(report.warnings)} warnings" if report.warnings else ""
    return (
        f"built {report.posts} posts, {report.pages} pages, {report.files} files "
        f"({report.written} changed){warnings} in {report.seconds:.2f} s"
    )


class LiveProgress:
    """`parse 300/1000` on one terminal line, shown only once a build passes a second."""

    def __init__(self, stream: TextIO, delay: float = 1.0) -> None:
        self.stream, self.started, self.delay = stream, time.monotonic(), delay
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.delay:
            return
        self.stream.write(f"\r\033[K{stage} {done}/{total}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
