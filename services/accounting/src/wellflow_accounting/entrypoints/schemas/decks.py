"""Ownership decks, the decimal helper and title holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from ...domain.decks import DeckKind, InterestType
from .common import (
    Acres,
    LongText,
    OwnershipDecimal,
    Rate,
    _In,
)


class DeckLineCreate(_In):
    partner_id: UUID
    interest_type: InterestType
    decimal: OwnershipDecimal
    cost_free: bool = Field(
        default=False, description="a cost-free royalty: bears none of the lease's deductions (the others do)"
    )


class DeckCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    lease_id: UUID
    kind: DeckKind
    effective_from: date
    effective_to: date | None = Field(default=None, description="exclusive; none for open-ended")
    note: LongText | None = None
    lines: Annotated[list[DeckLineCreate], Field(min_length=1, max_length=2000)]


class DeckUpdate(_In):
    effective_to: date | None


class DeckLineRead(BaseModel):
    partner_id: UUID
    interest_type: str
    decimal: Decimal
    cost_free: bool = False


class DeckRead(BaseModel):
    id: UUID
    lease_id: UUID
    kind: str
    effective_from: date
    effective_to: date | None
    note: str | None
    created_by: str
    created_at: datetime
    lines: list[DeckLineRead]
    total: Decimal


class TractCreate(_In):
    net_mineral_acres: Acres
    unit_acres: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=6)]
    royalty_rate: Rate


class DecimalHelperCreate(_In):
    """Either tracts (a royalty owner's decimal) or a working interest with the lease's burdens (its NRI)."""

    tracts: list[TractCreate] | None = None
    working_interest: Annotated[Decimal, Field(gt=0, le=1, max_digits=10, decimal_places=8)] | None = None
    royalty: Rate = Decimal(0)
    orri: Rate = Decimal(0)
    other_burdens: Rate = Decimal(0)


class DecimalHelperRead(BaseModel):
    decimal: Decimal
    formula: str


class TitleHoldUpdate(_In):
    status: Literal["pay", "suspend"]
    reason: LongText | None = None


class TitleHoldRead(BaseModel):
    partner_id: UUID
    lease_id: UUID
    status: str
    reason: str | None
    changed_by: str
    changed_at: datetime
