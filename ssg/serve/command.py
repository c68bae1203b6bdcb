"""`ssg serve`: build the site, serve output/ with live reload, rebuild on every save.

The glue between the parts that know the site (config, build, watch) and the
`LiveReloadServer`, which knows only a builder callable and a folder.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from ssg.build.report import BuildReport
from ssg.build.session import BuildSession
from ssg.config import Config, load_config
from ssg.serve.server import LiveReloadServer, ReloadAction
from ssg.serve.watch import Change, ChangeKind, watch_site

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def serve_site(config: Config, host: str = "127.0.0.1", port: int = 8000) -> int:
    """`ssg serve`: build, serve output/, rebuild on changes; returns 0 after Ctrl-C."""
    warn_if_exposed(host)
    # `kill` (or a shell that started us in the background) stops like Ctrl-C, cache saved.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    builder = SiteBuilder(config)
    try:
        server = LiveReloadServer(
            builder, config.output_dir, host, port, mount_path=config.base_path,
            builder_holds_requests=True,
        )  # fmt: skip
        builder.hold_requests = server.hold_requests
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        print(f"  is another `ssg serve` running? try --port {port + 1}", file=sys.stderr)
        return 1
    with server:
        # Requests during the first build get output/ as the last build left it (or a 404
        # page carrying the reload script), and reload when the build is done.
        server.start()
        try:
            # Watch before the first build, so an edit made while it runs is not missed.
            with watch_site(config, lambda changes: server.rebuild(builder.note(changes))):
                server.rebuild()
                print(f"Serving {config.output_dir} at {server.url}  (Ctrl-C to stop)", flush=True)
                wait_forever()
        except KeyboardInterrupt:
            print("\nStopping...", flush=True)
        finally:
            builder.save()
    print("Stopped.", flush=True)
    return 0


class SiteBuilder:
    """The builder `ssg serve` hands the server: a build that re-reads a changed config.yaml.

    Its BuildSession keeps the last build's state in memory (written to `.ssg-cache/` when
    serving stops), so a rebuild after a post edit parses that one file and renders only
    the pages that show it. When every change since the last build is to content/, the
    build is told which files changed, so a body edit needs no scan of the whole site.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.config_changed = False
        self.session = BuildSession(config, long_running=True)
        # Set by serve_site to the server's: requests wait only while output/ is committed.
        self.hold_requests: Callable[[], AbstractContextManager[object]] = nullcontext
        self.pending: set[Change] = set()  # changes since the last build

    def note(self, changes: frozenset[Change]) -> ReloadAction:
        """Record what the coming rebuild must reload; how browsers should apply it."""
        if any(c.kind is ChangeKind.CONFIG for c in changes):
            self.config_changed = True
        self.pending |= changes
        return reload_action(changes)

    def __call__(self) -> BuildReport:
        changes, self.pending = self.pending, set()
        changed = None
        if changes and all(c.kind is ChangeKind.CONTENT for c in changes):
            changed = {c.path for c in changes}
        if self.config_changed:
            changed = None
            self.config = reread_config(self.config)  # a ConfigError shows in the overlay
            self.session.config = self.config
            self.config_changed = False
        report = self.session.build(committing=self.hold_requests, changed=changed)
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(
            f"Built {report.posts} posts: {report.written} files changed "
            f"in {report.seconds * 1000:.0f} ms",
            flush=True,
        )
        return report

    def save(self) -> None:
        warning = self.session.save()
        if warning:
            print(f"warning: {warning}", file=sys.stderr)


def reread_config(old: Config) -> Config:
    """config.yaml again, keeping what the command line chose and the folder being served.

    Folder changes (content_dir, ...) need a restart: the watches are set up once.
    """
    return load_config(
        old.site_dir,
        include_drafts=old.include_drafts,
        include_future=old.include_future,
        build_time=old.build_time,
        output_dir=old.output_dir,
    )


def reload_action(changes: frozenset[Change]) -> ReloadAction:
    """A change to stylesheets alone can be applied without reloading the page."""
    css_only = all(c.kind is ChangeKind.STATIC and c.path.suffix == ".css" for c in changes)
    return "css" if changes and css_only else "reload"


def warn_if_exposed(host: str) -> None:
    if host not in LOOPBACK_NAMES:
        print(
            f"warning: serving on {host}: other machines can read this preview, drafts "
            "included. Use the default --host 127.0.0.1 unless you mean to share it.",
            file=sys.stderr,
        )


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def wait_forever() -> None:
    # Short sleeps rather than one endless wait, so Ctrl-C is delivered promptly everywhere.
    while True:
        time.sleep(0.5)
