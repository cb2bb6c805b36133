"""Integration events published by the accounting service (revenue distribution, JIB, AFEs).

Ordering keys: a distribution run's events share ``accounting.run:<run_id>``; a JIB run's share
``accounting.jib_run:<jib_run_id>``; events of one AFE share ``accounting.afe:<afe_id>``, so its status changes
and overrun notices arrive in the order they happened; an owner's late-payment notices share
``accounting.partner:<partner_id>``.

Money is Decimal dollars to the cent.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from wellflow_contracts.base import IntegrationEvent

AfeStatus = Literal["draft", "pending_approval", "approved", "rejected", "in_progress", "completed", "closed"]


class OwnerPayment(BaseModel):
    partner_id: UUID
    net_paid: Decimal = Field(description="paid to the owner in this run (may include suspense released)")
    held_in_suspense: Decimal = Field(description="added to the owner's suspense by this run")


class RevenueDistributed(IntegrationEvent):
    """A month's revenue distribution was finalized: the owners' amounts are locked and payable."""

    type: Literal["accounting.revenue_distributed.v1"] = "accounting.revenue_distributed.v1"
    run_id: UUID
    month: date = Field(description="first day of the sales month")
    lease_ids: list[UUID]
    gross_value: Decimal
    severance_tax: Decimal
    deductions: Decimal
    net_distributed: Decimal = Field(description="the owners' net, to the cent, adjustments included")
    paid: Decimal
    held_in_suspense: Decimal
    owners: list[OwnerPayment]
    finalized_by: str
    finalized_at: datetime

    aggregate_field = "run_id"


class PartnerBilling(BaseModel):
    partner_id: UUID
    net_billed: Decimal
    balance_due: Decimal


class JibIssued(IntegrationEvent):
    """A month's joint interest billing was issued: each working-interest partner has a statement."""

    type: Literal["accounting.jib_issued.v1"] = "accounting.jib_issued.v1"
    jib_run_id: UUID
    month: date
    gross_billed: Decimal = Field(description="costs and overhead billed, 100% basis")
    partners: list[PartnerBilling]
    issued_by: str

    aggregate_field = "jib_run_id"


class AfeStatusChanged(IntegrationEvent):
    """An AFE moved along its lifecycle (draft, pending approval, approved or rejected, in progress, completed,
    closed)."""

    type: Literal["accounting.afe_status_changed.v1"] = "accounting.afe_status_changed.v1"
    afe_id: UUID
    afe_number: str
    lease_id: UUID | None = None
    well_id: UUID | None = None
    from_status: AfeStatus | None = None
    to_status: AfeStatus
    changed_by: str
    note: str | None = None

    aggregate_field = "afe_id"


class AfeOverrunDetected(IntegrationEvent):
    """An AFE's actual costs passed its approved estimate by more than the agreement's overrun percentage:
    the operator must notify the partners and send a supplemental AFE."""

    type: Literal["accounting.afe_overrun_detected.v1"] = "accounting.afe_overrun_detected.v1"
    afe_id: UUID
    afe_number: str
    approved_estimate: Decimal = Field(description="the AFE's estimate plus approved supplements")
    actual: Decimal
    overrun_percent: Decimal = Field(description="(actual / estimate - 1) x 100, two places")
    threshold_percent: Decimal

    aggregate_field = "afe_id"


class PriceRecorded(IntegrationEvent):
    """A price was entered for a product and month (for every lease, or one lease), or recorded from a purchaser's
    statement (one lease: volume, price, gross value, deductions). Compliance values the severance tax with it
    where the sale carries no price of its own (run tickets), so a price is entered once, in accounting."""

    type: Literal["accounting.price_recorded.v1"] = "accounting.price_recorded.v1"
    price_id: UUID
    month: date = Field(description="first day of the sales month")
    product: Literal["oil", "condensate", "gas"]
    lease_id: UUID | None = Field(description="the lease it is for; null: every lease of the organization")
    price: Decimal = Field(description="dollars per BBL or MCF")
    source: Literal["entered", "purchaser_statement"]
    volume: Decimal | None = Field(default=None, description="a purchaser statement's volume sold")
    gross_value: Decimal | None = Field(default=None, description="a purchaser statement's gross value, to the cent")
    deductions: Decimal | None = Field(default=None, description="a purchaser statement's deductions, to the cent")
    recorded_by: str
    recorded_at: datetime

    aggregate_field = "price_id"


