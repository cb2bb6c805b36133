"""Submitting a Form PR: the draft is frozen as the next version and queued for filing, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from wellflow_servicekit.errors import Conflict, UnprocessableContent

from ...domain.form_pr import period_label
from ..calendar import set_state
from ..common import Actor, Compliance
from ..submissions.queue import enqueue_submission
from .common import Draft, content_hash, load_draft, version_summary


def _field_of(issue: dict[str, Any]) -> str:
    lease = issue.get("lease_id")
    return f"lines[{lease}].{issue.get('field')}" if lease else f"report.{issue.get('field')}"


def check_fileable(draft: Draft, period: date) -> None:
    """A draft with blocking errors (or no lines at all) cannot be filed: 422 naming each problem."""
    errors = [i.as_dict() for i in draft.header] + [
        i for line in draft.lines for i in line["issues"] if i["severity"] == "error"
    ]
    errors = [e for e in errors if e["severity"] == "error"]
    if errors:
        raise UnprocessableContent(
            f"The Form PR for {period_label(period)} has {len(errors)} problem(s) to fix before it can be filed.",
            slug="form-pr-invalid",
            errors=[{"field": _field_of(e), "message": e["message"]} for e in errors],
        )
    if not draft.lines:
        raise UnprocessableContent("The report has no lease lines to file.", slug="form-pr-invalid")


def _check_not_pending(latest: dict[str, Any] | None, digest: str) -> dict[str, Any] | None:
    """The waiting version when this is a retry of its submission; a conflict when nothing can be filed."""
    if latest is not None and latest["state"] in ("submitted", "awaiting_confirmation"):
        if latest["content_hash"] == digest:
            return latest
        waiting = (
            "is prepared and awaiting the RRC's confirmation number; record it (on the RRC submissions page)"
            if latest["state"] == "awaiting_confirmation"
            else "is waiting for the RRC's answer; submit the changes once it is answered"
        )
        raise Conflict(
            f"Version {latest['version']} {waiting}, then file the changes as an amended report.",
            slug="form-pr-pending",
        )
    if latest is not None and latest["state"] == "accepted" and latest["content_hash"] == digest:
        raise Conflict(
            f"Version {latest['version']} was accepted and nothing has changed since; there is nothing to amend.",
            slug="form-pr-unchanged",
        )
    return None


async def submit(compliance: Compliance, actor: Actor, period: date) -> tuple[dict[str, Any], bool]:
    """Freeze the draft as the next version and queue it for filing, in one transaction.

    With the ``manual`` adapter (``compliance.filed_via``, the default) nothing is sent: the version is
    ``awaiting_confirmation`` with its filing package until a person records the RRC's confirmation number;
    with a portal adapter it is queued (``submitted``) for the worker. Returns the version and whether it
    was created now. Submitting again while the same content is waiting (a client retry) returns that
    version; different content waits for the answer or the confirmation (409).
    """
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        draft = await load_draft(uow, period, for_update=True)
        check_fileable(draft, period)
        report_id = draft.report["id"]
        digest = content_hash(draft.payload)
        versions = await uow.versions.of_report(report_id)
        latest = versions[-1] if versions else None
        waiting = _check_not_pending(latest, digest)
        if waiting is not None:
            return version_summary(waiting), False
        version = (latest["version"] if latest else 0) + 1
        kind = "amended" if any(v["state"] == "accepted" for v in versions) else "original"
        frozen = draft.payload | {"version": version, "kind": kind, "report_id": str(report_id)}
        submission = await enqueue_submission(
            uow,
            tenant_id=actor.organization_id,
            report_id=report_id,
            report_version=version,
            period=period,
            payload=frozen,
            requested_by=actor.id,
            filed_via=compliance.filed_via,
        )
        state = "awaiting_confirmation" if submission["state"] == "awaiting_confirmation" else "submitted"
        row = await uow.versions.add(
            {
                "report_id": report_id,
                "version": version,
                "period": period,
                "kind": kind,
                "state": state,
                "payload": frozen,
                "content_hash": digest,
                "submitted_by": actor.id,
                "submitted_at": now,
                # Only the link: the submission's live state (attempts, errors) is the queue's to tell.
                "submission": {
                    "id": str(submission["id"]),
                    "submission_key": submission["submission_key"],
                    "filed_via": submission["filed_via"],
                },
                "reasons": [],
            }
        )
        if kind == "original":  # an amendment does not reopen a month that was filed
            await set_state(uow, "form_pr", period, state, actor.id, now)
    return version_summary(row), True
