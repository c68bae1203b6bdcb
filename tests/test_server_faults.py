"""The preview server against clients that misbehave: slow heads, dropped long-polls, floods.

Over real HTTP on loopback. The last test is a 30-second soak of a real `ssg serve`.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import re
import select
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import post
from test_serve import start_serving
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


# --- soak: a real `ssg serve` -----------------------------------------------------------------

SOAK_SECONDS = 30.0
NORMAL_CLIENTS = 8
SLOW_CLIENTS = 4
POLLS_PER_DROP = 20


class ServedProcess:
    """`ssg serve` in a child process, its output read as it comes, its figures from /proc."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc, self.port = proc, port
        self.builds = 0
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()

    def _read_output(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("Built "):
                self.builds += 1

    def figures(self) -> dict[str, int]:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines())
        return {
            "threads": int(fields["Threads"]),
            "fds": len(os.listdir(f"/proc/{self.proc.pid}/fd")),
            "rss_kb": int(fields["VmRSS"].split()[0]),
        }

    def get(self, target: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", target)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def epoch(self) -> int:
        match = re.search(rb"var epoch = (\d+);", self.get("/")[1])
        assert match
        return int(match[1])


@pytest.fixture
def served(make_site: Callable[..., Path]) -> Iterator[tuple[ServedProcess, Path]]:
    posts = {
        f"content/posts/p{i}.md": post(f"記事{i}", tags="[半導体, 決算]", body=f"本文{i}。" * 50)
        for i in range(30)
    }
    site = make_site({**posts, "content/posts/edited.md": post("編集する記事", body="版0")})
    proc, line = start_serving(site)
    address = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert address, line
    yield ServedProcess(proc, int(address[1])), site
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def test_soak_of_ssg_serve_ends_with_what_it_started_with(
    served: tuple[ServedProcess, Path],
) -> None:
    """30 s of keep-alive readers, slow heads, silent connections, dropped long-polls and
    bursts of saves of a post; the last save of each burst is served, and afterwards the
    server's threads, fds and memory are back near where they were."""
    server, site = served
    output = site / "output"
    pages = ["/" + str(p.parent.relative_to(output)) + "/" for p in output.rglob("index.html")]
    pages = [quote(p.replace("/./", "/")) for p in pages]
    edited_page = next(p for p in pages if "編集する記事" in server.get(p)[1].decode())
    edited_source = site / "content/posts/edited.md"

    def save(text: str) -> None:
        edited_source.write_text(post("編集する記事", body=text), encoding="utf-8")

    def served_text(text: str, seconds: float = 15.0) -> bool:
        return wait_until(lambda: text in server.get(edited_page)[1].decode(), seconds)

    # Warm up every path once, so the baseline includes what a first use allocates.
    save("版ウォームアップ")
    assert served_text("版ウォームアップ")
    for page in pages:
        server.get(page)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(poll_request(server.port, server.epoch()))
        time.sleep(0.2)
    time.sleep(1.0)
    baseline = server.figures()
    builds_before = server.builds

    deadline = time.monotonic() + SOAK_SECONDS
    lock = threading.Lock()
    counts = {"requests": 0, "slow": 0, "silent": 0, "dropped_polls": 0, "saves": 0, "rounds": 0}
    failures: list[str] = []
    peak = dict(baseline)

    def count(name: str, n: int = 1) -> None:
        with lock:
            counts[name] += n

    def normal_client(seed: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        n = seed
        try:
            while time.monotonic() < deadline:
                page = pages[n % len(pages)]
                n += 7
                conn.request("GET", page)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200 or not body.rstrip().endswith(b"</html>"):
                    failures.append(f"{page}: {response.status} {body[-60:]!r}")
                count("requests")
        except Exception as exc:
            failures.append(f"normal client {seed}: {type(exc).__name__}: {exc}")
        finally:
            conn.close()

    def seconds_open(head: bytes) -> float:
        """Send `head` at one byte a second until the server closes the connection."""
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            started = time.monotonic()
            for byte in head:
                if closed_by_server(sock):
                    break
                with contextlib.suppress(ConnectionError):
                    sock.send(bytes([byte]))
                time.sleep(1.0)
            wait_until(functools.partial(closed_by_server, sock), 15.0)
            return time.monotonic() - started

    def slow_client(seed: int) -> None:
        # Alternately a head dripped at one byte a second, and a connection that says nothing;
        # `ssg serve` must close either within its 10 s.
        head = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nX-Slow: {'s' * 60}\r\n\r\n"
        drip = seed % 2 == 0
        while time.monotonic() < deadline - 12:
            took = seconds_open(head.encode() if drip else b"")
            if took > 12.5:
                failures.append(f"slow client {seed}: open for {took:.1f} s")
            count("slow" if drip else "silent")
            drip = not drip

    def poll_dropper() -> None:
        while time.monotonic() < deadline:
            epoch = server.epoch()
            socks = [
                socket.create_connection(("127.0.0.1", server.port)) for _ in range(POLLS_PER_DROP)
            ]
            for sock in socks:
                sock.sendall(poll_request(server.port, epoch))
            time.sleep(0.5)
            for i, sock in enumerate(socks):
                if i % 2:  # half of them reset, as a crashed browser would
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            count("dropped_polls", POLLS_PER_DROP)

    def saver() -> None:
        n = 0
        while time.monotonic() < deadline:
            # A burst of saves a few ms apart (an editor's save-all), then wait for the last.
            burst = 1 + n % 3
            for _ in range(burst):
                n += 1
                save(f"版{n}")
                time.sleep(0.005)
            count("saves", burst)
            count("rounds")
            if not served_text(f"版{n}"):
                failures.append(f"save {n} was not served within 15 s")

    def sampler() -> None:
        while time.monotonic() < deadline:
            for name, value in server.figures().items():
                peak[name] = max(peak[name], value)
            time.sleep(0.5)

    workers = [threading.Thread(target=normal_client, args=(i,)) for i in range(NORMAL_CLIENTS)]
    workers += [threading.Thread(target=slow_client, args=(i,)) for i in range(SLOW_CLIENTS)]
    workers += [threading.Thread(target=f) for f in (poll_dropper, saver, sampler)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=SOAK_SECONDS + 60)

    rebuilds = server.builds - builds_before
    settled = wait_until(lambda: server.figures()["threads"] <= baseline["threads"] + 2, 5.0)
    after = server.figures()
    report = (
        f"soak {SOAK_SECONDS:.0f} s: {counts['requests']} requests, {counts['slow']} slow heads "
        f"and {counts['silent']} silent connections cut off, {counts['dropped_polls']} "
        f"long-polls dropped, {counts['saves']} saves in {counts['rounds']} rounds, "
        f"{rebuilds} rebuilds\n"
        + "\n".join(
            f"  {name}: {baseline[name]} before, {peak[name]} at most, {after[name]} after"
            for name in baseline
        )
    )
    print(f"\n{report}")
    assert not failures, failures[:5]
    assert settled, report
    assert after["fds"] <= baseline["fds"] + 4, report
    assert after["rss_kb"] <= baseline["rss_kb"] + 20_000, report
    assert rebuilds >= counts["rounds"], report
    assert counts["requests"] > 1000 and counts["dropped_polls"] >= 500, report
    assert counts["slow"] >= 2 and counts["silent"] >= 2, report
