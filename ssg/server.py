"""The preview server: serves output/, reloads browsers after rebuilds, shows build errors.

`LiveReloadServer` follows mkdocs' shape: it is handed a `builder` callable and knows nothing
about posts. A failed build keeps the last good site and overlays its errors on every page
(Zola's error injection).
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, quote, unquote_to_bytes

from ssg.build import BuildReport, build
from ssg.config import Config, load_config
from ssg.errors import BuildFailed, SsgError
from ssg.watch import Change, ChangeKind, watch_site

ReloadAction = Literal["reload", "css"]
RELOAD_PATH = "/__ssg/livereload"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
}


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class BadRequest(Exception):
    """A request refused before touching the filesystem; carries the HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class _BuildGate:
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
    ) -> None:
        self.builder = builder
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
        self._state = threading.Condition()
        self._closing = False
        self._gate = _BuildGate()
        self._httpd = _make_httpd(self, host, port)
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
            self._state.notify_all()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
        self._httpd.server_close()

    def __enter__(self) -> LiveReloadServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rebuild(self, action: ReloadAction = "reload") -> bool:
        """Run the builder while requests wait; True if it succeeded. Never raises."""
        with self._gate.building():
            errors = run_builder(self.builder)
            with self._state:
                # Clearing an overlay needs a full reload even after a CSS-only change.
                if errors or self.errors or action == "reload":
                    self._last_full_reload = self.epoch + 1
                self.errors = errors
                self.epoch += 1
                self._state.notify_all()
        report_errors(errors)
        return not errors

    def respond(self, target: str, headers: Mapping[str, str]) -> Response:
        """The response to a GET (or HEAD) of `target`; the pure core of the request handler."""
        try:
            self._check_host(headers)
            path, query = split_target(target)
            if path == RELOAD_PATH:
                return self._poll(query, headers)
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
        return host in self._allowed_hosts or _is_ip_host(host, self.host, self.port)

    def _poll(self, query: str, headers: Mapping[str, str]) -> Response:
        # The page's own script never needs another origin; refusing it keeps other sites
        # from watching our rebuilds.
        origin = headers.get("Origin")
        if origin is not None and not (
            origin.lower().startswith("http://") and self._is_own_host(origin[len("http://") :])
        ):
            raise BadRequest(403, "forbidden origin")
        if headers.get("Sec-Fetch-Site") == "cross-site":
            raise BadRequest(403, "forbidden cross-site request")
        seen = _int_param(query, "epoch")
        with self._state:
            self._state.wait_for(lambda: self.epoch != seen or self._closing, self.poll_timeout)
            full = seen < self._last_full_reload or seen > self.epoch
            message = {"epoch": self.epoch, "action": "reload" if full else "css"}
        return Response(200, json.dumps(message).encode(), "application/json")

    def _serve_file(self, path: str, query: str) -> Response:
        inner = self._unmount(path)
        if inner is None and path in ("/", self.mount_path.rstrip("/")):
            return _redirect(self.mount_path, query)
        with self._gate.reading():
            file = None if inner is None else resolve_in_root(self.root, inner)
            if file is not None and file.is_dir():
                if not path.endswith("/"):
                    return _redirect(path + "/", query)
                file = resolve_in_root(self.root, f"{inner}index.html")
            status, body, ctype = 200, _read(file), _content_type(file)
            if body is None:
                status, ctype = 404, CONTENT_TYPES[".html"]
                body = _read(resolve_in_root(self.root, "/404.html")) or NOT_FOUND_PAGE
            if ctype.startswith("text/html"):
                body = inject(body, self.epoch, self.errors)
        return Response(status, body, ctype)

    def _unmount(self, path: str) -> str | None:
        """`path` relative to the mount path (still starting with '/'), or None outside it."""
        if not path.startswith(self.mount_path):
            return None
        return "/" + path.removeprefix(self.mount_path)


NOT_FOUND_PAGE = b"<!doctype html><html><body><h1>404 Not Found</h1></body></html>\n"


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
        print(f"Build failed; still serving the last good site:\n{lines}", file=sys.stderr)


