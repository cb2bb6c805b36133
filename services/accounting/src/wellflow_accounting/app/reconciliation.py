"""The three-way reconciliation kept current: every change to a lease-month's facts (a run ticket, the
lease-month's dispositions, the severance tax, a purchaser statement, a property mapped, a revenue run)
recomputes that lease-month's items in the same transaction, once per lease-month however many facts changed
(``refresh`` takes the set). A new item is published once (``accounting.reconciliation_item_raised.v1``); an
open item whose difference went away is cleared; a resolved item stays resolved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.accounting import ReconciliationItemRaised
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound

from ..domain.reconciliation import Facts, Found, Tolerances, reconcile
from .context import Accounting, Actor, check_month, invalid
from .ports import AccountingWork

LeaseMonth = tuple[UUID, date]
FIGURES = ("cause", "product", "message", "expected", "actual", "difference", "unit", "links")


async def tolerances_of(uow: AccountingWork) -> Tolerances:
    return Tolerances.of(await uow.recon.tolerances())


def _figures(found: Found) -> dict[str, Any]:
    return {
        "cause": found.cause.value,
        "product": found.product,
        "message": found.message,
        "expected": found.expected,
        "actual": found.actual,
        "difference": found.difference,
        "unit": found.unit,
        "links": found.links,
    }


def _same(row: Mapping[str, Any], figures: Mapping[str, Any]) -> bool:
    return all(
        (Decimal(row[k]) == Decimal(v) if isinstance(v, Decimal) and row[k] is not None else row[k] == v)
        for k, v in figures.items()
    )


async def refresh(uow: AccountingWork, tenant_id: UUID, keys: Iterable[LeaseMonth], now: datetime) -> dict[str, int]:
    """Recompute the items of the lease-months ``keys``; what changed, counted."""
    keys = sorted(set(keys))
    counts = {"raised": 0, "updated": 0, "cleared": 0}
    if not keys:
        return counts
    tol = await tolerances_of(uow)
    facts = await uow.recon.facts(keys)
    posted = await uow.recon.posted_for({month for _, month in keys})
    existing = await uow.recon.items_of(keys)
    new_rows: list[dict[str, Any]] = []
    seen: set[tuple[UUID, date, str]] = set()
    for lease_id, month in keys:
        key = (lease_id, month)
        found = reconcile(
            Facts(
                lease_id,
                month,
                tickets=facts["tickets"].get(key, []),
                field_month=facts["field"].get(key),
                lines=facts["lines"].get(key, []),
                severance=facts["severance"].get(key) or {},
                revenue=facts["revenue"].get(key, {}),
                posted=posted.get(month, {}),
            ),
            tol,
        )
        for item in found:
            seen.add((lease_id, month, item.key))
            row = existing.get((lease_id, month, item.key))
            if row is None:
                new_rows.append(_new_row(tenant_id, lease_id, month, item, now))
            elif row["state"] == "cleared" or not _same(row, _figures(item)):
                state = "open" if row["state"] == "cleared" else row["state"]
                await uow.recon.update_item(row["id"], {**_figures(item), "state": state, "updated_at": now})
                counts["updated"] += 1
    for item_key, row in existing.items():
        if item_key not in seen and row["state"] == "open":
            await uow.recon.update_item(row["id"], {"state": "cleared", "updated_at": now})
            counts["cleared"] += 1
    counts["raised"] = await _raise(uow, tenant_id, new_rows)
    return counts


def _new_row(tenant_id: UUID, lease_id: UUID, month: date, item: Found, now: datetime) -> dict[str, Any]:
    return {
        "organization_id": tenant_id,
        "id": uuid7(),
        "lease_id": lease_id,
        "month": month,
        "key": item.key,
        "state": "open",
        "raised_at": now,
        "updated_at": now,
        **_figures(item),
    }


async def _raise(uow: AccountingWork, tenant_id: UUID, new_rows: list[dict[str, Any]]) -> int:
    """Insert the new items and publish each one this transaction inserted (once per item)."""
    inserted = set(await uow.recon.add_items(new_rows))
    for row in new_rows:
        if row["id"] in inserted:
            uow.record(
                ReconciliationItemRaised(
                    tenant_id=tenant_id,
                    item_id=row["id"],
                    lease_id=row["lease_id"],
                    month=row["month"],
                    cause=row["cause"],
                    product=row["product"],
                    message=row["message"],
                    expected=row["expected"],
                    actual=row["actual"],
                    unit=row["unit"],
                    links=row["links"],
                )
            )
    return len(inserted)


async def list_items(acc: Accounting, actor: Actor, **filters: Any) -> dict[str, Any]:
    if filters.get("month") is not None:
        check_month(filters["month"], "query.month")
    async with acc.uow(actor) as uow:
        return await uow.recon.page_of_items(**filters)


async def get_item(acc: Accounting, actor: Actor, item_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await uow.recon.get_item(item_id)
        if row is None:
            raise NotFound("No such reconciliation item.")
        return row


async def resolve_item(acc: Accounting, actor: Actor, item_id: UUID, data: Mapping[str, Any]) -> dict[str, Any]:
    """Resolve with who and why; the same resolution again answers the item as it is."""
    why = (data.get("resolution") or "").strip()
    if not why:
        raise invalid("body.resolution", "say how the difference was resolved")
    async with acc.uow(actor) as uow:
        row = await uow.recon.get_item(item_id, lock=True)
        if row is None:
            raise NotFound("No such reconciliation item.")
        if row["state"] == "resolved":
            if row["resolution"] == why:
                return row
            raise Conflict(f"This item was resolved by {row['resolved_by']}.", slug="item-resolved")
        values: dict[str, Any] = {
            "state": "resolved",
            "resolution": why,
            "resolved_by": actor.id,
            "resolved_at": acc.clock(),
            "updated_at": acc.clock(),
        }
        if data.get("assignee"):
            values["assignee"] = data["assignee"]
        return await uow.recon.update_item(item_id, values)


async def assign_item(acc: Accounting, actor: Actor, item_id: UUID, assignee: str | None) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = await uow.recon.get_item(item_id, lock=True)
        if row is None:
            raise NotFound("No such reconciliation item.")
        return await uow.recon.update_item(item_id, {"assignee": assignee, "updated_at": acc.clock()})


async def recompute(acc: Accounting, actor: Actor, month: date, lease_id: UUID | None) -> dict[str, int]:
    """Recompute a month (or one lease-month) on demand: the leases with statement lines, tickets or items."""
    check_month(month)
    async with acc.uow(actor) as uow:
        keys = await uow.recon.lease_months_of(month, lease_id)
        return await refresh(uow, actor.organization_id, keys, acc.clock())


async def get_tolerances(acc: Accounting, actor: Actor) -> dict[str, str]:
    async with acc.uow(actor) as uow:
        return (await tolerances_of(uow)).as_dict()


async def set_tolerances(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, str]:
    values = {k: v for k, v in data.items() if v is not None}
    for name, value in values.items():
        if Decimal(value) < 0:
            raise invalid(f"body.{name}", "a tolerance is zero or more")
    tol = Tolerances.of(values)
    async with acc.uow(actor) as uow:
        await uow.recon.save_tolerances(tol.as_dict(), actor.id, acc.clock())
    return tol.as_dict()


async def put_posted_price(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    month = check_month(data["month"])
    if data["low"] > data["high"]:
        raise invalid("body.low", "the low end of the range is above the high end")
    async with acc.uow(actor) as uow:
        row = await uow.recon.put_posted_price(
            {
                "organization_id": actor.organization_id,
                "month": month,
                "product": data["product"],
                "low": data["low"],
                "high": data["high"],
                "source": data.get("source") or "entered",
                "entered_by": actor.id,
                "entered_at": acc.clock(),
            }
        )
        keys = await uow.recon.lease_months_of(month, None)
        await refresh(uow, actor.organization_id, keys, acc.clock())
        return row


async def list_posted_prices(acc: Accounting, actor: Actor, month: date | None, limit: int, offset: int) -> Any:
    async with acc.uow(actor) as uow:
        return await uow.recon.page_of_posted(month, limit, offset)
