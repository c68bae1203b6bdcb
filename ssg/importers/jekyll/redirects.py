"""jekyll-redirect-from (0.16): `redirect_from:` pages (ssg reads the key), `redirect_to:`
pages (config `redirects:` in ssg), and its `/redirects.json`, written as a static file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from ssg.importers.jekyll.config import JekyllConfig
from ssg.importers.jekyll.frontmatter import FrontMatter
from ssg.importers.jekyll.urls import served_url
from ssg.importers.report import URL, ImportReport

PLUGIN = "jekyll-redirect-from"


@dataclass(slots=True)
class Redirects:
    """The old site's redirects: old URL -> the new URL (site-relative) or an address."""

    config: JekyllConfig
    report: ImportReport
    pairs: dict[str, str] = field(default_factory=dict)  # all, for redirects.json
    to: dict[str, str] = field(default_factory=dict)  # redirect_to's, for config redirects

    @property
    def enabled(self) -> bool:
        return PLUGIN in self.config.plugins

    def redirect_from(self, relative: str, fm: FrontMatter, new_url: str) -> list[str]:
        """The URLs `redirect_from:` names, written absolute in the front matter (Jekyll
        wrote `/old` as /old.html, so that is the file the new redirect page takes)."""
        written = fm.get("redirect_from")
        if written is None:
            return []
        urls = [written] if isinstance(written, str) else [u for u in written if isinstance(u, str)]
        absolute = [served_url("/" + url.lstrip("/")) for url in urls]
        if absolute != urls:
            fm.set("redirect_from", absolute if len(absolute) > 1 else absolute[0])
        if not self.enabled:
            self.report.add(relative, fm.line_of("redirect_from"), URL,
                            f"redirect_from: kept; the old site had no {PLUGIN}")  # fmt: skip
            return []
        self.pairs |= dict.fromkeys(absolute, new_url)
        return absolute

    def redirect_to(self, relative: str, fm: FrontMatter, served: str) -> bool:
        """Whether the file is only a redirect (`redirect_to:`): then its URL redirects there
        through config `redirects:` and the file is not brought over."""
        target = fm.get("redirect_to")
        if not self.enabled or not isinstance(target, str) or not target:
            return False
        self.pairs[served] = self.to[served] = target
        note = f"redirect_to: {served} redirects to {target} (config redirects)"
        self.report.add(relative, fm.line_of("redirect_to"), URL, note)
        return True

    def redirects_json(self) -> str | None:
        """The plugin's `/redirects.json` (old path -> absolute URL), None when it wrote none."""
        settings = self.config.data.get("redirect_from")
        if not self.enabled or (isinstance(settings, dict) and settings.get("json") is False):
            return None
        return json.dumps({old: self._absolute(new) for old, new in self.pairs.items()},
                          ensure_ascii=False, separators=(",", ":"))  # fmt: skip

    def _absolute(self, url: str) -> str:
        if "://" in url:
            return url
        path = quote(self.config.baseurl + url, safe="/!$&'()*+,;=:@-._~")
        return self.config.url + path
