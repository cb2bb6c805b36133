"""Incoming files written to a local staging folder as they arrive, hashed on the way: memory holds one
buffer (``flush_bytes``) whatever the file's size."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from ..app.ports import Staged, TooLarge
from ..domain.content import HEAD_BYTES


class LocalStaging:
    def __init__(self, folder: Path, *, flush_bytes: int = 1024 * 1024) -> None:
        self.folder = folder
        self.flush_bytes = flush_bytes

    def new_path(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{uuid.uuid4().hex}.part"

    async def receive(self, chunks: AsyncIterator[bytes], *, limit: int) -> Staged:
        path = self.new_path()
        digest = hashlib.sha256()
        head = bytearray()
        size = 0
        pending: list[bytes] = []
        pending_size = 0
        handle: BinaryIO = await asyncio.to_thread(open, path, "wb")
        try:
            async for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                if size > limit:
                    raise TooLarge(limit)
                if len(head) < HEAD_BYTES:
                    head.extend(chunk[: HEAD_BYTES - len(head)])
                pending.append(chunk)
                pending_size += len(chunk)
                if pending_size >= self.flush_bytes:
                    await asyncio.to_thread(_write, handle, digest, b"".join(pending))
                    pending, pending_size = [], 0
            if pending:
                await asyncio.to_thread(_write, handle, digest, b"".join(pending))
            await asyncio.to_thread(handle.close)
        except BaseException:
            handle.close()
            path.unlink(missing_ok=True)
            raise
        return Staged(path=path, sha256=digest.hexdigest(), size=size, head=bytes(head))

    def discard(self, staged: Staged | Path | None) -> None:
        if staged is None:
            return
        path = staged.path if isinstance(staged, Staged) else staged
        path.unlink(missing_ok=True)


def _write(handle: BinaryIO, digest: hashlib._Hash, data: bytes) -> None:
    digest.update(data)
    handle.write(data)
