"""The preview server: serves a folder, reloads browsers after rebuilds, shows build errors.

`LiveReloadServer` follows mkdocs' shape: it is handed a `builder` callable and knows nothing
about posts. A failed build keeps the last good site and overlays its errors on every page
(Zola's error injection). The pieces it is made of:

    http_files.py   request target -> file under the folder -> Response
    livereload.py   the reload script and error overlay added to HTML pages
    httpd.py        the threaded socket server, and which Host headers name it
    command.py      `ssg serve`: config, build and watcher wired to this server
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Literal

from ssg.errors import BuildFailed, SsgError
from ssg.serve.http_files import (
    HTML,
    NOT_FOUND_PAGE,
    BadRequest,
    Response,
    content_type,
    int_param,
    read_file,
    redirect,
    resolve_in_root,
    split_target,
)
from ssg.serve.httpd import (
    HEAD_TIMEOUT,
    MAX_CONNECTIONS,
    WILDCARD_HOSTS,
    Client,
    allowed_hosts,
    is_ip_host,
    make_httpd,
)
from ssg.serve.livereload import RELOAD_PATH, inject

ReloadAction = Literal["reload", "css"]


class BuildGate:
    """Requests share the site; a build has it alone, and waiting builds go first.

    A request reads its file entirely before or after a build, never during one, so it
    gets the complete old or new page even if the builder rewrites files in place.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._building = False
        self._builds_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not (self._building or self._builds_waiting))
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def building(self) -> Iterator[None]:
        with self._cond:
            self._builds_waiting += 1
            self._cond.wait_for(lambda: not (self._building or self._readers))
            self._builds_waiting -= 1
            self._building = True
        try:
            yield
        finally:
            with self._cond:
                self._building = False
                self._cond.notify_all()


