"""Form PR reports: the draft of a month as a clerk sees it, the office's adjustments, submitting a version
for filing, and the RRC's answer.

A submitted version is frozen (its payload is kept as it was sent) and never edited. When the draft later
differs from the last accepted version, the report shows ``amendment_needed`` and the next submission is
version n+1 of kind ``amended``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import func, select, update

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, UnprocessableContent

from ..adapters.tables import (
    form_pr_lines,
    form_pr_reports,
    form_pr_versions,
)
from ..domain.calendar import due_date
from ..domain.form_pr import header_issues, period_label
from .calendar import set_state
from .common import MAX_PAGE, Actor, Compliance, not_found
from .drafts import regenerate_period
from .operator import operator_number
from .severance import recompute_period_taxes

EXPORT_FORMAT = "wellflow.form-pr.v1"
EXPORT_NOTICE = (
    "WellFlow's own Form PR export format (not the RRC's EDI layout, which WellFlow does not produce): "
    "for review and for entering the report in RRC Online or on the paper form."
)


# ---------------------------------------------------------------- the report


async def report_row(uow: UnitOfWork, period: date) -> Any:
    row = (
        await uow.connection.execute(select(form_pr_reports).where(form_pr_reports.c.period == period))
    ).one_or_none()
    if row is None:
        raise not_found(f"A Form PR for {period_label(period)}")
    return row


async def _lines(uow: UnitOfWork, period: date) -> list[dict[str, Any]]:
    rows = (
        await uow.connection.execute(select(form_pr_lines.c.line).where(form_pr_lines.c.period == period))
    ).scalars()
    return sorted(rows, key=lambda line: (line["rrc_district"], line["identifier"] or "", line["lease_name"]))


def filing_payload(
    period: date, operator_name: str | None, operator_number: str | None, lines: list[dict[str, Any]]
) -> dict[str, Any]:
    """What is filed (and exported): the report's figures without WellFlow's own notes (issues, revisions)."""
    kept = []
    for line in lines:
        kept.append({k: v for k, v in line.items() if k not in ("issues", "source_revision")})
    return {
        "format": EXPORT_FORMAT,
        "notice": EXPORT_NOTICE,
        "period": period_label(period),
        "operator": {"name": operator_name, "rrc_operator_number": operator_number},
        "lines": kept,
        "totals": {
            "leases": len(kept),
            "liquid_production": sum(line["liquid_production"] for line in kept),
            "liquid_disposed": sum(line["liquid_disposed"] for line in kept),
            "gas_production": sum(line["gas_production"] for line in kept),
            "gas_disposed": sum(line["gas_disposed"] for line in kept),
        },
    }


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _version_summary(row: Any) -> dict[str, Any]:
    return {
        "version": row.version,
        "kind": row.kind,
        "state": row.state,
        "submitted_by": row.submitted_by,
        "submitted_at": row.submitted_at,
        "confirmation_number": row.confirmation_number,
        "reasons": row.reasons,
        "decided_at": row.decided_at,
        "submission": row.submission,
        "submission_url": f"/api/v1/compliance/submissions/{row.submission['id']}" if row.submission else None,
    }


async def _versions(uow: UnitOfWork, report_id: UUID) -> list[Any]:
    return list(
        (
            await uow.connection.execute(
                select(form_pr_versions)
                .where(form_pr_versions.c.report_id == report_id)
                .order_by(form_pr_versions.c.version)
            )
        ).all()
    )


def _state(versions: list[Any]) -> str:
    return versions[-1].state if versions else "draft"


async def _draft(uow: UnitOfWork, period: date) -> tuple[Any, dict[str, Any], list[dict[str, Any]], list[Any]]:
    report = await report_row(uow, period)
    name, number = await operator_number(uow)
    lines = await _lines(uow, period)
    return report, filing_payload(period, name, number, lines), lines, header_issues(number)


async def get_report(
    compliance: Compliance,
    actor: Actor,
    period: date,
    *,
    lease_id: UUID | None = None,
    with_errors: bool | None = None,
    district: str | None = None,
    limit: int = MAX_PAGE,
    offset: int = 0,
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        report, payload, lines, header = await _draft(uow, period)
        versions = await _versions(uow, report.id)
    errors = [i.as_dict() for i in header if i.severity == "error"]
    warnings = [i.as_dict() for i in header if i.severity == "warning"]
    for line in lines:
        for issue in line["issues"]:
            (errors if issue["severity"] == "error" else warnings).append(issue)
    selected = [
        line
        for line in lines
        if (lease_id is None or line["lease_id"] == str(lease_id))
        and (district is None or line["rrc_district"] == district)
        and (with_errors is None or any(i["severity"] == "error" for i in line["issues"]) == with_errors)
    ]
    digest = content_hash(payload)
    accepted = [v for v in versions if v.state == "accepted"]
    latest = versions[-1] if versions else None
    return {
        "id": report.id,
        "period": period_label(period),
        "state": _state(versions),
        "due_date": due_date("form_pr", period, compliance.rules),
        "operator": payload["operator"],
        "totals": payload["totals"] | {"errors": len(errors), "warnings": len(warnings)},
        "ready_to_submit": not errors,
        # Filed, and what the draft says now is neither the filed version nor one on its way to the RRC.
        "amendment_needed": bool(accepted)
        and not any(v.content_hash == digest and v.state in ("submitted", "accepted") for v in versions),
        "changed_since_submitted": latest is not None and latest.content_hash != digest,
        "current_version": latest.version if latest else None,
        "versions": [_version_summary(v) for v in versions],
        "errors": errors,
        "warnings": warnings,
        "lines": selected[offset : offset + min(limit, MAX_PAGE)],
        "lines_total": len(selected),
        "limit": limit,
        "offset": offset,
        "regenerated_at": report.regenerated_at,
    }


async def list_reports(
    compliance: Compliance, actor: Actor, *, year: int | None, state: str | None, limit: int, offset: int
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        query = select(form_pr_reports).order_by(form_pr_reports.c.period.desc())
        if year is not None:
            query = query.where(func.extract("year", form_pr_reports.c.period) == year)
        reports = (await uow.connection.execute(query)).all()
        counts = {
            row.period: row
            for row in (
                await uow.connection.execute(
                    select(
                        form_pr_lines.c.period,
                        func.count().label("leases"),
                        func.coalesce(func.sum(form_pr_lines.c.errors), 0).label("errors"),
                        func.coalesce(func.sum(form_pr_lines.c.warnings), 0).label("warnings"),
                    ).group_by(form_pr_lines.c.period)
                )
            ).all()
        }
        newest = (
            select(form_pr_versions.c.report_id, func.max(form_pr_versions.c.version).label("version"))
            .group_by(form_pr_versions.c.report_id)
            .subquery()
        )
        latest = {
            row.report_id: row
            for row in (
                await uow.connection.execute(
                    select(form_pr_versions).join(
                        newest,
                        (newest.c.report_id == form_pr_versions.c.report_id)
                        & (newest.c.version == form_pr_versions.c.version),
                    )
                )
            ).all()
        }
    items = []
    for report in reports:
        version = latest.get(report.id)
        report_state = version.state if version else "draft"
        if state is not None and report_state != state:
            continue
        count = counts.get(report.period)
        items.append(
            {
                "id": report.id,
                "period": period_label(report.period),
                "state": report_state,
                "current_version": version.version if version else None,
                "due_date": due_date("form_pr", report.period, compliance.rules),
                "leases": count.leases if count else 0,
                "line_errors": int(count.errors) if count else 0,
                "line_warnings": int(count.warnings) if count else 0,
            }
        )
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}


async def regenerate(compliance: Compliance, actor: Actor, period: date) -> dict[str, Any]:
    """Rebuild the month's draft from scratch (the copies compliance keeps are the source of truth)."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        await report_row(uow, period)
        lines = await regenerate_period(uow, actor.organization_id, period, now)
        await recompute_period_taxes(uow, compliance, actor.organization_id, period, now)
    return {"period": period_label(period), "leases": len(lines), "regenerated_at": now}


