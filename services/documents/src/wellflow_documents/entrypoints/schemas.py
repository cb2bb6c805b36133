"""The documents API's bodies and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

DocumentType = Literal["lease", "title_opinion", "division_order", "permit", "afe", "joa", "invoice", "run_ticket",
                       "photo", "report", "other"]  # fmt: skip
LinkKind = Literal["lease", "well", "permit", "afe", "partner", "run_ticket", "reading", "form_pr_version"]


class Link(BaseModel):
    kind: LinkKind
    id: UUID


class DocumentVersionRead(BaseModel):
    number: int
    file_name: str
    media_type: str = Field(description="what the content is, from its bytes")
    size_bytes: int
    sha256: str
    reason: str = Field(description="why this version was added")
    location_kept: bool = Field(description="an image kept with its EXIF/GPS metadata at the uploader's request")
    has_thumbnail: bool
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    created_by: UUID
    created_at: datetime


class DocumentRead(BaseModel):
    id: UUID
    title: str
    document_type: DocumentType
    tags: list[str]
    description: str
    links: list[Link]
    expires_on: date | None
    retain_until: date | None
    legal_hold: bool
    legal_hold_reason: str | None
    current_version: int
    version: DocumentVersionRead | None
    created_by: UUID
    created_at: datetime
    updated_at: datetime


class DocumentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=200)
    document_type: DocumentType | None = None
    tags: list[str] | None = None
    description: str | None = Field(default=None, max_length=2000)
    links: list[Link] | None = None
    expires_on: date | None = None
    retain_until: date | None = None


class LegalHold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, description="the matter or request the document is held for")


class UploadCreate(BaseModel):
    """A resumable upload: a new document (its metadata here) or, with ``document_id``, a new version."""

    model_config = ConfigDict(extra="forbid")

    id: UUID | None = Field(default=None, description="client-chosen, for retries; also the new document's id")
    document_id: UUID | None = Field(default=None, description="upload a new version of this document")
    size_bytes: int = Field(ge=1, description="the whole file's size")
    file_name: str | None = Field(default=None, max_length=255)
    title: str | None = Field(default=None, max_length=200)
    document_type: DocumentType | None = None
    tags: list[str] = Field(default_factory=list)
    description: str = Field(default="", max_length=2000)
    links: list[Link] = Field(default_factory=list)
    expires_on: date | None = None
    retain_until: date | None = None
    keep_location: bool = Field(default=False, description="keep a photo's GPS position and EXIF metadata")
    reason: str = Field(default="", max_length=500, description="why (for a new version)")


class UploadRead(BaseModel):
    id: UUID
    document_id: UUID | None
    file_name: str | None
    total_bytes: int
    received_bytes: int
    status: Literal["open", "complete"]
    result_document_id: UUID | None
    result_version: int | None
    created_at: datetime
    expires_at: datetime
