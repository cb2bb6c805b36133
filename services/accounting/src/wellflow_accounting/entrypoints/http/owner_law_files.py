"""Owner-payment-law answers as files: a 91.504 answer (CSV, PDF) in the owner statement's columns and letterhead."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from wellflow_servicekit.pdf import PdfRenderer

from ...app import statements as statement_uc
from ...domain.operator import OperatorContact
from .statement_files import FileFormat, _answer, _owner_line


async def information_answer_file(
    fmt: FileFormat, pdf: PdfRenderer, document: dict[str, Any], operator: OperatorContact
) -> Response:
    request, period = document["request"], document["period"]
    facts = [
        ("Owner", _owner_line(document["owner"])),
        ("Owner address", document["owner"]["address"] or "not on file"),
        ("Request received", str(request["received_on"])),
        ("Asked under", document["asked_under"]),
        ("Sales months", f"{period['from']:%m/%Y} to {period['to']:%m/%Y}"),
    ]
    for lease in document["properties"]:
        facts.append(
            (
                "Property",
                f"{lease['name']}, RRC {lease['rrc_district']}-{lease['rrc_lease_number'] or 'pending'}, "
                f"{lease['county_state']}; owner decimal {', '.join(lease['owner_decimals']) or 'none in period'}",
            )
        )
    if document["note"]:
        facts.append(("Note", document["note"]))
    totals = [("Questions: contact", operator.name or "operator name not set")]
    return await _answer(
        fmt,
        pdf,
        "Answer to an owner's information request",
        statement_uc.STUB_COLUMNS,
        document,
        operator,
        facts,
        totals,
    )
