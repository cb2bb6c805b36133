"""Each owner's year for 1099s: the payments paid in the year (``payment_lines_paid``) as domain facts, the
forms due, and the answer the list and the recipient copy show."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from ...domain.form1099 import (
    INTEREST_TYPE_KIND,
    WITHHOLDING_BOX,
    Form,
    IncomeKind,
    OwnerYear,
    PaymentFact,
    owner_years,
)
from ...domain.tax_identity import mask_tin
from ..context import invalid
from ..ports import AccountingWork
from .withholding import withholding_status


def outside_facts(rows: list[dict[str, Any]]) -> list[PaymentFact]:
    """Payments made outside the payment runs: gross of one kind, withholding, nothing else known."""
    return [
        PaymentFact(
            row["partner_id"],
            row["id"],
            row["paid_on"],
            {IncomeKind(row["kind"]): row["gross"]},
            row["backup_withholding"],
            net=row["gross"] - row["backup_withholding"],
        )
        for row in rows
    ]


ZERO = Decimal("0.00")
INCOME_LINES = ("revenue", "suspense_release")
BOXES = {
    "misc-1": (Form.MISC, "1"),
    "misc-2": (Form.MISC, "2"),
    "misc-3": (Form.MISC, "3"),
    "misc-4": (Form.MISC, "4"),
    "nec-1": (Form.NEC, "1"),
    "nec-4": (Form.NEC, "4"),
}
BOX_LABELS = {
    (Form.MISC, "1"): "1 Rents",
    (Form.MISC, "2"): "2 Royalties",
    (Form.MISC, "3"): "3 Other income",
    (Form.MISC, "4"): "4 Federal income tax withheld",
    (Form.NEC, "1"): "1 Nonemployee compensation (oil and gas working interest)",
    (Form.NEC, "4"): "4 Federal income tax withheld",
}


def _default_kind(roles: Iterable[str]) -> IncomeKind:
    """A suspense release names no owner line: a working-interest partner without a royalty role is paid
    working-interest proceeds, anyone else royalties (docs/1099.md: OPEN for owners holding both)."""
    held = set(roles)
    if "working_interest_partner" in held and not held & {"royalty_owner", "orri_owner"}:
        return IncomeKind.WORKING_INTEREST
    return IncomeKind.ROYALTY


def payment_facts(rows: Iterable[Mapping[str, Any]], roles: Mapping[UUID, list[str]]) -> list[PaymentFact]:
    """One fact per payment from its lines grouped by kind: income lines give gross, tax and deductions by kind
    (a revenue line's interest type decides its kind); JIB lines are netting (negative) or a refunded credit,
    interest lines 91.403 interest. ``rows`` come ordered by payment."""
    defaults = {partner: _default_kind(held) for partner, held in roles.items()}
    facts: list[PaymentFact] = []
    head: Mapping[str, Any] | None = None
    gross: dict[IncomeKind, Decimal] = {}
    sums = [ZERO, ZERO, ZERO, ZERO]  # tax, deductions, netted, interest

    def close() -> None:
        if head is not None:
            facts.append(
                PaymentFact(
                    head["partner_id"],
                    head["payment_id"],
                    head["pay_date"],
                    gross,
                    head["backup_withholding"],
                    *sums,
                    head["net"],
                )
            )

    for line in rows:
        if head is None or line["payment_id"] != head["payment_id"]:
            close()
            head, gross, sums = line, {}, [ZERO, ZERO, ZERO, ZERO]
        kind = line["kind"]
        if kind in INCOME_LINES:
            income = INTEREST_TYPE_KIND.get(line["interest_type"]) or defaults.get(
                line["partner_id"], IncomeKind.ROYALTY
            )
            gross[income] = gross.get(income, ZERO) + line["gross"]
            sums[0] += line["tax"]
            sums[1] += line["deductions"]
        elif kind == "interest":
            sums[3] += line["lines_net"]
        elif kind is not None:
            sums[2] -= line["lines_net"]
    close()
    return facts


async def load_year(
    uow: AccountingWork, year: int, partner_id: UUID | None = None
) -> tuple[dict[Hashable, OwnerYear], dict[UUID, dict[str, Any]]]:
    """Every owner's year (or one owner's, with ``partner_id``)."""
    rows = await uow.tax_reporting.payment_lines_paid(year, partner_id)
    outside = await uow.tax_reporting.all_outside_payments(year, partner_id)
    partners = await uow.partners.many({row["partner_id"] for row in [*rows, *outside]})
    facts = payment_facts(rows, {pid: p.get("roles") or [] for pid, p in partners.items()})
    facts += outside_facts(outside)
    return owner_years(facts, year), partners


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def owner_answer(owner: OwnerYear, partner: Mapping[str, Any]) -> dict[str, Any]:
    exempt = bool(partner.get("exempt_from_1099"))
    due = [] if exempt else [form.value for form in owner.forms_due()]
    return {
        "partner_id": owner.payee_id,
        "year": owner.year,
        "name": partner["name"],
        "owner_number": partner.get("owner_number"),
        "tax_id": mask_tin(partner.get("tax_id")),
        "tin_type": partner.get("tin_type"),
        "needs_tin": bool(due) and not partner.get("tax_id"),
        "backup_withholding": withholding_status(partner),
        "exempt_from_1099": exempt,
        "forms_due": due,
        "boxes": [
            {"form": form.value, "box": code, "label": BOX_LABELS.get((form, code), code), "amount": _money(v)}
            for form in (Form.MISC, Form.NEC)
            for code, v in sorted(owner.boxes[form].items())
            if v or code != WITHHOLDING_BOX
        ],
        "reconciliation": {
            "payments": owner.payments,
            "gross": _money(owner.gross),
            "severance_tax": _money(owner.tax),
            "deductions": _money(owner.deductions),
            "jib_netted": _money(owner.netted),
            "backup_withholding": _money(owner.withheld),
            "interest_form_1099_int": _money(owner.interest),
            "net_paid": _money(owner.net),
        },
        "warnings": owner.warnings,
    }


def matches(
    answer: Mapping[str, Any], owner: OwnerYear, *, box: str | None, needs_tin: bool | None, due_only: bool
) -> bool:
    if due_only and not answer["forms_due"]:
        return False
    if needs_tin is not None and answer["needs_tin"] is not needs_tin:
        return False
    if box is not None:
        if box not in BOXES:
            raise invalid("query.box", f"one of {', '.join(BOXES)}")
        form, code = BOXES[box]
        return owner.amount(form, code) != 0
    return True
