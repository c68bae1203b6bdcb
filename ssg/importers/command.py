"""`ssg import jekyll|hugo SRC -s NEW_SITE`: read the old site, write the new one, build it,
and check that every old URL is there."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ssg.errors import SsgError
from ssg.importers.new_site import NewSite, build_and_check, summary, write_new_site


def reader_for(generator: str) -> Callable[[Path], NewSite]:
    if generator == "jekyll":
        from ssg.importers.jekyll import read_jekyll_site

        return read_jekyll_site
    from ssg.importers.hugo import read_hugo_site

    return read_hugo_site


def import_site(generator: str, source: Path, target: Path) -> tuple[NewSite, list[str], str]:
    """Import `source` (a `generator` site) into the new folder `target`; returns the site
    made, the old URLs its build does not serve, and the summary line."""
    if not source.is_dir():
        raise SsgError(f"{source}: no such folder (the {generator} site to import)")
    started = time.perf_counter()
    site = reader_for(generator)(source.resolve())
    write_new_site(site, target)
    missing = build_and_check(target, site.old_urls)
    return site, missing, summary(site, missing, time.perf_counter() - started)
