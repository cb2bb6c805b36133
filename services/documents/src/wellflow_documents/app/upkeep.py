"""The background jobs: expiry reminders (``documents.document_expiring.v1`` through the outbox, once per
document version, expiry date and threshold) and the removal of abandoned uploads."""

from __future__ import annotations

from datetime import timedelta

from wellflow_contracts.events.documents import DocumentExpiring, DocumentLink

from ..domain.keeping import due_reminder
from .common import Documents


async def send_expiry_reminders(documents: Documents) -> int:
    """One round over every organization with documents; answers how many reminders were recorded."""
    async with documents.system_uow() as uow:
        organizations = await uow.tenants.organizations()
    thresholds = documents.options.reminder_days
    if not thresholds:
        return 0
    sent = 0
    now = documents.clock()
    today = now.date()
    horizon = today + timedelta(days=max(thresholds))
    for organization_id in organizations:
        async with documents.tenant_uow(organization_id) as uow:
            expiring = await uow.documents.expiring(horizon)
            links = await uow.documents.links([row["id"] for row in expiring])
            for row in expiring:
                already = await uow.reminders.sent(row["version_id"], row["expires_on"])
                reminder = due_reminder(row["expires_on"], today, thresholds, already)
                if reminder is None:
                    continue
                marks = [
                    {"version_id": row["version_id"], "expires_on": row["expires_on"], "days_before": days,
                     "document_id": row["id"], "event_sent": days == reminder.days_before, "sent_at": now}
                    for days in reminder.covers
                ]  # fmt: skip
                marks.sort(key=lambda mark: not mark["event_sent"])  # the one sent first: it decides the race
                if not await uow.reminders.mark(marks):
                    continue
                uow.record(
                    DocumentExpiring(
                        tenant_id=organization_id,
                        document_id=row["id"],
                        version=row["current_version"],
                        version_id=row["version_id"],
                        document_type=row["document_type"],
                        title=row["title"],
                        expires_on=row["expires_on"],
                        days_before=reminder.days_before,
                        days_left=(row["expires_on"] - today).days,
                        links=[DocumentLink(kind=link["kind"], id=link["id"]) for link in links[row["id"]]],
                    )
                )
                sent += 1
    return sent


async def remove_stale_uploads(documents: Documents) -> int:
    """Uploads past their time: unfinished ones with their chunks, finished ones (kept for retries of the
    finish) with their row."""
    async with documents.system_uow() as uow:
        organizations = await uow.tenants.organizations()
    removed = 0
    now = documents.clock()
    for organization_id in organizations:
        async with documents.tenant_uow(organization_id) as uow:
            for upload in await uow.uploads.stale(now, documents.options.cleanup_batch):
                for part in await uow.uploads.parts(upload["id"]):
                    await documents.store.delete(part["storage_key"])
                await uow.uploads.delete(upload["id"])
                removed += 1
    return removed
