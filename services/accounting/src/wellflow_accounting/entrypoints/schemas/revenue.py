"""Prices, revenue distribution runs, owner statements and suspense."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from ...domain.distribution import Product
from .common import (
    PositiveMoney,
    Price,
    Volume,
    _In,
)


class PriceCreate(_In):
    month: date = Field(description="first day of the sales month")
    product: Product
    lease_id: UUID | None = Field(default=None, description="none: the price for every lease without its own")
    price: Price


class PurchaserStatementCreate(_In):
    month: date
    product: Product
    lease_id: UUID
    purchaser_id: UUID
    volume: Volume
    price: Price | None = Field(default=None, description="derived from gross value / volume when omitted")
    gross_value: PositiveMoney
    deductions: PositiveMoney = Decimal("0")


class PriceRead(BaseModel):
    id: UUID
    month: date
    product: str
    lease_id: UUID | None
    price: Decimal
    source: str
    purchaser_id: UUID | None
    volume: Decimal | None
    gross_value: Decimal | None
    deductions: Decimal | None
    created_by: str
    created_at: datetime


class RunCreate(_In):
    month: date = Field(description="first day of the sales month")


class SaleRead(BaseModel):
    id: UUID
    lease_id: UUID
    month: date
    product: str
    revision: int
    volume: Decimal
    price: Decimal
    gross_value: Decimal
    severance_tax: Decimal
    deductions: Decimal
    tax_source: str
    price_source: str
    is_adjustment: bool
    explanation: str | None


class RunRead(BaseModel):
    id: UUID
    month: date
    status: str
    totals: dict[str, str]
    warnings: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    finalized_by: str | None
    finalized_at: datetime | None
    sales: list[SaleRead] = Field(default_factory=list)


class StatementSummaryRead(BaseModel):
    partner_id: UUID
    name: str
    earned: Decimal
    title_held: Decimal
    released_title: Decimal
    prior_minimum: Decimal
    paid: Decimal
    minimum_delta: Decimal
    reason: str


class SuspenseRead(BaseModel):
    partner_id: UUID
    reason: str
    lease_id: UUID | None
    balance: Decimal
    since: date
