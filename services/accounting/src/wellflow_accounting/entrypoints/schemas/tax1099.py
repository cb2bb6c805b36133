"""Year-end 1099s: the filer's settings, each owner's year, the IRS files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from ...domain.tax_identity import TinType, tin_problem
from .common import Email, ShortText, _In


def _ein(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    problem = tin_problem(digits, TinType.EIN) if len(digits) == len(value.replace("-", "")) else "digits only"
    if problem:
        raise ValueError(problem)
    return digits


Ein = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10), AfterValidator(_ein)]


class FilerSettingsUpdate(_In):
    payer_tin: Ein = Field(description="the operator's EIN (12-3456789)")
    payer_name_control: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9&-]{1,4}$")] | None = Field(
        default=None, description="optional: the first four characters of the payer's name as the IRS knows it"
    )
    transmitter_tin: Ein | None = Field(default=None, description="when another firm transmits; else the payer's")
    transmitter_control_code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{5}$")] = Field(
        description="the Transmitter Control Code the IRS assigned (5 characters)"
    )
    contact_name: ShortText
    contact_phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9()+. -]{10,20}$")]
    contact_email: Email | None = None
    combined_federal_state: bool = Field(default=False, description="file under the Combined Federal/State program")


class FilerSettingsRead(BaseModel):
    payer_tin: str | None = Field(default=None, description="masked: last four digits")
    payer_name_control: str | None = None
    transmitter_tin: str | None = None
    transmitter_control_code: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    combined_federal_state: bool = False
    updated_at: datetime | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> FilerSettingsRead:
        masked = {k: ("**-***" + row[k][-4:]) if row.get(k) else None for k in ("payer_tin", "transmitter_tin")}
        return cls.model_validate({**row, **masked})


class BoxRead(BaseModel):
    form: str
    box: str
    label: str
    amount: str


class Owner1099Read(BaseModel):
    partner_id: UUID
    year: int
    name: str
    owner_number: str | None
    tax_id: str | None = Field(description="masked: last four digits")
    tin_type: str | None
    needs_tin: bool = Field(description="a form is due and no TIN is on file")
    backup_withholding: str | None
    exempt_from_1099: bool
    forms_due: list[str]
    boxes: list[BoxRead]
    reconciliation: dict[str, Any]
    warnings: list[str]


class FilingCreate(_In):
    year: Annotated[int, Field(ge=2000, le=2200, description="the calendar year the payments were made")]
    kind: Literal["original", "correction"] = Field(
        default="original",
        description="original: every return due and not yet filed; correction: every filed return that changed",
    )
    test: bool = Field(default=False, description="a test file (T record 'T'): sent to the IRS's test system")


class FilingRead(BaseModel):
    id: UUID
    year: int
    kind: str
    test: bool
    payees: int
    totals: dict[str, dict[str, str]]
    idempotency_key: str | None = None
    created_by: str
    created_at: datetime


class OutsidePaymentCreate(_In):
    id: UUID | None = Field(default=None, description="client-chosen id: a retried create answers the first result")
    partner_id: UUID
    paid_on: date = Field(description="the day it was paid: it counts in that year's 1099s")
    kind: Literal["royalty", "working_interest", "rent", "other_income"]
    gross: Annotated[Decimal, Field(max_digits=14, decimal_places=2)] = Field(
        description="before severance tax and deductions; negative for an amount paid back"
    )
    backup_withholding: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] = Decimal("0.00")
    memo: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^[^\x00]*$")] | None = None


class OutsidePaymentRead(BaseModel):
    id: UUID
    partner_id: UUID
    paid_on: date
    kind: str
    gross: Decimal
    backup_withholding: Decimal
    memo: str | None
    created_by: str
    created_at: datetime
