"""Blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW...) through aiobotocore, the asyncio client
built on botocore. Large files go up as a multipart upload of ``part_size`` parts read one at a time from
the staged file, so memory stays at one part whatever the file's size."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiobotocore.session import get_session  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from .filesystem import check_key

MIN_PART = 5 * 1024 * 1024  # S3's smallest part but the last


class S3Store:
    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key: str | None,
        secret_key: str | None,
        prefix: str = "",
        part_size: int = 8 * 1024 * 1024,
        create_bucket: bool = False,
    ) -> None:
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.prefix = prefix.strip("/")
        self.part_size = max(part_size, MIN_PART)
        self.create_bucket = create_bucket
        self._stack: AsyncExitStack | None = None
        self._client: Any = None

    async def start(self) -> None:
        if not self.bucket:
            raise RuntimeError("the s3 store needs S3_BUCKET (in Kubernetes: the wellflow-documents-storage secret)")
        stack = AsyncExitStack()
        self._client = await stack.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                aws_access_key_id=self.access_key,
                aws_secret_access_key=self.secret_key,
                config=Config(retries={"max_attempts": 5, "mode": "standard"}, s3={"addressing_style": "path"}),
            )
        )
        self._stack = stack
        if self.create_bucket:
            try:
                await self._client.head_bucket(Bucket=self.bucket)
            except ClientError:
                await self._client.create_bucket(Bucket=self.bucket)

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None
            self._client = None

    @property
    def client(self) -> Any:
        if self._client is None:
            raise RuntimeError("the S3 store is not started")
        return self._client

    def object_key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    async def put(self, key: str, source: Path) -> None:
        name = self.object_key(key)
        size = (await asyncio.to_thread(source.stat)).st_size
        try:
            if size <= self.part_size:
                body = await asyncio.to_thread(source.read_bytes)
                await self.client.put_object(Bucket=self.bucket, Key=name, Body=body)
            else:
                await self._multipart(name, source)
        finally:
            await asyncio.to_thread(source.unlink, missing_ok=True)

    async def _multipart(self, name: str, source: Path) -> None:
        started = await self.client.create_multipart_upload(Bucket=self.bucket, Key=name)
        upload_id = started["UploadId"]
        parts: list[dict[str, Any]] = []
        try:
            handle = await asyncio.to_thread(open, source, "rb")
            with handle:
                number = 1
                while True:
                    body = await asyncio.to_thread(handle.read, self.part_size)
                    if not body:
                        break
                    answer = await self.client.upload_part(
                        Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=body
                    )
                    parts.append({"PartNumber": number, "ETag": answer["ETag"]})
                    number += 1
            await self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=name, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            await self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
            raise

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        extra: dict[str, Any] = {}
        if start or end is not None:
            extra["Range"] = f"bytes={start}-{'' if end is None else end}"
        answer = await self.client.get_object(Bucket=self.bucket, Key=self.object_key(key), **extra)
        async with answer["Body"] as body:
            async for chunk in body.iter_chunks(256 * 1024):
                yield chunk

    async def delete(self, key: str) -> None:
        await self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    async def exists(self, key: str) -> bool:
        try:
            await self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True
