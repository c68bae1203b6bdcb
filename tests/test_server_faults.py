"""The preview server against clients that misbehave: slow heads, dropped long-polls, floods.

Over real HTTP on loopback.
"""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_server import get, poll, write_output_tree

from ssg.serve.server import LiveReloadServer


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_output_tree(tmp_path)


@pytest.fixture
def serve(site: Path) -> Iterator[Callable[..., LiveReloadServer]]:
    started: list[LiveReloadServer] = []

    def start(**kw: object) -> LiveReloadServer:
        server = LiveReloadServer(lambda: None, site, "127.0.0.1", 0, **kw)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def connect(server: LiveReloadServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed its end (read without waiting)."""
    if not select.select([sock], [], [], 0)[0]:
        return False
    try:
        return sock.recv(4096) == b""
    except ConnectionError:
        return True


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def poll_request(port: int, epoch: int) -> bytes:
    return (
        f"GET /__ssg/livereload?epoch={epoch} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    )


# --- request heads ----------------------------------------------------------------------------


def test_a_head_sent_byte_by_byte_is_cut_off_at_the_deadline(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(head_timeout=1.0)
    head = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nX-Pad: {'a' * 100}\r\n\r\n"
    sock = connect(server)
    started, closed_after = time.monotonic(), None
    for byte in head.encode():  # one byte every 50 ms: each recv alone is quick
        with contextlib.suppress(ConnectionError):
            sock.send(bytes([byte]))
        if closed_by_server(sock):
            closed_after = time.monotonic() - started
            break
        time.sleep(0.05)
    sock.close()
    assert closed_after is not None, "the dripped head was read to the end"
    assert 0.9 < closed_after < 2.0


def test_others_are_served_while_a_head_drips(serve: Callable[..., LiveReloadServer]) -> None:
    server = serve(head_timeout=1.0)
    with connect(server) as slow:
        slow.send(b"GET / HT")
        assert "ホーム" in get(server, "/").text
        assert wait_until(lambda: closed_by_server(slow), 3)
    assert "ホーム" in get(server, "/").text


def test_a_connection_that_sends_nothing_is_closed_at_the_deadline(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(head_timeout=0.5)
    with connect(server) as silent:
        started = time.monotonic()
        assert silent.recv(1) == b""
        assert 0.4 < time.monotonic() - started < 1.5


def test_a_kept_alive_connection_may_idle_longer_than_the_deadline(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(head_timeout=0.5)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/")
    assert conn.getresponse().read()
    first_socket = conn.sock
    time.sleep(1.0)  # the deadline counts from the next request's first byte, not from here
    conn.request("GET", "/posts/a/")
    assert "first version" in conn.getresponse().read().decode()
    assert conn.sock is first_socket
    conn.close()


def test_a_long_poll_outlives_the_deadline(serve: Callable[..., LiveReloadServer]) -> None:
    server = serve(head_timeout=0.3)
    seen = server.epoch
    answers: list[dict[str, object]] = []
    waiter = threading.Thread(target=lambda: answers.append(poll(server, seen)))
    waiter.start()
    time.sleep(1.0)
    server.rebuild()
    waiter.join(timeout=5)
    assert answers == [{"epoch": seen + 1, "action": "reload"}]


def test_a_client_that_resets_mid_head_leaves_no_traceback(
    serve: Callable[..., LiveReloadServer], capfd: pytest.CaptureFixture[str]
) -> None:
    server = serve()
    for _ in range(5):
        sock = connect(server)
        sock.send(b"GET / HTTP/1.1\r\nHo")
        time.sleep(0.05)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # with a zero linger: a reset, not a FIN
    time.sleep(0.3)
    assert get(server, "/").status == 200
    assert "Traceback" not in capfd.readouterr().err


# --- long-polls -------------------------------------------------------------------------------

DROPPED_POLLS = 200


def test_dropped_long_polls_give_their_threads_back(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(poll_timeout=60.0)
    baseline = threading.active_count()
    clients = [connect(server) for _ in range(DROPPED_POLLS)]
    for sock in clients:
        sock.sendall(poll_request(server.port, server.epoch))
    assert wait_until(lambda: threading.active_count() >= baseline + DROPPED_POLLS, 10)
    waiting = threading.active_count()
    started = time.monotonic()
    for sock in clients:
        sock.close()
    back = wait_until(lambda: threading.active_count() <= baseline + 2, 2.0)
    figures = (
        f"threads: {baseline} before, {waiting} with {DROPPED_POLLS} long-polls, "
        f"{threading.active_count()} {time.monotonic() - started:.2f} s after they were dropped"
    )
    print(f"\n{figures}")
    assert back, figures


def test_a_dropped_long_poll_does_not_end_the_others(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(poll_timeout=60.0)
    seen = server.epoch
    dropped = connect(server)
    dropped.sendall(poll_request(server.port, seen))
    answers: list[dict[str, object]] = []
    waiter = threading.Thread(target=lambda: answers.append(poll(server, seen)))
    waiter.start()
    time.sleep(0.3)
    dropped.close()
    time.sleep(0.3)
    assert not answers  # still waiting for a rebuild
    server.rebuild()
    waiter.join(timeout=5)
    assert answers == [{"epoch": seen + 1, "action": "reload"}]


# --- the connection limit ---------------------------------------------------------------------


def test_connections_past_the_limit_are_refused_until_one_ends(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(max_connections=3, poll_timeout=60.0)
    held = [connect(server) for _ in range(3)]
    for sock in held:
        sock.sendall(poll_request(server.port, server.epoch))
    time.sleep(0.3)
    refused = get(server, "/")
    assert refused.status == 503 and refused.headers["Retry-After"] == "1"
    held.pop().close()
    assert wait_until(lambda: get(server, "/").status == 200, 2)
    for sock in held:
        sock.close()
