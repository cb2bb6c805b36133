"""The submission queue over HTTP: what was sent to the RRC portal, how it went, and a retry by hand.

- `GET /api/v1/compliance/submissions?state=&period=&report_id=&limit=&offset=`: newest first, paginated.
- `GET /api/v1/compliance/submissions/{id}`: attempts, next attempt time, last error, confirmation, reasons.
- `POST /api/v1/compliance/submissions/{id}/retry`: re-queue a failed submission (idempotent: a queued one
  is returned as it is; accepted and rejected ones answer 409, since a rejected report must be corrected
  and filed as a new version).
- `POST /api/v1/compliance/submissions/{id}/confirmation`: record the RRC's confirmation number (and date,
  note) of a submission awaiting it; the same number again answers 200 with the same submission, another
  number 409 naming the field; a stand-in's answer cannot be confirmed (409).
- `GET /api/v1/compliance/submissions/{id}/package/{name}`: the filing package, rendered from the frozen
  version: `form-pr.pdf`, `form-pr.txt` (the electronic file), `form-pr.json` and `form-pr.csv` (WellFlow's own
  layouts, not the RRC's EDI).
- `GET /api/v1/compliance/portal`: the adapter, the breaker's state and this organization's queue.
- `GET /health/portal` (no token, like the other probes): `ok`, or `degraded` while the breaker is not
  closed; always 200, because an unreachable portal must not take compliance out of the load balancer.
"""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

import re
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from wellflow_servicekit.kernel import invalid
from wellflow_servicekit.pdf import PdfRenderer, pdf_renderer

from ...adapters import exports
from ...app.reports.common import EXPORT_FORMAT
from ...app.submissions import queries
from ...app.submissions.queue import PACKAGE_FILES
from .. import schemas_submissions as schemas
from .common import Offset, Reader, SubmissionsDep, Writer

SubmissionLimit = Annotated[int, Query(ge=1, le=200)]
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _month(value: str | None) -> date | None:
    if value is None:
        return None
    match = _MONTH.match(value)
    if match is None:
        raise invalid("query.period", "must be a production month as YYYY-MM, e.g. 2026-07")
    return date(int(match[1]), int(match[2]), 1)


router = APIRouter(prefix="/api/v1/compliance", tags=["compliance submissions"])
health_router = APIRouter(include_in_schema=False)


@router.get("/submissions", response_model=schemas.Page[schemas.SubmissionRead])
async def list_submissions(
    actor: Reader,
    submissions: SubmissionsDep,
    state: schemas.SubmissionState | None = None,
    period: Annotated[str | None, Query(description="production month, YYYY-MM")] = None,
    report_id: UUID | None = None,
    limit: SubmissionLimit = 50,
    offset: Offset = 0,
) -> Any:
    return await queries.list_submissions(
        submissions,
        actor,
        state=state,
        period=_month(period),
        report_id=report_id,
        limit=limit,
        offset=offset,
    )


@router.get("/submissions/{submission_id}", response_model=schemas.SubmissionRead)
async def get_submission(actor: Reader, submissions: SubmissionsDep, submission_id: UUID) -> Any:
    return await queries.get_submission(submissions, actor, submission_id)


@router.post("/submissions/{submission_id}/retry", response_model=schemas.SubmissionRead)
async def retry(actor: Writer, submissions: SubmissionsDep, submission_id: UUID) -> Any:
    return await queries.retry(submissions, actor, submission_id)


@router.post("/submissions/{submission_id}/confirmation", response_model=schemas.SubmissionRead)
async def confirm(
    actor: Writer, submissions: SubmissionsDep, submission_id: UUID, body: schemas.SubmissionConfirmationCreate
) -> Any:
    """The RRC's confirmation of a report filed by hand: the submission is accepted and the month's Form PR
    obligation done. Owners and accountants (compliance write)."""
    return await queries.confirm(
        submissions,
        actor,
        submission_id,
        confirmation_number=body.confirmation_number,
        confirmation_date=body.confirmation_date,
        note=body.note,
    )


PACKAGE = {
    "form-pr.pdf": (exports.to_pdf, EXPORT_FORMAT),
    "form-pr.txt": (exports.to_electronic, exports.ELECTRONIC_FORMAT),
    "form-pr.json": (exports.to_json, EXPORT_FORMAT),
    "form-pr.csv": (exports.to_csv, EXPORT_FORMAT),
}
MEDIA_TYPES = {name: media for name, media, _ in PACKAGE_FILES}


@router.get("/submissions/{submission_id}/package/{name}")
async def package_file(
    actor: Reader,
    submissions: SubmissionsDep,
    submission_id: UUID,
    name: str,
    pdf: Annotated[PdfRenderer, Depends(pdf_renderer)],
) -> Response:
    """One file of the filing package, rendered from the version exactly as it was submitted (the PDF in the
    capped worker process, like every PDF). The submission is found first: another organization's id answers
    404 whatever the file name."""
    payload = await queries.package_payload(submissions, actor, submission_id)
    if name not in PACKAGE:
        raise invalid("path.name", f"The package holds {', '.join(PACKAGE)}.")
    render, layout = PACKAGE[name]
    content = await pdf.render(render, payload) if name.endswith(".pdf") else render(payload)
    stem, suffix = name.rsplit(".", 1)
    filename = f"{stem}-{payload.get('period', 'report')}-v{payload.get('version', 0)}.{suffix}"
    return Response(
        content,
        media_type=MEDIA_TYPES[name],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-WellFlow-Format": layout},
    )


@router.get("/portal")
async def portal_status(actor: Reader, submissions: SubmissionsDep) -> dict[str, Any]:
    """The RRC portal as compliance sees it: the breaker, and this organization's queue by state."""
    return await queries.portal_status(submissions, actor)


@health_router.get("/health/portal")
async def portal_health(submissions: SubmissionsDep) -> dict[str, Any]:
    return queries.portal_health(submissions)
