"""The filing calendar: obligations per production month (Form PR, oil tax, gas tax), their due dates and
states, and the deadline pass that sends each reminder (30, 7, 1 days) and each missed notice exactly once
(run every hour by a ``PeriodicTask``, see bootstrap.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import FilingDeadlineApproaching, FilingDeadlineMissed
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ..domain.calendar import DONE_STATES, LABELS, OBLIGATIONS, go_live_default, in_scope, is_missed, reminder_due
from ..domain.calendar import due_date as compute_due
from ..domain.severance import obligation_of
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found
from .ports import ComplianceWork


async def ensure_obligations(uow: ComplianceWork, tenant_id: UUID, period: date, compliance: Compliance) -> None:
    rows = [
        {
            "id": uuid7(),
            "obligation": obligation,
            "period": period,
            "due_date": compute_due(obligation, period, compliance.rules),
            "state": "open",
        }
        for obligation in OBLIGATIONS
    ]
    await uow.obligations.ensure(rows)


async def set_state(uow: ComplianceWork, obligation: str, period: date, state: str, by: str, now: datetime) -> None:
    done = state in DONE_STATES
    await uow.obligations.set_state(
        obligation, period, state=state, done_at=now if done else None, done_by=by if done else None
    )


async def go_live_of(uow: ComplianceWork) -> tuple[date | None, str]:
    """(the first day of the go-live month or None, where it comes from: ``set`` by a person, ``first_data``
    (the month the organization's first data arrived) or ``unset`` (every obligation counts))."""
    row = await uow.scope.get()
    if row is not None:
        return row["go_live_month"], "set"
    first = await uow.scope.first_data_at()
    default = go_live_default(first.date() if first is not None else None)
    return default, "first_data" if default is not None else "unset"


def obligation_view(row: dict[str, Any], today: date, go_live: date | None) -> dict[str, Any]:
    counted = in_scope(row["due_date"], go_live)
    outside = row.get("outside_confirmation")
    return {
        "id": row["id"],
        "obligation": row["obligation"],
        "description": LABELS[row["obligation"]],
        "period": row["period"],
        "due_date": row["due_date"],
        "days_left": (row["due_date"] - today).days,
        "state": row["state"],
        "in_scope": counted,
        "before_wellflow": not counted and row["state"] not in DONE_STATES,
        "overdue": is_missed(row["due_date"], today, row["state"], go_live),
        "done_at": row["done_at"],
        "done_by": row["done_by"],
        "note": row["note"],
        "filed_outside": {"confirmation_number": outside, "filed_on": row.get("outside_filed_on")} if outside else None,
    }


async def list_obligations(
    compliance: Compliance,
    actor: Actor,
    *,
    due_from: date | None,
    due_to: date | None,
    obligation: str | None,
    state: str | None,
    pending_only: bool,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        go_live, _ = await go_live_of(uow)
        page = await uow.obligations.find(
            due_from=due_from,
            due_to=due_to,
            obligation=obligation,
            state=state,
            pending_only=pending_only,
            limit=min(limit, MAX_PAGE),
            offset=offset,
            go_live=go_live,
        )
        amounts = await _tax_amounts(uow, {row["period"] for row in page.items if row["obligation"] != "form_pr"})
    today = compliance.today()
    items = []
    for row in page.items:
        item = obligation_view(row, today, go_live)
        if row["obligation"] != "form_pr":
            item["amount"] = amounts.get((row["obligation"], row["period"]))
        items.append(item)
    return {"items": items, "total": page.total, "limit": limit, "offset": offset}


async def _tax_amounts(uow: ComplianceWork, periods: set[date]) -> dict[tuple[str, date], dict[str, Any]]:
    """Tax and fees computed so far for each tax obligation of ``periods`` (leases with prices entered)."""
    if not periods:
        return {}
    sums: dict[tuple[str, date], list[Decimal]] = {}
    for month, result in await uow.taxes.results_of_months(periods):
        for line in result["lines"]:
            obligation = obligation_of(line)  # condensate is paid with gas (Tax Code 201.055)
            total = sums.setdefault((obligation, month), [Decimal("0"), Decimal("0"), Decimal("0")])
            total[0] += Decimal(line["tax"])
            total[1] += Decimal(line["regulatory_fee"])
            total[2] += 1
    return {
        key: {"tax": str(tax), "regulatory_fees": str(fees), "total": str(tax + fees), "lease_lines": int(count)}
        for key, (tax, fees, count) in sums.items()
    }


async def mark_paid(compliance: Compliance, actor: Actor, obligation_id: UUID, note: str | None) -> dict[str, Any]:
    """A tax report filed and paid with the Comptroller (WellFlow does not file those itself)."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        row = await uow.obligations.get(obligation_id, for_update=True)
        if row is None:
            raise not_found("The filing obligation")
        if row["obligation"] == "form_pr":
            raise invalid(
                "obligation_id", "A Form PR is done when the RRC accepts it; submit the report instead of marking it."
            )
        go_live, _ = await go_live_of(uow)
        if row["state"] == "paid":
            return obligation_view(row, compliance.today(), go_live)
        if row["state"] not in ("open",):
            raise Conflict(f"This obligation is {row['state'].replace('_', ' ')}.", slug="obligation-state")
        row = await uow.obligations.mark_paid(obligation_id, at=now, by=actor.id, note=note)
    return obligation_view(row, compliance.today(), go_live)


async def send_deadline_notices(compliance: Compliance) -> int:
    """One pass over every known organization: send what is due today. Safe to run any number of times, by
    any number of replicas: a notice is claimed by inserting its row, in the transaction that records it."""
    async with compliance.database.unit_of_work(None) as uow:
        tenant_ids = await uow.tenants.all_ids()
    sent = 0
    for tenant_id in tenant_ids:
        async with compliance.database.unit_of_work(tenant_id) as uow:
            sent += await _notices_of(uow, tenant_id, compliance)
    return sent


async def _notices_of(uow: ComplianceWork, tenant_id: UUID, compliance: Compliance) -> int:
    """The reminders and missed notices due today for one organization; how many were sent."""
    today = compliance.today()
    already = await uow.notices.sent()
    go_live, _ = await go_live_of(uow)
    sent = 0
    for row in await uow.obligations.pending():
        if not in_scope(row["due_date"], go_live):
            continue  # due before the organization used WellFlow: no reminder, never missed
        kinds = already.get(row["id"], set())
        facts = {
            "tenant_id": tenant_id,
            "obligation_id": row["id"],
            "obligation": row["obligation"],
            "period": row["period"],
            "due_date": row["due_date"],
            "state": row["state"],
        }
        if is_missed(row["due_date"], today, row["state"], go_live):
            if "missed" not in kinds and await uow.notices.claim(tenant_id, row["id"], "missed", compliance.clock()):
                uow.record(FilingDeadlineMissed(**facts))
                sent += 1
            continue
        days = reminder_due(row["due_date"], today, {int(k) for k in kinds if k.isdigit()})
        if days is not None and await uow.notices.claim(tenant_id, row["id"], str(days), compliance.clock()):
            uow.record(FilingDeadlineApproaching(**facts, days_before=days))
            sent += 1
    return sent
