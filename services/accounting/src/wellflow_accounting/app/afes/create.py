"""Create a draft AFE with its estimate lines (a supplemental AFE names its original)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict

from ...domain import afe as rules
from ..context import Accounting, Actor, invalid
from ..decks import lease_row
from ..ports import AccountingWork, DuplicateKey
from .common import detail, record_status

DEFAULT_OVERRUN_PERCENT = Decimal("10.00")  # used when the lease has no operating agreement on file


async def _check_new_afe(uow: AccountingWork, data: Mapping[str, Any]) -> None:
    await lease_row(uow, data["lease_id"])
    well_id = data.get("well_id")
    if well_id is not None and await uow.wells.lease_of(well_id) != data["lease_id"]:
        raise invalid("body.well_id", "no such well on this lease")
    if data.get("parent_afe_id") is not None:
        parent = await uow.afes.get(data["parent_afe_id"])
        if parent is None:
            raise invalid("body.parent_afe_id", "no such AFE")
        if parent["lease_id"] != data["lease_id"] or parent["parent_afe_id"] is not None:
            raise invalid("body.parent_afe_id", "a supplement belongs to an original AFE of the same lease")


def _afe_request(row: Mapping[str, Any], lines: list[Mapping[str, Any]]) -> dict[str, Any]:
    """What a retry of the create must repeat."""
    request = {key: row[key] for key in ("afe_number", "title", "lease_id", "well_id", "parent_afe_id", "description")}
    if row["overrun_percent"] is not None:  # else the agreement's, whatever it was then
        request["overrun_percent"] = row["overrun_percent"]
    request["lines"] = [{key: line.get(key) for key in ("kind", "category", "description", "amount")} for line in lines]
    return request


async def _created(uow: AccountingWork, actor: Actor, afe: dict[str, Any], data: Mapping[str, Any]) -> None:
    """A new AFE's lines, its first history entry and its event."""
    await uow.afes.replace_lines(actor.organization_id, afe["id"], data["lines"])
    await uow.afes.add_history(
        {
            "organization_id": actor.organization_id,
            "id": uuid7(),
            "afe_id": afe["id"],
            "from_status": None,
            "to_status": "draft",
            "changed_by": actor.id,
            "changed_at": afe["created_at"],
            "note": "created",
        }
    )
    record_status(uow, actor, afe, None, "draft", "created")


async def create_afe(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new draft AFE and True, or the AFE with this client-chosen id and False (a retried request)."""
    now = acc.clock()
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "afe_number": data["afe_number"],
        "title": data["title"],
        "lease_id": data["lease_id"],
        "well_id": data.get("well_id"),
        "parent_afe_id": data.get("parent_afe_id"),
        "status": rules.AfeStatus.DRAFT.value,
        "overrun_percent": data.get("overrun_percent"),
        "description": data.get("description"),
        "created_by": actor.id,
        "created_at": now,
        "updated_at": now,
    }
    request = _afe_request(row, data["lines"])
    try:
        async with acc.uow(actor) as uow:

            async def check() -> None:
                await _check_new_afe(uow, data)
                if row["overrun_percent"] is None:
                    overrun = await uow.agreements.overrun_percent_for_lease(data["lease_id"])
                    row["overrun_percent"] = overrun if overrun is not None else DEFAULT_OVERRUN_PERCENT

            async def answer(stored: dict[str, Any]) -> dict[str, Any]:
                return await detail(uow, stored)

            afe, new = await uow.afes.add(row, request, prepare=check, answer=answer)
            if not new:
                return afe, False
            await _created(uow, actor, afe, data)
            return await detail(uow, afe), True
    except DuplicateKey:
        raise Conflict(
            "Another AFE has this number.",
            slug="duplicate-afe",
            errors=[{"field": "body.afe_number", "message": "already used"}],
        ) from None
