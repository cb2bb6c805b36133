"""Integration events published by the documents service (the operator's papers and photos).

Events about one document share the aggregate key ``documents.document:<document_id>``, so a document's
versions and its reminders arrive in the order they happened. They carry ids and facts (type, title, links
to other services' things, the version's SHA-256), never the file: a consumer that needs the bytes downloads
them through the API.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from wellflow_contracts.base import IntegrationEvent


class DocumentLink(BaseModel):
    """A thing in another service the document is about: its kind and that service's id for it."""

    kind: Literal["lease", "well", "permit", "afe", "partner", "run_ticket", "reading", "form_pr_version"]
    id: UUID


class DocumentAdded(IntegrationEvent):
    """A document or a new version of one was kept: complete, hashed and visible (version 1 is a new document)."""

    type: Literal["documents.document_added.v1"] = "documents.document_added.v1"
    document_id: UUID
    version: int = Field(ge=1)
    document_type: str = Field(description="lease, title_opinion, division_order, permit, afe, joa, invoice, ...")
    title: str
    file_name: str
    media_type: str = Field(description="from the content's bytes, not the uploader's claim")
    size_bytes: int = Field(ge=0)
    sha256: str
    links: list[DocumentLink] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    expires_on: date | None = None
    added_by: UUID
    reason: str = ""

    aggregate_field = "document_id"


class DocumentExpiring(IntegrationEvent):
    """A document's expiration date is ``days_before`` days away or nearer (sent once per version, expiry
    date and threshold, for the nearest threshold reached)."""

    type: Literal["documents.document_expiring.v1"] = "documents.document_expiring.v1"
    document_id: UUID
    version: int = Field(ge=1)
    version_id: UUID
    document_type: str
    title: str
    expires_on: date
    days_before: int = Field(ge=0, description="the reminder threshold reached")
    days_left: int = Field(ge=0, description="days from the reminder's day to the expiration date")
    links: list[DocumentLink] = Field(default_factory=list)

    aggregate_field = "document_id"