async def get_version(compliance: Compliance, actor: Actor, period: date, version: int) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        report = await report_row(uow, period)
        row = (
            await uow.connection.execute(
                select(form_pr_versions).where(
                    form_pr_versions.c.report_id == report.id, form_pr_versions.c.version == version
                )
            )
        ).one_or_none()
    if row is None:
        raise not_found(f"Version {version} of the Form PR for {period_label(period)}")
    return _version_summary(row) | {"payload": row.payload, "content_hash": row.content_hash}


async def export_payload(compliance: Compliance, actor: Actor, period: date, version: int | None) -> dict[str, Any]:
    """The live draft, or a frozen version exactly as it was submitted."""
    if version is not None:
        frozen = await get_version(compliance, actor, period, version)
        return frozen["payload"]
    async with compliance.uow(actor) as uow:
        _, payload, _, _ = await _draft(uow, period)
    return payload | {"version": None, "kind": "draft"}


# ---------------------------------------------------------------- submitting and the answer


async def submit(compliance: Compliance, actor: Actor, period: date) -> tuple[dict[str, Any], bool]:
    """Freeze the draft as the next version and queue it for filing, in one transaction.

    Returns the version and whether it was created now. Submitting again while the same content is waiting
    for the RRC (a client retry) returns that version; different content waits for the answer (409).
    """
    from ..submission.queue import enqueue_submission  # the submission package is built beside this one

    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        report = (
            await uow.connection.execute(
                select(form_pr_reports).where(form_pr_reports.c.period == period).with_for_update()
            )
        ).one_or_none()
        if report is None:
            raise not_found(f"A Form PR for {period_label(period)}")
        _, payload, lines, header = await _draft(uow, period)
        errors = [i.as_dict() for i in header] + [
            i for line in lines for i in line["issues"] if i["severity"] == "error"
        ]
        errors = [e for e in errors if e["severity"] == "error"]
        if errors:
            raise UnprocessableContent(
                f"The Form PR for {period_label(period)} has {len(errors)} problem(s) to fix before it can be filed.",
                slug="form-pr-invalid",
                errors=[{"field": _field_of(e), "message": e["message"]} for e in errors],
            )
        if not lines:
            raise UnprocessableContent("The report has no lease lines to file.", slug="form-pr-invalid")
        digest = content_hash(payload)
        versions = await _versions(uow, report.id)
        latest = versions[-1] if versions else None
        if latest is not None and latest.state == "submitted":
            if latest.content_hash == digest:
                return _version_summary(latest), False
            raise Conflict(
                f"Version {latest.version} is waiting for the RRC's answer; submit the changes once it is answered.",
                slug="form-pr-pending",
            )
        if latest is not None and latest.state == "accepted" and latest.content_hash == digest:
            raise Conflict(
                f"Version {latest.version} was accepted and nothing has changed since; there is nothing to amend.",
                slug="form-pr-unchanged",
            )
        version = (latest.version if latest else 0) + 1
        kind = "amended" if any(v.state == "accepted" for v in versions) else "original"
        frozen = payload | {"version": version, "kind": kind, "report_id": str(report.id)}
        submission = await enqueue_submission(
            uow,
            tenant_id=actor.organization_id,
            report_id=report.id,
            report_version=version,
            period=period,
            payload=frozen,
            requested_by=actor.id,
        )
        row = (
            await uow.connection.execute(
                form_pr_versions.insert()
                .values(
                    organization_id=actor.organization_id,
                    report_id=report.id,
                    version=version,
                    period=period,
                    kind=kind,
                    state="submitted",
                    payload=frozen,
                    content_hash=digest,
                    submitted_by=actor.id,
                    submitted_at=now,
                    # Only the link: the submission's live state (attempts, errors) is the queue's to tell.
                    submission={"id": str(submission["id"]), "submission_key": submission["submission_key"]},
                    reasons=[],
                )
                .returning(form_pr_versions)
            )
        ).one()
        if kind == "original":  # an amendment does not reopen a month that was filed
            await set_state(uow, "form_pr", period, "submitted", actor.id, now)
    return _version_summary(row), True


