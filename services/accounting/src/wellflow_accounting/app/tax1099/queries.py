"""The year's 1099s as the office reads them: the list (filtered, paginated), one owner's, and the recipient
copies' content."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ...domain.operator import operator_contact
from ..context import Accounting, Actor, invalid
from .years import load_year, matches, owner_answer

FIRST_YEAR = 2000


def check_year(year: int, today: date, field: str = "query.year") -> int:
    if not FIRST_YEAR <= year <= today.year:
        raise invalid(field, f"a calendar year from {FIRST_YEAR} to {today.year}")
    return year


async def list_year(
    acc: Accounting,
    actor: Actor,
    year: int,
    *,
    partner_id: UUID | None = None,
    box: str | None = None,
    needs_tin: bool | None = None,
    due_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    check_year(year, acc.clock().date())
    async with acc.uow(actor) as uow:
        owners, partners = await load_year(uow, year, partner_id)
    answers = []
    for pid, owner in owners.items():
        if partner_id is not None and pid != partner_id:
            continue
        answer = owner_answer(owner, partners[pid])  # type: ignore[index]
        if matches(answer, owner, box=box, needs_tin=needs_tin, due_only=due_only):
            answers.append(answer)
    answers.sort(key=lambda a: (a["owner_number"] or "", a["name"]))
    return {"items": answers[offset : offset + limit], "total": len(answers), "limit": limit, "offset": offset}


async def owner_year(acc: Accounting, actor: Actor, year: int, partner_id: UUID) -> dict[str, Any]:
    """One owner's year, with what a recipient copy needs (the operator's contact and the filer's EIN)."""
    check_year(year, acc.clock().date())
    async with acc.uow(actor) as uow:
        partner = await uow.partners.get(partner_id)
        if partner is None:
            raise NotFound(f"No partner {partner_id}.")
        owners, _ = await load_year(uow, year, partner_id)
        settings = await uow.tax_reporting.filer_settings() or {}
        operator = operator_contact(await uow.operator.get())
    owner = owners.get(partner_id)
    if owner is None:
        raise NotFound(f"{partner['name']} was paid nothing in {year}.")
    return {
        **owner_answer(owner, partner),
        "recipient": partner,
        "payer_tin": settings.get("payer_tin"),
        "operator": operator,
    }


async def recipient_copies(acc: Accounting, actor: Actor, year: int) -> list[dict[str, Any]]:
    """Every owner with a form due in ``year``, as ``owner_year`` answers them (for printing all copies)."""
    check_year(year, acc.clock().date())
    async with acc.uow(actor) as uow:
        owners, partners = await load_year(uow, year)
        settings = await uow.tax_reporting.filer_settings() or {}
        operator = operator_contact(await uow.operator.get())
    out = []
    for pid, owner in sorted(owners.items(), key=lambda item: str(partners[item[0]].get("owner_number"))):  # type: ignore[index]
        answer = owner_answer(owner, partners[pid])  # type: ignore[index]
        if answer["forms_due"]:
            out.append(
                {**answer, "recipient": partners[pid], "payer_tin": settings.get("payer_tin"), "operator": operator}
            )  # type: ignore[index]
    return out
