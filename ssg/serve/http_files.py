"""From a request target to a file under the served folder, and back out as a response.

Pure pieces of the preview server that know nothing about rebuilds or reloading:
parsing the target (refusing anything that could escape the folder), resolving it to a
file, guessing its content type and reading it.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote_to_bytes

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {
    ".html": HTML,
    ".htm": HTML,
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
}
NOT_FOUND_PAGE = b"<!doctype html><html><body><h1>404 Not Found</h1></body></html>\n"


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class BadRequest(Exception):
    """A request refused before touching the filesystem; carries the HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def split_target(target: str) -> tuple[str, str]:
    """The decoded path and raw query of a request target, refusing anything that could escape.

    http.server decodes the request line as latin-1, so re-encoding gets the raw bytes back.
    Decoding happens once; a '%' left afterwards means double encoding (%252e) and is refused.
    """
    raw_path, _, query = target.partition("?")
    if not raw_path.startswith("/"):
        raise BadRequest(400, "request target must be a path")
    try:
        path = unquote_to_bytes(raw_path.encode("latin-1")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise BadRequest(400, "path is not valid UTF-8") from None
    if any(c in path for c in "%\\\x00") or "//" in path or not path.isprintable():
        raise BadRequest(400, "malformed path")
    if any(part in (".", "..") for part in path.split("/")):
        raise BadRequest(403, "path leaves the site")
    return path, query


def int_param(query: str, name: str) -> int:
    """The integer query parameter `name`, or -1 when it is absent."""
    try:
        return int(parse_qs(query).get(name, ["-1"])[0])
    except ValueError:
        raise BadRequest(400, f"'{name}' must be an integer") from None


def resolve_in_root(root: Path, path: str) -> Path | None:
    """The file `path` names under `root` (resolved), or None if it is missing.

    Checked on resolved paths with is_relative_to, so a symlink out of root and a sibling
    like /x/output-secret next to /x/output are both refused.
    """
    candidate = root.joinpath(*(p for p in path.split("/") if p)).resolve()
    if not candidate.is_relative_to(root):
        raise BadRequest(403, "path leaves the site")
    return candidate if candidate.exists() else None


def read_file(file: Path | None) -> bytes | None:
    """The whole file, or None if it is missing or unreadable.

    Whole files are read into memory so the server's build gate is held only while
    reading, not while a slow client downloads.
    """
    if file is None or not file.is_file():
        return None
    try:
        return file.read_bytes()
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return None


def content_type(file: Path | None) -> str:
    if file is None:
        return HTML
    guessed = CONTENT_TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0]
    return guessed or "application/octet-stream"


def redirect(path: str, query: str) -> Response:
    location = quote(path, safe="/!$&'()*+,;=:@-._~") + (f"?{query}" if query else "")
    return Response(301, b"", headers={"Location": location})
