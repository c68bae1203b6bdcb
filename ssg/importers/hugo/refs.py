"""`ref` / `relref` targets found as Hugo finds them: a path from content/ or from the page's
folder, with or without its extension, a bundle's folder, or a unique file name."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable

from ssg.importers.hugo.pages import HugoPage


class RefIndex:
    """Every page's URL under each name a `ref` may use for it."""

    def __init__(self, pages: list[HugoPage]) -> None:
        self._paths: dict[str, str] = {}
        names: dict[str, list[str]] = defaultdict(list)
        for page in pages:
            rel = page.file.rel
            for key in _keys(rel.as_posix()):
                self._paths[key] = page.url
            if rel.stem in ("index", "_index"):
                self._paths[rel.parent.as_posix().lower()] = page.url
            names[rel.name.lower()].append(page.url)
            names[rel.stem.lower()].append(page.url)
            if rel.stem in ("index", "_index"):
                names[rel.parent.name.lower()].append(page.url)
        self._names = {name: urls[0] for name, urls in names.items() if len(set(urls)) == 1}

    def resolver(self, page: HugoPage) -> Callable[[str], str | None]:
        """`resolve` for targets seen from `page`."""
        return lambda target: self.resolve(target, page)

    def resolve(self, target: str, page: HugoPage) -> str | None:
        """The URL `target` names, seen from `page`; None when no page (or several) match."""
        target = target.strip()
        if not target:
            return None
        here = page.file.rel.parent.as_posix()  # a bundle's refs start in its own folder
        candidates = [posixpath.normpath(posixpath.join(here, target)).lstrip("/")]
        candidates.append(posixpath.normpath(target).lstrip("/"))
        for candidate in candidates:
            url = self._paths.get(candidate.lower().removesuffix("/"))
            if url is not None:
                return url
        if "/" not in target.strip("/"):
            return self._names.get(target.strip("/").lower())
        return None


def _keys(rel: str) -> list[str]:
    rel = rel.lower()
    stem = rel.rsplit(".", 1)[0]
    return [rel, stem]
