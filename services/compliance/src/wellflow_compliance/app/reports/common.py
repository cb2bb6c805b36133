"""What the report use cases share: the report of a month, its draft as filed, and a version's summary."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from ...domain.form_pr import Issue, header_issues, period_label
from ..common import not_found
from ..ports import ComplianceWork
from ..submissions.queue import STAND_IN_NOTICE

EXPORT_FORMAT = "wellflow.form-pr.v1"
EXPORT_NOTICE = (
    "WellFlow's own Form PR export format (not the RRC's EDI layout, which WellFlow does not produce): "
    "for review and for entering the report in RRC Online or on the paper form."
)


async def report_row(uow: ComplianceWork, period: date, *, for_update: bool = False) -> dict[str, Any]:
    row = await uow.reports.get(period, for_update=for_update)
    if row is None:
        raise not_found(f"A Form PR for {period_label(period)}")
    return row


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
    """Kept with each version (the stored hashes compare with it: its recipe never changes)."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def version_summary(row: dict[str, Any]) -> dict[str, Any]:
    submission = row["submission"]
    # a link from before filed_via existed was filed through the stand-in (the only adapter that answered)
    filed_via = (submission.get("filed_via") or "stand-in") if submission else None
    return {
        "version": row["version"],
        "kind": row["kind"],
        "state": row["state"],
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"],
        "confirmation_number": row["confirmation_number"],
        "reasons": row["reasons"],
        "decided_at": row["decided_at"],
        "submission": submission,
        "submission_url": f"/api/v1/compliance/submissions/{submission['id']}" if submission else None,
        "filed_via": filed_via,
        "notice": STAND_IN_NOTICE if filed_via == "stand-in" else None,
    }


@dataclass(frozen=True)
class Draft:
    """A month's report as it stands: the row, what would be filed, the lines and the report-wide issues."""

    report: dict[str, Any]
    payload: dict[str, Any]
    lines: list[dict[str, Any]]
    header: list[Issue]


async def load_draft(uow: ComplianceWork, period: date, *, for_update: bool = False) -> Draft:
    report = await report_row(uow, period, for_update=for_update)
    name, number = await uow.operators.name_and_number()
    lines = sorted(
        await uow.lines.of_period(period),
        key=lambda line: (line["rrc_district"], line["identifier"] or "", line["lease_name"]),
    )
    return Draft(report, filing_payload(period, name, number, lines), lines, header_issues(number))
