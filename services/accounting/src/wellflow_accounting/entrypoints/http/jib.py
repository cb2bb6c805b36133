"""Joint interest billing: agreements, costs (and their CSV import), payments, runs and statements."""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response

from wellflow_servicekit.http import CSV_UPLOAD_OPENAPI, created_or_replayed, read_csv_upload

from ...app import agreements as agreement_uc
from ...app import costs as cost_uc
from ...app import jib as jib_uc
from ...app.context import check_month, invalid
from .. import schemas
from ..deps import NO_NUL, AccountingDep, Limit, Offset, PdfDep, Reader, Writer
from .statement_files import jib_statement_file

# ---------------------------------------------------------------- joint interest billing

jib_router = APIRouter(prefix="/api/v1/jib", tags=["joint interest billing"])


@jib_router.post("/agreements", status_code=201, response_model=schemas.AgreementRead)
async def create_agreement(body: schemas.AgreementCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    """A lease's operating agreement: overhead rates (COPAS) and the AFE overrun percentage."""
    return created_or_replayed(response, await agreement_uc.create_agreement(acc, actor, body.model_dump()))


@jib_router.get("/agreements", response_model=schemas.Page[schemas.AgreementRead])
async def list_agreements(
    actor: Reader, acc: AccountingDep, lease_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await agreement_uc.list_agreements(acc, actor, lease_id=lease_id, limit=limit, offset=offset)


@jib_router.get("/agreements/{agreement_id}", response_model=schemas.AgreementRead)
async def get_agreement(agreement_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await agreement_uc.get_agreement(acc, actor, agreement_id)


@jib_router.patch("/agreements/{agreement_id}", response_model=schemas.AgreementRead)
async def update_agreement(agreement_id: UUID, body: schemas.AgreementUpdate, actor: Writer, acc: AccountingDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise invalid(f"body.{name}", "may not be empty")
    return await agreement_uc.update_agreement(acc, actor, agreement_id, changes)


@jib_router.put("/agreements/{agreement_id}/adjustments/{year}", response_model=schemas.AgreementRead)
async def set_adjustment(
    agreement_id: UUID,
    year: Annotated[int, Path(ge=1990, le=2200)],
    body: schemas.AdjustmentUpdate,
    actor: Writer,
    acc: AccountingDep,
) -> Any:
    """The April 1 overhead adjustment of ``year`` in percent (e.g. 3.2 for +3.2%)."""
    return await agreement_uc.set_adjustment(acc, actor, agreement_id, year, body.percent)


@jib_router.post("/costs", status_code=201, response_model=schemas.CostRead)
async def record_cost(body: schemas.CostCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    """A vendor invoice or lease operating expense line; carrying an AFE number charges that AFE."""
    return created_or_replayed(response, await cost_uc.record_cost(acc, actor, body.model_dump()))


MAX_IMPORT_BYTES = 2_000_000


@jib_router.post(
    "/costs/import",
    response_model=schemas.ImportRead,
    openapi_extra=CSV_UPLOAD_OPENAPI,
)
async def import_costs(request: Request, actor: Writer, acc: AccountingDep) -> Any:
    """A CSV of costs (header: date, vendor, category, lease, amount; optional: invoice_number, well,
    afe_number, description). Answers a report per row: recorded, or rejected with its reasons."""
    content = await read_csv_upload(request, MAX_IMPORT_BYTES)
    if "\x00" in content:
        raise invalid("body", "the file contains a NUL character")
    return await cost_uc.import_costs(acc, actor, content, _cost_row)


def _cost_row(values: Any) -> Any:
    return schemas.CostCreate.model_validate(values).model_dump()


@jib_router.get("/costs", response_model=schemas.Page[schemas.CostRead])
async def list_costs(
    actor: Reader,
    acc: AccountingDep,
    lease_id: UUID | None = None,
    category: schemas.CostCategoryIn | None = None,
    afe_number: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    billed: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await cost_uc.list_costs(
        acc,
        actor,
        lease_id=lease_id,
        category=category,
        afe_number=afe_number,
        billed=billed,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )


@jib_router.post("/payments", status_code=201, response_model=schemas.PaymentRead)
async def record_payment(body: schemas.PaymentCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    return created_or_replayed(response, await jib_uc.record_payment(acc, actor, body.model_dump()))


@jib_router.get("/payments", response_model=schemas.Page[schemas.PaymentRead])
async def list_payments(
    actor: Reader, acc: AccountingDep, partner_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await jib_uc.list_payments(acc, actor, partner_id=partner_id, limit=limit, offset=offset)


@jib_router.post("/runs", status_code=201, response_model=schemas.JibRunRead)
async def run_jib(body: schemas.RunCreate, actor: Writer, acc: AccountingDep) -> Any:
    """Compute the month's draft JIB (re-running replaces the draft; an issued month answers 409)."""
    return await jib_uc.run_jib(acc, actor, check_month(body.month))


@jib_router.get("/runs", response_model=schemas.Page[schemas.JibRunRead])
async def list_jib_runs(
    actor: Reader,
    acc: AccountingDep,
    status: Literal["draft", "issued"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await jib_uc.list_jib_runs(acc, actor, status=status, limit=limit, offset=offset)


@jib_router.get("/runs/{run_id}", response_model=schemas.JibRunRead)
async def get_jib_run(run_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await jib_uc.get_jib_run(acc, actor, run_id)


@jib_router.post("/runs/{run_id}/issue", response_model=schemas.JibRunRead)
async def issue_jib(run_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    """Lock the month, mark its costs billed and publish accounting.jib_issued.v1 (idempotent)."""
    return await jib_uc.issue_jib(acc, actor, run_id)


@jib_router.get("/runs/{run_id}/statements/{partner_id}")
async def jib_statement(
    run_id: UUID,
    partner_id: UUID,
    actor: Reader,
    acc: AccountingDep,
    pdf: PdfDep,
    format: Annotated[Literal["json", "csv", "pdf"], Query(description="json, csv or pdf")] = "json",
) -> Any:
    """A partner's JIB statement: lines (property, AFE, category, gross, decimal, net), prior balance,
    payments received and balance due."""
    statement, operator = await jib_uc.partner_statement_document(acc, actor, run_id, partner_id)
    if format == "json":
        return statement
    return await jib_statement_file(format, pdf, statement, operator)
