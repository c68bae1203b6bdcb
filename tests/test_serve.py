"""`ssg serve` glue: the builder it hands the server, reload actions, startup messages."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build, config_for, post

from ssg.config import load_config
from ssg.serve.command import SiteBuilder, reload_action, serve_site, warn_if_exposed
from ssg.serve.server import run_builder
from ssg.serve.watch import Change, ChangeKind


def test_serve_site_reports_a_busy_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.yaml").write_text("title: t\n", encoding="utf-8")
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        assert serve_site(load_config(tmp_path), "127.0.0.1", port) == 1
    assert f"--port {port + 1}" in capsys.readouterr().err


def test_warning_for_other_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    warn_if_exposed("127.0.0.1")
    assert capsys.readouterr().err == ""
    warn_if_exposed("0.0.0.0")
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err


def test_site_builder_rereads_a_changed_config(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "config.yaml").write_text("title: 最初のタイトル\n", encoding="utf-8")
    (site / "content/posts/a.md").write_text(
        "---\ntitle: A\ndate: 2025-01-02 10:00:00 +0900\n---\n本文\n", encoding="utf-8"
    )
    builder = SiteBuilder(load_config(site, include_drafts=True))
    builder()
    assert "最初のタイトル" in (site / "output/index.html").read_text(encoding="utf-8")

    (site / "config.yaml").write_text("title: 新しいタイトル\npaginat: 3\n", encoding="utf-8")
    config_change = frozenset({Change(ChangeKind.CONFIG, site / "config.yaml")})
    assert builder.note(config_change) == "reload"
    assert "paginat" in " ".join(run_builder(builder))  # a ConfigError, shown in the overlay

    (site / "config.yaml").write_text("title: 新しいタイトル\n", encoding="utf-8")
    assert run_builder(builder) == ()
    assert builder.config.include_drafts  # the command line's choice survives the reload
    assert "新しいタイトル" in (site / "output/index.html").read_text(encoding="utf-8")


def test_reload_action() -> None:
    css = Change(ChangeKind.STATIC, Path("/s/static/a.css"))
    js = Change(ChangeKind.STATIC, Path("/s/static/a.js"))
    not_static = Change(ChangeKind.CONTENT, Path("/s/content/a.css"))
    assert reload_action(frozenset({css})) == "css"
    assert reload_action(frozenset({css, js})) == "reload"
    assert reload_action(frozenset({not_static})) == "reload"


def test_site_builder_rebuilds_from_the_cache(make_site: Callable[..., Path]) -> None:
    posts = {f"content/posts/p{i}.md": post(f"記事{i}", body=f"本文{i}") for i in range(5)}
    site = make_site(posts)
    builder = SiteBuilder(config_for(site))
    first = builder()
    # The build state is kept in memory while serving (drawn share images go to the cache)
    assert not (site / ".ssg-cache" / "state.pickle").exists()
    assert builder().rendered == 0  # nothing changed: every page is known to be current

    source = site / "content/posts/p2.md"
    source.write_text(source.read_text(encoding="utf-8").replace("本文2", "新しい本文"), "utf-8")
    edited = builder()
    assert 0 < edited.rendered < first.rendered
    pages = (page.read_text(encoding="utf-8") for page in (site / "output").rglob("*.html"))
    assert any("新しい本文" in text for text in pages)
    builder.save()  # as serve_site does when it stops
    assert build(config_for(site)).rendered == 0


def start_serving(site: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """`ssg serve` on a free port, once it serves; (the process, its "Serving" line)."""
    command = [sys.executable, "-u", "-m", "ssg", "serve", "-s", str(site), "--port", "0"]
    proc = subprocess.Popen([*command, *options], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("Serving"):
            return proc, line
    raise AssertionError(f"ssg serve stopped: {proc.communicate()[0]}")


def test_sigterm_stops_serving_and_saves_the_cache(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/posts/p.md": post("記事")})
    proc, _line = start_serving(site)
    proc.send_signal(signal.SIGTERM)
    rest = proc.communicate(timeout=15)[0]
    assert proc.returncode == 0
    assert "Stopped." in rest
    assert (site / ".ssg-cache/state.pickle").is_file()


def test_serve_writes_into_the_output_folder_chosen_with_d(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = make_site({"content/posts/p.md": post("記事")})
    proc, line = start_serving(site, "-d", str(tmp_path / "preview"))
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=15)
    assert f"Serving {tmp_path / 'preview'} at" in line
    assert (tmp_path / "preview/index.html").is_file()
    assert not (site / "output").exists()
