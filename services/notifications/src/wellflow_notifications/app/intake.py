"""An event somebody must hear about becomes, in the consumer's unit of work (so the inbox claim, the
notifications and the deliveries commit together): one console notification per member who wants it in the
console, and one delivery per member and channel (email, SMS) they want it on.

Each delivery carries a key ``<event id>:<member id>:<channel>`` that is unique in the database: whatever
delivers the event again (a redelivery, a replayed dead letter, a second consumer), a person gets it once.
A delivery is made ``pending`` (due now, or when the member's quiet hours end), ``digest`` (held for the
member's daily digest) or ``suppressed`` (the address bounced or opted out before).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from wellflow_contracts import IntegrationEvent
from wellflow_contracts.ids import uuid7

from ..domain import messages
from ..domain.kinds import EMAIL, IN_APP, KINDS, SMS
from ..domain.preferences import Preferences
from .common import Notifications
from .describe import Notice, describe
from .ports import NotificationsWork, Row
from .preferences import preferences_of


async def notify(uow: NotificationsWork, n: Notifications, event: IntegrationEvent) -> int:
    """The deliveries made for ``event`` (0 when nobody is told)."""
    notice = describe(event)
    if notice is None:
        return 0
    now = n.clock()
    await uow.tenants.mark(event.tenant_id, now)
    organization = await uow.roster.organization()
    org_name = organization["name"] if organization else "your organization"
    members = await uow.roster.members_in(KINDS[notice.kind].roles)
    stored = await uow.preferences.all_for([m["id"] for m in members])
    in_app: list[Row] = []
    outgoing: list[Row] = []
    for member in members:
        prefs = preferences_of(member["role"], stored.get(member["id"]))
        channels = prefs.channels_for(notice.kind)
        notification_id = uuid7() if IN_APP in channels else None
        if notification_id is not None:
            in_app.append(_notification(notification_id, member, event.event_id, notice, now))
        outgoing += _deliveries(n, org_name, member, prefs, channels, notice, event.event_id, notification_id, now)
    await uow.in_app.add(in_app)
    suppressed = await _suppressed(uow, outgoing)
    for row in outgoing:
        if (row["channel"], row["address"]) in suppressed:
            row.update(status="suppressed", finished_at=now, last_error="the address bounced or opted out before")
    made = await uow.deliveries.add(outgoing)
    if made:
        await uow.deliveries.wake()
    return made


def _notification(notification_id: UUID, member: Row, event_id: UUID, notice: Notice, now: datetime) -> Row:
    return {
        "id": notification_id,
        "member_id": member["id"],
        "event_id": event_id,
        "kind": notice.kind,
        "severity": KINDS[notice.kind].severity,
        "title": notice.title,
        "body": notice.body,
        "link": notice.page,
        "created_at": now,
        "read_at": None,
    }


def _deliveries(
    n: Notifications,
    org_name: str,
    member: Row,
    prefs: Preferences,
    channels: tuple[str, ...],
    notice: Notice,
    event_id: UUID,
    notification_id: UUID | None,
    now: datetime,
) -> list[Row]:
    rows: list[Row] = []
    if EMAIL in channels and member.get("email"):
        rows.append(_email(n, org_name, member, prefs, notice, event_id, notification_id, now))
    if SMS in channels and prefs.sms_number:
        text = messages.sms_text(org_name, notice.title, n.link(notice.page))
        key = f"{event_id}:{member['id']}:{SMS}"
        rows.append(
            new_delivery(
                key,
                member["id"],
                notice.kind,
                SMS,
                prefs.sms_number,
                now,
                prefs.release_at(now),
                subject=notice.title,
                text=text,
                notification_id=notification_id,
            )
        )
    return rows


def _email(
    n: Notifications,
    org_name: str,
    member: Row,
    prefs: Preferences,
    notice: Notice,
    event_id: UUID,
    notification_id: UUID | None,
    now: datetime,
) -> Row:
    """The member's mail: due now (or when their quiet hours end), or held for their daily digest."""
    mail = messages.render(
        "notification",
        {
            "organization": org_name,
            "name": member.get("full_name") or member["email"],
            "role": member["role"],
            "title": notice.title,
            "body": notice.body,
            "link": n.link(notice.page),
            "preferences_link": n.link("notifications/preferences"),
        },
    )
    due = prefs.next_digest_at(now) if prefs.digest else prefs.release_at(now)
    return new_delivery(
        f"{event_id}:{member['id']}:{EMAIL}",
        member["id"],
        notice.kind,
        EMAIL,
        member["email"],
        now,
        due,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        notification_id=notification_id,
        status="digest" if prefs.digest else "pending",
    )


def new_delivery(
    key: str,
    member_id: UUID | None,
    kind: str,
    channel: str,
    address: str,
    now: datetime,
    due: datetime,
    *,
    subject: str,
    text: str,
    html: str | None = None,
    notification_id: UUID | None = None,
    status: str = "pending",
    sealed: str | None = None,
) -> Row:
    return {
        "id": uuid7(),
        "dedup_key": key,
        "notification_id": notification_id,
        "member_id": member_id,
        "kind": kind,
        "channel": channel,
        "address": address,
        "status": status,
        "subject": subject,
        "text_body": text,
        "html_body": html,
        "sealed": sealed,
        "attempts": 0,
        "next_attempt_at": due,
        "created_at": now,
        "finished_at": None,
        "provider_id": None,
        "last_error": None,
    }


async def _suppressed(uow: NotificationsWork, rows: list[Row]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for channel in {row["channel"] for row in rows}:
        addresses = [row["address"] for row in rows if row["channel"] == channel]
        found |= {(channel, address) for address in await uow.suppressions.suppressed(channel, addresses)}
    return found
