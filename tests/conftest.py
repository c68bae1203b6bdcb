"""Shared fixtures: small sites written into tmp_path, and the example site copied there."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ssg.build.report import BuildReport
from ssg.build.session import BuildSession
from ssg.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
# A fixed "now" keeps future-post filtering and output deterministic.
BUILD_TIME = datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

# Debian's chromium, driven by Playwright (no browser download); flags keep it off the network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium; fails (never skips) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; install it with `apt-get install -y chromium`")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/snapshots/ from the current output instead of comparing with it",
    )


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


MINIMAL_CONFIG = 'title: テストサイト\nbase_url: "https://example.com/"\n'


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `{relative path: text}` under root; returns root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def post(title: str = "記事", date: str = "2025-11-20 08:43:29 +0900", body: str = "本文です。",
         **fields: str) -> str:  # fmt: skip
    """A post's text with Jekyll-style front matter; extra fields are written as given."""
    lines = ["---", f'title: "{title}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join([*lines, "---", "", body, ""])


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"content/posts/a.md": post()}) -> a site folder with config.yaml."""

    def _make(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        return write_files(site, {"config.yaml": config, **files})

    return _make


def config_for(site: Path, **overrides: object) -> Config:
    return load_config(site, **{"build_time": BUILD_TIME, **overrides})


def build(config: Config) -> BuildReport:
    """What `ssg build` does: build from the state in .ssg-cache/, then save the new one."""
    session = BuildSession(config)
    try:
        return session.build()
    finally:
        session.save()


def build_site(site: Path, **overrides: object) -> BuildReport:
    return build(config_for(site, **overrides))


def copy_example_site(site: Path) -> Path:
    """Copy the repository's example site (what `make serve` builds) into `site`."""
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    for optional in ("layouts", "static", "data"):
        if (REPO / optional).is_dir():
            shutil.copytree(REPO / optional, site / optional)
    return site


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once per session; returns its output folder."""
    site = copy_example_site(tmp_path_factory.mktemp("example"))
    build(config_for(site))
    return site / "output"
