"""Form PR values (leases, lease months, adjustments, issues, the line itself) and the rules they follow.

The line is built in ``form_pr_line``. The RRC takes whole BBL and MCF, and every liquid figure is on one
measurement basis: net standard barrels (corrected to 60 F per API MPMS 11.1, less BS&W where measured; Tax
Code 202.002(d)), the basis of run tickets and of production's net tank stock (docs/domain.md, "Form PR").

Liquids (oil or condensate), the inventory method:
- Each liquid disposition code is rounded half up on its own.
- Beginning stock is last month's reported ending stock (already whole); for a lease's first month it is the
  gauged net opening stock, rounded half up, or 0.
- When every oil tank was gauged on the month's last day (``month_end_gauged``), ending stock is the gauged
  net stock rounded half up, and production is derived: ``ending - beginning + dispositions``. The line foots
  by construction and the reported stock equals the tanks to the barrel. The pumpers' daily readings are not
  the production figure: their difference from it is the measured variance (``liquid_variance``), a warning
  above ``VARIANCE_PERCENT`` of production and at least ``VARIANCE_MINIMUM_BBL``, to investigate; never a
  disposition to invent.
- A derived production below zero only because of rounding (nothing, or almost nothing, was produced) is
  reported as 0, the dispositions rounded together (largest remainder, each within a barrel of its measured
  value) so the line foots; otherwise it is an error: a ticket or a gauge is wrong.
- Without month-end gauges, production is the readings rounded half up and ending stock is derived
  (``beginning + production - dispositions``); the line says so with a warning. Stock that drifted this way
  is caught up the next month that is gauged.
- Gas dispositions are rounded by largest remainder so their whole numbers add up to the rounded total of
  the recorded dispositions: when the recorded MCF add up to production, the rounded ones do too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from uuid import UUID

from wellflow_texas.form_pr import (
    format_api_number,
    is_valid_operator_number,
)

LeaseType = Literal["oil", "gas"]
Severity = Literal["error", "warning"]
IdentifierKind = Literal["lease_number", "gas_well_id", "api_number", "permit_number", "none"]
BALANCE_TOLERANCE_BBL = Decimal("1")
# The measured variance (readings against gauge-derived production) worth a warning: above 5 % of the
# production and at least 5 BBL. A house choice (no rule sets it): daily readings are estimates, the tank
# balance is the measurement; typical custody-transfer tank gauging is good to well under 1 %.
VARIANCE_PERCENT = Decimal("5")
VARIANCE_MINIMUM_BBL = Decimal("5")
SALES_LIQUID_CODES = frozenset({"00", "01", "02"})
INACTIVE_LEASE_STATUSES = frozenset({"terminated", "expired", "released", "inactive"})

PRODUCT_LABELS = {
    "oil": "oil",
    "condensate": "condensate",
    "casinghead_gas": "casinghead gas",
    "gas_well_gas": "gas well gas",
}


def whole(value: Decimal) -> int:
    """Half up to a whole number (barrels, MCF)."""
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def fmt(value: int | Decimal) -> str:
    return f"{value:,}"


@dataclass(frozen=True, slots=True)
class WellFacts:
    well_id: UUID
    api_number: str
    status: str
    gas_well_id: str | None = None
    permit_number: str | None = None


@dataclass(frozen=True, slots=True)
class Purchaser:
    """A purchaser or gatherer of one of the lease's products on its Form P-4, with its P-5 number."""

    product: str  # oil, condensate, casinghead_gas, gas_well_gas
    role: str  # purchaser or gatherer
    name: str
    p5_number: str
    effective_from: str | None = None  # ISO date
    effective_to: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "product": self.product,
            "role": self.role,
            "name": self.name,
            "p5_number": self.p5_number,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
        }


@dataclass(frozen=True, slots=True)
class LeaseFacts:
    lease_id: UUID
    name: str
    rrc_district: str
    rrc_lease_number: str | None
    lease_type: LeaseType
    status: str = "active"
    county: str | None = None
    wells: tuple[WellFacts, ...] = ()
    purchasers: tuple[Purchaser, ...] = ()

    @property
    def reportable(self) -> bool:
        return self.status not in INACTIVE_LEASE_STATUSES