class LiveReloadServer:
    """Serves `root` on host:port; `rebuild()` runs `builder` and tells browsers to reload.

    The socket is bound on construction (so a busy port fails fast); `start()` begins serving.
    """

    def __init__(
        self,
        builder: Callable[[], object],
        root: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        poll_timeout: float = 20.0,
        mount_path: str = "/",
        builder_holds_requests: bool = False,
        head_timeout: float = HEAD_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.builder = builder
        # A builder that writes root only at the end (ssg's build stages everything, then
        # commits) holds requests itself, via hold_requests(), for just that moment; any
        # other builder is assumed to write as it goes, so requests wait for all of it.
        self.builder_holds_requests = builder_holds_requests
        self._build_lock = threading.Lock()  # never two builds at once
        self.root = root.resolve()
        # The site's base path (base_url "https://x.example/blog/" gives "/blog/"), so its
        # links work in the preview as they will when published.
        self.mount_path = "/" + mount_path.strip("/") + "/" if mount_path.strip("/") else "/"
        self.host = host
        self.poll_timeout = poll_timeout
        self.errors: tuple[str, ...] = ()
        # Starting from the clock makes a restarted server's epoch differ from the old one's,
        # so open tabs reload instead of keeping a page from before the restart.
        self.epoch = int(time.time())
        self._last_full_reload = self.epoch
        self._state = threading.Lock()  # epoch, errors, _closing and _pollers
        self._closing = False
        self._pollers: set[threading.Event] = set()  # set when the epoch moves on
        self._gate = BuildGate()
        self._httpd = make_httpd(
            self, host, port, head_timeout=head_timeout, max_connections=max_connections
        )
        self.port: int = self._httpd.server_address[1]
        self._allowed_hosts = allowed_hosts(host, self.port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        # Bound to every interface, the loopback address is the one that surely works here.
        shown = "127.0.0.1" if self.host in WILDCARD_HOSTS else self.host
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{self.port}{self.mount_path}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving, release waiting long-polls and free the port."""
        with self._state:
            self._closing = True
            self._wake_pollers()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
        self._httpd.server_close()

    def __enter__(self) -> LiveReloadServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def hold_requests(self) -> AbstractContextManager[None]:
        """While inside, requests wait: files under root are being replaced."""
        return self._gate.building()

    def rebuild(self, action: ReloadAction = "reload") -> bool:
        """Run the builder while requests wait; True if it succeeded. Never raises."""
        holding = nullcontext() if self.builder_holds_requests else self._gate.building()
        with self._build_lock, holding:
            errors = run_builder(self.builder)
            with self._state:
                # Clearing an overlay needs a full reload even after a CSS-only change.
                if errors or self.errors or action == "reload":
                    self._last_full_reload = self.epoch + 1
                self.errors = errors
                self.epoch += 1
                self._wake_pollers()
        report_errors(errors)
        return not errors

    def respond(
        self, target: str, headers: Mapping[str, str], client: Client | None = None
    ) -> Response:
        """The response to a GET (or HEAD) of `target`; the pure core of the request handler.

        `client` lets a long-poll end early when the browser goes away.
        """
        try:
            self._check_host(headers)
            path, query = split_target(target)
            if path == RELOAD_PATH:
                return self._poll(query, headers, client)
            return self._serve_file(path, query)
        except BadRequest as refused:
            return Response(refused.status, f"{refused.status} {refused}\n".encode())

    def _check_host(self, headers: Mapping[str, str]) -> None:
        # DNS-rebinding defence: a page on evil.example resolved to 127.0.0.1 still sends
        # "Host: evil.example", so only our own names are answered.
        if not self._is_own_host(headers.get("Host") or ""):
            raise BadRequest(403, "forbidden host; open the URL `ssg serve` printed")

    def _is_own_host(self, host: str) -> bool:
        host = host.strip().lower()
        return host in self._allowed_hosts or is_ip_host(host, self.host, self.port)

    def _check_poll_origin(self, headers: Mapping[str, str]) -> None:
        # The page's own script never needs another origin; refusing it keeps other sites
        # from watching our rebuilds.
        origin = headers.get("Origin")
        if origin is not None and not (
            origin.lower().startswith("http://") and self._is_own_host(origin[len("http://") :])
        ):
            raise BadRequest(403, "forbidden origin")
        if headers.get("Sec-Fetch-Site") == "cross-site":
            raise BadRequest(403, "forbidden cross-site request")

    def _poll(self, query: str, headers: Mapping[str, str], client: Client | None) -> Response:
        """Answer once the epoch differs from the page's (or after poll_timeout)."""
        self._check_poll_origin(headers)
        seen = int_param(query, "epoch")
        # Each poll waits on its own Event, so a client hanging up wakes only its own thread.
        wake = threading.Event()
        with self._state:
            must_wait = self.epoch == seen and not self._closing
            if must_wait:
                self._pollers.add(wake)
        if must_wait:
            try:
                with nullcontext() if client is None else client.watched(wake.set):
                    wake.wait(self.poll_timeout)
            finally:
                with self._state:
                    self._pollers.discard(wake)
        with self._state:
            full = seen < self._last_full_reload or seen > self.epoch
            message = {"epoch": self.epoch, "action": "reload" if full else "css"}
        return Response(200, json.dumps(message).encode(), "application/json")

    def _wake_pollers(self) -> None:
        for wake in self._pollers:
            wake.set()

    def _serve_file(self, path: str, query: str) -> Response:
        inner = self._unmount(path)
        if inner is None and path in ("/", self.mount_path.rstrip("/")):
            return redirect(self.mount_path, query)
        with self._gate.reading():
            file = None if inner is None else resolve_in_root(self.root, inner)
            if file is not None and file.is_dir():
                if not path.endswith("/"):
                    return redirect(path + "/", query)
                file = resolve_in_root(self.root, f"{inner}index.html")
            status, body, ctype = 200, read_file(file), content_type(file)
            if body is None:
                status, ctype = 404, HTML
                body = read_file(resolve_in_root(self.root, "/404.html")) or NOT_FOUND_PAGE
            if ctype.startswith("text/html"):
                body = inject(body, self.epoch, self.errors)
        return Response(status, body, ctype)

    def _unmount(self, path: str) -> str | None:
        """`path` relative to the mount path (still starting with '/'), or None outside it."""
        if not path.startswith(self.mount_path):
            return None
        return "/" + path.removeprefix(self.mount_path)


def run_builder(builder: Callable[[], object]) -> tuple[str, ...]:
    """Call the builder; the messages to show if it failed, or () on success."""
    try:
        builder()
    except BuildFailed as failed:
        return tuple(failed.messages) or (str(failed),)
    except SsgError as exc:  # e.g. a broken config.yaml
        return (str(exc),)
    except Exception as exc:  # a bug in the build must show up in the page, not stop serving
        traceback.print_exc(file=sys.stderr)
        return (f"unexpected error: {type(exc).__name__}: {exc}",)
    return ()


def report_errors(errors: tuple[str, ...]) -> None:
    if errors:
        lines = "\n".join(f"  {e}" for e in errors)
        print(f"Build failed; output/ keeps the last good build:\n{lines}", file=sys.stderr)
