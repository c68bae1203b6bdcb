"""A site an importer made, as files, written in one step; then built, and its old URLs checked."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssg.build.session import BuildSession
from ssg.config import CONFIG_FILE, load_config
from ssg.content.urls import output_path_for
from ssg.errors import SsgError
from ssg.importers.report import ImportReport

REPORT_FILE = "import-report.txt"


@dataclass(slots=True)
class NewSite:
    """What an importer produces: the new site's config, its files, and what the old site had.

    Paths are relative to the new site (`content/posts/x.md`, `static/assets/a.png`).
    """

    config: dict[str, Any]  # config.yaml's keys, in the order written
    files: dict[str, str] = field(default_factory=dict)  # path -> UTF-8 text (posts, pages)
    copies: dict[str, Path] = field(default_factory=dict)  # path -> old file copied as is
    old_urls: list[str] = field(default_factory=list)  # every URL the old site served
    report: ImportReport = field(default_factory=ImportReport)
    posts: int = 0
    pages: int = 0


def write_new_site(site: NewSite, target: Path) -> None:
    """Write `site` into `target`, which must not exist or be empty: an import never
    overwrites a file. Written into a sibling folder first and renamed, so a failed import
    leaves nothing half-written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SsgError(f"{target}: exists and is not empty; import into a new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=target.parent))
    try:
        config_text = yaml.safe_dump(site.config, allow_unicode=True, sort_keys=False)
        _write(staging / CONFIG_FILE, f"# Written by ssg import; see README.md.\n{config_text}")
        for relative, text in site.files.items():
            _write(staging / relative, text)
        for relative, source in site.copies.items():
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
        _write(staging / REPORT_FILE, site.report.text())
        _write(staging / ".gitignore", "output/\n.ssg-cache/\n")
        if target.exists():
            target.rmdir()  # empty, checked above
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_and_check(target: Path, old_urls: list[str]) -> list[str]:
    """Build the new site in `target` and return the old URLs with no file in its output,
    in order (an empty list: every URL kept)."""
    session = BuildSession(load_config(target))
    try:
        session.build()
    finally:
        session.save()  # so `ssg check` right after the import finds output/ up to date
    output = session.config.output_dir
    return [url for url in old_urls if not _served(output, url)]


def _served(output: Path, url: str) -> bool:
    # Static hosts serve /a/b.html from a/b.html and /a/b/ from a/b/index.html.
    return (output / output_path_for(url)).is_file()


def summary(site: NewSite, missing: list[str], seconds: float) -> str:
    report = site.report
    kept = len(site.old_urls) - len(missing)
    return (
        f"imported {site.posts} posts, {site.pages} pages and {len(site.copies)} other files; "
        f"URLs kept {kept}/{len(site.old_urls)}; {report.count('converted')} constructs "
        f"converted, {report.count('reported')} reported, {report.count('dialect')} dialect "
        f"differences; in {seconds:.2f} s; details in {REPORT_FILE}"
    )