@dataclass(frozen=True, slots=True)
class RecordedGas:
    code: str
    mcf: Decimal
    authority: str | None = None


@dataclass(frozen=True, slots=True)
class WellVolumes:
    """One well's readings for the month (``LeaseMonthUpdated.wells``): the basis for per-gas-well lines."""

    well_id: UUID
    liquid_bbl: Decimal
    gas_mcf: Decimal


@dataclass(frozen=True, slots=True)
class LeaseMonth:
    """Production's whole picture of a lease and month (``LeaseMonthUpdated``), liquids and gas of its type."""

    revision: int
    lease_type: LeaseType
    liquid_bbl: Decimal
    gas_mcf: Decimal
    beginning_stock_bbl: Decimal | None = None
    ending_stock_bbl: Decimal | None = None
    liquid_dispositions: tuple[tuple[str, Decimal], ...] = ()
    gas_dispositions: tuple[RecordedGas, ...] = ()
    # stock figures are net standard barrels; ending stock counts only when every oil tank was gauged on the
    # month's last day; uncorrected_gauges names the stock gauges whose net is not temperature-corrected
    month_end_gauged: bool = False
    uncorrected_gauges: tuple[str, ...] = ()
    wells: tuple[WellVolumes, ...] = ()


@dataclass(frozen=True, slots=True)
class Adjustment:
    """What only the office knows: a disposition production did not record, a correction, an authority or
    a remark. ``volume`` may be negative to take back part of a recorded disposition."""

    id: UUID
    product: Literal["liquid", "gas", "remark"]
    code: str | None
    volume: Decimal
    authority: str | None
    remark: str | None
    reason: str
    created_by: str


@dataclass(frozen=True, slots=True)
class Issue:
    severity: Severity
    code: str
    message: str
    lease_id: UUID | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "lease_id": str(self.lease_id) if self.lease_id else None,
            "field": self.field,
        }


@dataclass(frozen=True, slots=True)
class Disposition:
    code: str
    volume: int
    authority: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class FormPrLine:
    lease_id: UUID
    lease_name: str
    lease_type: LeaseType
    rrc_district: str
    identifier_kind: IdentifierKind
    identifier: str | None
    liquid_product: str
    gas_product: str
    beginning_stock: int
    liquid_production: int
    liquid_dispositions: tuple[Disposition, ...]
    ending_stock: int
    gas_production: int
    gas_dispositions: tuple[Disposition, ...]
    remarks: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    source_revision: int | None = None
    api_numbers: tuple[str, ...] = field(default=())
    liquid_basis: Literal["gauged", "readings"] = "readings"
    liquid_readings: Decimal | None = None  # the pumpers' daily readings for the month (unrounded)
    liquid_variance: Decimal | None = None  # readings - gauge-derived production (None: not gauged)
    gas_wells: tuple[Any, ...] = field(default=())  # form_pr_gas_wells.GasWellLine: one Form PR line per gas well
    purchasers: tuple[Purchaser, ...] = field(default=())
    # The dispositions as measured (unrounded, the office's adjustments included): what the severance tax values
    # (the Form PR's whole numbers are the state's figures, not the sale's).
    measured_liquid: tuple[tuple[str, Decimal], ...] = field(default=())
    measured_gas: tuple[tuple[str, Decimal, str | None], ...] = field(default=())

    @property
    def liquid_disposed(self) -> int:
        return sum(d.volume for d in self.liquid_dispositions)

    @property
    def gas_disposed(self) -> int:
        return sum(d.volume for d in self.gas_dispositions)

    @property
    def liquid_sold(self) -> int:
        return sum(d.volume for d in self.liquid_dispositions if d.code in SALES_LIQUID_CODES)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "lease_id": str(self.lease_id),
            "lease_name": self.lease_name,
            "lease_type": self.lease_type,
            "rrc_district": self.rrc_district,
            "identifier_kind": self.identifier_kind,
            "identifier": self.identifier,
            "api_numbers": list(self.api_numbers),
            "liquid_product": self.liquid_product,
            "gas_product": self.gas_product,
            "beginning_stock": self.beginning_stock,
            "liquid_production": self.liquid_production,
            "liquid_dispositions": [_disposition_dict(d) for d in self.liquid_dispositions],
            "liquid_disposed": self.liquid_disposed,
            "ending_stock": self.ending_stock,
            "gas_production": self.gas_production,
            "gas_dispositions": [_disposition_dict(d) for d in self.gas_dispositions],
            "gas_disposed": self.gas_disposed,
            "remarks": list(self.remarks),
            "issues": [i.as_dict() for i in self.issues],
            "source_revision": self.source_revision,
            "liquid_basis": self.liquid_basis,
            "liquid_readings": None if self.liquid_readings is None else str(self.liquid_readings),
            "liquid_variance": None if self.liquid_variance is None else str(self.liquid_variance),
            "gas_wells": [w.as_dict() for w in self.gas_wells],
            "purchasers": [p.as_dict() for p in self.purchasers],
            "measured": {
                "liquid": [[code, str(volume)] for code, volume in self.measured_liquid],
                "gas": [[code, str(volume), authority] for code, volume, authority in self.measured_gas],
            },
        }


