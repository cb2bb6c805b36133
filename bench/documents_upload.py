"""Documents: a 100 MB upload streams to the filesystem store with constant memory, and back.

    python bench/documents_upload.py [--megabytes 100]

Provisions and migrates a documents database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded servers),
serves the documents app with uvicorn on a local port (a real socket: the body arrives in the server's chunks),
and sends one file of ``--megabytes`` MB (a CSV-like production export, generated on the fly and never whole in
memory) three ways: a multipart upload, a resumable upload in 8 MB chunks, and the download of the file. It samples
the process's resident memory (client and server are this one process) every 10 ms and reports the growth over
the resident size before the upload. The baseline, measured in the same run on the same disk, is writing the same
bytes to a file in 1 MB blocks while hashing them (SHA-256): the least work a content-addressed store can do.

Targets: memory growth under 64 MB; more than 50 MB/s to the filesystem store.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import uvicorn

from _common import Signer, migrated_service
from wellflow_devstack.servers import free_port
from wellflow_documents.bootstrap import create_app
from wellflow_documents.settings import DocumentsSettings
from wellflow_servicekit.runtime import run as run_loop

MB = 1_000_000
BLOCK = 1024 * 1024
BOUNDARY = "wellflowbenchboundary7d3f"


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Sampler:
    """The peak resident size while it runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Sampler:
        self.base = rss_bytes()
        self.peak = self.base
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        self.peak = max(self.peak, rss_bytes())

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, rss_bytes())
            await asyncio.sleep(0.01)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / (1024 * 1024)


def block(index: int) -> bytes:
    """1 MiB of CSV-like lines, different in every block (so nothing is deduplicated)."""
    line = f"42-329-{index:05d},Ranch A #{index % 97:02d},2026-11-{index % 28 + 1:02d},120.50,310.25,45.75\n"
    return (line * (BLOCK // len(line) + 1))[:BLOCK].encode()


async def file_blocks(size: int, start: int = 0) -> AsyncIterator[bytes]:
    sent, index = 0, start
    while sent < size:
        chunk = block(index)[: size - sent]
        sent += len(chunk)
        index += 1
        yield chunk


async def multipart(size: int) -> AsyncIterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nNovember production export\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="document_type"\r\n\r\nreport\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    async for chunk in file_blocks(size):
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def baseline(size: int, folder: Path) -> float:
    """Seconds to write and hash ``size`` bytes in 1 MiB blocks (a thread, as the service does)."""
    digest = hashlib.sha256()
    started = time.perf_counter()
    with open(folder / "baseline.bin", "wb") as handle:
        async for chunk in file_blocks(size):
            await asyncio.to_thread(lambda c=chunk: (digest.update(c), handle.write(c)))
        await asyncio.to_thread(handle.flush)
    elapsed = time.perf_counter() - started
    (folder / "baseline.bin").unlink()
    return elapsed


async def main(megabytes: int) -> None:
    size = megabytes * MB
    async with migrated_service("documents") as env:
        folder = Path(tempfile.mkdtemp(prefix="wellflow-bench-documents-"))
        limit = {"standard": size * 2, "professional": size * 2}
        settings = env.settings(
            DocumentsSettings, "documents", document_storage_path=str(folder / "store"), document_plan_limits=limit,
            document_reminder_interval=0, document_cleanup_interval=0,
        )  # fmt: skip
        signer = Signer()
        app = create_app(settings, token_verifier=signer.verifier())
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        headers = {"Authorization": f"Bearer {signer.token(uuid4(), 'owner')}"}
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=600) as client:
                base_seconds = await baseline(size, folder)
                rows = [("write + SHA-256 to a file (baseline)", base_seconds, None)]

                async with Sampler() as sampled:
                    started = time.perf_counter()
                    answer = await client.post(
                        "/api/v1/documents", content=multipart(size),
                        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
                    )  # fmt: skip
                    seconds = time.perf_counter() - started
                assert answer.status_code == 201, answer.text
                document = answer.json()
                assert document["version"]["size_bytes"] == size
                rows.append(("multipart upload", seconds, sampled.growth_mb))

                async with Sampler() as sampled:
                    started = time.perf_counter()
                    opened = await client.post(
                        "/api/v1/documents/uploads",
                        json={"size_bytes": size, "title": "export, resumable", "document_type": "report",
                              "file_name": "export.csv"},
                    )  # fmt: skip
                    upload_id = opened.json()["id"]
                    chunk_size, offset = 8 * BLOCK, 0
                    while offset < size:
                        length = min(chunk_size, size - offset)
                        sent = await client.put(
                            f"/api/v1/documents/uploads/{upload_id}",
                            content=_range(offset, length),
                            headers={"content-range": f"bytes {offset}-{offset + length - 1}/{size}"},
                        )
                        assert sent.status_code == 200, sent.text
                        offset += length
                    done = await client.post(f"/api/v1/documents/uploads/{upload_id}/complete")
                    seconds = time.perf_counter() - started
                assert done.status_code == 201, done.text
                assert done.json()["version"]["sha256"] == document["version"]["sha256"]
                rows.append(("resumable upload, 8 MiB chunks", seconds, sampled.growth_mb))

                async with Sampler() as sampled:
                    started = time.perf_counter()
                    received = 0
                    async with client.stream("GET", f"/api/v1/documents/{document['id']}/content") as response:
                        async for chunk in response.aiter_bytes():
                            received += len(chunk)
                    seconds = time.perf_counter() - started
                assert received == size
                rows.append(("download", seconds, sampled.growth_mb))
        finally:
            server.should_exit = True
            await serving
    print(f"documents: one {megabytes} MB file to the filesystem store ({env.where}), this process's RSS sampled")
    print(f"  {'path':<36} {'seconds':>8} {'MB/s':>8} {'RSS growth':>11}")
    for name, seconds, growth in rows:
        memory = f"{growth:8.1f} MB" if growth is not None else ""
        print(f"  {name:<36} {seconds:8.2f} {size / MB / seconds:8.1f} {memory:>11}")
    multipart_rate = size / MB / rows[1][1]
    worst_growth = max(growth or 0 for _, _, growth in rows[1:])
    print(
        f"  multipart upload {multipart_rate:.1f} MB/s (target > 50); largest RSS growth {worst_growth:.1f} MB "
        "(target < 64). The resumable path writes every byte twice (chunks kept, then assembled and hashed)."
    )


def _range(offset: int, length: int) -> AsyncIterator[bytes]:
    """The bytes offset..offset+length of the generated file (its blocks are 1 MiB, chunks 8 MiB)."""

    async def blocks() -> AsyncIterator[bytes]:
        first = offset // BLOCK
        skip = offset - first * BLOCK
        remaining = length
        index = first
        while remaining > 0:
            data = block(index)[skip:]
            skip = 0
            data = data[:remaining]
            remaining -= len(data)
            index += 1
            yield data

    return blocks()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    arguments = parser.parse_args()
    run_loop(main(arguments.megabytes))
