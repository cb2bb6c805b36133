"""Fields: the register body and the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, StringConstraints

from .common import (
    Name,
    ShortText,
    Strict,
)


class FieldCreate(Strict):
    name: Name
    code: ShortText | None = None
    basin: ShortText | None = None
    county: ShortText | None = None
    state: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")] = "TX"


class FieldRead(BaseModel):
    id: UUID
    name: str
    code: str | None
    basin: str | None
    county: str | None
    state: str
    created_at: datetime
    updated_at: datetime