def _disposition_dict(d: Disposition) -> dict[str, Any]:
    return {"code": d.code, "volume": d.volume, "authority": d.authority, "description": d.description}


def lease_identifier(lease: LeaseFacts) -> tuple[IdentifierKind, str | None]:
    """How the RRC knows the lease on the form: its lease number (oil) or gas well id (gas); a pending lease
    (no number yet) goes under its well's API number, or its drilling permit number."""
    if lease.rrc_lease_number:
        return ("gas_well_id" if lease.lease_type == "gas" else "lease_number"), lease.rrc_lease_number
    if lease.lease_type == "gas":
        gas_ids = sorted({w.gas_well_id for w in lease.wells if w.gas_well_id})
        if gas_ids:
            return "gas_well_id", gas_ids[0]
    apis = sorted(w.api_number for w in lease.wells if w.api_number)
    if apis:
        return "api_number", format_api_number(apis[0])
    permits = sorted(w.permit_number for w in lease.wells if w.permit_number)
    if permits:
        return "permit_number", permits[0]
    return "none", None


def header_issues(operator_number: str | None) -> list[Issue]:
    """Problems with the report as a whole (the operator)."""
    if operator_number is None:
        return [
            Issue(
                "error",
                "operator-number-missing",
                "The organization's RRC operator number (Form P-5) is not set. Enter it in the compliance settings.",
                None,
                "operator_number",
            )
        ]
    if not is_valid_operator_number(operator_number):
        return [
            Issue(
                "error",
                "invalid-operator-number",
                f"RRC operator number {operator_number!r} must be exactly 6 digits (from Form P-5).",
                None,
                "operator_number",
            )
        ]
    return []


@dataclass(frozen=True, slots=True)
class ReportTotals:
    leases: int
    errors: int
    warnings: int


def totals(lines: Sequence[dict[str, Any]], header: Sequence[Issue]) -> ReportTotals:
    errors = sum(1 for i in header if i.severity == "error")
    warnings = sum(1 for i in header if i.severity == "warning")
    for line in lines:
        for i in line["issues"]:
            if i["severity"] == "error":
                errors += 1
            else:
                warnings += 1
    return ReportTotals(len(lines), errors, warnings)


def period_label(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def parse_period(text: str) -> date:
    """``2026-07`` -> 2026-07-01; raises ValueError with a message a person can act on."""
    try:
        year_text, month_text = text.split("-")
        year, month = int(year_text), int(month_text)
        if len(year_text) != 4 or not 1 <= month <= 12 or year < 1990:
            raise ValueError
    except ValueError:
        raise ValueError(f"{text!r} is not a production month; write it as YYYY-MM, e.g. 2026-07") from None
    return date(year, month, 1)
