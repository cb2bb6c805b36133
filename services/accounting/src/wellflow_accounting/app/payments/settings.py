"""The organization's payment settings: its bank (the ODFI) as NACHA names it, two approvers or one, the next
check number and the prenote wait. Late-payment interest is priced from the rate table of ``owner_law.rates``."""

from __future__ import annotations

from typing import Any

from ...domain import nacha
from ..context import Accounting, Actor, invalid

DEFAULTS: dict[str, Any] = {
    "immediate_destination": None,
    "immediate_destination_name": None,
    "immediate_origin": None,
    "immediate_origin_name": None,
    "company_name": None,
    "company_id": None,
    "odfi_routing": None,
    "entry_description": "ROYALTY",
    "require_two_approvers": False,
    "next_check_number": 1001,
    "prenote_wait_days": 3,
    "check_account_number": None,
    "updated_by": None,
    "updated_at": None,
}


def _public(row: dict[str, Any] | None) -> dict[str, Any]:
    answer = DEFAULTS | (row or {})
    account = answer.pop("check_account_number", None)
    answer["check_account_last4"] = account[-4:] if account else None
    return answer


async def get_settings(acc: Accounting, actor: Actor) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return _public(await uow.payment_runs.settings())


async def put_settings(acc: Accounting, actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    for field in ("immediate_destination", "odfi_routing"):
        problem = nacha.routing_problem(values[field]) if values.get(field) else None
        if problem:
            raise invalid(f"body.{field}", problem)
    async with acc.uow(actor) as uow:
        current = await uow.payment_runs.settings()
        wanted = values.get("next_check_number")
        if current and wanted is not None and await uow.payment_runs.check_number_used(wanted):
            raise invalid("body.next_check_number", f"check number {wanted} was already used")
        row = {k: v for k, v in (DEFAULTS | (current or {}) | values).items() if k != "organization_id"}
        row |= {"organization_id": actor.organization_id, "updated_by": actor.id, "updated_at": acc.clock()}
        return _public(await uow.payment_runs.put_settings(row))