class OwnerPaymentLate(IntegrationEvent):
    """An owner's proceeds of one lease, sales month and product were not paid by the day Texas Natural Resources
    Code 91.402(a) sets, and now accrue 91.403 interest. Announced once per item, the first day it is late."""

    type: Literal["accounting.owner_payment_late.v1"] = "accounting.owner_payment_late.v1"
    partner_id: UUID
    lease_id: UUID
    sale_month: date = Field(description="first day of the sales month")
    product: Literal["oil", "gas"] = Field(description="91.402's product: condensate is paid as oil")
    due_date: date = Field(description="the last day 91.402(a) allowed")
    unpaid: Decimal = Field(description="what is still owed on the item, to the cent")
    days_late: int
    interest_accrued: Decimal | None = Field(
        description="91.403 interest to the day of the check, to the cent; null when no Fed rate is known"
    )
    checked_on: date

    aggregate_field = "partner_id"


class PaymentRunApproved(IntegrationEvent):
    """A payment run was approved (by two different people where the organization asks for two): its payments
    are fixed and will be sent. Ordering key ``accounting.payment_run:<payment_run_id>``."""

    type: Literal["accounting.payment_run_approved.v1"] = "accounting.payment_run_approved.v1"
    payment_run_id: UUID
    distribution_run_id: UUID | None = Field(description="the finalized revenue run it pays, if any")
    pay_date: date
    payments: int = Field(description="payments to be sent (held ones excluded)")
    ach_total: Decimal
    check_total: Decimal
    held: int = Field(description="payees held (under the minimum payment)")
    interest: Decimal = Field(description="late-payment interest included (Tex. Nat. Res. Code 91.403)")
    approved_by: list[str] = Field(description="who approved it, in order")
    approved_at: datetime

    aggregate_field = "payment_run_id"


class PaymentSent(IntegrationEvent):
    """A payment left the operator: an ACH credit in a file marked sent to the bank, or a check issued (a reissue
    after a void is a new payment). Ordering key ``accounting.payment_run:<payment_run_id>``."""

    type: Literal["accounting.payment_sent.v1"] = "accounting.payment_sent.v1"
    payment_run_id: UUID
    payment_id: UUID
    partner_id: UUID
    payee_kind: Literal["owner", "partner"]
    method: Literal["ach", "check"]
    net: Decimal
    interest: Decimal
    check_number: int | None = None
    trace_number: str | None = None
    pay_date: date
    sent_at: datetime

    aggregate_field = "payment_run_id"


ReconciliationCause = Literal[
    "ticket_not_paid",
    "volume_differs",
    "price_out_of_range",
    "tax_withheld_and_paid",
    "form_pr_differs",
    "revenue_differs",
]


class ReconciliationItemRaised(IntegrationEvent):
    """A difference over tolerance between the field (run tickets, gas dispositions), the purchaser's statement,
    the Form PR, the severance tax and the revenue run, for one lease and month; published once per item (an
    item that clears and comes back is the same item, not raised again)."""

    type: Literal["accounting.reconciliation_item_raised.v1"] = "accounting.reconciliation_item_raised.v1"
    item_id: UUID
    lease_id: UUID
    month: date = Field(description="first day of the production month")
    cause: ReconciliationCause
    product: Literal["oil", "condensate", "gas"] | None = None
    message: str
    expected: Decimal | None = Field(default=None, description="the figure compared against (volume, $ or $/unit)")
    actual: Decimal | None = Field(default=None, description="the purchaser's figure")
    unit: str | None = Field(default=None, description="BBL, MCF, $ or $/unit")
    links: dict[str, object] = Field(
        default_factory=dict, description="ids of the run tickets, statement lines, Form PR and tax lines compared"
    )

    aggregate_field = "item_id"
