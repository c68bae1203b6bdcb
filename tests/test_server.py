"""LiveReloadServer over real HTTP on an ephemeral loopback port, with fake builders."""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ssg.errors import BuildFailed, ContentError
from ssg.serve.http_files import BadRequest, resolve_in_root, split_target
from ssg.serve.httpd import allowed_hosts
from ssg.serve.server import LiveReloadServer

SECRET = "TOP-SECRET-NOT-IN-SITE"
TAG = "半導体"


def page(title: str, body: str = "") -> str:
    head = f"<!doctype html>\n<html><head><title>{title}</title></head>\n"
    return head + f"<body>{body}</body>\n</html>\n"


def write_output_tree(tmp_path: Path) -> Path:
    root = tmp_path / "output"
    files = {
        "index.html": page("home", "<p>ホーム</p>"),
        "posts/a/index.html": page("post a", "<p>first version</p>"),
        f"tags/{TAG}/index.html": page(TAG, f"<h1>{TAG}</h1>"),
        "404.html": page("missing", "<p>custom not found</p>"),
        "css/site.css": "body { color: black }\n",
        "js/app.js": "console.log(1)\n",
        "feed.xml": "<?xml version='1.0'?><feed/>\n",
        "data.json": "{}\n",
        "img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "img/photo.webp": "RIFF....WEBP",
        "fonts/n.woff2": "wOF2",
        "robots.txt": "User-agent: *\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "output-secret").mkdir()
    (tmp_path / "output-secret" / "key.txt").write_text(SECRET)
    (root / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (root / "escdir").symlink_to(tmp_path / "output-secret")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_output_tree(tmp_path)


@pytest.fixture
def serve(site: Path) -> Iterator[Callable[..., LiveReloadServer]]:
    started: list[LiveReloadServer] = []

    def start(builder: Callable[[], object] = lambda: None, **kw: object) -> LiveReloadServer:
        server = LiveReloadServer(builder, site, "127.0.0.1", 0, **kw)  # type: ignore[arg-type]
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def server(serve: Callable[..., LiveReloadServer]) -> LiveReloadServer:
    return serve()


class Reply:
    def __init__(self, response: http.client.HTTPResponse, body: bytes) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = body
        self.text = body.decode("utf-8", "replace")


def raw_request(
    server: LiveReloadServer,
    target: str | bytes,
    *,
    method: str = "GET",
    host: str | None = "default",
    headers: dict[str, str] | None = None,
) -> Reply:
    """Send exactly these bytes (http.client would normalise or refuse some targets)."""
    lines = [f"{method} ".encode() + (target if isinstance(target, bytes) else target.encode())]
    lines[0] += b" HTTP/1.1"
    if host is not None:
        host_value = f"127.0.0.1:{server.port}" if host == "default" else host
        lines.append(f"Host: {host_value}".encode())
    lines += [f"{k}: {v}".encode() for k, v in (headers or {}).items()]
    lines.append(b"Connection: close")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        return Reply(response, response.read())


def get(server: LiveReloadServer, target: str, **kw: object) -> Reply:
    return raw_request(server, target, **kw)  # type: ignore[arg-type]


# --- path safety ---------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/posts/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..\\secret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/posts\\..\\..\\secret.txt",
    "/index.html%00.txt",
    "/%00/../secret.txt",
    "/../output-secret/key.txt",
    "/%2e%2e/output-secret/key.txt",
    "/escape.txt",
    "/escdir/key.txt",
    "/./index.html",
    "http://127.0.0.1/../secret.txt",
    "*",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_is_refused(server: LiveReloadServer, target: str) -> None:
    reply = get(server, target)
    assert reply.status in (400, 403), (target, reply.status)
    assert SECRET not in reply.text


@pytest.mark.parametrize("target", ["//etc/passwd", "//{secret}", "{secret}", "/%2F{secret}"])
def test_absolute_paths_stay_inside_root(
    server: LiveReloadServer, tmp_path: Path, target: str
) -> None:
    reply = get(server, target.format(secret=tmp_path / "secret.txt"))
    assert reply.status in (400, 403, 404)
    assert SECRET not in reply.text and "root:" not in reply.text


def test_raw_nul_byte_is_refused(server: LiveReloadServer) -> None:
    reply = raw_request(server, b"/index.html\x00.txt")
    assert reply.status == 400


def test_split_target_decodes_once() -> None:
    assert split_target(f"/tags/{TAG}/?page=2".encode().decode("latin-1")) == (
        f"/tags/{TAG}/",
        "page=2",
    )
    assert split_target("/tags/%E5%8D%8A%E5%B0%8E%E4%BD%93/") == (f"/tags/{TAG}/", "")


# --- Host, Origin and CORS -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_own_host_names_are_served(server: LiveReloadServer, name: str) -> None:
    assert get(server, "/", host=f"{name}:{server.port}").status == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "127.0.0.1:1",
        "localhost",
        "10.0.0.5:{port}",
        "",
    ],
)
def test_foreign_host_is_refused(server: LiveReloadServer, host: str) -> None:
    reply = get(server, "/", host=host.format(port=server.port))
    assert reply.status == 403
    assert "ホーム" not in reply.text


