"""What the use cases need from the outside: repositories, the unit of work, the mail and SMS senders, and the
opener of sealed invitation links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from wellflow_servicekit import kernel
from wellflow_servicekit.kernel import PageOf

Row = dict[str, Any]
MAX_PAGE = 200


class Roster(Protocol):
    """The organization's name and its members, as identity's events told them."""

    async def organization(self) -> Row | None: ...
    async def keep_organization(self, name: str, version: int, at: datetime) -> None: ...
    async def keep_member(self, row: Row) -> None: ...
    async def change_member(self, member_id: UUID, changes: Row) -> bool: ...
    async def member(self, member_id: UUID) -> Row | None: ...
    async def members_in(self, roles: frozenset[str]) -> list[Row]: ...


class PreferencesStore(Protocol):
    async def get(self, member_id: UUID) -> Row | None: ...
    async def put(self, row: Row) -> None: ...
    async def all_for(self, member_ids: list[UUID]) -> dict[UUID, Row]: ...


class Suppressions(Protocol):
    async def add(self, channel: str, address: str, reason: str, detail: str | None, at: datetime) -> None: ...
    async def suppressed(self, channel: str, addresses: list[str]) -> set[str]: ...
    async def remove(self, channel: str, address: str) -> bool: ...
    async def search(self, *, limit: int, offset: int) -> PageOf[Row]: ...


class InApp(Protocol):
    async def add(self, rows: list[Row]) -> list[Row]: ...
    async def search(
        self, member_id: UUID, *, unread: bool | None, kind: str | None, limit: int, offset: int
    ) -> PageOf[Row]: ...
    async def unread_count(self, member_id: UUID) -> int: ...
    async def mark_read(self, member_id: UUID, ids: list[UUID] | None, at: datetime, *, read: bool = True) -> int: ...


class Deliveries(Protocol):
    async def add(self, rows: list[Row]) -> int: ...
    async def wake(self) -> None: ...
    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Row]: ...
    async def finish(self, delivery_id: UUID, changes: Row) -> None: ...
    async def add_attempt(self, row: Row) -> None: ...
    async def get(self, delivery_id: UUID) -> Row | None: ...
    async def attempts(self, delivery_id: UUID) -> list[Row]: ...
    async def search(
        self, *, status: str | None, channel: str | None, member_id: UUID | None, limit: int, offset: int
    ) -> PageOf[Row]: ...
    async def digest_due(self, now: datetime) -> list[UUID]: ...
    async def held_for_digest(self, member_id: UUID, now: datetime) -> list[Row]: ...
    async def mark(self, ids: list[UUID], changes: Row) -> None: ...


class Tenants(Protocol):
    """The cross-tenant list of organizations notifications knows (no tenant data)."""

    async def mark(self, organization_id: UUID, at: datetime) -> None: ...
    async def organizations(self) -> list[UUID]: ...


class NotificationsWork(kernel.Work, Protocol):
    roster: Roster
    preferences: PreferencesStore
    suppressions: Suppressions
    in_app: InApp
    deliveries: Deliveries
    tenants: Tenants


@dataclass(frozen=True)
class Outgoing:
    """One email or SMS to send."""

    channel: str
    address: str
    subject: str
    text: str
    html: str | None
    key: str  # the delivery's dedup key: the mail's Message-ID is made from it


@dataclass(frozen=True)
class SendResult:
    """``sent`` with the provider's id; else ``permanent`` (a bounce or an opt-out: never again to this address,
    ``opted_out`` says which) or a transient failure to retry."""

    sent: bool
    provider_id: str | None = None
    error: str | None = None
    permanent: bool = False
    opted_out: bool = False
    suppress: bool = True  # a permanent failure that is not the address's fault suppresses nothing


class Sender(Protocol):
    channel: str

    async def send(self, message: Outgoing) -> SendResult: ...


class LinkOpener(Protocol):
    """Opens an invitation link sealed by identity (see docs/notifications.md#invitations)."""

    def open(self, sealed: str, *, context: bytes) -> str: ...
