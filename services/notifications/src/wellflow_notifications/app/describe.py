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


def _document_expiring(e: Any) -> Notice:
    """``documents.document_expiring.v1``: document_id, title, expires_on, days_left (else days_before)."""
    name = getattr(e, "title", None) or getattr(e, "name", None) or "A document"
    expires = getattr(e, "expires_on", None)
    days = getattr(e, "days_left", None)
    days = days if days is not None else getattr(e, "days_before", None)
    when = f"expires {_day(expires)}" if expires is not None else "expires soon"
    title = f"{name} {when}" + (f" (in {days} days)" if days else "")
    body = f"{name} {when}. Renew it or upload the new one before then."
    return Notice("document_expiring", title, body, "documents")


def _owner_payment_late(e: Any) -> Notice:
    """``accounting.owner_payment_late.v1``: owner_name, amount, due_date, days_late (see docs/notifications.md)."""
    owner = getattr(e, "owner_name", None) or "An owner"
    amount = getattr(e, "amount", None)
    due = getattr(e, "due_date", None)
    days = getattr(e, "days_late", None)
    title = f"Payment to {owner} is late" + (f" ({days} days)" if days else "")
    body = f"The payment of ${amount} to {owner}" if amount is not None else f"A payment to {owner}"
    body += f" was due {_day(due)}" if due is not None else " is past due"
    body += ". Texas law adds interest to late royalty payments."
    return Notice("owner_payment_late", title, body, "accounting/revenue")


_DESCRIBERS = {
    "production.alert_raised.v1": _alert,
    "compliance.filing_deadline_approaching.v1": _deadline,
    "compliance.filing_deadline_missed.v1": _missed,
    "compliance.report_rejected.v1": _rejected,
    "accounting.afe_overrun_detected.v1": _overrun,
    "documents.document_expiring.v1": _document_expiring,
    "accounting.owner_payment_late.v1": _owner_payment_late,
}
NOTIFIED_TYPES = tuple(_DESCRIBERS)
