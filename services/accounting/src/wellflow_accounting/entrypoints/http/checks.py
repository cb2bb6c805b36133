"""Checks: printable checks with their 91.502 stubs, voids and reissues, the check register, positive pay."""

import io
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.csv_export import csv_writer

from ...adapters.check_documents import checks_pdf
from ...app.context import invalid
from ...app.payments import checks as check_uc
from ...domain.checks import POSITIVE_PAY_COLUMNS
from .. import schemas
from ..deps import AccountingDep, Limit, Offset, PdfDep, Reader, Writer, attachment

checks_router = APIRouter(prefix="/api/v1/payments", tags=["payments"])

# A check's page takes about 1 ms to draw (docs/benchmarks.md, payment run): 60 ms each leaves room for a loaded
# machine and a long stub, and lets a run of more than 500 checks take longer than the service's PDF deadline.
CHECK_SECONDS = 0.06

Format = Annotated[Literal["json", "pdf"], Query(description="json, or pdf to print")]


async def _answer(fmt: str, pdf: Any, checks: list[dict[str, Any]], operator: Any, name: str) -> Any:
    if fmt == "json":
        return {"checks": checks, "operator": operator.answer()}
    deadline = pdf.deadline_for(len(checks), CHECK_SECONDS)
    content = await pdf.render(checks_pdf, checks, operator.lines(), timeout_seconds=deadline)
    return Response(content, media_type="application/pdf", headers=attachment(name))


@checks_router.get("/runs/{run_id}/checks")
async def run_checks(run_id: UUID, actor: Reader, acc: AccountingDep, pdf: PdfDep, format: Format = "json") -> Any:
    """Every numbered check of the run, one per page with its stub (Tex. Nat. Res. Code 91.502)."""
    checks, operator, run = await check_uc.check_documents(acc, actor, run_id)
    return await _answer(format, pdf, checks, operator, f"checks-{run['pay_date']:%Y-%m-%d}.pdf")


@checks_router.get("/runs/{run_id}/payments/{payment_id}/check")
async def one_check(
    run_id: UUID, payment_id: UUID, actor: Reader, acc: AccountingDep, pdf: PdfDep, format: Format = "json"
) -> Any:
    checks, operator, _ = await check_uc.check_documents(acc, actor, run_id, payment_id)
    return await _answer(format, pdf, checks, operator, f"check-{checks[0]['check_number']}.pdf")


@checks_router.post("/runs/{run_id}/payments/{payment_id}/void", response_model=schemas.PayeePaymentRead)
async def void_check(
    run_id: UUID, payment_id: UUID, body: schemas.VoidCreate, actor: Writer, acc: AccountingDep
) -> Any:
    """Void a sent check (and, with ``reissue``, write a new one: the reissued payment is answered)."""
    return await check_uc.void_check(acc, actor, run_id, payment_id, body.model_dump())


@checks_router.get("/checks", response_model=schemas.Page[schemas.PayeePaymentRead])
async def check_register(
    actor: Reader,
    acc: AccountingDep,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """The check register: every check written, by number, voids included."""
    rows = await check_uc.check_register(acc, actor, date_from=date_from, date_to=date_to)
    return {"items": rows[offset : offset + limit], "total": len(rows), "limit": limit, "offset": offset}


@checks_router.get("/positive-pay")
async def positive_pay(actor: Writer, acc: AccountingDep, date_from: date, date_to: date) -> Response:
    """The bank's positive-pay file (CSV; columns in docs/payments.md#positive-pay): checks issued or voided."""
    if date_to < date_from:
        raise invalid("query.date_to", "on or after date_from")
    rows = await check_uc.positive_pay(acc, actor, date_from=date_from, date_to=date_to)
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(POSITIVE_PAY_COLUMNS)
    writer.writerows(rows)
    name = f"positive-pay-{date_from:%Y%m%d}-{date_to:%Y%m%d}.csv"
    return Response(buffer.getvalue().encode("ascii", "replace"), media_type="text/csv", headers=attachment(name))
