"""The compliance HTTP API: parse, call one use case, shape the answer."""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency closures in `permitted`.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from wellflow_servicekit.auth import Principal
from wellflow_servicekit.permissions import require_permission
from wellflow_texas.form_pr import normalize_district

from ..adapters import exports
from ..app import adjustments, calendar, operator, reports, severance
from ..app.common import MAX_PAGE, Actor, Compliance, invalid
from ..domain.form_pr import parse_period
from . import schemas

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def get_compliance(request: Request) -> Compliance:
    return request.app.state.compliance


ComplianceDep = Annotated[Compliance, Depends(get_compliance)]


def permitted(action: str) -> Any:
    check = require_permission("compliance", action)

    async def actor(principal: Annotated[Principal, Depends(check)]) -> Actor:
        return Actor(id=principal.subject, organization_id=principal.organization_id)

    return Depends(actor)


Reader = Annotated[Actor, permitted("read")]
Writer = Annotated[Actor, permitted("write")]


def _period(value: str) -> date:
    try:
        return parse_period(value)
    except ValueError as exc:
        raise invalid("path.period", str(exc)) from None


def _month_query(value: str | None, name: str = "month") -> date | None:
    if value is None:
        return None
    try:
        return parse_period(value)
    except ValueError as exc:
        raise invalid(f"query.{name}", str(exc)) from None


# ---------------------------------------------------------------- settings

settings_router = APIRouter(prefix="/api/v1/compliance", tags=["compliance settings"])


@settings_router.get("/operator", response_model=schemas.OperatorRead)
async def get_operator(actor: Reader, compliance: ComplianceDep) -> Any:
    """The organization as the RRC knows it: name and operator number (Form P-5)."""
    return await operator.get_operator(compliance, actor)


@settings_router.put("/operator", response_model=schemas.OperatorRead)
async def set_operator(body: schemas.OperatorIn, actor: Writer, compliance: ComplianceDep) -> Any:
    return await operator.set_operator(compliance, actor, body.rrc_operator_number, body.name)


