"""Owner and JIB statements as files (CSV, PDF): the operator's letterhead and contact from the profile, owners
named by their owner number, and file names people can read (``caprock-energy-owner-1042-statement-2026-11.pdf``).
The routes in ``revenue`` and ``jib`` answer JSON themselves and hand the files to these."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Response

from wellflow_servicekit.pdf import PdfRenderer

from ...adapters import documents
from ...app import jib as jib_uc
from ...app import statements as statement_uc
from ...domain.operator import OperatorContact
from ..deps import attachment

FileFormat = Literal["csv", "pdf"]


def _operator_facts(operator: OperatorContact) -> list[tuple[str, str]]:
    facts = operator.lines()
    if operator.notice:
        facts.append(("Notice", operator.notice))
    return facts


def _owner_line(owner: dict[str, Any]) -> str:
    number = owner["owner_number"] or "not numbered"
    tax = f", tax id {owner['tax_id']}" if owner["tax_id"] else ""  # masked; an owner without one shows none
    return f"{owner['name']} (owner {number}{tax})"


async def _answer(
    fmt: FileFormat,
    pdf: PdfRenderer,
    title: str,
    columns: list[tuple[str, str]],
    statement: dict[str, Any],
    operator: OperatorContact,
    facts: list[tuple[str, str]],
    totals: list[tuple[str, str]],
) -> Response:
    name = statement["file_name"]
    contact = _operator_facts(operator)
    if fmt == "csv":
        content = documents.to_csv(columns, statement["lines"], [*contact, *facts, *totals])
        return Response(content, media_type="text/csv", headers=attachment(name + ".csv"))
    content = await pdf.render(
        documents.to_pdf, title, facts, columns, statement["lines"], [*totals, *contact[1:]], contact, operator.logo
    )
    return Response(content, media_type="application/pdf", headers=attachment(name + ".pdf"))


async def owner_statement_file(
    fmt: FileFormat, pdf: PdfRenderer, statement: dict[str, Any], operator: OperatorContact
) -> Response:
    owner, summary = statement["owner"], statement["summary"]
    facts = [
        ("Owner", _owner_line(owner)),
        ("Owner address", owner["address"] or "not on file"),
        ("Sales month", statement["sales_month"]),
        ("Run status", statement["status"]),
    ]
    totals = [
        ("Owner share after deductions, this run", str(summary["total_owner_net"])),
        ("Held for title", str(summary["held_for_title"])),
        ("Released from title hold", str(summary["released_from_title_hold"])),
        ("Suspense brought forward (minimum payment)", str(summary["prior_minimum_suspense"])),
        ("Paid", str(summary["paid"])),
        ("Payment decision", summary["reason"]),
        ("Questions: contact", operator.name or "operator name not set"),
    ]
    return await _answer(
        fmt, pdf, "Owner revenue statement", statement_uc.STUB_COLUMNS, statement, operator, facts, totals
    )


async def jib_statement_file(
    fmt: FileFormat, pdf: PdfRenderer, statement: dict[str, Any], operator: OperatorContact
) -> Response:
    partner = statement["partner"]
    facts = [
        ("Partner", f"{partner['name']} (partner {partner['owner_number'] or 'not numbered'})"),
        ("Month", statement["month"]),
        ("Status", statement["status"]),
    ]
    totals = [
        ("Prior balance", str(statement["prior_balance"])),
        ("Billed this month", str(statement["billed"])),
        ("Payments received", str(statement["payments"])),
        ("Balance due", str(statement["balance_due"])),
        ("Questions: contact", operator.name or "operator name not set"),
    ]
    return await _answer(
        fmt, pdf, "Joint interest billing statement", jib_uc.JIB_COLUMNS, statement, operator, facts, totals
    )
