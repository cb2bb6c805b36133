"""Payment runs: build, review, approve, write the ACH file and checks, send; the payment settings."""

from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Response

from wellflow_servicekit.http import created_or_replayed

from ...app import payments as payment_uc
from .. import schemas
from ..deps import AccountingDep, Limit, Offset, Reader, Writer, attachment

payments_router = APIRouter(prefix="/api/v1/payments", tags=["payments"])

RunStatus = Literal["draft", "approved", "files_generated", "sent", "cancelled"]


@payments_router.get("/settings", response_model=schemas.PaymentSettingsRead)
async def get_payment_settings(actor: Reader, acc: AccountingDep) -> Any:
    return await payment_uc.get_settings(acc, actor)


@payments_router.put("/settings", response_model=schemas.PaymentSettingsRead)
async def put_payment_settings(body: schemas.PaymentSettingsUpdate, actor: Writer, acc: AccountingDep) -> Any:
    """The operator's bank (ODFI) as the NACHA file names it, approvals, check numbers, interest rates. Fields
    left out keep their value."""
    values = body.model_dump(exclude_unset=True, mode="json")
    return await payment_uc.put_settings(acc, actor, values)


@payments_router.post("/runs", status_code=201, response_model=schemas.PaymentRunRead)
async def create_payment_run(
    body: schemas.PaymentRunCreate, actor: Writer, acc: AccountingDep, response: Response
) -> Any:
    """A draft payment run: every owner the finalized revenue run pays (and the JIB credits), by ACH or check,
    with late-payment interest and JIB netting; owners under the minimum are listed as held."""
    return created_or_replayed(response, await payment_uc.create_run(acc, actor, body.model_dump()))


@payments_router.get("/runs", response_model=schemas.Page[schemas.PaymentRunRead])
async def list_payment_runs(
    actor: Reader, acc: AccountingDep, status: RunStatus | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await payment_uc.list_runs(acc, actor, status=status, limit=limit, offset=offset)


@payments_router.get("/runs/{run_id}", response_model=schemas.PaymentRunRead)
async def get_payment_run(run_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await payment_uc.get_run(acc, actor, run_id)


@payments_router.get("/runs/{run_id}/payments", response_model=schemas.Page[schemas.PayeePaymentRead])
async def list_run_payments(
    run_id: UUID,
    actor: Reader,
    acc: AccountingDep,
    status: Literal["pending", "held", "sent", "void"] | None = None,
    method: Literal["ach", "check"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await payment_uc.list_payments(acc, actor, run_id, status=status, method=method, limit=limit, offset=offset)


@payments_router.get("/runs/{run_id}/payments/{payment_id}", response_model=schemas.PayeePaymentDetailRead)
async def get_run_payment(run_id: UUID, payment_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    """One payment and what it pays, line by line (the stub), late-payment interest on lines of its own."""
    return await payment_uc.get_payment(acc, actor, run_id, payment_id)


@payments_router.post("/runs/{run_id}/approve", response_model=schemas.PaymentRunRead)
async def approve_payment_run(run_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    """Approve (owner or accountant; two different people when the settings ask for two)."""
    return await payment_uc.approve_run(acc, actor, run_id)


@payments_router.post("/runs/{run_id}/cancel", response_model=schemas.PaymentRunRead)
async def cancel_payment_run(run_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    return await payment_uc.cancel_run(acc, actor, run_id)


@payments_router.post("/runs/{run_id}/files", response_model=schemas.PaymentRunRead)
async def generate_payment_files(run_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    """Write the ACH file and number the checks (once: again answers the same file and numbers)."""
    return await payment_uc.generate_files(acc, actor, run_id)


@payments_router.post("/runs/{run_id}/send", response_model=schemas.PaymentRunRead)
async def send_payment_run(run_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    """Mark the run sent (writing its files first if needed); sending again changes nothing."""
    return await payment_uc.send_run(acc, actor, run_id)


@payments_router.get("/runs/{run_id}/ach-file")
async def download_ach_file(run_id: UUID, actor: Writer, acc: AccountingDep) -> Response:
    """The NACHA file as generated (it carries full account numbers: owners and accountants only)."""
    content, run = await payment_uc.ach_file(acc, actor, run_id)
    name = f"ach-{run['pay_date']:%Y-%m-%d}-{run['ach_file_id_modifier']}.txt"
    return Response(content, media_type="text/plain", headers=attachment(name))
