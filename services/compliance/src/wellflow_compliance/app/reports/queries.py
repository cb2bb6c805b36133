"""Reading Form PR reports: the month's draft with its issues and versions, the list of months, a frozen
version, and what an export renders."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ...domain.calendar import due_date
from ...domain.form_pr import period_label
from ..common import MAX_PAGE, Actor, Compliance, not_found
from .common import Draft, content_hash, load_draft, report_row, version_summary


def _issues(draft: Draft) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    errors = [i.as_dict() for i in draft.header if i.severity == "error"]
    warnings = [i.as_dict() for i in draft.header if i.severity == "warning"]
    for line in draft.lines:
        for issue in line["issues"]:
            (errors if issue["severity"] == "error" else warnings).append(issue)
    return errors, warnings


def _versions_state(versions: list[dict[str, Any]], digest: str) -> dict[str, Any]:
    accepted = [v for v in versions if v["state"] == "accepted"]
    latest = versions[-1] if versions else None
    return {
        "state": latest["state"] if latest else "draft",
        # Filed, and what the draft says now is neither the filed version nor one on its way to the RRC.
        "amendment_needed": bool(accepted)
        and not any(
            v["content_hash"] == digest and v["state"] in ("submitted", "awaiting_confirmation", "accepted")
            for v in versions
        ),
        "changed_since_submitted": latest is not None and latest["content_hash"] != digest,
        "current_version": latest["version"] if latest else None,
        "versions": [version_summary(v) for v in versions],
    }


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
        draft = await load_draft(uow, period)
        versions = await uow.versions.of_report(draft.report["id"])
    errors, warnings = _issues(draft)
    selected = [
        line
        for line in draft.lines
        if (lease_id is None or line["lease_id"] == str(lease_id))
        and (district is None or line["rrc_district"] == district)
        and (with_errors is None or any(i["severity"] == "error" for i in line["issues"]) == with_errors)
    ]
    return {
        "id": draft.report["id"],
        "period": period_label(period),
        "due_date": due_date("form_pr", period, compliance.rules),
        "operator": draft.payload["operator"],
        "totals": draft.payload["totals"] | {"errors": len(errors), "warnings": len(warnings)},
        "ready_to_submit": not errors,
        # the digest of the whole filing is compared with filed versions only: a month never filed skips it
        **_versions_state(versions, content_hash(draft.payload) if versions else ""),
        "errors": errors,
        "warnings": warnings,
        "lines": selected[offset : offset + min(limit, MAX_PAGE)],
        "lines_total": len(selected),
        "limit": limit,
        "offset": offset,
        "regenerated_at": draft.report["regenerated_at"],
    }


async def list_reports(
    compliance: Compliance, actor: Actor, *, year: int | None, state: str | None, limit: int, offset: int
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        reports = await uow.reports.newest_first(year=year)
        counts = await uow.lines.counts_by_period()
        latest = await uow.versions.latest_by_report()
    items = []
    for report in reports:
        version = latest.get(report["id"])
        report_state = version["state"] if version else "draft"
        if state is not None and report_state != state:
            continue
        count = counts.get(report["period"])
        items.append(
            {
                "id": report["id"],
                "period": period_label(report["period"]),
                "state": report_state,
                "current_version": version["version"] if version else None,
                "due_date": due_date("form_pr", report["period"], compliance.rules),
                "leases": count["leases"] if count else 0,
                "line_errors": int(count["errors"]) if count else 0,
                "line_warnings": int(count["warnings"]) if count else 0,
            }
        )
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}


async def get_version(compliance: Compliance, actor: Actor, period: date, version: int) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        report = await report_row(uow, period)
        row = await uow.versions.get(report["id"], version)
    if row is None:
        raise not_found(f"Version {version} of the Form PR for {period_label(period)}")
    return version_summary(row) | {"payload": row["payload"], "content_hash": row["content_hash"]}


async def export_payload(compliance: Compliance, actor: Actor, period: date, version: int | None) -> dict[str, Any]:
    """The live draft, or a frozen version exactly as it was submitted."""
    if version is not None:
        frozen = await get_version(compliance, actor, period, version)
        return frozen["payload"]  # type: ignore[no-any-return]
    async with compliance.uow(actor) as uow:
        draft = await load_draft(uow, period)
    return draft.payload | {"version": None, "kind": "draft"}
