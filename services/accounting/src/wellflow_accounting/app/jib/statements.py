"""A partner's JIB statement: lines (property, AFE, category, gross, decimal, net), prior balance, payments
received and balance due."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ..context import Accounting, Actor
from ..statements import contact
from .queries import jib_row

JIB_COLUMNS = [
    ("incurred_on", "Date"),
    ("lease", "Property"),
    ("well", "Well"),
    ("afe_number", "AFE"),
    ("category", "Category"),
    ("vendor_name", "Vendor"),
    ("description", "Description"),
    ("gross", "Gross amount"),
    ("decimal", "Partner decimal"),
    ("net", "Partner net"),
]


async def partner_statement(acc: Accounting, actor: Actor, run_id: UUID, partner_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        run = await jib_row(uow, run_id)
        statement = await uow.jib_runs.statement_of(run_id, partner_id)
        partner = await uow.partners.get(partner_id)
        if statement is None or partner is None:
            raise NotFound(f"No JIB statement for partner {partner_id} in run {run_id}.")
        lines = await uow.jib_runs.statement_lines(run_id, partner_id)
    return {
        "run_id": run_id,
        "month": f"{run['month']:%m/%Y}",
        "status": run["status"],
        "partner": {"id": partner["id"], "name": partner["name"]},
        "operator": contact(acc.operator),
        "lines": lines,
        "prior_balance": statement["prior_balance"],
        "billed": statement["billed"],
        "payments": statement["payments"],
        "balance_due": statement["balance_due"],
    }
