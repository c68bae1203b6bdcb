"""The socket side of the preview server: a threaded stdlib HTTP server, and who may use it.

`make_httpd` binds a server that hands every GET and HEAD to an app's `respond(target,
headers, client)` and writes the Response back; `allowed_hosts` and `is_ip_host` decide which
Host headers name this server (the DNS-rebinding defence).

No client holds a thread for long: a request's line and headers must arrive within
HEAD_TIMEOUT (a socket timeout bounds each recv, so a client sending one byte a second would
never meet it), at most MAX_CONNECTIONS are served at once, and a request that waits (the
live-reload long-poll) is told by `HangupWatcher` when its client closes the connection.
"""

from __future__ import annotations

import io
import ipaddress
import selectors
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Protocol

from ssg.serve.http_files import Response

if TYPE_CHECKING:
    from _socket import _RetAddress
    from socketserver import _RequestType

    from _typeshed import WriteableBuffer

HEAD_TIMEOUT = 10.0  # a request line and headers, from a new connection's accept or a
# kept-alive connection's first byte of the next request
IDLE_TIMEOUT = 60.0  # a kept-alive connection waiting for its next request
SEND_TIMEOUT = 60.0  # writing one response
MAX_CONNECTIONS = 256  # a browser opens ~6 per tab, plus one long-poll
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


class App(Protocol):
    def respond(self, target: str, headers: Mapping[str, str], client: Client) -> Response: ...


class HangupWatcher:
    """One thread that notices clients closing connections whose requests are waiting.

    A long-poll blocks its thread until the site changes; without this, a browser tab that
    was closed would keep the thread until the poll timed out.
    """

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()  # the selector's registrations, and _stopping
        # Written to when registrations change, so a select() already running sees them.
        self._wakeup_in, self._wakeup_out = socket.socketpair()
        for end in (self._wakeup_in, self._wakeup_out):
            end.setblocking(False)
        self._selector.register(self._wakeup_out, selectors.EVENT_READ)
        self._thread: threading.Thread | None = None
        self._stopping = False

    def watch(self, sock: socket.socket, on_hangup: Callable[[], None]) -> None:
        """Call `on_hangup` (on the watcher's thread) if the client closes `sock`."""
        with self._lock:
            if self._stopping:
                return
            self._selector.register(sock, selectors.EVENT_READ, on_hangup)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="hangups", daemon=True)
                self._thread.start()
        self._wake()

    def unwatch(self, sock: socket.socket) -> None:
        with self._lock:
            # Not there if it hung up, or if watch() came after close().
            if not self._stopping and sock in self._selector.get_map():
                self._selector.unregister(sock)
        self._wake()

    def close(self) -> None:
        with self._lock:
            self._stopping = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            self._selector.close()
            self._wakeup_in.close()
            self._wakeup_out.close()

    def _wake(self) -> None:
        # BlockingIOError: woken already (the buffer is full); OSError: closed.
        with suppress(OSError):
            self._wakeup_in.send(b"x")

    def _run(self) -> None:
        while True:
            events = self._selector.select()
            hangups: list[Callable[[], None]] = []
            with self._lock:
                if self._stopping:
                    return
                for key, _ in events:
                    if key.fileobj is self._wakeup_out:
                        _drain(self._wakeup_out)
                    elif self._selector.get_map().get(key.fd) is key:  # not unwatched since
                        # Readable means closed, reset, or (never from a browser) the next
                        # request sent early; either way there is nothing more to watch.
                        sock = self._selector.unregister(key.fileobj).fileobj
                        if isinstance(sock, socket.socket) and _closed_by_peer(sock):
                            hangups.append(key.data)
            for on_hangup in hangups:
                on_hangup()


def _drain(sock: socket.socket) -> None:
    with suppress(BlockingIOError):
        while sock.recv(4096):
            pass


def _closed_by_peer(sock: socket.socket) -> bool:
    """True if the peer closed or reset `sock`; its bytes, if any, stay to be read."""
    # The request's thread is not using the socket while it is watched, so its timeout can
    # be lent for a read that must not block.
    timeout = sock.gettimeout()
    sock.settimeout(0)
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.settimeout(timeout)


