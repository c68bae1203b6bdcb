"""Time `ssg serve` from saving a post to the edit showing in an open browser tab.

    python bench/serve_reload.py --size 10000 [--edits 7] [--port 8650] [--ref HEAD]
                                 [--save in-place|atomic|vim|jetbrains]

The site is copied from bench/corpus/N (generated first if missing) into a temporary
folder, without its `.ssg-cache`, and `ssg serve` runs on it (writing the copy's output/)
from the working tree, or with `--ref REV` from ssg/ as committed at REV. Once the server
has printed "Serving ...", headless Chromium opens the page of a post from the middle of
the date range (cases.pick_post). Each edit then rewrites that post as an editor's save
does, in place or as `--save` says (the original text plus one Japanese sentence
carrying a unique marker, written through the editor's temp and backup files) and nothing
else happens: the page reloads through ssg's own live-reload script. The first edit is a
warm-up and is not counted; the post is restored at the end.

What is timed, per edit, from the moment before the file is opened for writing (t0):

* **build starts**: when the rebuild began, taken as the time the server printed its
  "Built ... in X ms" line minus X: the watcher's latency, the ~100 ms debounce and
  any wait for the build lock;
* **rebuild**: X itself, the build time `ssg serve` logs;
* **signal**: when this script's own long-poll of /__ssg/livereload (the request the page's
  script makes, but on a fresh connection each time) returns the new epoch;
* **reload starts**: the reloaded document's navigation start (`performance.timeOrigin`);
* **HTML received**: that navigation's `responseEnd`, the page's last byte from the server;
* **visible**: the first animation frame (the one before the next paint) after the marker
  is in the reloaded document's text, recorded by a script Playwright adds to every
  document.

Browser times are read from `performance.timeOrigin + performance.now()` and moved to this
script's `time.time()` clock by an offset measured around an `evaluate` round trip, so
Playwright's own polling does not add to them. The report also counts rebuilds, signals
and page loads per edit: more than one of each means the save was seen twice.

The table is printed and kept in bench/results/serve_reload.md, one section per size.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cases import pick_post

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
CORPUS_DIR = BENCH_DIR / "corpus"
RESULTS_FILE = BENCH_DIR / "results" / "serve_reload.md"
PROJECT_PYTHON = REPO_DIR / ".venv" / "bin" / "python"
RELOAD_PATH = "/__ssg/livereload"  # ssg.serve.livereload.RELOAD_PATH; not imported, ssg/ may change

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/conftest.py: no network chatter from the browser
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SERVING_LINE = re.compile(r"^Serving .* at (?P<url>http://\S+)")
BUILT_LINE = re.compile(
    r"^Built (?P<posts>\d+) posts: (?P<files>\d+) files changed in (?P<ms>\d+) ms"
)

# Runs at the start of every document in the tab. When sessionStorage names a marker and
# the document's text holds it, it records (once per marker) when that happened, the
# next animation frame, and the document's navigation start, all on the wall clock.
WATCH_SCRIPT = """(() => {
  const marker = sessionStorage.getItem("bench-marker");
  if (!marker) return;
  const key = "bench-seen:" + marker;
  const loads = "bench-loads:" + marker;
  sessionStorage.setItem(loads, String(Number(sessionStorage.getItem(loads) || 0) + 1));
  if (sessionStorage.getItem(key)) return;
  const now = () => performance.timeOrigin + performance.now();
  let done = false;
  function check() {
    if (done || !document.body || !document.body.textContent.includes(marker)) return;
    done = true;
    observer.disconnect();
    const inDom = now();
    requestAnimationFrame(() => {
      const frame = now();
      if (sessionStorage.getItem(key)) return;
      const record = () => {
        const nav = performance.getEntriesByType("navigation")[0];
        const responseEnd = nav && nav.responseEnd ? performance.timeOrigin + nav.responseEnd : 0;
        sessionStorage.setItem(key, JSON.stringify(
          {navStart: performance.timeOrigin, responseEnd, inDom, frame}));
      };
      record();
      if (document.readyState !== "complete") addEventListener("load", record);
    });
  }
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true, characterData: true});
  document.addEventListener("DOMContentLoaded", check);
})();"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="posts in the site (corpus N)")
    parser.add_argument("--edits", type=int, default=7, help="timed edits, after one warm-up")
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between edits")
    parser.add_argument(
        "--save", choices=sorted(SAVES), default="in-place", help="how the editor saves"
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed, if it is generated")
    parser.add_argument("--ready-timeout", type=float, default=600.0, help="first build limit")
    parser.add_argument("--edit-timeout", type=float, default=60.0, help="per-edit limit")
    parser.add_argument("--verbose", action="store_true", help="echo the server's output")
    parser.add_argument("--ssg-cmd", default=f"{PROJECT_PYTHON} -m ssg", help="runs ssg")
    parser.add_argument(
        "--ref",
        help="serve with ssg/ as committed at this git revision (exported to a temporary "
        "folder) instead of the working tree, which may be mid-edit",
    )
    return parser.parse_args(argv)


# --- the server and what it prints ---------------------------------------------------


@dataclass
class ServerLog:
    """The server's output lines, each with the wall time it was read."""

    lines: list[tuple[float, str]] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)
    closed: bool = False

    def follow(self, stream: Any, echo: bool) -> None:
        for raw in stream:
            line = raw.rstrip("\n")
            with self.cond:
                self.lines.append((time.time(), line))
                self.cond.notify_all()
            if echo:
                print(f"  [ssg] {line}", file=sys.stderr, flush=True)
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def wait_for(
        self, pattern: re.Pattern[str], after: float, timeout: float
    ) -> tuple[float, re.Match[str]]:
        """The first line read after `after` that matches `pattern`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for at, line in self.lines:
                    if at > after and (m := pattern.search(line)):
                        return at, m
                remaining = deadline - time.monotonic()
                if self.closed:
                    raise RuntimeError("ssg serve exited:\n" + self.tail())
                if remaining <= 0:
                    raise TimeoutError(f"no {pattern.pattern!r} line within {timeout:.0f} s")
                self.cond.wait(remaining)

    def matching(
        self, pattern: re.Pattern[str], start: float, end: float
    ) -> list[tuple[float, re.Match[str]]]:
        with self.cond:
            found = [(at, pattern.search(line)) for at, line in self.lines if start < at <= end]
        return [(at, m) for at, m in found if m is not None]

    def tail(self, count: int = 20) -> str:
        with self.cond:
            return "\n".join(line for _, line in self.lines[-count:])


class SignalWatcher(threading.Thread):
    """Long-polls the reload endpoint as the page does; records when each new epoch arrives."""

    def __init__(self, base_url: str) -> None:
        super().__init__(name="bench-livereload", daemon=True)
        self.base_url = base_url.rstrip("/")
        self.events: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        epoch = -1  # the server answers a stale epoch at once, which gives the current one
        while not self._stop.is_set():
            url = f"{self.base_url}{RELOAD_PATH}?epoch={epoch}"
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    message = json.loads(response.read())
            except (OSError, http.client.HTTPException, ValueError):
                self._stop.wait(0.2)
                continue
            at = time.time()
            if message["epoch"] != epoch:
                if epoch != -1:
                    with self._lock:
                        self.events.append((at, message["epoch"]))
                epoch = message["epoch"]

    def between(self, start: float, end: float) -> list[float]:
        with self._lock:
            return [at for at, _ in self.events if start < at <= end]

    def stop(self) -> None:
        self._stop.set()


@contextlib.contextmanager
def running_server(
    cmd: list[str], log: ServerLog, verbose: bool, cwd: Path
) -> Iterator[subprocess.Popen[str]]:
    # `python -m ssg` imports ssg/ from cwd first, so cwd chooses which code is served.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        errors="replace", env=env, cwd=cwd, preexec_fn=default_sigint,
    )  # fmt: skip
    reader = threading.Thread(target=log.follow, args=(proc.stdout, verbose), daemon=True)
    reader.start()
    try:
        yield proc
    finally:
        stop_process(proc)
        reader.join(timeout=5)


def default_sigint() -> None:
    # A shell's background job starts with SIGINT ignored, and so would the server; it
    # needs the default so that Ctrl-C stops it cleanly (see stop_process).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop_process(proc: subprocess.Popen[str]) -> None:
    """Ctrl-C (ssg serve then saves its cache and frees the port), then harder if need be."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


