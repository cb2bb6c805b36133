"""Bodies of the owner-payment-law routes: the 91.403 rates, the late-payment clock, 91.504 information requests,
escheat letters and reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from wellflow_servicekit.pages import Page

from .common import LongText, Name, _In

RequestKind = Literal["deductions", "heating_value", "lease_identification", "payment_information"]


class LateInterestRateCreate(_In):
    id: UUID | None = Field(default=None, description="chosen by the client: a retry with it changes nothing")
    effective: date = Field(description="the first day the New York Fed charged this rate")
    annual_rate: Decimal = Field(
        ge=0,
        lt=1,
        max_digits=8,
        decimal_places=6,
        description="the Fed's primary credit rate as a fraction (5.50% is 0.055)",
    )
    source: Name = Field(description="where the rate was read (a Fed release, the discount window site)")


class LateInterestRateRead(BaseModel):
    id: UUID | None
    effective: date
    annual_rate: Decimal = Field(description="the New York Fed's rate, a fraction")
    late_interest_rate: Decimal = Field(description="91.403: two percentage points above it")
    origin: Literal["published", "entered"]
    verified: bool = Field(description="published rows: checked against a source (entered rows: the organization's)")
    source: str
    created_by: str | None


class ClockLineRead(BaseModel):
    partner_id: UUID
    lease_id: UUID
    lease: str | None
    sale_month: date
    product: Literal["oil", "gas"]
    due_date: date
    payable: Decimal = Field(description="made due by finalized runs and not held")
    withheld: Decimal = Field(description="held for a title problem: 91.402(b), no interest")
    accumulating: Decimal = Field(description="kept in minimum-payment suspense: 91.402(f)")
    paid: Decimal
    unpaid: Decimal
    last_paid_on: date | None
    days_late: int
    interest: Decimal | None = Field(description="91.403 interest to as_of (or to payment); null: no Fed rate known")
    status: Literal["pending", "paid", "paid_late", "late", "withheld", "accumulating", "settled"]


class ClockTotals(BaseModel):
    unpaid_late: Decimal
    interest: Decimal
    late_items: int


class ClockPage(Page[ClockLineRead]):
    as_of: date
    totals: ClockTotals


class LateCheckRead(BaseModel):
    checked_on: date
    announced: int = Field(description="late items announced now (accounting.owner_payment_late.v1)")


class InformationRequestCreate(_In):
    id: UUID | None = Field(default=None, description="chosen by the client: a retry with it changes nothing")
    partner_id: UUID
    lease_id: UUID | None = None
    kind: RequestKind = Field(
        description="91.504(a) deductions, (b) heating value, (c) lease identification; 91.507 payment information"
    )
    received_on: date = Field(description="the day the payor received the certified letter")
    asked: LongText
    period_from: date | None = Field(default=None, description="first sales month the answer covers")
    period_to: date | None = None


class InformationAnswerCreate(_In):
    answered_on: date = Field(description="the day the answer was sent by certified mail")
    note: LongText | None = None


class InformationRequestRead(BaseModel):
    id: UUID
    partner_id: UUID
    lease_id: UUID | None
    kind: RequestKind
    received_on: date
    due_on: date
    asked: str
    period_from: date | None
    period_to: date | None
    answered_on: date | None
    answer_note: str | None
    answered_by: str | None
    overdue: bool
    days_left: int | None
    created_by: str
    created_at: datetime


class EscheatCandidateRead(BaseModel):
    partner_id: UUID
    owner_number: str | None
    name: str
    amount: Decimal
    last_activity: date = Field(description="the later of the day the oldest balance was held and the last payment")
    presumed_abandoned_on: date = Field(description="Property Code 75.101: unclaimed longer than three years")
    report_year: int = Field(description="the July 1 report it belongs to (held on that year's March 1)")
    letter_due_by: date
    report_due_by: date
    letter_required: bool = Field(description="74.1011: more than $250 and an address on record")
    letter_id: UUID | None
    letter_sent_on: date | None
    claimed_on: date | None
    reportable: bool
    problems: list[str]


class EscheatCandidates(BaseModel):
    as_of: date
    items: list[EscheatCandidateRead]
    total: int


class EscheatLetterCreate(_In):
    report_year: int = Field(ge=2000, le=2200)
    sent_on: date
    partner_ids: list[UUID] | None = Field(default=None, description="default: every owner of the report year")


class EscheatLetterRead(BaseModel):
    id: UUID
    partner_id: UUID
    amount: Decimal
    last_activity: date
    sent_on: date
    report_year: int
    address: dict[str, Any]
    claimed_on: date | None
    text: str = Field(description="the letter as mailed")
    created_by: str
    created_at: datetime


class EscheatLetters(BaseModel):
    report_year: int | None
    sent: int = Field(description="letters recorded by this request")
    items: list[EscheatLetterRead]


class EscheatClaimCreate(_In):
    report_year: int = Field(ge=2000, le=2200, description="the year of the letter the owner answered")
    claimed_on: date


class EscheatReportCreate(_In):
    report_year: int = Field(ge=2000, le=2200)
    holder_tax_id: str = Field(pattern=r"^[0-9]{9}$", description="the operator's federal EIN, nine digits")


class EscheatReportRead(BaseModel):
    id: UUID
    report_year: int
    total: Decimal
    items: list[dict[str, Any]]
    created_by: str
    created_at: datetime
