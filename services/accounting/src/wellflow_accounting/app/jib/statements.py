"""A partner's JIB statement: lines (property, AFE, category, gross, decimal, net), prior balance, payments
received and balance due."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ...domain.operator import OperatorContact, statement_file_name
from ..context import Accounting, Actor
from ..operator import current_contact
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
    statement, _ = await partner_statement_document(acc, actor, run_id, partner_id)
    return statement


async def partner_statement_document(
    acc: Accounting, actor: Actor, run_id: UUID, partner_id: UUID
) -> tuple[dict[str, Any], OperatorContact]:
    """The statement and the operator who sends it (its letterhead, logo included, for the PDF)."""
    async with acc.uow(actor) as uow:
        run = await jib_row(uow, run_id)
        statement = await uow.jib_runs.statement_of(run_id, partner_id)
        partner = await uow.partners.get(partner_id)
        if statement is None or partner is None:
            raise NotFound(f"No JIB statement for partner {partner_id} in run {run_id}.")
        lines = await uow.jib_runs.statement_lines(run_id, partner_id)
        operator = await current_contact(uow)
    month = f"{run['month']:%m/%Y}"
    answer = {
        "run_id": run_id,
        "month": month,
        "status": run["status"],
        "partner": {"id": partner["id"], "name": partner["name"], "owner_number": partner["owner_number"]},
        "operator": operator.answer(),
        "file_name": statement_file_name(operator, "partner", partner["owner_number"], "jib", month),
        "lines": lines,
        "prior_balance": statement["prior_balance"],
        "billed": statement["billed"],
        "payments": statement["payments"],
        "balance_due": statement["balance_due"],
    }
    return answer, operator
