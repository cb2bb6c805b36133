"""Year-end 1099s: each owner's year (list and one), recipient copies as PDF, the filer's settings and the IRS
files (Publication 1220) with their corrections (docs/1099.md)."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response

from wellflow_servicekit.http import created_or_replayed

from ...adapters.documents_1099 import recipient_statements_pdf
from ...app.tax1099 import filing as filing_uc
from ...app.tax1099 import outside as outside_uc
from ...app.tax1099 import queries as year_uc
from ...app.tax1099.copies import statement_pages
from ...domain.operator import slug
from .. import schemas
from ..deps import AccountingDep, Limit, Offset, PdfDep, Reader, Writer, attachment
from ..schemas.tax1099 import (
    FilerSettingsRead,
    FilerSettingsUpdate,
    FilingCreate,
    FilingRead,
    OutsidePaymentCreate,
    OutsidePaymentRead,
    Owner1099Read,
)

tax_router = APIRouter(prefix="/api/v1/tax/1099", tags=["1099s"])
Year = Annotated[int, Query(ge=2000, le=2200, description="the calendar year the payments were made")]
Box = Literal["misc-1", "misc-2", "misc-3", "misc-4", "nec-1", "nec-4"]


@tax_router.get("/settings", response_model=FilerSettingsRead)
async def get_settings(actor: Reader, acc: AccountingDep) -> Any:
    return FilerSettingsRead.of(await filing_uc.get_settings(acc, actor))


@tax_router.put("/settings", response_model=FilerSettingsRead)
async def put_settings(body: FilerSettingsUpdate, actor: Writer, acc: AccountingDep) -> Any:
    """The operator's EIN and the IRS transmitter details (TCC, contact) every IRS file carries."""
    return FilerSettingsRead.of(await filing_uc.put_settings(acc, actor, body.model_dump()))


@tax_router.post("/outside-payments", status_code=201, response_model=OutsidePaymentRead)
async def record_outside_payment(
    body: OutsidePaymentCreate, actor: Writer, acc: AccountingDep, response: Response
) -> Any:
    """A payment made outside WellFlow's payment runs that the year's 1099s must include (an owner paid by the
    previous system earlier in the year, a lease bonus paid by hand)."""
    return created_or_replayed(response, await outside_uc.record_outside_payment(acc, actor, body.model_dump()))


@tax_router.get("/outside-payments", response_model=schemas.Page[OutsidePaymentRead])
async def list_outside_payments(
    year: Year,
    actor: Reader,
    acc: AccountingDep,
    partner_id: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await outside_uc.list_outside_payments(acc, actor, year, partner_id=partner_id, limit=limit, offset=offset)


@tax_router.delete("/outside-payments/{outside_payment_id}", status_code=204)
async def delete_outside_payment(outside_payment_id: UUID, actor: Writer, acc: AccountingDep) -> Response:
    await outside_uc.delete_outside_payment(acc, actor, outside_payment_id)
    return Response(status_code=204)


@tax_router.get("", response_model=schemas.Page[Owner1099Read])
async def list_year(
    year: Year,
    actor: Reader,
    acc: AccountingDep,
    partner_id: UUID | None = None,
    box: Annotated[Box | None, Query(description="owners with an amount in this box")] = None,
    needs_tin: Annotated[bool | None, Query(description="owners with a form due and no TIN")] = None,
    due_only: Annotated[bool, Query(description="false: every owner paid in the year")] = True,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Each owner's 1099 boxes for payments made in ``year`` (cash basis), the forms due and what is missing."""
    return await year_uc.list_year(
        acc,
        actor,
        year,
        partner_id=partner_id,
        box=box,
        needs_tin=needs_tin,
        due_only=due_only,
        limit=limit,
        offset=offset,
    )


@tax_router.get("/recipient-copies.pdf")
async def all_recipient_copies(year: Year, actor: Reader, acc: AccountingDep, pdf: PdfDep) -> Response:
    """Every recipient statement of the year in one PDF (one page per owner and form), for printing."""
    pages = [page for owner in await year_uc.recipient_copies(acc, actor, year) for page in statement_pages(owner)]
    content = await pdf.render(recipient_statements_pdf, pages)
    return Response(content, media_type="application/pdf", headers=attachment(f"1099-recipient-copies-{year}.pdf"))


@tax_router.get("/owners/{partner_id}", response_model=None)
async def owner_year(
    partner_id: UUID,
    year: Year,
    actor: Reader,
    acc: AccountingDep,
    pdf: PdfDep,
    format: Literal["json", "pdf"] = "json",
) -> Any:
    """One owner's year; ``format=pdf``: the recipient statement (Copy B content) of each form due."""
    answer = await year_uc.owner_year(acc, actor, year, partner_id)
    if format == "json":
        return Owner1099Read.model_validate(answer)
    content = await pdf.render(recipient_statements_pdf, statement_pages(answer))
    name = f"{slug(answer['operator'].short_name)}-owner-{answer['owner_number']}-1099-{year}.pdf"
    return Response(content, media_type="application/pdf", headers=attachment(name))


@tax_router.post("/filings", status_code=201, response_model=FilingRead)
async def create_filing(
    body: FilingCreate,
    actor: Writer,
    acc: AccountingDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Any:
    """Write the year's IRS file: 422 naming every owner with a form due and no TIN, or a missing filer detail;
    409 when there is nothing to send. A retry with the same Idempotency-Key answers the first filing (200)."""
    return created_or_replayed(
        response,
        await filing_uc.create_filing(acc, actor, body.year, kind=body.kind, test=body.test, key=idempotency_key),
    )


@tax_router.get("/filings", response_model=list[FilingRead])
async def list_filings(year: Year, actor: Reader, acc: AccountingDep) -> Any:
    return await filing_uc.list_filings(acc, actor, year)


@tax_router.get("/filings/{filing_id}/file")
async def filing_file(filing_id: UUID, actor: Reader, acc: AccountingDep) -> Response:
    """The Pub 1220 file as generated (ASCII, 750-character records), for upload to the IRS."""
    row, data = await filing_uc.filing_file(acc, actor, filing_id)
    name = f"irs-1099-{row['year']}-{row['kind']}{'-test' if row['test'] else ''}-{str(row['id'])[:8]}.txt"
    return Response(data, media_type="text/plain; charset=us-ascii", headers=attachment(name))
