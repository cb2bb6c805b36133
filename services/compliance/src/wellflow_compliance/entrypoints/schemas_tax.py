"""The month's severance tax summary (split from ``schemas.py``): by lease and in total, what owners bear (what
the revenue run takes), the operator's tax and the regulatory fees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, Field


class LeaseTaxSummaryRead(BaseModel):
    lease_id: UUID
    name: str | None
    revision: int
    owners_tax: Decimal = Field(description="the tax on sold volumes: what the revenue run charges the owners")
    operator_tax: Decimal = Field(description="the tax on crude used or lost, lease use and flare: the operator's")
    regulatory_fees: Decimal
    total: Decimal
    owners_tax_by_product: dict[str, Decimal]


class TaxSummaryRead(BaseModel):
    month: date
    leases: list[LeaseTaxSummaryRead]
    totals: dict[str, Decimal] = Field(description="owners_tax, operator_tax, regulatory_fees, total")
