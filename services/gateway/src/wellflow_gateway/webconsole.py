"""The web console's files, served by the gateway at `/` (the console then calls the same public REST API).

The console is its own project, `console/` at the repository's root: the `wellflow-console` package, plain HTML,
CSS and JavaScript modules as package data (`wellflow_console.static_dir()`) and the code tables rendered from
Python (`wellflow_console.generated()`). Nothing is built or downloaded, so the project's install is the
console's install. Every file is read once at start, gzip-compressed once, and answered
from memory with a strong ETag (a conditional request gets 304) and `Cache-Control: no-cache` (the browser
revalidates; the service worker keeps the copy the pumper needs offline). `/sw.js` is filled in with the list of
files and a version hash of all of them, so a new release replaces the offline copy.

Paths served: `/` (index.html), `/sw.js`, `/manifest.webmanifest` and `/assets/...`; anything else under
`/assets/` is 404. The console's Content-Security-Policy allows only this origin (no CDN) and no inline script but
index.html's own, by its hash (`console_csp`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.types import Receive, Scope, Send

import wellflow_console

CONSOLE_DIR = wellflow_console.static_dir()

CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
_INLINE_STYLE = re.compile(rb"<style>(.*?)</style>", re.DOTALL)
# index.html's stylesheet, put inside the page when it is served: a linked stylesheet holds the first paint until
# it arrives (a second round trip, 2 s on a field connection); inline, the page is drawn from its first answer
_STYLESHEET_LINK = b'<link rel="stylesheet" href="/assets/app.css">'
_STYLESHEET = "/assets/app.css"


def _hashes(pattern: re.Pattern[bytes], html: bytes) -> str:
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode() + "'" for block in pattern.findall(html)
    )


def inline_stylesheet(index_html: bytes, stylesheet: bytes) -> bytes:
    """index.html with its stylesheet link replaced by the stylesheet itself (see ``_STYLESHEET_LINK``)."""
    if b"</style" in stylesheet:
        raise ValueError("the console's stylesheet cannot be put inside the page: it contains '</style'")
    return index_html.replace(_STYLESHEET_LINK, b"<style>" + stylesheet + b"</style>", 1)


def console_csp(index_html: bytes) -> str:
    """The CSP of the console's page: CONSOLE_CSP with each inline script and style of ``index_html`` allowed by
    its SHA-256 (CSP level 2 hash sources): index.html's one small script, which decides before the first paint
    whether its built-in sign-in form shows, and the stylesheet put inside the page. Nothing else inline runs
    or applies, and no attribute handler."""
    csp = CONSOLE_CSP
    scripts, styles = _hashes(_INLINE_SCRIPT, index_html), _hashes(_INLINE_STYLE, index_html)
    if scripts:
        csp = csp.replace("script-src 'self'", "script-src 'self' " + scripts, 1)
    if styles:
        csp = csp.replace("style-src 'self'", "style-src 'self' " + styles, 1)
    return csp


_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
}
_MIN_GZIP = 512


@dataclass(frozen=True, slots=True)
class _File:
    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


def _entry(body: bytes, name: str) -> _File:
    content_type = _TYPES.get(Path(name).suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    gzipped = gzip.compress(body, compresslevel=9, mtime=0) if len(body) >= _MIN_GZIP else None
    if gzipped is not None and len(gzipped) >= len(body):
        gzipped = None
    return _File(body, gzipped, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


class ConsoleFiles:
    """The console's files in memory, by URL path."""

    def __init__(self, root: Path = CONSOLE_DIR, *, reload: bool = False) -> None:
        self.root = root
        self.reload = reload
        self._read()

    def _read(self) -> None:
        """The files from ``root``, and the page's CSP, which allows the page's inline script and style by hash."""
        self.files, self.version = self._load(self.root)
        self.csp = console_csp(self.files["/"].body) if "/" in self.files else CONSOLE_CSP

    @staticmethod
    def _load(root: Path) -> tuple[dict[str, _File], str]:
        files: dict[str, _File] = {}
        sources = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "sw.js")
        for path in sources:
            relative = path.relative_to(root).as_posix()
            url = "/" if relative == "index.html" else "/" + relative
            files[url] = _entry(path.read_bytes(), path.name)
        for relative, body in wellflow_console.generated().items():  # rendered from Python, never a file
            files["/" + relative] = _entry(body, relative)
        if "/" in files and _STYLESHEET in files:
            files["/"] = _entry(inline_stylesheet(files["/"].body, files[_STYLESHEET].body), "index.html")
        version = hashlib.sha256(b"".join(f.etag.encode() for _, f in sorted(files.items()))).hexdigest()[:16]
        cached = sorted(url for url in files if url != "/manifest.webmanifest")
        worker = (root / "sw.js").read_text(encoding="utf-8")
        worker = worker.replace("__VERSION__", version).replace("__ASSETS__", json.dumps(cached))
        files["/sw.js"] = _entry(worker.encode(), "sw.js")
        return files, version

    def handles(self, path: str) -> bool:
        return path in self.files or path.startswith("/assets/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        method = scope["method"]
        if self.reload:
            self._read()
        entry = self.files.get(path)
        headers: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]
        if method not in ("GET", "HEAD"):
            headers += [(b"allow", b"GET, HEAD"), (b"content-type", b"text/plain")]
            await _answer(send, 405, headers, b"Method not allowed", method)
            return
        if entry is None:
            headers.append((b"content-type", b"text/plain; charset=utf-8"))
            await _answer(send, 404, headers, b"Not found", method)
            return
        headers += [
            (b"content-type", entry.content_type.encode()),
            (b"cache-control", b"no-cache"),
            (b"etag", entry.etag.encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        if path == "/":
            headers.append((b"content-security-policy", self.csp.encode()))
        elif path == "/sw.js":
            headers.append((b"content-security-policy", CONSOLE_CSP.encode()))
        if path == "/sw.js":
            headers.append((b"service-worker-allowed", b"/"))
        request_headers = dict(scope["headers"])
        if entry.etag.encode() in request_headers.get(b"if-none-match", b""):
            await _answer(send, 304, [h for h in headers if h[0] != b"content-type"], b"", method)
            return
        body = entry.body
        if entry.gzipped is not None and b"gzip" in request_headers.get(b"accept-encoding", b""):
            body = entry.gzipped
            headers.append((b"content-encoding", b"gzip"))
        await _answer(send, 200, headers, body, method)


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, method: str) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
