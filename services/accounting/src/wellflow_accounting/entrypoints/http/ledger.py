"""The general-ledger journal export for QuickBooks Online."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from ...adapters import documents
from ...app import ledger as ledger_uc
from ...domain.ledger import COLUMNS
from ..deps import AccountingDep, Reader, attachment

# ---------------------------------------------------------------- general ledger

ledger_router = APIRouter(prefix="/api/v1/gl", tags=["general ledger"])


@ledger_router.get("/journal")
async def gl_journal(
    actor: Reader,
    acc: AccountingDep,
    month: Annotated[date, Query(description="first day of the month")],
    format: Annotated[Literal["json", "csv"], Query()] = "csv",
) -> Any:
    """The month's journal entries (finalized revenue distribution, issued JIB) as a QuickBooks Online
    journal-entry import CSV: Journal No, Journal Date, Account, Debits, Credits, Description, Name."""
    rows = ledger_uc.journal_rows(await ledger_uc.journal(acc, actor, month))
    if format == "json":
        return rows
    columns = [(c, c) for c in COLUMNS]
    content = documents.to_csv(columns, rows)
    return Response(content, media_type="text/csv", headers=attachment(f"journal-{month:%Y-%m}.csv"))