def test_missing_host_is_refused(server: LiveReloadServer) -> None:
    assert get(server, "/", host=None).status in (400, 403)


def test_header_names_are_matched_whatever_their_case(server: LiveReloadServer) -> None:
    lower = {"host": f"127.0.0.1:{server.port}"}
    assert get(server, "/", host=None, headers=lower).status == 200


def test_allowed_hosts_for_a_custom_host() -> None:
    hosts = allowed_hosts("devbox.lan", 8000)
    assert "devbox.lan:8000" in hosts and "localhost:8000" in hosts
    assert "devbox.lan" not in hosts and "evil:8000" not in hosts


def test_reload_channel_refuses_foreign_origin(server: LiveReloadServer) -> None:
    target = f"/__ssg/livereload?epoch={server.epoch - 1}"
    evil = get(server, target, headers={"Origin": "http://evil.example"})
    assert evil.status == 403
    spoofed = get(
        server, target, headers={"Origin": f"http://127.0.0.1:{server.port}.evil.example"}
    )
    assert spoofed.status == 403
    own = get(server, target, headers={"Origin": f"http://localhost:{server.port}"})
    assert own.status == 200


def test_no_cors_headers(server: LiveReloadServer) -> None:
    for target in ["/", "/css/site.css", f"/__ssg/livereload?epoch={server.epoch - 1}", "/nope"]:
        reply = get(server, target, headers={"Origin": f"http://127.0.0.1:{server.port}"})
        assert not [h for h in reply.headers if h.lower().startswith("access-control-")]


# --- HTTP behaviour --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/js/app.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/img/logo.svg", "image/svg+xml"),
        ("/img/photo.webp", "image/webp"),
        ("/fonts/n.woff2", "font/woff2"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ],
)
def test_content_types(server: LiveReloadServer, target: str, content_type: str) -> None:
    reply = get(server, target)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == content_type
    assert reply.headers["Cache-Control"] == "no-store"


def test_directory_without_slash_redirects(server: LiveReloadServer) -> None:
    reply = get(server, "/posts/a?x=1")
    assert reply.status in (301, 302)
    assert reply.headers["Location"] == "/posts/a/?x=1"
    assert "first version" in get(server, "/posts/a/").text


def test_japanese_path(server: LiveReloadServer) -> None:
    encoded = "/tags/%E5%8D%8A%E5%B0%8E%E4%BD%93"
    redirect = get(server, encoded)
    assert redirect.status == 301 and redirect.headers["Location"] == encoded + "/"
    reply = get(server, encoded + "/")
    assert reply.status == 200 and f"<h1>{TAG}</h1>" in reply.text


