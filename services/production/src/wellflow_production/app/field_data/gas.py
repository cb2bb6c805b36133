"""Gas dispositions: gas leaving a lease for one day or a whole month, by Form PR code; list and delete them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from .. import rollups
from ..common import Production, month_start, page_body


def _body(row: dict[str, Any]) -> dict[str, Any]:
    return jsonable({k: v for k, v in row.items() if k != "organization_id"})  # type: ignore[no-any-return]


async def record_gas_disposition(production: Production, actor: Actor, body: dict[str, Any]) -> dict[str, Any]:
    day = body.get("day")
    month = month_start(day or body["month"])
    if (day or month) > production.today():
        raise invalid("body.day" if day else "body.month", "Gas cannot be disposed of in the future.")
    async with production.uow(actor) as uow:
        if not await uow.gas_dispositions.lease_known(body["lease_id"]):
            raise invalid(
                "body.lease_id", f"Lease {body['lease_id']} is not known to production.", slug="unknown-lease"
            )
        row = await uow.gas_dispositions.add(
            {
                "organization_id": actor.organization_id,
                "id": uuid7(),
                "lease_id": body["lease_id"],
                "month": month,
                "day": day,
                "code": body["code"],
                "mcf": body["mcf"],
                "authority": body.get("authority"),
                "meter_id": body.get("meter_id"),
                "purchaser": body.get("purchaser"),
                "comments": body.get("comments"),
                "recorded_by": actor.id,
                "entered_at": production.clock(),
            }
        )
        await rollups.refresh(uow, actor.organization_id, [(row["lease_id"], month)])
    return _body(row)


async def list_gas_dispositions(
    production: Production, actor: Actor, *, lease_id: UUID | None, month: date | None, offset: int, limit: int
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        rows = await uow.gas_dispositions.latest_first(
            lease_id=lease_id, month=month_start(month) if month is not None else None, offset=offset, limit=limit
        )
    return page_body([_body(r) for r in rows[:limit]], rows, offset=offset, limit=limit)


async def delete_gas_disposition(production: Production, actor: Actor, disposition_id: UUID) -> None:
    async with production.uow(actor) as uow:
        row = await uow.gas_dispositions.remove(disposition_id)
        if row is None:
            raise NotFound(f"No gas disposition {disposition_id}.")
        await rollups.refresh(uow, actor.organization_id, [(row["lease_id"], row["month"])])
