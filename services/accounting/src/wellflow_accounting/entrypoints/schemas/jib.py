"""Joint interest billing: agreements, costs, payments, runs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from .common import (
    LongText,
    Name,
    ShortText,
    _In,
)

CostCategoryIn = Literal["intangible_drilling", "tangible", "completion", "lease_operating", "workover", "other"]
OverheadRate = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]


class AgreementCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    lease_id: UUID
    name: Name
    drilling_overhead_rate: OverheadRate = Field(description="per well per month while drilling")
    producing_overhead_rate: OverheadRate = Field(description="per producing well per month")
    rates_set_on: date = Field(description="the date the rates were agreed; April 1 adjustments after it apply")
    afe_overrun_percent: Percent = Field(default=Decimal("10"), description="AFE overrun that needs a supplement")
    allow_revenue_netting: bool = Field(
        default=False,
        description="the JOA lets the operator net a working-interest owner's JIB balance from its revenue",
    )


class AgreementUpdate(_In):
    name: Name | None = None
    drilling_overhead_rate: OverheadRate | None = None
    producing_overhead_rate: OverheadRate | None = None
    rates_set_on: date | None = None
    afe_overrun_percent: Percent | None = None
    allow_revenue_netting: bool | None = None


class AdjustmentUpdate(_In):
    percent: Annotated[Decimal, Field(ge=-100, le=100, max_digits=7, decimal_places=4)]


class AgreementRead(BaseModel):
    id: UUID
    lease_id: UUID
    name: str
    drilling_overhead_rate: Decimal
    producing_overhead_rate: Decimal
    rates_set_on: date
    afe_overrun_percent: Decimal
    allow_revenue_netting: bool = False
    adjustments: list[dict[str, Any]] = Field(default_factory=list)


class CostCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    incurred_on: date
    lease_id: UUID
    well_id: UUID | None = None
    vendor_id: UUID | None = None
    vendor_name: Name | None = None
    invoice_number: ShortText | None = None
    category: CostCategoryIn
    description: LongText | None = None
    amount: Annotated[Decimal, Field(max_digits=14, decimal_places=2)] = Field(description="negative for a credit")
    afe_number: ShortText | None = None

    @field_validator("amount")
    @classmethod
    def _not_zero(cls, value: Decimal) -> Decimal:
        if value == 0:
            raise ValueError("a cost is not zero")
        return value


class CostRead(BaseModel):
    id: UUID
    incurred_on: date
    lease_id: UUID
    well_id: UUID | None
    vendor_id: UUID | None
    vendor_name: str
    invoice_number: str | None
    category: str
    description: str | None
    amount: Decimal
    afe_number: str | None
    jib_run_id: UUID | None
    source: str
    created_by: str
    created_at: datetime


class ImportRowRead(BaseModel):
    line: int
    status: Literal["recorded", "rejected"]
    cost_id: str | None = None
    reasons: list[str] = Field(default_factory=list)


class ImportRead(BaseModel):
    rows: int
    recorded: int
    rejected: int
    report: list[ImportRowRead]


class PaymentCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried request answers the first result")
    partner_id: UUID
    received_on: date
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
    reference: ShortText | None = None


class PaymentRead(BaseModel):
    id: UUID
    partner_id: UUID
    received_on: date
    amount: Decimal
    reference: str | None
    created_by: str
    created_at: datetime


class JibStatementSummaryRead(BaseModel):
    partner_id: UUID
    name: str
    prior_balance: Decimal
    billed: Decimal
    payments: Decimal
    balance_due: Decimal


class JibRunRead(BaseModel):
    id: UUID
    month: date
    status: str
    totals: dict[str, str]
    warnings: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    issued_by: str | None
    issued_at: datetime | None
    statements: list[JibStatementSummaryRead] = Field(default_factory=list)
