"""What an event says to a person: its kind, a one-line title, a few lines of body and the console page to open.

Every value comes from the event (ids and facts); nothing is looked up in another service. An alert about a
well names the well by the id in the event when the alert's own message does not name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellflow_contracts import IntegrationEvent

_OBLIGATIONS = {"form_pr": "Form PR", "oil_tax": "crude oil production tax", "gas_tax": "gas production tax"}


@dataclass(frozen=True)
class Notice:
    kind: str
    title: str
    body: str
    page: str


def _month(value: Any) -> str:
    return value.strftime("%B %Y") if hasattr(value, "strftime") else str(value)


def _day(value: Any) -> str:
    return value.strftime("%B %-d, %Y") if hasattr(value, "strftime") else str(value)


def _obligation(value: Any) -> str:
    return _OBLIGATIONS.get(str(value), str(value).replace("_", " "))


def describe(event: IntegrationEvent) -> Notice | None:
    """The notice for ``event``, or None for an event nobody is told about (e.g. a retry that did not give up)."""
    describer = _DESCRIBERS.get(event.type)
    return describer(event) if describer is not None else None


def _alert(e: Any) -> Notice:
    facts = "\n".join(f"{key.replace('_', ' ')}: {value}" for key, value in sorted(e.details.items()))
    body = f"{e.message}\nDay: {_day(e.day)}" + (f"\n{facts}" if facts else "")
    return Notice("production_alert", f"Production alert: {e.message}", body, "alerts")


def _deadline(e: Any) -> Notice:
    days = "tomorrow" if e.days_before == 1 else f"in {e.days_before} days"
    title = f"{_obligation(e.obligation)} for {_month(e.period)} is due {days} ({_day(e.due_date)})"
    body = f"The {_obligation(e.obligation)} for {_month(e.period)} is due {_day(e.due_date)}; it is {e.state} now."
    return Notice("filing_deadline", title, body, "compliance/calendar")


def _missed(e: Any) -> Notice:
    title = f"Missed: {_obligation(e.obligation)} for {_month(e.period)} was due {_day(e.due_date)}"
    body = (
        f"The {_obligation(e.obligation)} for {_month(e.period)} was due {_day(e.due_date)} and is {e.state}. "
        "File it as soon as you can: late penalties grow with the days late."
    )
    return Notice("filing_missed", title, body, "compliance/calendar")


def _rejected(e: Any) -> Notice:
    reasons = "\n".join(f"- {reason}" for reason in e.reasons) or "- (no reason given)"
    title = f"The RRC rejected the Form PR for {_month(e.period)}"
    body = f"Version {e.report_version} of the Form PR for {_month(e.period)} was rejected:\n{reasons}"
    return Notice("filing_rejected", title, body, "compliance/submissions")


def _overrun(e: Any) -> Notice:
    title = f"AFE {e.afe_number} is {e.overrun_percent}% over its estimate"
    body = (
        f"Actual costs of AFE {e.afe_number} are ${e.actual:,.2f} against an approved estimate of "
        f"${e.approved_estimate:,.2f}: {e.overrun_percent}% over, past the agreement's {e.threshold_percent}%. "
        "The partners must be told and a supplemental AFE sent."
    )
    return Notice("afe_overrun", title, body, f"accounting/afes/{e.afe_id}")


_DOCUMENT_PAGES = {"lease": "leases", "well": "wells", "afe": "accounting/afes"}


def _document_expiring(e: Any) -> Notice:
    """``documents.document_expiring.v1``: the document's title and type, its expiry date and the days left. The
    console has no page of its own for a document: the notice opens the lease, well or AFE it is linked to."""
    kind = str(e.document_type).replace("_", " ")
    days = "today" if e.days_left == 0 else "tomorrow" if e.days_left == 1 else f"in {e.days_left} days"
    title = f"{e.title} expires {days} ({_day(e.expires_on)})"
    body = f"{e.title} ({kind}) expires {_day(e.expires_on)}. Renew it and keep the new version before then."
    page = next((f"{_DOCUMENT_PAGES[link.kind]}/{link.id}" for link in e.links if link.kind in _DOCUMENT_PAGES), "")
    return Notice("document_expiring", title, body, page)


def _owner_payment_late(e: Any) -> Notice:
    """``accounting.owner_payment_late.v1``: one owner's lease, sales month and product unpaid past the day Tex.
    Nat. Res. Code 91.402(a) allowed. The event carries ids, not the owner's name nor the lease's."""
    product = "oil" if e.product == "oil" else "gas"
    late = f"{e.days_late} day{'' if e.days_late == 1 else 's'} late"
    title = f"An owner's {product} proceeds for {_month(e.sale_month)} are {late}"
    body = (
        f"${e.unpaid:,.2f} of an owner's {product} proceeds for {_month(e.sale_month)} (lease {e.lease_id}) was due "
        f"{_day(e.due_date)} and is unpaid, {late} on {_day(e.checked_on)}."
    )
    if e.interest_accrued is not None:
        body += f" Interest under Tex. Nat. Res. Code 91.403 so far: ${e.interest_accrued:,.2f}."
    else:
        body += " Interest under Tex. Nat. Res. Code 91.403 accrues from the due date."
    return Notice("owner_payment_late", title, body, "accounting/late-payments")


def _payment_run_approved(e: Any) -> Notice:
    """``accounting.payment_run_approved.v1``: its payments are fixed and will be sent on the pay date."""
    total = e.ach_total + e.check_total
    title = f"Payment run approved: {e.payments} payments, ${total:,.2f}, to be paid {_day(e.pay_date)}"
    body = (
        f"Approved by {', '.join(e.approved_by) or '(nobody named)'}: {e.payments} payments to be paid "
        f"{_day(e.pay_date)}, ${e.ach_total:,.2f} by ACH and ${e.check_total:,.2f} by check"
        + (f", including ${e.interest:,.2f} of late-payment interest" if e.interest else "")
        + "."
        + (f" {e.held} payees are held under the minimum payment." if e.held else "")
        + " Send the ACH file and print the checks."
    )
    return Notice("payment_run_approved", title, body, f"accounting/payments/{e.payment_run_id}")


def _reconciliation_item(e: Any) -> Notice:
    """``accounting.reconciliation_item_raised.v1``: a difference over tolerance for one lease and month."""
    title = f"To reconcile for {_month(e.month)}: {e.message}"
    facts = []
    if e.expected is not None:
        facts.append(f"expected: {e.expected} {e.unit or ''}".rstrip())
    if e.actual is not None:
        facts.append(f"the purchaser's: {e.actual} {e.unit or ''}".rstrip())
    body = f"{e.message}\nLease {e.lease_id}, {_month(e.month)}" + (f" ({e.product})" if e.product else "")
    body += "".join(f"\n{fact}" for fact in facts)
    return Notice("reconciliation_item", title, body, "accounting/reconciliation")


_DESCRIBERS = {
    "production.alert_raised.v1": _alert,
    "compliance.filing_deadline_approaching.v1": _deadline,
    "compliance.filing_deadline_missed.v1": _missed,
    "compliance.report_rejected.v1": _rejected,
    "accounting.afe_overrun_detected.v1": _overrun,
    "documents.document_expiring.v1": _document_expiring,
    "accounting.owner_payment_late.v1": _owner_payment_late,
    "accounting.payment_run_approved.v1": _payment_run_approved,
    "accounting.reconciliation_item_raised.v1": _reconciliation_item,
}
NOTIFIED_TYPES = tuple(_DESCRIBERS)
