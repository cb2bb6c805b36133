"""Request and response bodies (lists answer ``Page[...]``). Rules that need no database (enums, ranges, places,
tax id shape) are checked here, so a bad value answers 422 naming the field before anything is written."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from wellflow_servicekit.pages import Page as Page

from ..domain.decks import DeckKind, InterestType
from ..domain.distribution import Product
from ..domain.partners import PartnerKind, PartnerRole, PaymentMethod, mask_tax_id, normalize_tax_id


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold U+0000: refused here as bad input, naming the field."""
    if "\x00" in value:
        raise ValueError("text may not contain the NUL character")
    return value


NoNul = AfterValidator(_no_nul)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoNul]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoNul]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), NoNul]
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
PositiveMoney = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Volume = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
OwnershipDecimal = Annotated[Decimal, Field(gt=0, le=1, max_digits=10, decimal_places=8)]
Rate = Annotated[Decimal, Field(ge=0, lt=1, max_digits=10, decimal_places=8)]
Acres = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=6)]


def _tax_id(value: str) -> str:
    return normalize_tax_id(value)


TaxId = Annotated[str, AfterValidator(_tax_id)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{4,17}$")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), NoNul
]
StateCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)
]
Routing = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{9}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- partners


class _PartnerFields(_In):
    email: Email | None = None
    phone: ShortText | None = None
    address_line1: Name | None = None
    address_line2: Name | None = None
    city: ShortText | None = None
    state: StateCode | None = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}(-[0-9]{4})?$")] | None = (
        None
    )
    bank_name: ShortText | None = None
    bank_routing_number: Routing | None = None
    bank_account_number: Digits | None = None
    tax_id: TaxId | None = Field(default=None, description="SSN or EIN, nine digits; always answered masked")
    owner_number: ShortText | None = None


class PartnerIn(_PartnerFields):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    name: Name
    kind: PartnerKind
    roles: Annotated[list[PartnerRole], Field(min_length=1)]
    payment_method: PaymentMethod = PaymentMethod.CHECK

    @field_validator("roles")
    @classmethod
    def _unique(cls, roles: list[PartnerRole]) -> list[PartnerRole]:
        return sorted(set(roles))


class PartnerPatch(_PartnerFields):
    name: Name | None = None
    kind: PartnerKind | None = None
    roles: Annotated[list[PartnerRole], Field(min_length=1)] | None = None
    payment_method: PaymentMethod | None = None
    status: Literal["active", "inactive"] | None = None


class PartnerOut(BaseModel):
    id: UUID
    name: str
    kind: str
    roles: list[str]
    email: str | None
    phone: str | None
    address_line1: str | None
    address_line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    payment_method: str
    bank_name: str | None
    bank_routing_number: str | None
    bank_account_number: str | None = Field(description="masked: last four digits")
    tax_id: str | None = Field(description="masked: last four digits")
    owner_number: str | None
    status: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> PartnerOut:
        account = row.get("bank_account_number")
        return cls.model_validate(
            {
                **row,
                "tax_id": mask_tax_id(row.get("tax_id")),
                "bank_account_number": ("****" + account[-4:]) if account else None,
            }
        )


# ---------------------------------------------------------------- decks


class DeckLineIn(_In):
    partner_id: UUID
    interest_type: InterestType
    decimal: OwnershipDecimal


class DeckIn(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    lease_id: UUID
    kind: DeckKind
    effective_from: date
    effective_to: date | None = Field(default=None, description="exclusive; none for open-ended")
    note: LongText | None = None
    lines: Annotated[list[DeckLineIn], Field(min_length=1, max_length=2000)]


class DeckEnd(_In):
    effective_to: date | None


class DeckLineOut(BaseModel):
    partner_id: UUID
    interest_type: str
    decimal: Decimal


class DeckOut(BaseModel):
    id: UUID
    lease_id: UUID
    kind: str
    effective_from: date
    effective_to: date | None
    note: str | None
    created_by: str
    created_at: datetime
    lines: list[DeckLineOut]
    total: Decimal


class TractIn(_In):
    net_mineral_acres: Acres
    unit_acres: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=6)]
    royalty_rate: Rate


class DecimalHelperIn(_In):
    """Either tracts (a royalty owner's decimal) or a working interest with the lease's burdens (its NRI)."""

    tracts: list[TractIn] | None = None
    working_interest: Annotated[Decimal, Field(gt=0, le=1, max_digits=10, decimal_places=8)] | None = None
    royalty: Rate = Decimal(0)
    orri: Rate = Decimal(0)
    other_burdens: Rate = Decimal(0)


class DecimalHelperOut(BaseModel):
    decimal: Decimal
    formula: str


# ---------------------------------------------------------------- title holds


class TitleHoldIn(_In):
    status: Literal["pay", "suspend"]
    reason: LongText | None = None


class TitleHoldOut(BaseModel):
    partner_id: UUID
    lease_id: UUID
    status: str
    reason: str | None
    changed_by: str
    changed_at: datetime


# ---------------------------------------------------------------- prices and distribution


class PriceIn(_In):
    month: date = Field(description="first day of the sales month")
    product: Product
    lease_id: UUID | None = Field(default=None, description="none: the price for every lease without its own")
    price: Price


