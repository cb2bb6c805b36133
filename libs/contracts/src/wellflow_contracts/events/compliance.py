"""Integration events published by the compliance service (Form PR, severance tax, filing calendar, RRC portal).

Ordering keys: events about one Form PR (submitted, retry scheduled, accepted, rejected, confirmed) share
``compliance.report:<report_id>``; a lease's tax computations share ``compliance.lease:<lease_id>``; deadline
events share ``compliance.obligation:<obligation_id>``. A Form PR is one report per organization and
production month; each filed change is a new ``report_version`` (1 is the original, 2+ are amendments).

Money is Decimal dollars (cents), volumes Decimal: barrels (BBL) for oil and condensate, MCF for gas.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from wellflow_contracts.base import IntegrationEvent

SeveranceProduct = Literal["oil", "condensate", "gas"]
SeveranceCommodity = Literal["crude", "crude_special", "gas", "condensate", "lease_use", "flare", "gas_fee"]
SeveranceReport = Literal["10-158", "10-165", "10-159"]
FilingObligation = Literal["form_pr", "oil_tax", "gas_tax"]
FiledVia = Literal["manual", "stand-in", "rrc"]
"""How a Form PR version is filed: ``manual`` (prepared; a person files it on RRC Online and records the RRC's
confirmation), ``stand-in`` (WellFlow's RRC portal stand-in, dev stack and demo only: nothing reaches the RRC)
or ``rrc`` (a real RRC integration)."""


class SeveranceTaxLine(BaseModel):
    """One product's tax for a lease and month, as the Comptroller's report computes it."""

    product: SeveranceProduct
    volume: Decimal = Field(
        description="taxable volume in whole units, rounded up (BBL for oil/condensate, MCF for gas)"
    )
    gross_value: Decimal = Field(description="value of the volume in dollars (sales: the value actually paid)")
    marketing_costs: Decimal = Field(default=Decimal("0"), description="gas only: deductible marketing costs")
    market_value: Decimal = Field(description="taxable value in dollars (gas: gross value less marketing costs)")
    rate: Decimal = Field(description="tax rate applied, e.g. 0.046; a relief lowers it")
    tax: Decimal = Field(description="severance tax in dollars")
    regulatory_fee: Decimal = Field(description="oil-field cleanup fee (oil, condensate) or gas regulatory fee")
    minimum_applied: bool = Field(default=False, description="oil: the 4.6-cent-per-barrel floor was greater")
    relief: str | None = Field(default=None, description="code of the relief that set the rate, if any")
    commodity: SeveranceCommodity | None = Field(
        default=None,
        description="the Comptroller report's commodity: crude (10-158), crude_special (used, lost, stolen: "
        "10-165), gas, condensate, lease_use, flare and gas_fee (the gas regulatory fee alone) (10-159); "
        "None from producers before these were added",
    )
    report: SeveranceReport | None = Field(default=None, description="Comptroller form: 10-158, 10-165 or 10-159")
    measured_volume: Decimal | None = Field(default=None, description="taxable volume as measured, not rounded")
    value_source: str | None = Field(
        default=None,
        description="where the value came from: run_tickets (the purchasers' prices), entered_price, "
        "entered_gross_value, purchaser_statement, month_price (market value of unsold volumes), or a mix joined by +",
    )
    credit: Decimal = Field(default=Decimal("0"), description="relief credit or exemption taken off the tax")
    due_date: date | None = Field(default=None, description="due date of the report this line is on")
    borne_by_owners: bool = Field(
        default=True,
        description="tax on sold volumes, shared by the revenue owners; false for tax on volumes not sold "
        "(crude used or lost, lease use, flare): the operator's cost",
    )


class SeveranceTaxComputed(IntegrationEvent):
    """The severance tax of one lease and production month was (re)computed from its sales (run tickets with
    their prices, the prices entered as a fallback) and its Form PR volumes; ``revision`` grows with each
    recomputation: a consumer keeps the highest. Accounting charges owners exactly the lines'
    ``tax`` where ``borne_by_owners``, per product."""

    type: Literal["compliance.severance_tax_computed.v1"] = "compliance.severance_tax_computed.v1"
    lease_id: UUID
    month: date = Field(description="first day of the production month")
    revision: int = Field(description="grows with every recomputation for this lease and month")
    rrc_district: str | None = None
    rrc_lease_number: str | None = None
    lease_type: Literal["oil", "gas"]
    enhanced_recovery: bool = False
    lines: list[SeveranceTaxLine]
    total_tax: Decimal
    total_regulatory_fees: Decimal
    oil_tax_due_date: date | None = Field(default=None, description="crude oil tax due date (10-158, 10-165)")
    gas_tax_due_date: date | None = Field(default=None, description="gas and condensate tax due date (10-159)")
    warnings: list[str] = Field(default_factory=list, description="what the computation could not value, in words")

    aggregate_field = "lease_id"


class ReportSubmitted(IntegrationEvent):
    """A Form PR version was frozen and queued for filing with the RRC portal (recorded before any attempt)."""

    type: Literal["compliance.report_submitted.v1"] = "compliance.report_submitted.v1"
    report_id: UUID
    report_version: int = Field(description="1 = original report, 2+ = amended reports")
    period: date = Field(description="first day of the production month")
    submission_id: UUID
    submission_key: str = Field(description="stable per report version: the portal files it at most once")
    requested_by: str
    filed_via: FiledVia | None = Field(
        default=None,
        description="how it is filed: manual (prepared, awaiting the RRC's confirmation), stand-in or rrc; "
        "None from producers before the field existed (they filed through the stand-in)",
    )

    aggregate_field = "report_id"


class ReportAccepted(IntegrationEvent):
    """A portal adapter accepted a Form PR version and answered with a confirmation number. With ``filed_via``
    ``stand-in`` that answer is the stand-in's, not the RRC's: nothing was filed, and the month's obligation
    stays open. Only ``ReportConfirmed`` means the RRC has the report."""

    type: Literal["compliance.report_accepted.v1"] = "compliance.report_accepted.v1"
    report_id: UUID
    report_version: int
    period: date
    submission_id: UUID
    confirmation_number: str
    accepted_at: datetime
    filed_via: FiledVia | None = Field(
        default=None, description="the adapter that answered; None from producers before the field existed (stand-in)"
    )

    aggregate_field = "report_id"


class ReportConfirmed(IntegrationEvent):
    """The RRC's confirmation of a Form PR version: a person recorded the confirmation number the RRC gave for
    a report filed by hand (``recorded_by``), or a real RRC adapter reported it (``recorded_by`` None). The
    month's Form PR obligation is done."""

    type: Literal["compliance.report_confirmed.v1"] = "compliance.report_confirmed.v1"
    report_id: UUID
    report_version: int
    period: date = Field(description="first day of the production month")
    submission_id: UUID
    confirmation_number: str = Field(description="the RRC's confirmation number")
    confirmation_date: date | None = Field(default=None, description="the date the RRC gave, when recorded")
    filed_via: FiledVia
    recorded_by: str | None = Field(default=None, description="the member who recorded it; None from an adapter")
    note: str | None = None

    aggregate_field = "report_id"


class ReportRejected(IntegrationEvent):
    """The RRC portal rejected a Form PR version (a final answer: its reasons must be fixed, then refiled)."""

    type: Literal["compliance.report_rejected.v1"] = "compliance.report_rejected.v1"
    report_id: UUID
    report_version: int
    period: date
    submission_id: UUID
    reasons: list[str]

    aggregate_field = "report_id"


class SubmissionRetryScheduled(IntegrationEvent):
    """An attempt to file failed for a transient reason (timeout, 5xx, 429, portal down, breaker open) and the
    submission will be tried again; ``gave_up`` is true when the attempt limit was reached and the submission
    is now failed until someone retries it by hand."""

    type: Literal["compliance.submission_retry_scheduled.v1"] = "compliance.submission_retry_scheduled.v1"
    report_id: UUID
    report_version: int
    period: date
    submission_id: UUID
    attempts: int
    next_attempt_at: datetime | None = Field(default=None, description="None when the submission gave up")
    last_error: str
    gave_up: bool = False

    aggregate_field = "report_id"


class FilingDeadlineApproaching(IntegrationEvent):
    """A filing obligation (Form PR, oil tax or gas tax for a production month) is due in ``days_before``
    days (30, 7 or 1) and is not yet done; published once per obligation and reminder."""

    type: Literal["compliance.filing_deadline_approaching.v1"] = "compliance.filing_deadline_approaching.v1"
    obligation_id: UUID
    obligation: FilingObligation
    period: date = Field(description="first day of the production month")
    due_date: date
    days_before: int = Field(description="30, 7 or 1")
    state: str = Field(description="state of the obligation when the reminder was sent, e.g. draft, submitted")

    aggregate_field = "obligation_id"


class FilingDeadlineMissed(IntegrationEvent):
    """A filing obligation's due date passed without it being done (penalties start: 5% 1-30 days late)."""

    type: Literal["compliance.filing_deadline_missed.v1"] = "compliance.filing_deadline_missed.v1"
    obligation_id: UUID
    obligation: FilingObligation
    period: date
    due_date: date
    state: str

    aggregate_field = "obligation_id"