class Client:
    """The connection a request came on, as far as the app needs it: whether it is still there."""

    def __init__(self, sock: socket.socket, hangups: HangupWatcher) -> None:
        self._sock = sock
        self._hangups = hangups
        self.gone = False

    @contextmanager
    def watched(self, on_hangup: Callable[[], None]) -> Iterator[None]:
        """While inside, `on_hangup` is called (from another thread) if the client goes away."""

        def hung_up() -> None:
            self.gone = True
            on_hangup()

        self._hangups.watch(self._sock, hung_up)
        try:
            yield
        finally:
            self._hangups.unwatch(self._sock)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values (lower-case, with port) that name this server."""
    names = {"localhost", "127.0.0.1", "[::1]", host.lower()}
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    return frozenset(f"{n}:{port}" for n in names) | (frozenset(names) if port == 80 else set())


def is_ip_host(host_header: str, bound: str, port: int) -> bool:
    """True for an IP literal with our port, when bound to every interface."""
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


class _RequestHeaders(Mapping[str, str]):
    """A request's headers as the Mapping `App.respond` takes (the email.message.Message
    that holds them is not one), looked up regardless of case as HTTP requires."""

    def __init__(self, message: Message) -> None:
        self._message = message

    def __getitem__(self, name: str) -> str:
        value = self._message.get(name)  # the first of repeated headers, as Message gives
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._message.keys())

    def __len__(self) -> int:
        return len(self._message)


class _RequestReader(io.RawIOBase):
    """The socket as a handler reads it, with one deadline for each request's whole head."""

    def __init__(self, sock: socket.socket, head_timeout: float) -> None:
        self._sock = sock
        self._head_timeout = head_timeout
        # A new connection has no excuse to wait: its first request is why it was opened.
        self._deadline: float | None = time.monotonic() + head_timeout
        self._idle = False

    def readable(self) -> bool:
        return True

    def await_next_request(self) -> None:
        """A kept-alive connection may idle; its next request's head then has the deadline."""
        self._idle, self._deadline = True, None

    def head_read(self) -> None:
        """The request line and headers are in: what is left is writing the response."""
        self._idle, self._deadline = False, None
        self._sock.settimeout(SEND_TIMEOUT)

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._idle:
            self._sock.settimeout(IDLE_TIMEOUT)
        elif self._deadline is not None:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("request head not received in time")
            self._sock.settimeout(left)
        received = self._sock.recv_into(buffer)
        if self._idle and received:
            self._idle, self._deadline = False, time.monotonic() + self._head_timeout
        return received


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer
    timeout = SEND_TIMEOUT
    _reader: _RequestReader

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; with Nagle's algorithm the body of a reply
        # on a kept-alive connection waits ~40 ms for the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile.close()  # the plain one setup() made
        self._reader = _RequestReader(self.connection, self.server.head_timeout)
        self.rfile = io.BufferedReader(self._reader)
        self._requests = 0

    def handle_one_request(self) -> None:
        if self._requests:
            self._reader.await_next_request()
        self._requests += 1
        super().handle_one_request()

    def parse_request(self) -> bool:
        parsed = super().parse_request()  # reads the headers
        self._reader.head_read()
        return parsed

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        client = Client(self.connection, self.server.hangups)
        try:
            response = self.server.app.respond(self.path, _RequestHeaders(self.headers), client)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = Response(500, b"500 internal server error\n")
        if client.gone:
            self.close_connection = True
            return
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


_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n"
    b"Retry-After: 1\r\nConnection: close\r\n\r\n503 too many clients"
)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a browser opening many assets at once must not be refused
    app: App
    head_timeout = HEAD_TIMEOUT

    def __init__(self, address: tuple[str, int], max_connections: int) -> None:
        self.hangups = HangupWatcher()  # before binding: a failed bind calls server_close()
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look our own name up with getfqdn(): a DNS query
        # that can stall startup and tells us nothing.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request: _RequestType, client_address: _RetAddress) -> None:
        # Each connection has a thread; past the limit one is refused at once, not queued.
        if not self._slots.acquire(blocking=False):
            if isinstance(request, socket.socket):
                _refuse(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: _RequestType, client_address: _RetAddress) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: _RequestType, client_address: _RetAddress) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # a client that went away or was too slow is no error of ours
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.hangups.close()


class _HttpServer6(_HttpServer):
    address_family = socket.AF_INET6


def _refuse(request: socket.socket) -> None:
    """Say 503 without waiting for the client."""
    with suppress(OSError):
        request.settimeout(0)
        request.send(_BUSY)
        # Its request, if already here: closing with it unread would reset the connection,
        # and the client could lose the 503.
        request.recv(65536)


def make_httpd(
    app: App,
    host: str,
    port: int,
    *,
    head_timeout: float = HEAD_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
) -> ThreadingHTTPServer:
    """Bind host:port (port 0 picks a free one) for `app`; serve_forever() starts serving."""
    server_class = _HttpServer6 if ":" in host else _HttpServer
    httpd = server_class((host, port), max_connections)
    httpd.app = app
    httpd.head_timeout = head_timeout
    return httpd