# --- the site --------------------------------------------------------------------------


def corpus_site(size: int, seed: int) -> Path:
    site = CORPUS_DIR / str(size)
    if not (site / "config.yaml").exists() or not (site / "content" / "posts").is_dir():
        from run import ensure_corpus  # generates bench/corpus/N as `make bench` does

        site = ensure_corpus(size, seed)
    return site


def copy_site(source: Path, dest: Path) -> Path:
    """A working copy without the corpus's parse cache, so the first build starts cold."""
    ignore = shutil.ignore_patterns(".ssg-cache", ".bench-corpus.json", "output", ".output*")
    shutil.copytree(source, dest, ignore=ignore)
    return dest


def front_matter_title(text: str) -> str | None:
    m = re.search(r'^title:\s*"?(.*?)"?\s*$', text, re.MULTILINE)
    return m.group(1) if m else None


def post_page(out_dir: Path, post: Path) -> Path:
    """The built page of `post`: found by its slug, else by its title."""
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", post.stem)
    hits = sorted(out_dir.glob(f"*/*/*/{slug}/index.html"))
    if len(hits) == 1:
        return hits[0]
    title = front_matter_title(post.read_text(encoding="utf-8"))
    if title:
        needle = f"<title>{title}".encode()
        for page in sorted(out_dir.rglob("index.html")):
            if needle in page.read_bytes():
                return page
    raise RuntimeError(f"cannot find the page of {post.name} under {out_dir}")


