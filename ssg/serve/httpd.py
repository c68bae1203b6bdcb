"""The socket side of the preview server: a threaded stdlib HTTP server, and who may use it.

`make_httpd` binds a server that hands every GET and HEAD to an app's `respond(target,
headers)` and writes the Response back; `allowed_hosts` and `is_ip_host` decide which Host
headers name this server (the DNS-rebinding defence).
"""

from __future__ import annotations

import ipaddress
import socket
import socketserver
import sys
import traceback
from collections.abc import Iterator, Mapping
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

from ssg.serve.http_files import Response

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


class App(Protocol):
    def respond(self, target: str, headers: Mapping[str, str]) -> Response: ...


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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer
    timeout = 60  # idle keep-alive connections give their thread back after this

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; with Nagle's algorithm the body of a reply
        # on a kept-alive connection waits ~40 ms for the client's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        try:
            response = self.server.app.respond(self.path, _RequestHeaders(self.headers))
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
    app: App

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look our own name up with getfqdn(): a DNS query
        # that can stall startup and tells us nothing.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class _HttpServer6(_HttpServer):
    address_family = socket.AF_INET6


def make_httpd(app: App, host: str, port: int) -> ThreadingHTTPServer:
    """Bind host:port (port 0 picks a free one) for `app`; serve_forever() starts serving."""
    server_class = _HttpServer6 if ":" in host else _HttpServer
    httpd = server_class((host, port), _Handler)
    httpd.app = app
    return httpd