def test_missing_page_gets_404_html(server: LiveReloadServer) -> None:
    reply = get(server, "/no/such/page/")
    assert reply.status == 404
    assert "custom not found" in reply.text and "/__ssg/livereload" in reply.text


def test_missing_page_without_404_html(server: LiveReloadServer, site: Path) -> None:
    (site / "404.html").unlink()
    reply = get(server, "/nope.html")
    assert reply.status == 404 and "404 Not Found" in reply.text


def test_directory_without_index_is_404_not_a_listing(server: LiveReloadServer) -> None:
    reply = get(server, "/img/")
    assert reply.status == 404 and "logo.svg" not in reply.text


def test_head_matches_get_without_body(server: LiveReloadServer) -> None:
    full = get(server, "/posts/a/")
    head = raw_request(server, "/posts/a/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(full.body))
    assert head.headers["Content-Type"] == full.headers["Content-Type"]


def test_keep_alive_serves_several_requests(server: LiveReloadServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for target in ["/", "/css/site.css", "/posts/a/"]:
        conn.request("GET", target)
        response = conn.getresponse()
        assert response.status == 200 and response.read()
    conn.close()


def test_reload_script_only_in_html(server: LiveReloadServer) -> None:
    html_reply = get(server, "/posts/a/")
    script_at = html_reply.text.index("/__ssg/livereload")
    assert script_at < html_reply.text.rindex("</body>")
    assert html_reply.text.rstrip().endswith("</html>")
    assert "livereload" not in get(server, "/css/site.css").text


# --- rebuilds, overlay, long-polling ----------------------------------------------------------


def test_overlay_after_failed_build_and_gone_after_fix(
    serve: Callable[..., LiveReloadServer], site: Path
) -> None:
    outcome: dict[str, Exception | None] = {"error": None}

    def builder() -> None:
        if outcome["error"] is not None:
            raise outcome["error"]
        (site / "posts/a/index.html").write_text(page("post a", "<p>fixed version</p>"))

    server = serve(builder)
    bad = ContentError("content/posts/a.md", "bad YAML <here> & 'there'", line=3)
    outcome["error"] = BuildFailed([bad, ContentError("content/b.md", "no title")])
    assert server.rebuild() is False
    reply = get(server, "/posts/a/")
    assert "first version" in reply.text  # the last good site is still served
    assert "ssg-error-overlay" in reply.text
    assert "content/posts/a.md:3: bad YAML &lt;here&gt; &amp; &#x27;there&#x27;" in reply.text
    assert "content/b.md: no title" in reply.text
    assert "<here>" not in reply.text
    assert "ssg-error-overlay" in get(server, "/missing/").text

    outcome["error"] = None
    assert server.rebuild() is True
    reply = get(server, "/posts/a/")
    assert "ssg-error-overlay" not in reply.text and "fixed version" in reply.text


def test_unexpected_builder_exception_is_shown_not_fatal(
    serve: Callable[..., LiveReloadServer],
) -> None:
    def builder() -> None:
        raise RuntimeError("boom <b>")

    server = serve(builder)
    assert server.rebuild() is False
    reply = get(server, "/")
    assert reply.status == 200
    assert "RuntimeError: boom &lt;b&gt;" in reply.text


def poll(server: LiveReloadServer, epoch: int) -> dict[str, object]:
    reply = get(server, f"/__ssg/livereload?epoch={epoch}")
    assert reply.status == 200 and reply.headers["Content-Type"] == "application/json"
    return json.loads(reply.body)


def test_long_poll_answers_after_rebuild(serve: Callable[..., LiveReloadServer]) -> None:
    server = serve()
    seen = server.epoch
    answers: list[dict[str, object]] = []
    waiter = threading.Thread(target=lambda: answers.append(poll(server, seen)))
    waiter.start()
    time.sleep(0.3)
    assert not answers  # nothing changed yet: the poll is held open
    server.rebuild()
    waiter.join(timeout=5)
    assert answers == [{"epoch": seen + 1, "action": "reload"}]


def test_long_poll_times_out_with_same_epoch(serve: Callable[..., LiveReloadServer]) -> None:
    server = serve(poll_timeout=0.2)
    assert poll(server, server.epoch) == {"epoch": server.epoch, "action": "css"}


def test_css_only_change_swaps_styles_unless_overlay_must_clear(
    serve: Callable[..., LiveReloadServer],
) -> None:
    fail = {"on": False}

    def builder() -> None:
        if fail["on"]:
            raise BuildFailed([ContentError("content/a.md", "bad")])

    server = serve(builder)
    start = server.epoch
    server.rebuild("css")
    assert poll(server, start) == {"epoch": start + 1, "action": "css"}
    server.rebuild()
    server.rebuild("css")
    assert poll(server, start + 2) == {"epoch": start + 3, "action": "css"}
    assert poll(server, start + 1)["action"] == "reload"  # a full reload was missed
    fail["on"] = True
    server.rebuild("css")
    fail["on"] = False
    server.rebuild("css")  # clears the overlay: a stylesheet swap would leave it up
    assert poll(server, start + 4)["action"] == "reload"


def test_requests_during_a_slow_build_wait_for_it(
    serve: Callable[..., LiveReloadServer], site: Path
) -> None:
    started = threading.Event()
    target = site / "posts/a/index.html"

    def slow_builder() -> None:
        started.set()
        with target.open("w", encoding="utf-8") as f:  # in place, not atomic, on purpose
            f.write("<!doctype html>\n<html><body><p>second ")
            f.flush()
            time.sleep(0.6)
            f.write("version</p></body>\n</html>\n")

    server = serve(slow_builder)
    builder_thread = threading.Thread(target=server.rebuild)
    builder_thread.start()
    assert started.wait(5)
    t0 = time.monotonic()
    reply = get(server, "/posts/a/")
    waited = time.monotonic() - t0
    builder_thread.join()
    assert "second version" in reply.text and reply.text.rstrip().endswith("</html>")
    assert waited > 0.4


def test_a_builder_that_holds_requests_blocks_them_only_while_it_commits(
    serve: Callable[..., LiveReloadServer], site: Path
) -> None:
    preparing, committing, go_on = threading.Event(), threading.Event(), threading.Event()
    holder: list[LiveReloadServer] = []

    def staged_builder() -> None:
        preparing.set()
        go_on.wait(5)  # the long part of a build: parsing and rendering into staging
        with holder[0].hold_requests():
            committing.set()
            time.sleep(0.5)
            (site / "posts/a/index.html").write_text("<html><body>new</body></html>\n")

    server = serve(staged_builder, builder_holds_requests=True)
    holder.append(server)
    build_thread = threading.Thread(target=server.rebuild)
    build_thread.start()
    assert preparing.wait(5)
    t0 = time.monotonic()
    assert "first version" in get(server, "/posts/a/").text  # served at once, old page
    assert time.monotonic() - t0 < 0.3
    go_on.set()
    assert committing.wait(5)
    assert "new" in get(server, "/posts/a/").text  # waited for the commit, then new page
    build_thread.join()


def test_builds_never_overlap(serve: Callable[..., LiveReloadServer]) -> None:
    running, peak = [0], [0]
    lock = threading.Lock()

    def builder() -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    server = serve(builder)
    threads = [threading.Thread(target=server.rebuild) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1


def test_close_frees_the_port(site: Path) -> None:
    server = LiveReloadServer(lambda: None, site, "127.0.0.1", 0)
    server.start()
    port = server.port
    waiter = threading.Thread(target=lambda: get(server, f"/__ssg/livereload?epoch={server.epoch}"))
    waiter.start()
    time.sleep(0.2)
    server.close()
    waiter.join(timeout=5)
    assert not waiter.is_alive()  # a held long-poll is released on close
    again = LiveReloadServer(lambda: None, site, "127.0.0.1", port)
    again.close()


# --- load -----------------------------------------------------------------------------------

LOAD_CLIENTS = 100
LOAD_SECONDS = 8.0
PAGES = 20


def test_load_during_rebuilds(serve: Callable[..., LiveReloadServer], site: Path) -> None:
    """100 clients hammer the server while pages are rewritten in place: no 5xx, no torn pages."""
    generation = [0]

    def rewrite_pages() -> None:
        generation[0] += 1
        filler = f"<p>generation {generation[0]}</p>\n" * 200
        for i in range(PAGES):
            path = site / f"load/{i}/index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8") as f:  # truncate-then-write: torn if unguarded
                f.write(f"<!doctype html>\n<html><body><h1>{i}</h1>\n")
                f.write(filler)
                f.write("</body>\n</html>\n")

    rewrite_pages()
    server = serve(rewrite_pages)
    deadline = time.monotonic() + LOAD_SECONDS
    lock = threading.Lock()
    counts = {"requests": 0, "rebuilds": 0}
    failures: list[str] = []

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        done = 0
        try:
            while time.monotonic() < deadline:
                target = f"/load/{rng.randrange(PAGES)}/"
                conn.request("GET", target)
                response = conn.getresponse()
                body = response.read()
                done += 1
                if response.status != 200 or not body.rstrip().endswith(b"</html>"):
                    failures.append(f"{target}: {response.status} {body[-60:]!r}")
        except Exception as exc:  # connection errors count as failures too
            failures.append(f"client {seed}: {type(exc).__name__}: {exc}")
        finally:
            conn.close()
            with lock:
                counts["requests"] += done

    def rebuild_loop() -> None:
        while time.monotonic() < deadline:
            server.rebuild()
            counts["rebuilds"] += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(LOAD_CLIENTS)]
    threads.append(threading.Thread(target=rebuild_loop))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=LOAD_SECONDS + 30)
    print(
        f"\nload: {counts['requests']} requests from {LOAD_CLIENTS} clients, "
        f"{counts['rebuilds']} rebuilds in {LOAD_SECONDS:.0f} s"
    )
    assert not failures, failures[:5]
    assert counts["requests"] > LOAD_CLIENTS and counts["rebuilds"] > 10
    assert os.path.getsize(site / "load/0/index.html") > 1000


