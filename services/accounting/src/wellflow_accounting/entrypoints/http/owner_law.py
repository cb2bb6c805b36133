"""Texas owner-payment law: the New York Fed rate 91.403 interest is priced on, the late-payment clock, owners'
91.504 information requests and escheat."""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.http import created_or_replayed

from ...app.owner_law import clock as clock_uc
from ...app.owner_law import escheat as escheat_uc
from ...app.owner_law import rates as rate_uc
from ...app.owner_law import requests as request_uc
from ..deps import AccountingDep, Limit, Offset, PdfDep, Reader, Writer, attachment
from ..schemas import Page
from ..schemas import owner_law as schemas
from .owner_law_files import information_answer_file

late_rates_router = APIRouter(prefix="/api/v1/late-interest-rates", tags=["owner payment law"])


@late_rates_router.get("", response_model=Page[schemas.LateInterestRateRead])
async def list_rates(
    actor: Reader,
    acc: AccountingDep,
    origin: Literal["published", "entered"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """The New York Fed's primary credit rate by the day it took effect, newest first, with the 91.403 rate."""
    return await rate_uc.list_rates(acc, actor, origin=origin, limit=limit, offset=offset)


@late_rates_router.post("", status_code=201, response_model=schemas.LateInterestRateRead)
async def add_rate(body: schemas.LateInterestRateCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    """Enter the Fed's rate from a day on (a change WellFlow's published history does not have yet, or a correction:
    the organization's entry wins on its day)."""
    return created_or_replayed(response, await rate_uc.add_rate(acc, actor, body.model_dump()))


late_payments_router = APIRouter(prefix="/api/v1/late-payments", tags=["owner payment law"])


@late_payments_router.get("", response_model=schemas.ClockPage)
async def late_payment_clock(
    actor: Reader,
    acc: AccountingDep,
    as_of: Annotated[date | None, Query(description="the day to measure on; default today")] = None,
    late_only: Annotated[bool, Query(description="only items paid late or still unpaid past due")] = False,
    partner_id: UUID | None = None,
    lease_id: UUID | None = None,
    sort: Annotated[str, Query(description="due_date, -days_late or sale_month")] = "due_date",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Per owner, lease, sales month and product: due date (91.402(a)), paid, unpaid, days late, 91.403 interest."""
    return await clock_uc.late_payment_clock(
        acc,
        actor,
        as_of=as_of,
        late_only=late_only,
        partner_id=partner_id,
        lease_id=lease_id,
        sort=sort,
        limit=limit,
        offset=offset,
    )


@late_payments_router.post("/check", response_model=schemas.LateCheckRead)
async def check_late_payments(actor: Writer, acc: AccountingDep) -> Any:
    """Run today's late check now (it also runs daily): each newly late item is announced once."""
    return await clock_uc.check_late_payments(acc, actor)


information_requests_router = APIRouter(prefix="/api/v1/information-requests", tags=["owner payment law"])


@information_requests_router.post("", status_code=201, response_model=schemas.InformationRequestRead)
async def record_request(
    body: schemas.InformationRequestCreate, actor: Writer, acc: AccountingDep, response: Response
) -> Any:
    """Record an owner's certified-mail request (91.504 / 91.507); it must be answered by the 60th day after receipt."""
    return created_or_replayed(response, await request_uc.record_request(acc, actor, body.model_dump()))


@information_requests_router.get("", response_model=Page[schemas.InformationRequestRead])
async def list_requests(
    actor: Reader,
    acc: AccountingDep,
    partner_id: UUID | None = None,
    open_only: Annotated[bool, Query(description="only requests not answered yet")] = False,
    overdue: Annotated[bool, Query(description="only unanswered requests past their 60-day deadline")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await request_uc.list_requests(
        acc, actor, partner_id=partner_id, open_only=open_only, overdue=overdue, limit=limit, offset=offset
    )


@information_requests_router.get("/{request_id}", response_model=schemas.InformationRequestRead)
async def get_request(request_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await request_uc.get_request(acc, actor, request_id)


@information_requests_router.post("/{request_id}/answered", response_model=schemas.InformationRequestRead)
async def record_answer(
    request_id: UUID, body: schemas.InformationAnswerCreate, actor: Writer, acc: AccountingDep
) -> Any:
    """Record the day the answer was sent (certified mail)."""
    return await request_uc.record_answer(acc, actor, request_id, body.model_dump())


@information_requests_router.get("/{request_id}/answer")
async def answer_document(
    request_id: UUID,
    actor: Reader,
    acc: AccountingDep,
    pdf: PdfDep,
    format: Annotated[Literal["json", "csv", "pdf"], Query(description="json, csv or pdf")] = "json",
) -> Any:
    """The answer from WellFlow's data: the owner's decimal, the properties (RRC ids, county), volumes, prices and
    values by sales month over the period asked (default: the calendar year before receipt)."""
    document, operator = await request_uc.answer_document(acc, actor, request_id)
    if format == "json":
        return document
    return await information_answer_file(format, pdf, document, operator)


escheat_router = APIRouter(prefix="/api/v1/escheat", tags=["owner payment law"])


@escheat_router.get("/candidates", response_model=schemas.EscheatCandidates)
async def escheat_candidates(
    actor: Reader,
    acc: AccountingDep,
    as_of: date | None = None,
    report_year: Annotated[int | None, Query(ge=2000, le=2200)] = None,
) -> Any:
    """Owners with suspense: when each balance is presumed abandoned (Property Code 75.101), the letter and
    report dates (74.1011, 74.101) and whether it can be reported."""
    return await escheat_uc.candidates(acc, actor, as_of=as_of, report_year=report_year)


@escheat_router.post("/letters", response_model=schemas.EscheatLetters)
async def send_letters(body: schemas.EscheatLetterCreate, actor: Writer, acc: AccountingDep) -> Any:
    """Record the due-diligence letters of a report year with the day mailed (one per owner and year)."""
    return await escheat_uc.send_letters(acc, actor, body.model_dump())


@escheat_router.get("/letters", response_model=schemas.EscheatLetters)
async def list_letters(
    actor: Reader, acc: AccountingDep, report_year: Annotated[int | None, Query(ge=2000, le=2200)] = None
) -> Any:
    return await escheat_uc.list_letters(acc, actor, report_year)


@escheat_router.post("/owners/{partner_id}/claimed", response_model=schemas.EscheatLetterRead)
async def owner_claimed(partner_id: UUID, body: schemas.EscheatClaimCreate, actor: Writer, acc: AccountingDep) -> Any:
    """The owner answered the year's letter: the balance stays in suspense and is not reported."""
    row = await escheat_uc.mark_claimed(acc, actor, partner_id, body.report_year, body.claimed_on)
    return {**row, "text": ""}


@escheat_router.post("/reports", status_code=201, response_model=schemas.EscheatReportRead)
async def file_report(body: schemas.EscheatReportCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    """Build the year's report (NAUPA file) and release what it reports from suspense; once a year."""
    return created_or_replayed(response, await escheat_uc.file_report(acc, actor, body.model_dump()))


@escheat_router.get("/reports", response_model=list[schemas.EscheatReportRead])
async def list_reports(actor: Reader, acc: AccountingDep) -> Any:
    return await escheat_uc.list_reports(acc, actor)


@escheat_router.get("/reports/{report_id}/file")
async def report_file(report_id: UUID, actor: Reader, acc: AccountingDep) -> Response:
    """The NAUPA standard file as generated (fixed-width ASCII, CR/LF)."""
    row = await escheat_uc.report_file(acc, actor, report_id)
    name = f"unclaimed-property-{row['report_year']}.txt"
    return Response(row["file"], media_type="text/plain", headers=attachment(name))