@settings_router.get("/leases", response_model=schemas.Page[schemas.LeaseRead])
async def list_leases(
    actor: Reader,
    compliance: ComplianceDep,
    rrc_district: str | None = None,
    pending: bool | None = None,
    lease_type: Annotated[str | None, Query(pattern="^(oil|gas)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Compliance's copy of the leases and how each is reported (``pending=true``: no RRC lease number yet)."""
    district = None
    if rrc_district is not None:
        try:
            district = normalize_district(rrc_district)
        except ValueError as exc:
            raise invalid("query.rrc_district", str(exc)) from None
    return await operator.list_leases(
        compliance, actor, rrc_district=district, pending=pending, lease_type=lease_type, limit=limit, offset=offset
    )


# ---------------------------------------------------------------- Form PR

form_pr_router = APIRouter(prefix="/api/v1/form-pr", tags=["form pr"])


@form_pr_router.get("", response_model=schemas.Page[schemas.ReportSummary])
async def list_reports(
    actor: Reader,
    compliance: ComplianceDep,
    year: Annotated[int | None, Query(ge=1990, le=2200)] = None,
    state: Annotated[str | None, Query(pattern="^(draft|submitted|accepted|rejected)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await reports.list_reports(compliance, actor, year=year, state=state, limit=limit, offset=offset)


@form_pr_router.get("/{period}", response_model=schemas.ReportRead)
async def get_report(
    period: str,
    actor: Reader,
    compliance: ComplianceDep,
    lease_id: UUID | None = None,
    rrc_district: str | None = None,
    with_errors: bool | None = None,
    limit: Limit = MAX_PAGE,
    offset: Offset = 0,
) -> Any:
    """The month's draft: lines, errors and warnings, versions filed, and whether an amendment is needed."""
    district = None
    if rrc_district is not None:
        try:
            district = normalize_district(rrc_district)
        except ValueError as exc:
            raise invalid("query.rrc_district", str(exc)) from None
    return await reports.get_report(
        compliance,
        actor,
        _period(period),
        lease_id=lease_id,
        with_errors=with_errors,
        district=district,
        limit=limit,
        offset=offset,
    )


@form_pr_router.post("/{period}/regenerate", response_model=schemas.RegenerateRead)
async def regenerate(period: str, actor: Writer, compliance: ComplianceDep) -> Any:
    return await reports.regenerate(compliance, actor, _period(period))


@form_pr_router.get("/{period}/adjustments", response_model=schemas.Page[schemas.AdjustmentRead])
async def list_adjustments(
    period: str,
    actor: Reader,
    compliance: ComplianceDep,
    lease_id: UUID | None = None,
    include_voided: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await adjustments.list_adjustments(
        compliance, actor, _period(period), lease_id=lease_id, include_voided=include_voided, limit=limit, offset=offset
    )


@form_pr_router.post("/{period}/adjustments", status_code=201, response_model=schemas.AdjustmentRead)
async def add_adjustment(
    period: str,
    body: schemas.AdjustmentIn,
    actor: Writer,
    compliance: ComplianceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """What only the office knows (a disposition, an authority for 10/11, a remark), with who and why."""
    adjustment, created = await adjustments.add_adjustment(
        compliance, actor, _period(period), body.model_dump(), idempotency_key
    )
    if not created:
        response.status_code = 200
    return adjustment


@form_pr_router.post("/{period}/adjustments/{adjustment_id}/void", response_model=schemas.AdjustmentRead)
async def void_adjustment(
    period: str, adjustment_id: UUID, body: schemas.VoidIn, actor: Writer, compliance: ComplianceDep
) -> Any:
    return await adjustments.void_adjustment(compliance, actor, _period(period), adjustment_id, body.reason)


@form_pr_router.post("/{period}/submit", status_code=202, response_model=schemas.VersionSummary)
async def submit(period: str, actor: Writer, compliance: ComplianceDep, response: Response) -> Any:
    """Freeze the draft as the next version and queue it for filing with the RRC (202: the answer comes later).
    Repeating the call while that version waits returns it (200)."""
    version, created = await reports.submit(compliance, actor, _period(period))
    if not created:
        response.status_code = 200
    return version


@form_pr_router.get("/{period}/versions/{version}", response_model=schemas.VersionRead)
async def get_version(period: str, version: int, actor: Reader, compliance: ComplianceDep) -> Any:
    return await reports.get_version(compliance, actor, _period(period), version)


EXPORTS = {
    "json": ("application/json", exports.to_json),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "pdf": ("application/pdf", exports.to_pdf),
}


@form_pr_router.get("/{period}/export.{fmt}")
async def export(
    period: str,
    fmt: str,
    actor: Reader,
    compliance: ComplianceDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The draft (or a filed version) as PDF, CSV or JSON, in WellFlow's own format (not the RRC's EDI)."""
    if fmt not in EXPORTS:
        raise invalid("path.fmt", "Export as pdf, csv or json.")
    media_type, render = EXPORTS[fmt]
    month = _period(period)
    payload = await reports.export_payload(compliance, actor, month, version)
    suffix = f"-v{version}" if version else "-draft"
    name = f"form-pr-{period}{suffix}.{fmt}"
    return Response(
        render(payload),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "X-WellFlow-Format": "wellflow.form-pr.v1"},
    )


# ---------------------------------------------------------------- severance tax

tax_router = APIRouter(prefix="/api/v1/severance-tax", tags=["severance tax"])


@tax_router.get("", response_model=schemas.Page[schemas.TaxRead])
async def list_taxes(
    actor: Reader,
    compliance: ComplianceDep,
    month: str | None = None,
    lease_id: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await severance.list_taxes(
        compliance, actor, month=_month_query(month), lease_id=lease_id, limit=limit, offset=offset
    )


@tax_router.get("/reliefs", response_model=list[schemas.ReliefRead])
async def list_all_reliefs(actor: Reader, compliance: ComplianceDep) -> Any:
    """Every lease's relief grants, by lease then oldest first (the organization's tax summary in one call)."""
    return await severance.list_reliefs(compliance, actor, None)


@tax_router.get("/leases/{lease_id}/reliefs", response_model=list[schemas.ReliefRead])
async def list_reliefs(lease_id: UUID, actor: Reader, compliance: ComplianceDep) -> Any:
    return await severance.list_reliefs(compliance, actor, lease_id)


@tax_router.post("/leases/{lease_id}/reliefs", status_code=201, response_model=schemas.ReliefRead)
async def grant_relief(lease_id: UUID, body: schemas.ReliefIn, actor: Writer, compliance: ComplianceDep) -> Any:
    data = body.model_dump()
    data["effective_from"] = body.effective_from.replace(day=1)
    return await severance.grant_relief(compliance, actor, lease_id, data)


@tax_router.get("/leases/{lease_id}/{period}", response_model=schemas.TaxRead)
async def get_tax(lease_id: UUID, period: str, actor: Reader, compliance: ComplianceDep) -> Any:
    return await severance.get_tax(compliance, actor, lease_id, _period(period))


@tax_router.put("/leases/{lease_id}/{period}/prices", response_model=schemas.TaxRead)
async def enter_prices(
    lease_id: UUID, period: str, body: schemas.PricesIn, actor: Writer, compliance: ComplianceDep
) -> Any:
    """The month's prices (and gas marketing costs) for a lease; the tax is computed at once and whenever
    the month's volumes change."""
    return await severance.enter_prices(compliance, actor, lease_id, _period(period), body.model_dump())


# ---------------------------------------------------------------- filing calendar

calendar_router = APIRouter(prefix="/api/v1/filing-calendar", tags=["filing calendar"])


@calendar_router.get("", response_model=schemas.Page[schemas.ObligationRead])
async def list_obligations(
    actor: Reader,
    compliance: ComplianceDep,
    due_from: date | None = None,
    due_to: date | None = None,
    obligation: Annotated[str | None, Query(pattern="^(form_pr|oil_tax|gas_tax)$")] = None,
    state: Annotated[str | None, Query(pattern="^(open|submitted|accepted|rejected|paid)$")] = None,
    pending_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """What is due, when, and its state (Form PR, oil tax, gas tax per production month)."""
    return await calendar.list_obligations(
        compliance,
        actor,
        due_from=due_from,
        due_to=due_to,
        obligation=obligation,
        state=state,
        pending_only=pending_only,
        limit=limit,
        offset=offset,
    )


@calendar_router.post("/{obligation_id}/paid", response_model=schemas.ObligationRead)
async def mark_paid(obligation_id: UUID, body: schemas.MarkPaidIn, actor: Writer, compliance: ComplianceDep) -> Any:
    return await calendar.mark_paid(compliance, actor, obligation_id, body.note)


routers = [settings_router, form_pr_router, tax_router, calendar_router]
