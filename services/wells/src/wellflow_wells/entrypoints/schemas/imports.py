"""The report of a CSV import of wells."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class ImportRowErrorRead(BaseModel):
    field: str
    message: str


class ImportRowRead(BaseModel):
    row: int = Field(description="line in the file (the header is line 1)")
    status: Literal["created", "rejected"]
    well_id: UUID | None = None
    api_number: str | None = None
    errors: list[ImportRowErrorRead] = []


class ImportReportRead(BaseModel):
    created: int
    rejected: int
    rows: list[ImportRowRead]
