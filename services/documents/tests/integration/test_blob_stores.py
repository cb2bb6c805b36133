"""One behaviour, every blob store: the folder and an S3-compatible bucket. The bucket is moto's S3 server, a
real S3 HTTP API on 127.0.0.1 (path-style requests, multipart uploads, ranges), run in this process."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx
import pytest

from wellflow_devstack.pytest_plugin import service_settings
from wellflow_documents.adapters.storage import FileSystemStore, S3Store
from wellflow_documents.bootstrap import create_app
from wellflow_documents.settings import DocumentsSettings

from .conftest import SERVICE_DIR, FakeClock, Service, pdf_bytes

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_store(endpoint: str, bucket: str) -> S3Store:
    return S3Store(bucket=bucket, endpoint_url=endpoint, region="us-east-1", access_key="testing",
                   secret_key="testing", prefix="wellflow", part_size=5 * MIB, create_bucket=True)  # fmt: skip


@pytest.fixture(params=["filesystem", "s3"])
async def store(request, tmp_path, s3_endpoint):
    if request.param == "filesystem":
        folder = FileSystemStore(tmp_path / "store")
        await folder.start()
        yield folder
        return
    bucket = s3_store(s3_endpoint, f"docs-{os.urandom(4).hex()}")
    await bucket.start()
    try:
        yield bucket
    finally:
        await bucket.stop()


def local_file(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / hashlib.sha256(data).hexdigest()
    path.write_bytes(data)
    return path


async def read_all(store, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([chunk async for chunk in store.read(key, start, end)])


async def test_a_blob_is_put_read_by_range_and_deleted(store, tmp_path):
    data = os.urandom(300_000)
    key = "blobs/org/ab/abcdef"
    source = local_file(tmp_path / "staging", data)
    await store.put(key, source)
    assert not source.exists()  # the staged file is consumed
    assert await store.exists(key)
    assert await read_all(store, key) == data
    assert await read_all(store, key, 1000, 1999) == data[1000:2000]
    assert await read_all(store, key, 299_990) == data[299_990:]
    await store.put(key, local_file(tmp_path / "staging", data))  # the same content again: harmless
    assert await read_all(store, key) == data
    await store.delete(key)
    assert not await store.exists(key)


async def test_a_large_blob_goes_up_in_parts(store, tmp_path):
    data = os.urandom(12 * MIB + 123)  # three 5 MiB parts in S3
    await store.put("blobs/org/big", local_file(tmp_path / "staging", data))
    assert hashlib.sha256(await read_all(store, "blobs/org/big")).digest() == hashlib.sha256(data).digest()
    middle = await read_all(store, "blobs/org/big", 5 * MIB - 10, 5 * MIB + 9)
    assert middle == data[5 * MIB - 10 : 5 * MIB + 10]


async def test_keys_cannot_climb_out(store, tmp_path):
    for key in ("../etc/passwd", "/abs", "a//b", "a/./b", ""):
        with pytest.raises(ValueError):
            await store.put(key, local_file(tmp_path / "staging", b"x"))


async def test_the_api_keeps_documents_in_a_bucket(service_database, infra, root, token_mint, tmp_path, s3_endpoint):
    database = await service_database("documents", migrations=SERVICE_DIR)
    settings = service_settings(
        DocumentsSettings, "documents", database, infra, root, document_storage="s3",
        document_staging_path=str(tmp_path / "staging"), document_reminder_interval=0, document_cleanup_interval=0,
    )  # fmt: skip
    bucket = s3_store(s3_endpoint, f"api-{os.urandom(4).hex()}")
    await bucket.start()
    app = create_app(settings, token_verifier=token_mint.verifier(), clock=FakeClock(), store=bucket)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://documents.test") as client,
        ):
            service = Service(client, token_mint, FakeClock(), app, database, tmp_path / "unused")
            data = pdf_bytes(pages=2, text_marker="bucket")
            created = await service.upload(data)
            assert created.status_code == 201, created.text
            url = f"/api/v1/documents/{created.json()['id']}"
            part = await client.get(f"{url}/content", headers={**service.headers(), "Range": "bytes=5-14"})
            assert part.status_code == 206 and part.content == data[5:15]
            sha = created.json()["version"]["sha256"]
            key = f"blobs/{service.org_a}/{sha[:2]}/{sha}"
            assert await bucket.exists(key)
            assert (await client.delete(url, headers=service.headers())).status_code == 204
            assert not await bucket.exists(key)
    finally:
        await bucket.stop()
