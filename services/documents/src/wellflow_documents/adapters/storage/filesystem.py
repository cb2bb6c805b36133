"""Blobs in a folder: the dev stack's default (under WELLFLOW_HOME), or a volume in a deployment."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

CHUNK = 256 * 1024


def check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class FileSystemStore:
    name = "filesystem"

    def __init__(self, root: Path | None) -> None:
        self._root = root

    async def start(self) -> None:
        """Refuse to start without a folder (a deployment must name its volume), and make it."""
        if self._root is None:
            raise RuntimeError("the filesystem store needs DOCUMENT_STORAGE_PATH (or WELLFLOW_HOME)")
        await asyncio.to_thread(self._root.mkdir, parents=True, exist_ok=True)

    async def stop(self) -> None:
        return None

    @property
    def root(self) -> Path:
        if self._root is None:
            raise RuntimeError("the filesystem store needs DOCUMENT_STORAGE_PATH (or WELLFLOW_HOME)")
        return self._root

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, source: Path) -> None:
        await asyncio.to_thread(self._put, self.path(key), source)

    @staticmethod
    def _put(target: Path, source: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # content-addressed: the same key holds the same bytes
            source.unlink(missing_ok=True)
            return
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
        try:
            shutil.move(source, temporary)  # a rename when staging is on the same file system
            with open(temporary, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self.path(key), "rb")
        try:
            await asyncio.to_thread(handle.seek, start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                size = CHUNK if remaining is None else min(CHUNK, remaining)
                chunk = await asyncio.to_thread(handle.read, size)
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).exists)
