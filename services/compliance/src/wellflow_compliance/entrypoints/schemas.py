"""The compliance API's schemas: request bodies ``XCreate`` (POST) and ``XUpdate`` (PUT, or a state change),
answers ``XRead`` and ``Page[XRead]`` (docs/compliance.md describes them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wellflow_contracts.events.compliance import SeveranceTaxLine
from wellflow_servicekit.pages import Page

__all__ = ["Page"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        """PostgreSQL text cannot hold NUL: refuse it as bad input instead of failing on insert."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value


class OperatorUpdate(_Body):
    rrc_operator_number: str = Field(description="the 6-digit RRC operator number from Form P-5", max_length=20)
    name: str | None = Field(default=None, max_length=200)


class AdjustmentCreate(_Body):
    lease_id: UUID
    product: Literal["liquid", "gas", "remark"] = Field(
        description="liquid: oil or condensate disposition; gas: gas disposition; remark: a remark only"
    )
    code: str | None = Field(default=None, max_length=2, description="Form PR disposition code, e.g. 07 or 10")
    volume: Decimal = Field(
        default=Decimal("0"), ge=Decimal("-10000000"), le=Decimal("10000000"), max_digits=14, decimal_places=4
    )
    authority: Literal["AR", "AE", "EP", "EX"] | None = Field(default=None, description="for gas 10/11 only")
    remark: str | None = Field(default=None, max_length=500)
    reason: str = Field(min_length=3, max_length=500, description="why the office makes this adjustment")


class AdjustmentVoidUpdate(_Body):
    reason: str = Field(min_length=3, max_length=500)


class ProductPriceUpdate(_Body):
    price: Decimal | None = Field(default=None, ge=0, le=Decimal("100000"), max_digits=14, decimal_places=6)
    gross_value: Decimal | None = Field(
        default=None, ge=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2, description="actual receipts"
    )
    marketing_costs: Decimal = Field(
        default=Decimal("0"), ge=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2
    )

    @model_validator(mode="after")
    def _one_value(self) -> ProductPriceUpdate:
        if (self.price is None) == (self.gross_value is None):
            raise ValueError("give either price (per unit) or gross_value (actual receipts), not both or neither")
        return self


class PricesUpdate(_Body):
    liquid: ProductPriceUpdate | None = Field(
        default=None, description="oil (oil lease) or condensate (gas lease), $/BBL"
    )
    gas: ProductPriceUpdate | None = Field(default=None, description="casinghead or gas well gas, $/MCF")

    @model_validator(mode="after")
    def _something(self) -> PricesUpdate:
        if self.liquid is None and self.gas is None:
            raise ValueError("give a liquid or a gas price")
        if self.liquid is not None and self.liquid.marketing_costs:
            raise ValueError("marketing costs are deducted from gas only (Tax Code 201.101)")
        return self


class ReliefCreate(_Body):
    code: Literal["enhanced_recovery", "low_producing_oil", "low_producing_gas", "high_cost_gas", "inactive_well"]
    effective_from: date
    effective_to: date | None = None
    inputs: dict[Literal["certified_price", "well_cost", "median_cost"], Annotated[Decimal, Field(ge=0, le=10**12)]] = (
        Field(default_factory=dict, description="certified_price, well_cost, median_cost (as the relief needs)")
    )


class ObligationPaidUpdate(_Body):
    note: str | None = Field(default=None, max_length=500)


# ---------------------------------------------------------------- answers


class OperatorRead(BaseModel):
    name: str | None
    rrc_operator_number: str | None
    source: str | None = Field(description="identity (from sign-up) or manual")
    updated_by: str | None
    updated_at: datetime | None


class ReportedAsRead(BaseModel):
    kind: Literal["lease_number", "gas_well_id", "api_number", "permit_number", "none"]
    identifier: str | None


class LeaseWellRead(BaseModel):
    id: UUID
    api_number: str
    gas_well_id: str | None
    status: str
    permit_number: str | None = Field(default=None, description="drilling permit (W-1) number, from the registry")


class PurchaserRead(BaseModel):
    """A Form P-4 purchaser or gatherer of one of the lease's products (from the well registry)."""

    product: str
    role: Literal["purchaser", "gatherer"]
    name: str
    p5_number: str
    effective_from: str | None = None
    effective_to: str | None = None


class LeaseRead(BaseModel):
    id: UUID
    name: str
    rrc_district: str
    rrc_lease_number: str | None
    lease_type: str
    status: str
    reported_as: ReportedAsRead
    wells: list[LeaseWellRead]
    purchasers: list[PurchaserRead] = []


class IssueRead(BaseModel):
    severity: Literal["error", "warning"]
    code: str = Field(description="stable code, e.g. measured-variance, flare-authority-missing")
    message: str
    lease_id: UUID | None
    field: str | None


class DispositionRead(BaseModel):
    code: str
    volume: int
    authority: str | None
    description: str


class GasWellLineRead(BaseModel):
    """One gas well's Form PR line on a gas lease with several gas wells (the lease's figures allocated)."""

    well_id: UUID
    gas_well_id: str | None = Field(description="the RRC gas well ID the line is reported under; None: not entered")
    api_number: str | None
    beginning_stock: int
    liquid_production: int
    liquid_dispositions: list[DispositionRead]
    ending_stock: int
    gas_production: int
    gas_dispositions: list[DispositionRead]
    remarks: list[str]


