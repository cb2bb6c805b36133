"""The console's files as the gateway answers them: compressed, revalidated by ETag, the service worker filled in
with this release's files, nothing else served, and the same Content-Security-Policy on the document."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re

import httpx
import pytest

from wellflow_gateway.webconsole import CONSOLE_CSP, ConsoleFiles


@pytest.fixture
def client():
    transport = httpx.ASGITransport(app=ConsoleFiles())
    return httpx.AsyncClient(transport=transport, base_url="http://console")


async def test_the_document_is_compressed_revalidated_and_locked_to_this_origin(client):
    async with client:
        first = await client.get("/", headers={"Accept-Encoding": "gzip"})
        assert first.status_code == 200
        assert first.headers["content-encoding"] == "gzip"
        csp = first.headers["content-security-policy"]
        assert csp.startswith(CONSOLE_CSP.split("script-src 'self'")[0] + "script-src 'self' 'sha256-")
        assert "'unsafe-inline'" not in csp
        [script] = re.findall(r"<script>(.*?)</script>", first.text, re.DOTALL)  # index.html's one inline script
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
        # the stylesheet is inside the page (no second round trip before the first paint), allowed by its hash
        [style] = re.findall(r"<style>(.*?)</style>", first.text, re.DOTALL)
        assert style == (await client.get("/assets/app.css")).text and 'rel="stylesheet"' not in first.text
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"style-src 'self' 'sha256-{digest}'" in csp
        assert first.headers["cache-control"] == "no-cache"
        assert "<title>WellFlow</title>" in first.text  # httpx undoes the gzip
        again = await client.get("/", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        plain = await client.get("/assets/app.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.headers["content-type"].startswith("text/javascript")


async def test_the_service_worker_lists_every_file_of_this_release(client):
    files = ConsoleFiles()
    async with client:
        worker = (await client.get("/sw.js")).text
    assert "__ASSETS__" not in worker and "__VERSION__" not in worker
    listed = json.loads(re.search(r"const ASSETS = (\[.*?\]);", worker).group(1))
    assert set(listed) == set(files.files) - {"/sw.js", "/manifest.webmanifest"}
    assert f'const VERSION = "{files.version}"' in worker
    assert all(url == "/" or url.startswith("/assets/") for url in listed)


async def test_nothing_else_is_served_and_nothing_is_written(client):
    async with client:
        assert (await client.get("/assets/../settings.py")).status_code == 404
        assert (await client.get("/assets/nope.js")).status_code == 404
        posted = await client.post("/", content=b"x")
        assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"
        head = await client.head("/assets/app.css")
        assert head.status_code == 200 and head.content == b""


def test_every_file_is_smaller_compressed_and_no_asset_comes_from_elsewhere():
    files = ConsoleFiles()
    for url, entry in files.files.items():
        text = entry.body.decode("utf-8", errors="replace")
        assert not re.search(r"""(src|href)=["']https?://""", text), url
        assert not re.search(r"""import[^;]*from\\s*["']https?://""", text), url
        if entry.gzipped is not None:
            assert gzip.decompress(entry.gzipped) == entry.body