def edited_text(original: bytes, marker: str) -> bytes:
    sentence = (
        f"ライブリロード計測のための追記です（{marker}）。"
        "保存した本文がすぐに表示されるかを確かめます。"
    )
    return original.rstrip(b"\n") + b"\n\n" + sentence.encode() + b"\n"


def save(path: Path, data: bytes) -> None:
    # One open-truncate-write-close, as an editor that saves in place does (VS Code's default).
    with path.open("wb") as file:
        file.write(data)


def save_atomically(path: Path, data: bytes) -> None:
    """VS Code's atomic save, gedit's: a temp file renamed onto the post."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def save_like_vim(path: Path, data: bytes) -> None:
    """vim's default: probe 4913, move the post aside to post~, write anew, restore its mode."""
    probe = path.with_name("4913")
    probe.write_bytes(b"")
    probe.unlink()
    mode = path.stat().st_mode
    backup = path.with_name(path.name + "~")
    os.replace(path, backup)
    path.write_bytes(data)
    os.chmod(path, mode)
    backup.unlink()


def save_like_jetbrains(path: Path, data: bytes) -> None:
    """JetBrains' safe write: post___jb_tmp___ written, the post moved to ___jb_old___, swapped."""
    temp = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temp.write_bytes(data)
    os.replace(path, old)
    os.replace(temp, path)
    old.unlink()


SAVES = {
    "in-place": save,
    "atomic": save_atomically,
    "vim": save_like_vim,
    "jetbrains": save_like_jetbrains,
}


# --- the browser ------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowserTimes:
    nav_start: float  # wall time, this script's clock
    response_end: float  # nan when the browser did not report it
    in_dom: float
    frame: float
    offset_error: float  # half the evaluate round trip that measured the clock offset


def browser_clock_offset(page: Any) -> tuple[float, float]:
    """(browser wall clock - ours, error bound), in seconds, from the tightest of 5 tries."""
    best: tuple[float, float] | None = None
    for _ in range(5):
        before = time.time()
        theirs = page.evaluate("performance.timeOrigin + performance.now()") / 1000
        after = time.time()
        candidate = (theirs - (before + after) / 2, (after - before) / 2)
        if best is None or candidate[1] < best[1]:
            best = candidate
    assert best is not None
    return best


def wait_for_marker(page: Any, marker: str, timeout: float) -> BrowserTimes:
    from playwright.sync_api import Error as PlaywrightError

    script = f"sessionStorage.getItem('bench-seen:{marker}')"
    deadline = time.monotonic() + timeout
    while True:
        try:
            seen = page.evaluate(script)
        except PlaywrightError:  # the tab is between documents
            seen = None
        if seen:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the edit {marker} was not visible within {timeout:.0f} s")
        time.sleep(0.02)
    page.wait_for_load_state("load")
    times = json.loads(page.evaluate(script) or seen)  # again: the load event adds responseEnd
    offset, error = browser_clock_offset(page)

    def ours(ms: float) -> float:
        return ms / 1000 - offset if ms else float("nan")

    return BrowserTimes(
        nav_start=ours(times["navStart"]),
        response_end=ours(times["responseEnd"]),
        in_dom=ours(times["inDom"]),
        frame=ours(times["frame"]),
        offset_error=error,
    )


# --- one edit ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EditResult:
    build_start: float  # seconds after the save, like the rest
    rebuild: float
    signal: float
    reload_start: float
    response: float
    visible: float
    builds: int
    signals: int
    loads: int