def _field_of(issue: dict[str, Any]) -> str:
    lease = issue.get("lease_id")
    return f"lines[{lease}].{issue.get('field')}" if lease else f"report.{issue.get('field')}"


async def record_submission_outcome(
    uow: UnitOfWork,
    *,
    report_id: UUID,
    report_version: int,
    outcome: Literal["accepted", "rejected"],
    confirmation_number: str | None,
    reasons: list[str],
) -> None:
    """The RRC's answer for a version (called by the submission worker in its unit of work, tenant set).

    Accepted: the version is the filed report and the month's Form PR obligation is done. Rejected: the
    reasons are kept and the obligation is open again for a corrected version. Repeating an answer is
    harmless; an accepted version never changes again.
    """
    if outcome not in ("accepted", "rejected"):
        raise ValueError(f"unknown outcome {outcome!r}")
    now = datetime.now(UTC)
    row = (
        await uow.connection.execute(
            select(form_pr_versions)
            .where(form_pr_versions.c.report_id == report_id, form_pr_versions.c.version == report_version)
            .with_for_update()
        )
    ).one_or_none()
    if row is None:
        raise LookupError(f"no Form PR version {report_version} of report {report_id}")
    if row.state == "accepted" or row.state == outcome:
        return
    await uow.connection.execute(
        update(form_pr_versions)
        .where(form_pr_versions.c.report_id == report_id, form_pr_versions.c.version == report_version)
        .values(
            state=outcome,
            confirmation_number=confirmation_number,
            reasons=list(reasons),
            decided_at=now,
        )
    )
    if row.kind == "original":
        await set_state(uow, "form_pr", row.period, outcome, "rrc", now)
