"""The filing scope of an organization that comes to WellFlow with history: its go-live month (obligations due
before it are out of scope: never overdue, never reminded, shown as "before WellFlow"), and obligations filed
outside WellFlow (closed with the RRC's or the Comptroller's confirmation number and date, labelled as such;
nothing is sent to the RRC). Every change is kept in ``filing_audit`` with who, when and why."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, Forbidden

from ..domain.calendar import OUTSIDE_STATE
from .calendar import go_live_of, obligation_view
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found
from .ports import ComplianceWork

EARLIEST_GO_LIVE = date(2000, 1, 1)
OUTSIDE_FROM = ("open", "rejected")  # what can be filed outside: nothing WellFlow filed or is filing


def _scope_view(go_live: date | None, source: str, row: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "go_live_month": go_live.strftime("%Y-%m") if go_live is not None else None,
        "source": source,
        "set_by": row["set_by"] if row else None,
        "set_at": row["set_at"] if row else None,
        "reason": row["reason"] if row else None,
    }


async def get_scope(compliance: Compliance, actor: Actor) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        go_live, source = await go_live_of(uow)
        row = await uow.scope.get()
    return _scope_view(go_live, source, row)


async def set_go_live(
    compliance: Compliance, actor: Actor, month: date | None, reason: str | None, *, clear: bool
) -> dict[str, Any]:
    """Set the go-live month (``clear``: none, every obligation counts). A month after the current one is
    refused: it would put obligations falling due now out of scope before WellFlow files them."""
    now = compliance.clock()
    if month is None and not clear:
        raise invalid("body.go_live_month", "Give the go-live month as YYYY-MM, or null with clear: true.")
    if month is not None:
        if month < EARLIEST_GO_LIVE:
            raise invalid("body.go_live_month", f"{month:%Y-%m} is before {EARLIEST_GO_LIVE:%Y-%m}.")
        if month > now.date().replace(day=1):
            raise invalid(
                "body.go_live_month",
                f"{month:%Y-%m} is in the future: what falls due before it would be out of scope while still due.",
            )
    async with compliance.uow(actor) as uow:
        before, source = await go_live_of(uow)
        await uow.scope.save(go_live_month=month, by=actor.id, at=now, reason=reason)
        await uow.scope.audit(
            {
                "id": uuid7(),
                "at": now,
                "by": actor.id,
                "action": "go_live_set",
                "obligation_id": None,
                "detail": {
                    "from": before.strftime("%Y-%m") if before else None,
                    "from_source": source,
                    "to": month.strftime("%Y-%m") if month else None,
                    "reason": reason,
                },
            }
        )
        row = await uow.scope.get()
    return _scope_view(month, "set", row)


async def _obligation(uow: ComplianceWork, obligation_id: UUID) -> dict[str, Any]:
    row = await uow.obligations.get(obligation_id, for_update=True)
    if row is None:
        raise not_found("The filing obligation")
    return row


async def mark_filed_outside(
    compliance: Compliance,
    actor: Actor,
    obligation_id: UUID,
    *,
    confirmation_number: str,
    filed_on: date,
    note: str | None,
) -> dict[str, Any]:
    """Close an obligation filed outside WellFlow (on the RRC's site, on paper, by a former vendor) with its
    confirmation number and date. Nothing is submitted. The same confirmation again answers the obligation."""
    confirmation_number = confirmation_number.strip()
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        row = await _obligation(uow, obligation_id)  # another organization's id: 404 before anything else
        if not confirmation_number:
            raise invalid("body.confirmation_number", "Give the confirmation number the RRC or Comptroller gave.")
        if filed_on > now.date():
            raise invalid("body.filed_on", f"{filed_on} is in the future: give the day it was filed.")
        if filed_on < row["period"]:
            raise invalid("body.filed_on", f"{filed_on} is before the production month {row['period']:%Y-%m}.")
        if row["state"] == OUTSIDE_STATE:
            if row["outside_confirmation"] == confirmation_number and row["outside_filed_on"] == filed_on:
                return obligation_view(row, compliance.today(), (await go_live_of(uow))[0])
            raise Conflict(
                f"Already marked filed outside WellFlow with confirmation {row['outside_confirmation']}; an owner "
                "can undo that first.",
                slug="obligation-state",
            )
        if row["state"] not in OUTSIDE_FROM:
            raise Conflict(
                f"This obligation is {row['state'].replace('_', ' ')} in WellFlow: it cannot also be marked filed "
                "outside WellFlow.",
                slug="obligation-state",
            )
        row = await uow.obligations.close_outside(
            obligation_id, at=now, by=actor.id, confirmation=confirmation_number, filed_on=filed_on, note=note
        )
        detail = {"confirmation_number": confirmation_number, "filed_on": filed_on.isoformat(), "note": note}
        await _audit(uow, actor, now, "filed_outside", obligation_id, detail)
        go_live, _ = await go_live_of(uow)
    return obligation_view(row, compliance.today(), go_live)


async def undo_filed_outside(compliance: Compliance, actor: Actor, obligation_id: UUID, reason: str) -> dict[str, Any]:
    """Reopen an obligation marked filed outside WellFlow (an owner's decision, with a reason kept)."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        row = await _obligation(uow, obligation_id)  # another organization's id: 404 before anything else
        if actor.role != "owner":
            raise Forbidden("Only an owner can undo a filing recorded as made outside WellFlow.")
        if not reason.strip():
            raise invalid("body.reason", "Say why the filing outside WellFlow is undone.")
        if row["state"] != OUTSIDE_STATE:
            raise Conflict("This obligation is not marked filed outside WellFlow.", slug="obligation-state")
        undone = {"confirmation_number": row["outside_confirmation"], "filed_on": str(row["outside_filed_on"])}
        row = await uow.obligations.reopen_outside(obligation_id)
        await _audit(uow, actor, now, "filed_outside_undone", obligation_id, undone | {"reason": reason.strip()})
        go_live, _ = await go_live_of(uow)
    return obligation_view(row, compliance.today(), go_live)


async def _audit(
    uow: ComplianceWork, actor: Actor, now: Any, action: str, obligation_id: UUID, detail: dict[str, Any]
) -> None:
    await uow.scope.audit(
        {"id": uuid7(), "at": now, "by": actor.id, "action": action, "obligation_id": obligation_id, "detail": detail}
    )


async def audit_trail(
    compliance: Compliance, actor: Actor, *, obligation_id: UUID | None, limit: int, offset: int
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        if obligation_id is not None and await uow.obligations.get(obligation_id) is None:
            raise not_found("The filing obligation")
        page = await uow.scope.audit_trail(obligation_id=obligation_id, limit=min(limit, MAX_PAGE), offset=offset)
    return {"items": page.items, "total": page.total, "limit": limit, "offset": offset}