class PurchaserStatementIn(_In):
    month: date
    product: Product
    lease_id: UUID
    purchaser_id: UUID
    volume: Volume
    price: Price | None = Field(default=None, description="derived from gross value / volume when omitted")
    gross_value: PositiveMoney
    deductions: PositiveMoney = Decimal("0")


class PriceOut(BaseModel):
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


class RunIn(_In):
    month: date = Field(description="first day of the sales month")


class SaleOut(BaseModel):
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


class RunOut(BaseModel):
    id: UUID
    month: date
    status: str
    totals: dict[str, str]
    warnings: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    finalized_by: str | None
    finalized_at: datetime | None
    sales: list[SaleOut] = Field(default_factory=list)


class StatementSummaryOut(BaseModel):
    partner_id: UUID
    name: str
    earned: Decimal
    title_held: Decimal
    released_title: Decimal
    prior_minimum: Decimal
    paid: Decimal
    minimum_delta: Decimal
    reason: str


class SuspenseOut(BaseModel):
    partner_id: UUID
    reason: str
    lease_id: UUID | None
    balance: Decimal
    since: date


# ---------------------------------------------------------------- joint interest billing

CostCategoryIn = Literal["intangible_drilling", "tangible", "completion", "lease_operating", "workover", "other"]
OverheadRate = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]


class AgreementIn(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    lease_id: UUID
    name: Name
    drilling_overhead_rate: OverheadRate = Field(description="per well per month while drilling")
    producing_overhead_rate: OverheadRate = Field(description="per producing well per month")
    rates_set_on: date = Field(description="the date the rates were agreed; April 1 adjustments after it apply")
    afe_overrun_percent: Percent = Field(default=Decimal("10"), description="AFE overrun that needs a supplement")


class AgreementPatch(_In):
    name: Name | None = None
    drilling_overhead_rate: OverheadRate | None = None
    producing_overhead_rate: OverheadRate | None = None
    rates_set_on: date | None = None
    afe_overrun_percent: Percent | None = None


class AdjustmentIn(_In):
    percent: Annotated[Decimal, Field(ge=-100, le=100, max_digits=7, decimal_places=4)]


class AgreementOut(BaseModel):
    id: UUID
    lease_id: UUID
    name: str
    drilling_overhead_rate: Decimal
    producing_overhead_rate: Decimal
    rates_set_on: date
    afe_overrun_percent: Decimal
    adjustments: list[dict[str, Any]] = Field(default_factory=list)


class CostIn(_In):
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


class CostOut(BaseModel):
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


class ImportRowReport(BaseModel):
    line: int
    status: Literal["recorded", "rejected"]
    cost_id: str | None = None
    reasons: list[str] = Field(default_factory=list)


class ImportReport(BaseModel):
    rows: int
    recorded: int
    rejected: int
    report: list[ImportRowReport]


class PaymentIn(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried request answers the first result")
    partner_id: UUID
    received_on: date
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
    reference: ShortText | None = None


class PaymentOut(BaseModel):
    id: UUID
    partner_id: UUID
    received_on: date
    amount: Decimal
    reference: str | None
    created_by: str
    created_at: datetime


class JibStatementSummary(BaseModel):
    partner_id: UUID
    name: str
    prior_balance: Decimal
    billed: Decimal
    payments: Decimal
    balance_due: Decimal


class JibRunOut(BaseModel):
    id: UUID
    month: date
    status: str
    totals: dict[str, str]
    warnings: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    issued_by: str | None
    issued_at: datetime | None
    statements: list[JibStatementSummary] = Field(default_factory=list)


# ---------------------------------------------------------------- AFEs


class AfeLineIn(_In):
    kind: Literal["intangible", "tangible"]
    category: CostCategoryIn
    description: LongText | None = None
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]


class AfeIn(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    afe_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), NoNul]
    title: Name
    lease_id: UUID
    well_id: UUID | None = None
    parent_afe_id: UUID | None = Field(default=None, description="set for a supplemental AFE")
    overrun_percent: Percent | None = Field(default=None, description="defaults to the lease's agreement")
    description: LongText | None = None
    lines: Annotated[list[AfeLineIn], Field(max_length=500)] = Field(default_factory=list)


class AfeLinesIn(_In):
    lines: Annotated[list[AfeLineIn], Field(max_length=500)]


class AfeTransitionIn(_In):
    status: Literal["draft", "pending_approval", "approved", "rejected", "in_progress", "completed", "closed"]
    note: LongText | None = None


class ElectionIn(_In):
    partner_id: UUID
    election: Literal["consent", "non_consent"]
    decided_on: date


class AfeOut(BaseModel):
    id: UUID
    afe_number: str
    title: str
    lease_id: UUID
    well_id: UUID | None
    parent_afe_id: UUID | None
    status: str
    overrun_percent: Decimal
    description: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    lines: list[dict[str, Any]] = Field(default_factory=list)
    elections: list[dict[str, Any]] = Field(default_factory=list)
    history: list[dict[str, Any]] = Field(default_factory=list)
    supplement_ids: list[UUID] = Field(default_factory=list)
    estimate: Decimal | None = None
    approved_total: Decimal | None = None
    actual: Decimal | None = None


class AlertOut(BaseModel):
    id: UUID
    kind: str
    afe_id: UUID | None
    message: str
    details: dict[str, Any]
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