def time_edit(page: Any, post: Path, original: bytes, marker: str, log: ServerLog,
              signals: SignalWatcher, timeout: float, pause: float,
              save_as: str) -> EditResult:  # fmt: skip
    page.evaluate(f"sessionStorage.setItem('bench-marker', '{marker}')")
    t0 = time.time()
    SAVES[save_as](post, edited_text(original, marker))
    browser = wait_for_marker(page, marker, timeout)
    built_at, built = log.wait_for(BUILT_LINE, t0, 10)
    rebuild = int(built["ms"]) / 1000
    deadline = time.monotonic() + 5  # the page reloaded, so the signal is out: wait for ours
    while not (signal_times := signals.between(t0, time.time())) and time.monotonic() < deadline:
        time.sleep(0.01)
    if browser.offset_error > 0.005:
        print(f"  note: browser clock offset known only to ±{ms(browser.offset_error)} ms")
    time.sleep(pause)  # let stray rebuilds or reloads from this save show up in the counts
    end = time.time()
    return EditResult(
        build_start=built_at - rebuild - t0,
        rebuild=rebuild,
        signal=(signal_times[0] - t0) if signal_times else float("nan"),
        reload_start=browser.nav_start - t0,
        response=browser.response_end - t0,
        visible=browser.frame - t0,
        builds=len(log.matching(BUILT_LINE, t0, end)),
        signals=len(signals.between(t0, end)),
        loads=int(page.evaluate(f"sessionStorage.getItem('bench-loads:{marker}') || 0")),
    )


# --- the report ----------------------------------------------------------------------------


@dataclass
class RunInfo:
    size: int
    commit: str
    code: str  # "commit" (the working tree at it) or "ssg/ exported from commit"
    ssg_dirty: bool
    ssg_changed: bool
    post: str
    page_url: str
    first_build_ms: int
    chromium: str
    started: str
    pause: float
    save: str
    load: tuple[float, float]  # 1-minute load average before and after the edits


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:,.0f}"


def summary(values: list[float]) -> tuple[str, str]:
    clean = [v for v in values if v == v]
    if not clean:
        return "n/a", "n/a"
    return ms(statistics.median(clean)), f"{ms(min(clean))}–{ms(max(clean))}"


COLUMNS = [
    ("write → build starts (watch + debounce)", "build_start"),
    ("server rebuild (as logged)", "rebuild"),
    ("write → reload signal", "signal"),
    ("write → page reload starts", "reload_start"),
    ("write → page's HTML received", "response"),
    ("write → text visible", "visible"),
]


def format_report(info: RunInfo, results: list[EditResult]) -> str:
    dirty = " + uncommitted changes in ssg/" if info.ssg_dirty else ""
    lines = [
        f"## `ssg serve`: save → visible in the browser, {info.size:,} posts",
        "",
        f"{info.code} `{info.commit}`{dirty}; {info.started}; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {info.chromium}",
        f"post `{info.post}` (page `{info.page_url}`); first build {info.first_build_ms:,} ms; "
        f"{len(results)} timed edits after 1 warm-up, {info.pause:g} s apart, saved {info.save}; "
        f"load average {info.load[0]:.1f} before, {info.load[1]:.1f} after",
        "",
    ]
    if info.ssg_changed:
        lines += ["**warning:** files under ssg/ changed during this run; "
                  "the figures mix two versions of the code.", ""]  # fmt: skip
    lines += ["| ms | median | min–max |", "| --- | ---: | ---: |"]
    for label, attr in COLUMNS:
        median, spread = summary([getattr(r, attr) for r in results])
        lines.append(f"| {label} | {median} | {spread} |")
    lines += [
        "",
        "| edit | build starts | rebuild | signal | reload starts | HTML received | visible "
        "| rebuilds / signals / page loads |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for i, r in enumerate(results, 1):
        cells = [ms(getattr(r, attr)) for _, attr in COLUMNS]
        lines.append(f"| {i} | " + " | ".join(cells) + f" | {r.builds} / {r.signals} / {r.loads} |")
    return "\n".join(lines) + "\n"


RESULTS_HEADER = (
    "# `ssg serve` reload latency\n\n"
    "Written by `bench/serve_reload.py`; one section per site size, the latest run of each.\n"
)


def save_report(section: str, size: int) -> None:
    """Replace this size's section in the results file, keeping the other sizes'."""
    sections: dict[int, str] = {}
    if RESULTS_FILE.exists():
        for chunk in re.split(r"^<!-- size (\d+) -->\n", RESULTS_FILE.read_text(), flags=re.M)[1:]:
            if chunk.isdigit():
                current = int(chunk)
            else:
                sections[current] = chunk.strip() + "\n"
    sections[size] = section
    body = "\n".join(f"<!-- size {n} -->\n{sections[n]}" for n in sorted(sections))
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(RESULTS_HEADER + "\n" + body)


# --- the run ---------------------------------------------------------------------------------


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO_DIR, capture_output=True, text=True)
    return done.stdout.strip()


