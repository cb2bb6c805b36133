"""Resumable uploads: open one, PUT its chunks with Content-Range, ask how far it got, finish or cancel it."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from wellflow_servicekit.http import created_or_replayed
from wellflow_servicekit.kernel import invalid

from ...app import uploads
from ...domain.content import parse_content_range
from ..schemas import DocumentRead, UploadCreate, UploadRead
from .common import DocumentsDep, Writer

uploads_router = APIRouter(prefix="/api/v1/documents/uploads", tags=["documents"])

CHUNK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
    "parameters": [
        {
            "name": "Content-Range",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "bytes <first>-<last>/<total>",
        }
    ],
}


@uploads_router.post("", status_code=201, response_model=UploadRead)
async def open_upload(body: UploadCreate, response: Response, actor: Writer, documents: DocumentsDep) -> Any:
    data = body.model_dump(mode="python")
    data["links"] = [{"kind": link["kind"], "id": link["id"]} for link in data["links"]]
    upload = created_or_replayed(response, await uploads.open_upload(documents, actor, data))
    response.headers["Location"] = f"/api/v1/documents/uploads/{upload['id']}"
    return upload


@uploads_router.get("/{upload_id}", response_model=UploadRead)
async def get_upload(upload_id: UUID, actor: Writer, documents: DocumentsDep) -> Any:
    return await uploads.get_upload(documents, actor, upload_id)


@uploads_router.put("/{upload_id}", response_model=UploadRead, openapi_extra=CHUNK_BODY)
async def put_chunk(upload_id: UUID, request: Request, actor: Writer, documents: DocumentsDep) -> Any:
    await uploads.get_upload(documents, actor, upload_id)  # 404 before the body or its range is read
    try:
        chunk = parse_content_range(request.headers.get("content-range"))
    except ValueError as exc:
        raise invalid("header.content-range", str(exc)) from None
    return await uploads.receive_chunk(documents, actor, upload_id, chunk, request.stream())


@uploads_router.post("/{upload_id}/complete", status_code=201, response_model=DocumentRead)
async def finish_upload(upload_id: UUID, response: Response, actor: Writer, documents: DocumentsDep) -> Any:
    document = created_or_replayed(response, await uploads.finish_upload(documents, actor, upload_id))
    response.headers["Location"] = f"/api/v1/documents/{document['id']}"
    return document


@uploads_router.delete("/{upload_id}", status_code=204)
async def cancel_upload(upload_id: UUID, actor: Writer, documents: DocumentsDep) -> Response:
    await uploads.cancel_upload(documents, actor, upload_id)
    return Response(status_code=204)
