"""Documents: upload one (multipart, streamed), list and filter, read, change metadata, add versions,
download (whole or a range), thumbnails, legal hold, delete."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

import json
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from wellflow_servicekit.kernel import invalid
from wellflow_servicekit.pages import Page

from ...app import content
from ...app import documents as docs
from ...app.common import Documents
from ...domain.content import content_disposition
from ..multipart import MultipartForm
from ..schemas import DocumentRead, DocumentType, DocumentUpdate, DocumentVersionRead, LegalHold, LinkKind
from .common import FORM_SLACK, Deleter, DocumentsDep, Limit, Offset, Reader, Writer, check_declared_length, page_of
from .common import stage as stage_body

documents_router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

FORM_DESCRIPTION = (
    "multipart/form-data: `file` (the file), `title`, `document_type`, optional `tags` (comma-separated), "
    "`links` (JSON list of {kind, id}) or repeated `link` fields (`kind:id`), `description`, `expires_on`, "
    "`retain_until`, `keep_location` (true keeps a photo's GPS/EXIF), `id` (client-chosen, for retries)"
)
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                        "document_type": {"type": "string"},
                        "tags": {"type": "string"},
                        "links": {"type": "string"},
                        "description": {"type": "string"},
                        "expires_on": {"type": "string", "format": "date"},
                        "retain_until": {"type": "string", "format": "date"},
                        "keep_location": {"type": "boolean"},
                        "reason": {"type": "string"},
                        "id": {"type": "string", "format": "uuid"},
                        "expected_version": {"type": "integer"},
                    },
                }
            }
        },
    }
}


async def _receive_form(request: Request, documents: Documents, organization_id: UUID) -> tuple[MultipartForm, Any]:
    limit = documents.options.upload_limit(organization_id)
    check_declared_length(request, limit, FORM_SLACK)
    form = MultipartForm(request.headers.get("content-type"), request.stream())
    staged = await stage_body(documents, form.chunks(), limit)
    return form, staged


def _form_metadata(form: MultipartForm) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": form.value("title"),
        "document_type": form.value("document_type"),
        "description": form.value("description") or "",
        "expires_on": form.value("expires_on") or None,
        "retain_until": form.value("retain_until") or None,
    }
    tags = form.value("tags")
    data["tags"] = [tag for tag in (tags or "").split(",") if tag.strip()]
    links: list[Any] = []
    raw = form.value("links")
    if raw:
        try:
            links = json.loads(raw)
        except ValueError:
            raise invalid("body.links", "a JSON list of {kind, id}") from None
        if not isinstance(links, list):
            raise invalid("body.links", "a JSON list of {kind, id}")
    for index, pair in enumerate(form.fields.get("link", [])):
        kind, sep, target = pair.partition(":")
        if not sep:
            raise invalid(f"body.link[{index}]", "kind:id, e.g. lease:0193...")
        links.append({"kind": kind.strip(), "id": target.strip()})
    data["links"] = links
    return data


def _flag(form: MultipartForm, name: str) -> bool:
    return (form.value(name) or "").strip().lower() in ("1", "true", "yes", "on")


def _uuid(form: MultipartForm, name: str) -> UUID | None:
    raw = form.value(name)
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise invalid(f"body.{name}", "a UUID") from None


@documents_router.post(
    "", status_code=201, response_model=DocumentRead, openapi_extra=UPLOAD_BODY, description=FORM_DESCRIPTION
)
async def upload_document(request: Request, response: Response, actor: Writer, documents: DocumentsDep) -> Any:
    form, staged = await _receive_form(request, documents, actor.organization_id)
    try:
        data = _form_metadata(form)
        document_id = _uuid(form, "id")
    except Exception:
        documents.staging.discard(staged)
        raise
    prepared = await docs.prepare(documents, staged, keep_location=_flag(form, "keep_location"))
    document, created = await docs.add_document(
        documents, actor, data, prepared, document_id=document_id, file_name=form.file_name
    )
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/v1/documents/{document['id']}"
    return document


@documents_router.get("", response_model=Page[DocumentRead])
async def list_documents(
    actor: Reader,
    documents: DocumentsDep,
    document_type: Annotated[DocumentType | None, Query()] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=100, description="words of the title")] = None,
    link_kind: Annotated[LinkKind | None, Query(description="documents linked to a thing of this kind")] = None,
    link_id: Annotated[UUID | None, Query(description="... with this id (with link_kind)")] = None,
    expires_before: Annotated[date | None, Query(description="expiring on or before this day")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    if link_id is not None and link_kind is None:
        raise invalid("query.link_kind", "name the kind of the linked thing with link_id")
    filters = {"document_type": document_type, "tag": (tag or "").strip().lower() or None, "q": q,
               "link_kind": link_kind, "link_id": link_id, "expires_before": expires_before}  # fmt: skip
    return page_of(await docs.list_documents(documents, actor, filters, limit=limit, offset=offset))


@documents_router.get("/{document_id}", response_model=DocumentRead)
async def get_document(document_id: UUID, actor: Reader, documents: DocumentsDep) -> Any:
    return await docs.get_document(documents, actor, document_id)


@documents_router.patch("/{document_id}", response_model=DocumentRead)
async def update_document(document_id: UUID, body: DocumentUpdate, actor: Writer, documents: DocumentsDep) -> Any:
    data = body.model_dump(exclude_unset=True, mode="python")
    if "links" in data:
        data["links"] = [{"kind": link["kind"], "id": link["id"]} for link in data["links"] or []]
    for name in ("title", "document_type", "tags", "description"):
        if name in data and data[name] is None:
            raise invalid(f"body.{name}", "may not be null")
    return await docs.update_document(documents, actor, document_id, data)


@documents_router.delete("/{document_id}", status_code=204)
async def delete_document(document_id: UUID, actor: Deleter, documents: DocumentsDep) -> Response:
    await docs.delete_document(documents, actor, document_id)
    return Response(status_code=204)


@documents_router.put("/{document_id}/legal-hold", response_model=DocumentRead)
async def place_legal_hold(document_id: UUID, body: LegalHold, actor: Writer, documents: DocumentsDep) -> Any:
    return await docs.set_legal_hold(documents, actor, document_id, hold=True, reason=body.reason)


@documents_router.delete("/{document_id}/legal-hold", response_model=DocumentRead)
async def release_legal_hold(document_id: UUID, actor: Deleter, documents: DocumentsDep) -> Any:
    return await docs.set_legal_hold(documents, actor, document_id, hold=False, reason=None)


@documents_router.post(
    "/{document_id}/versions",
    status_code=201,
    response_model=DocumentRead,
    openapi_extra=UPLOAD_BODY,
    description="multipart/form-data: `file`, `reason` (why), optional `expected_version`, `keep_location`",
)
async def add_version(document_id: UUID, request: Request, actor: Writer, documents: DocumentsDep) -> Any:
    await docs.get_document(documents, actor, document_id)  # 404 before the body is read
    form, staged = await _receive_form(request, documents, actor.organization_id)
    expected = form.value("expected_version")
    if expected is not None and not expected.isdigit():
        documents.staging.discard(staged)
        raise invalid("body.expected_version", "the version number you saw")
    prepared = await docs.prepare(documents, staged, keep_location=_flag(form, "keep_location"))
    return await docs.add_version(
        documents,
        actor,
        document_id,
        prepared,
        reason=form.value("reason") or "",
        file_name=form.file_name,
        expected_version=int(expected) if expected else None,
    )


@documents_router.get("/{document_id}/versions", response_model=list[DocumentVersionRead])
async def list_versions(document_id: UUID, actor: Reader, documents: DocumentsDep) -> Any:
    return await docs.list_versions(documents, actor, document_id)


async def _download(
    documents: Documents, organization_id: UUID, document_id: UUID, number: int | None, request: Request
) -> StreamingResponse:
    found = await content.download(documents, organization_id, document_id, number, request.headers.get("range"))
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Disposition": content_disposition(found.file_name),
        "ETag": f'"{found.sha256}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=0",
    }
    if found.range is None:
        headers["Content-Length"] = str(found.size)
        return StreamingResponse(found.body, status_code=200, media_type=found.media_type, headers=headers)
    headers["Content-Length"] = str(found.range.length)
    headers["Content-Range"] = found.range.content_range(found.size)
    return StreamingResponse(found.body, status_code=206, media_type=found.media_type, headers=headers)


FILE_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "the file"},
    206: {"content": {"application/octet-stream": {}}, "description": "the range asked for"},
    416: {"description": "no byte of the file is in the range"},
}


@documents_router.get("/{document_id}/content", response_class=StreamingResponse, responses=FILE_ANSWER)
async def download_current(document_id: UUID, request: Request, actor: Reader, documents: DocumentsDep) -> Any:
    return await _download(documents, actor.organization_id, document_id, None, request)


@documents_router.get(
    "/{document_id}/versions/{number}/content", response_class=StreamingResponse, responses=FILE_ANSWER
)
async def download_version(
    document_id: UUID,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    request: Request,
    actor: Reader,
    documents: DocumentsDep,
) -> Any:
    return await _download(documents, actor.organization_id, document_id, number, request)


@documents_router.get(
    "/{document_id}/thumbnail",
    response_class=StreamingResponse,
    # declared as bytes for generated clients (some cannot read image/* answers); the answer is image/jpeg
    responses={200: {"content": {"application/octet-stream": {}}, "description": "a JPEG, 320 px at most"}},
)
async def get_thumbnail(document_id: UUID, actor: Reader, documents: DocumentsDep) -> Any:
    body = await content.thumbnail(documents, actor.organization_id, document_id, None)
    return StreamingResponse(body, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})