def split_target(target: str) -> tuple[str, str]:
    """The decoded path and raw query of a request target, refusing anything that could escape.

    http.server decodes the request line as latin-1, so re-encoding gets the raw bytes back.
    Decoding happens once; a '%' left afterwards means double encoding (%252e) and is refused.
    """
    raw_path, _, query = target.partition("?")
    if not raw_path.startswith("/"):
        raise BadRequest(400, "request target must be a path")
    try:
        path = unquote_to_bytes(raw_path.encode("latin-1")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise BadRequest(400, "path is not valid UTF-8") from None
    if any(c in path for c in "%\\\x00") or "//" in path or not path.isprintable():
        raise BadRequest(400, "malformed path")
    if any(part in (".", "..") for part in path.split("/")):
        raise BadRequest(403, "path leaves the site")
    return path, query


def resolve_in_root(root: Path, path: str) -> Path | None:
    """The file `path` names under `root` (resolved), or None if it is missing.

    Checked on resolved paths with is_relative_to, so a symlink out of root and a sibling
    like /x/output-secret next to /x/output are both refused.
    """
    candidate = root.joinpath(*(p for p in path.split("/") if p)).resolve()
    if not candidate.is_relative_to(root):
        raise BadRequest(403, "path leaves the site")
    return candidate if candidate.exists() else None


def inject(page: bytes, epoch: int, errors: tuple[str, ...]) -> bytes:
    """`page` with the reload script (and error overlay) inserted before its last </body>."""
    snippet = (error_overlay(errors) + reload_script(epoch)).encode()
    at = page.lower().rfind(b"</body>")
    if at == -1:
        return page + snippet
    return page[:at] + snippet + page[at:]


def reload_script(epoch: int) -> str:
    return _RELOAD_JS.replace("__EPOCH__", str(epoch)).replace("__PATH__", RELOAD_PATH)


def error_overlay(errors: tuple[str, ...]) -> str:
    if not errors:
        return ""
    items = "\n".join(html.escape(e) for e in errors)
    return _OVERLAY_HTML.replace("__ERRORS__", items)


_OVERLAY_HTML = """<div id="ssg-error-overlay" role="alert" style="position:fixed;inset:0;\
z-index:2147483647;overflow:auto;padding:2em;background:rgba(24,0,0,.94);color:#fee;\
font:14px/1.6 ui-monospace,monospace"><h2 style="color:#f88;margin-top:0">Build failed \
&mdash; showing the last good site</h2><pre style="white-space:pre-wrap">__ERRORS__</pre>\
<p>Fix the file and save; this page reloads by itself.</p></div>"""

# Long-polls the server; on a new epoch it reloads, or for a CSS-only change swaps stylesheets.
_RELOAD_JS = """<script>(function () {
  var epoch = __EPOCH__;
  function swapCss(next) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("ssg-reload", next);
      link.href = url.href;
    });
  }
  function poll() {
    fetch("__PATH__?epoch=" + epoch, {cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (m) {
        if (m.epoch !== epoch && m.action !== "css") { location.reload(); return; }
        if (m.epoch !== epoch) swapCss(m.epoch);
        epoch = m.epoch;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();</script>"""


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values (lower-case, with port) that name this server."""
    names = {"localhost", "127.0.0.1", "[::1]", host.lower()}
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    return frozenset(f"{n}:{port}" for n in names) | (frozenset(names) if port == 80 else set())


def _is_ip_host(host_header: str, bound: str, port: int) -> bool:
    # Bound to every interface, the server is reached by LAN addresses we can't list.
    # An IP literal is safe to accept: DNS rebinding needs a hostname the attacker controls.
    if bound not in WILDCARD_HOSTS:
        return False
    name, sep, got_port = host_header.rpartition(":")
    if not sep or got_port != str(port):
        return False
    try:
        ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _int_param(query: str, name: str) -> int:
    try:
        return int(parse_qs(query).get(name, ["-1"])[0])
    except ValueError:
        raise BadRequest(400, f"'{name}' must be an integer") from None


def _redirect(path: str, query: str) -> Response:
    location = quote(path, safe="/!$&'()*+,;=:@-._~") + (f"?{query}" if query else "")
    return Response(301, b"", headers={"Location": location})


def _read(file: Path | None) -> bytes | None:
    # Whole files are read into memory so the build gate is held only while reading,
    # not while a slow client downloads.
    if file is None or not file.is_file():
        return None
    try:
        return file.read_bytes()
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return None


def _content_type(file: Path | None) -> str:
    if file is None:
        return CONTENT_TYPES[".html"]
    suffix = file.suffix.lower()
    guessed = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(file.name)[0]
    return guessed or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer
    timeout = 60  # idle keep-alive connections give their thread back after this

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        try:
            response = self.server.app.respond(self.path, self.headers)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = Response(500, b"500 internal server error\n")
        try:
            self._write(response, send_body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the browser went away (e.g. it reloaded)

    def _write(self, response: Response, send_body: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # a page load is dozens of requests; the terminal is for builds and errors


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a browser opening many assets at once must not be refused
    app: LiveReloadServer

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look our own name up with getfqdn(): a DNS query
        # that can stall startup and tells us nothing.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class _HttpServer6(_HttpServer):
    address_family = socket.AF_INET6


def _make_httpd(app: LiveReloadServer, host: str, port: int) -> _HttpServer:
    server_class = _HttpServer6 if ":" in host else _HttpServer
    httpd = server_class((host, port), _Handler)
    httpd.app = app
    return httpd


def serve_site(config: Config, host: str = "127.0.0.1", port: int = 8000) -> int:
    """`ssg serve`: build, serve output/, rebuild on changes; returns 0 after Ctrl-C."""
    warn_if_exposed(host)
    builder = SiteBuilder(config)
    try:
        server = LiveReloadServer(
            builder, config.output_dir, host, port, mount_path=config.base_path
        )
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        print(f"  is another `ssg serve` running? try --port {port + 1}", file=sys.stderr)
        return 1
    with server:
        server.start()  # requests that arrive during the first build wait for it
        try:
            # Watch before the first build, so an edit made while it runs is not missed.
            with watch_site(config, lambda changes: server.rebuild(builder.note(changes))):
                server.rebuild()
                print(f"Serving {config.output_dir} at {server.url}  (Ctrl-C to stop)", flush=True)
                wait_forever()
        except KeyboardInterrupt:
            print("\nStopping...", flush=True)
    print("Stopped.", flush=True)
    return 0


class SiteBuilder:
    """The builder `ssg serve` hands the server: a build that re-reads a changed config.yaml."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.config_changed = False

    def note(self, changes: frozenset[Change]) -> ReloadAction:
        """Record what the coming rebuild must reload; how browsers should apply it."""
        if any(c.kind is ChangeKind.CONFIG for c in changes):
            self.config_changed = True
        return reload_action(changes)

    def __call__(self) -> BuildReport:
        if self.config_changed:
            self.config = reread_config(self.config)  # a ConfigError shows in the overlay
            self.config_changed = False
        report = build(self.config)
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(
            f"Built {report.posts} posts: {report.written} files changed "
            f"in {report.seconds * 1000:.0f} ms",
            flush=True,
        )
        return report


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


def wait_forever() -> None:
    # Short sleeps rather than one endless wait, so Ctrl-C is delivered promptly everywhere.
    while True:
        time.sleep(0.5)