def ssg_fingerprint() -> str:
    """Changes whenever a file under ssg/ does, committed or not."""
    return (
        git("rev-parse", "HEAD")
        + git("diff", "HEAD", "--", "ssg")
        + git("ls-files", "--others", "--exclude-standard", "ssg")
    )


def export_ssg(ref: str, dest: Path) -> Path:
    """ssg/ as committed at `ref`, written under dest (no checkout: the tree is shared)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "ssg"], cwd=REPO_DIR, capture_output=True,
        check=True,
    )  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def run(args: argparse.Namespace) -> tuple[RunInfo, list[EditResult]]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing; install it with `apt-get install -y chromium`")
    if not port_is_free(args.port):
        sys.exit(f"port {args.port} is busy; pick another with --port (8600-8699)")
    if args.ref:
        commit = git("rev-parse", "--short", args.ref)
        if not commit:
            sys.exit(f"unknown git revision {args.ref!r}")
        fingerprint, ssg_dirty = "", False
    else:
        commit = git("log", "-1", "--format=%h")
        fingerprint = ssg_fingerprint()
        ssg_dirty = bool(git("status", "--porcelain", "--", "ssg"))
    source = corpus_site(args.size, args.seed)
    started = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")

    with tempfile.TemporaryDirectory(prefix="ssg-serve-bench-") as tmp:
        site = copy_site(source, Path(tmp) / "site")
        out_dir = site / "output"
        post = pick_post(site / "content" / "posts")
        original = post.read_bytes()
        code_dir = export_ssg(args.ref, Path(tmp) / "code") if args.ref else REPO_DIR
        # `ssg serve` has no -d: it writes SITE/output (config.yaml sets no output_dir).
        cmd = [*args.ssg_cmd.split(), "serve", "-s", str(site), "--port", str(args.port)]
        log = ServerLog()
        print(f"N={args.size}: serving a copy in {tmp} on port {args.port} (commit {commit})",
              flush=True)  # fmt: skip
        with running_server(cmd, log, args.verbose, code_dir):
            serving_at, serving = log.wait_for(SERVING_LINE, 0, args.ready_timeout)
            built = log.matching(BUILT_LINE, 0, serving_at)
            if not built:
                raise RuntimeError("the first build failed:\n" + log.tail())
            first = built[0][1]
            print(f"  first build: {first.group(0)}", flush=True)
            base_url = serving["url"]
            page_path = "/" + post_page(out_dir, post).relative_to(out_dir).parent.as_posix() + "/"
            page_url = base_url.rstrip("/") + quote(page_path)
            signals = SignalWatcher(base_url)
            signals.start()
            load_before = os.getloadavg()[0]
            results: list[EditResult] = []
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                    )
                    try:
                        page = browser.new_page()
                        page.add_init_script(WATCH_SCRIPT)
                        page.goto(page_url, wait_until="load")
                        token = secrets.token_hex(3).upper()
                        for i in range(args.edits + 1):
                            marker = f"RELOAD{token}E{i:02d}"
                            result = time_edit(page, post, original, marker, log, signals,
                                               args.edit_timeout, args.pause,
                                               args.save)  # fmt: skip
                            label = "warm-up" if i == 0 else f"edit {i}"
                            print(f"  {label}: visible after {ms(result.visible)} ms "
                                  f"(rebuild {ms(result.rebuild)} ms, signal {ms(result.signal)} "
                                  f"ms)", flush=True)  # fmt: skip
                            if i > 0:
                                results.append(result)
                    finally:
                        browser.close()
            finally:
                restored_at = time.time()
                save(post, original)
                with contextlib.suppress(TimeoutError, RuntimeError):
                    log.wait_for(BUILT_LINE, restored_at, 60)  # the restore's rebuild finishes
                signals.stop()
        if post.read_bytes() != original:
            raise RuntimeError(f"{post} was not restored")

    info = RunInfo(
        size=args.size,
        commit=commit,
        code="ssg/ exported from commit" if args.ref else "working tree at commit",
        ssg_dirty=ssg_dirty,
        ssg_changed=bool(fingerprint) and ssg_fingerprint() != fingerprint,
        post=post.relative_to(site).as_posix(),
        page_url=page_path,
        first_build_ms=int(first["ms"]),
        chromium=chromium_version(),
        started=started,
        pause=args.pause,
        save=args.save,
        load=(load_before, os.getloadavg()[0]),
    )
    return info, results


def chromium_version() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True,
                              timeout=30)  # fmt: skip
        if m := re.search(r"Chromium [\d.]+", done.stdout):
            return m.group(0)
    return "Chromium"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info, results = run(args)
    report = format_report(info, results)
    print()
    print(report)
    save_report(report, info.size)
    print(f"written to {RESULTS_FILE.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