class LineRead(BaseModel):
    lease_id: UUID
    lease_name: str
    lease_type: str
    rrc_district: str
    identifier_kind: str
    identifier: str | None
    api_numbers: list[str]
    liquid_product: str
    gas_product: str
    beginning_stock: int
    liquid_production: int
    liquid_dispositions: list[DispositionRead]
    liquid_disposed: int
    ending_stock: int
    gas_production: int
    gas_dispositions: list[DispositionRead]
    gas_disposed: int
    remarks: list[str]
    issues: list[IssueRead]
    source_revision: int | None = Field(description="production's revision of the lease-month the line was built from")
    liquid_basis: Literal["gauged", "readings"] = Field(
        default="readings", description="gauged: from month-end net stock (inventory method); readings: no gauge"
    )
    liquid_readings: Decimal | None = Field(default=None, description="the pumpers' readings for the month, BBL")
    liquid_variance: Decimal | None = Field(default=None, description="readings - gauge-derived production, BBL")
    gas_wells: list[GasWellLineRead] = Field(
        default=[], description="a gas lease with several gas wells: its Form PR lines, one per gas well ID"
    )
    purchasers: list[PurchaserRead] = Field(default=[], description="the lease's Form P-4 purchasers and gatherers")


FiledVia = Literal["manual", "stand-in", "rrc"]
STAND_IN_LABEL = "RRC stand-in: nothing was sent to the RRC"


class VersionSummaryRead(BaseModel):
    version: int
    kind: Literal["original", "amended"]
    state: Literal["submitted", "awaiting_confirmation", "accepted", "rejected"]
    submitted_by: str
    submitted_at: datetime
    confirmation_number: str | None
    reasons: list[str]
    decided_at: datetime | None
    submission: dict[str, str] | None
    submission_url: str | None
    filed_via: FiledVia | None = Field(
        default=None, description="manual (prepared for filing by hand), stand-in (dev stack and demo) or rrc"
    )
    notice: str | None = Field(default=None, description=f"'{STAND_IN_LABEL}' on a stand-in's answer")


class VersionRead(VersionSummaryRead):
    payload: dict = Field(description="the report exactly as it was submitted (WellFlow's export format)")
    content_hash: str


class OperatorOnReportRead(BaseModel):
    name: str | None
    rrc_operator_number: str | None


class ReportTotalsRead(BaseModel):
    leases: int
    liquid_production: int
    liquid_disposed: int
    gas_production: int
    gas_disposed: int
    errors: int
    warnings: int


class ReportRead(BaseModel):
    id: UUID
    period: str
    state: Literal["draft", "submitted", "awaiting_confirmation", "accepted", "rejected"]
    due_date: date
    operator: OperatorOnReportRead
    totals: ReportTotalsRead
    ready_to_submit: bool
    amendment_needed: bool = Field(description="filed, and the draft now differs from every version filed or pending")
    changed_since_submitted: bool
    current_version: int | None
    versions: list[VersionSummaryRead]
    errors: list[IssueRead]
    warnings: list[IssueRead]
    lines: list[LineRead]
    lines_total: int
    limit: int
    offset: int
    regenerated_at: datetime


class ReportSummaryRead(BaseModel):
    id: UUID
    period: str
    state: str
    current_version: int | None
    due_date: date
    leases: int
    line_errors: int
    line_warnings: int


class RegenerateRead(BaseModel):
    period: str
    leases: int
    regenerated_at: datetime


class AdjustmentRead(BaseModel):
    id: UUID
    period: str
    lease_id: UUID
    product: str
    code: str | None
    volume: Decimal
    authority: str | None
    remark: str | None
    reason: str
    created_by: str
    created_at: datetime
    voided_at: datetime | None
    voided_by: str | None
    void_reason: str | None


class TaxReportRead(BaseModel):
    """One Comptroller report's part of a lease-month's tax: 10-158 crude oil, 10-165 crude oil special
    (used, lost, stolen or unaccounted for), 10-159 natural gas (gas, condensate, lease use, flare, fee)."""

    report: Literal["10-158", "10-165", "10-159"]
    name: str
    due_date: date | None = None
    lines: list[SeveranceTaxLine]
    total_tax: Decimal
    total_regulatory_fees: Decimal


class TaxRead(BaseModel):
    lease_id: UUID
    month: date
    revision: int
    computed_at: datetime | None = None
    lines: list[SeveranceTaxLine]
    reports: list[TaxReportRead] = Field(default_factory=list, description="the lines grouped by report")
    warnings: list[str] = Field(default_factory=list, description="what could not be valued, in words")
    total_tax: Decimal | None = None
    total_regulatory_fees: Decimal | None = None
    enhanced_recovery: bool = False


class ReturnLineRead(SeveranceTaxLine):
    """A line of an organization's report for a month, with the lease it belongs to."""

    lease_id: UUID
    rrc_district: str | None = None
    rrc_lease_number: str | None = None
    revision: int


class TaxReturnRead(BaseModel):
    """An organization's Comptroller report for a production month, lease by lease (paged), with the whole
    report's totals and due date."""

    report: Literal["10-158", "10-165", "10-159"]
    name: str
    month: date
    due_date: date
    total_tax: Decimal
    total_regulatory_fees: Decimal
    items: list[ReturnLineRead]
    total: int
    limit: int
    offset: int


class ReliefRead(BaseModel):
    id: UUID
    lease_id: UUID
    code: str
    name: str
    statute: str
    effective_from: date
    effective_to: date | None
    inputs: dict[str, str]
    granted_by: str
    created_at: datetime


class TaxAmountRead(BaseModel):
    tax: Decimal
    regulatory_fees: Decimal
    total: Decimal
    lease_lines: int


class ObligationRead(BaseModel):
    id: UUID
    obligation: Literal["form_pr", "oil_tax", "gas_tax"]
    description: str
    period: date
    due_date: date
    days_left: int
    state: str
    overdue: bool
    done_at: datetime | None
    done_by: str | None
    note: str | None
    amount: TaxAmountRead | None = Field(default=None, description="taxes: computed so far for leases with prices")