# --- unit pieces -----------------------------------------------------------------------------


def test_resolve_in_root_checks_resolved_paths(site: Path) -> None:
    # Called directly, so the '..' filter in split_target is not what refuses these.
    for escape in ["/../secret.txt", "/../output-secret/key.txt", "/escape.txt", "/escdir/key.txt"]:
        with pytest.raises(BadRequest) as refused:
            resolve_in_root(site, escape)
        assert refused.value.status == 403
    assert resolve_in_root(site, "/posts/../index.html") == site / "index.html"
    assert resolve_in_root(site, "/nope.html") is None


def test_mount_path_serves_the_site_under_base_path(
    serve: Callable[..., LiveReloadServer],
) -> None:
    server = serve(mount_path="/blog")
    assert server.url.endswith("/blog/")
    assert "ホーム" in get(server, "/blog/").text
    assert "first version" in get(server, "/blog/posts/a/").text
    assert get(server, "/").headers["Location"] == "/blog/"
    assert get(server, "/blog").headers["Location"] == "/blog/"
    assert get(server, "/posts/a/").status == 404
    assert get(server, "/blog/../secret.txt").status == 403


def test_wildcard_bind_accepts_ip_literals_only(serve: Callable[..., LiveReloadServer]) -> None:
    server = LiveReloadServer(lambda: None, Path(serve().root), "0.0.0.0", 0)
    server.start()
    try:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert get(server, "/", host=f"192.168.1.20:{server.port}").status == 200
        assert get(server, "/", host=f"evil.example:{server.port}").status == 403
        assert get(server, "/", host="192.168.1.20:1").status == 403
    finally:
        server.close()
