"""Form PR: the month's draft, the office's adjustments, submitting a version, and exports."""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Response

from wellflow_servicekit.http import created_or_replayed
from wellflow_servicekit.kernel import invalid
from wellflow_servicekit.pdf import PdfRenderer, pdf_renderer

from ...adapters import exports
from ...app import adjustments
from ...app.common import MAX_PAGE
from ...app.reports import queries
from ...app.reports import regenerate as regenerating
from ...app.reports import submit as submitting
from .. import schemas
from .common import ComplianceDep, Limit, Offset, Reader, Writer, district_query, period_path

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]

router = APIRouter(prefix="/api/v1/form-pr", tags=["form pr"])


@router.get("", response_model=schemas.Page[schemas.ReportSummaryRead])
async def list_reports(
    actor: Reader,
    compliance: ComplianceDep,
    year: Annotated[int | None, Query(ge=1990, le=2200)] = None,
    state: Annotated[str | None, Query(pattern="^(draft|submitted|awaiting_confirmation|accepted|rejected)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await queries.list_reports(compliance, actor, year=year, state=state, limit=limit, offset=offset)


@router.get("/{period}", response_model=schemas.ReportRead)
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
    district = district_query(rrc_district)
    return await queries.get_report(
        compliance,
        actor,
        period_path(period),
        lease_id=lease_id,
        with_errors=with_errors,
        district=district,
        limit=limit,
        offset=offset,
    )


@router.post("/{period}/regenerate", response_model=schemas.RegenerateRead)
async def regenerate(period: str, actor: Writer, compliance: ComplianceDep) -> Any:
    return await regenerating.regenerate(compliance, actor, period_path(period))


@router.get("/{period}/adjustments", response_model=schemas.Page[schemas.AdjustmentRead])
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
        compliance,
        actor,
        period_path(period),
        lease_id=lease_id,
        include_voided=include_voided,
        limit=limit,
        offset=offset,
    )


@router.post("/{period}/adjustments", status_code=201, response_model=schemas.AdjustmentRead)
async def add_adjustment(
    period: str,
    body: schemas.AdjustmentCreate,
    actor: Writer,
    compliance: ComplianceDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """What only the office knows (a disposition, an authority for 10/11, a remark), with who and why."""
    return created_or_replayed(
        response,
        await adjustments.add_adjustment(compliance, actor, period_path(period), body.model_dump(), idempotency_key),
    )


@router.post("/{period}/adjustments/{adjustment_id}/void", response_model=schemas.AdjustmentRead)
async def void_adjustment(
    period: str, adjustment_id: UUID, body: schemas.AdjustmentVoidUpdate, actor: Writer, compliance: ComplianceDep
) -> Any:
    return await adjustments.void_adjustment(compliance, actor, period_path(period), adjustment_id, body.reason)


@router.post("/{period}/submit", status_code=202, response_model=schemas.VersionSummaryRead)
async def submit(period: str, actor: Writer, compliance: ComplianceDep, response: Response) -> Any:
    """Freeze the draft as the next version and queue it for filing with the RRC (202: the answer comes later).
    Repeating the call while that version waits returns it (200)."""
    return created_or_replayed(response, await submitting.submit(compliance, actor, period_path(period)))


@router.get("/{period}/versions/{version}", response_model=schemas.VersionRead)
async def get_version(period: str, version: int, actor: Reader, compliance: ComplianceDep) -> Any:
    return await queries.get_version(compliance, actor, period_path(period), version)


EXPORTS = {
    "json": ("application/json", exports.to_json),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "pdf": ("application/pdf", exports.to_pdf),
    "txt": ("text/plain; charset=utf-8", exports.to_electronic),  # WellFlow's electronic layout, numeric districts
}


@router.get("/{period}/export.{fmt}")
async def export(
    period: str,
    fmt: str,
    actor: Reader,
    compliance: ComplianceDep,
    pdf: Annotated[PdfRenderer, Depends(pdf_renderer)],
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The draft (or a filed version) as PDF, CSV, JSON or TXT (WellFlow's electronic layout with numeric district
    codes), in WellFlow's own formats (not the RRC's EDI)."""
    if fmt not in EXPORTS:
        raise invalid("path.fmt", "Export as pdf, csv, json or txt (WellFlow's electronic layout).")
    media_type, render = EXPORTS[fmt]
    payload = await queries.export_payload(compliance, actor, period_path(period), version)
    content = await pdf.render(render, payload) if fmt == "pdf" else render(payload)
    suffix = f"-v{version}" if version else "-draft"
    name = f"form-pr-{period}{suffix}.{fmt}"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "X-WellFlow-Format": "wellflow.form-pr.v1"},
    )
