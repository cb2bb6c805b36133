"""In-memory repositories of identity and ``FakeIdentityWork``: the same protocols as
``adapters/repositories`` (``app/ports.py``), so the use cases run without PostgreSQL, and stand-ins for
the password hasher and the signing keys. The integration tests keep proving the SQL.

Like the tables' row-level security, tenant rows are seen only within the unit of work's tenant, except
through the narrow lookups (a token's hash, an API key's id, a person's own memberships).
``conftest.py`` loads this module; tests reach it through its fixtures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from wellflow_identity.app.ports import Row
from wellflow_identity.domain.errors import EmailTaken
from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeUnitOfWork, InMemoryRepository


class InMemoryPeople(InMemoryRepository):
    """Global rows: a person and their credentials in one row, visible from every tenant."""

    store_name = "people"

    async def find_by_email(self, email: str) -> Row | None:
        return next((dict(row) for row in self._rows.values() if row["email"] == email), None)

    async def get(self, user_id: UUID) -> Row | None:
        row = self._rows.get(user_id)
        return {k: row[k] for k in ("id", "email", "full_name", "created_at")} if row else None

    async def email_taken(self, email: str) -> bool:
        return await self.find_by_email(email) is not None

    async def add(self, *, email: str, full_name: str, password_hash: str, now: datetime) -> UUID:
        if await self.email_taken(email):
            raise EmailTaken(email)
        user_id = uuid4()
        self._rows[user_id] = {
            "id": user_id,
            "email": email,
            "full_name": full_name,
            "created_at": now,
            "password_hash": password_hash,
        }
        return user_id

    async def set_password(self, user_id: UUID, password_hash: str, now: datetime) -> None:
        self._rows[user_id].update(password_hash=password_hash, password_changed_at=now)

    async def record_account_event(
        self, action: str, *, now: datetime, user_id: UUID | None, email: str | None, **details: Any
    ) -> None:
        events = self.uow.database.stores.setdefault("account_events", {})
        events[uuid4()] = {"occurred_at": now, "action": action, "user_id": user_id, "email": email, **details}


class InMemoryOrganizations(InMemoryRepository):
    """Organizations (keyed by their id) and memberships (keyed by organization and person)."""

    store_name = "organizations"

    @property
    def _memberships(self) -> dict[Any, dict[str, Any]]:
        return self.uow.database.stores.setdefault("memberships", {})

    async def add(self, organization_id: UUID, now: datetime, **fields: Any) -> None:
        self.put_row(organization_id, {"created_at": now, "updated_at": now, **fields})

    async def get(self, organization_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(organization_id)
        return {**row, "organization_id": organization_id} if row else None

    async def update(self, organization_id: UUID, now: datetime, **fields: Any) -> None:
        row = self.get_row(organization_id)
        if row is not None:
            self.put_row(organization_id, {**row, **fields, "updated_at": now})

    async def update_profile(self, organization_id: UUID, now: datetime, *, by: str, **fields: Any) -> None:
        row = self.get_row(organization_id)
        if row is not None:
            version = (row.get("profile_version") or 1) + 1
            self.put_row(
                organization_id,
                {**row, **fields, "updated_at": now, "profile_updated_by": by, "profile_version": version},
            )

    async def add_member(self, organization_id: UUID, user_id: UUID, role: str, now: datetime) -> None:
        self._memberships[(organization_id, user_id)] = {
            "organization_id": organization_id,
            "user_id": user_id,
            "role": role,
            "status": "active",
            "joined_at": now,
        }

    async def memberships_of(self, user_id: UUID, *, active_only: bool = True) -> list[Row]:
        rows = [m for m in self._memberships.values() if m["user_id"] == user_id]
        rows = [m for m in rows if m["status"] == "active" or not active_only]
        names = self.uow.database.stores.get("organizations", {})
        return [
            {**{k: m[k] for k in ("organization_id", "role", "status")}, "name": names[m["organization_id"]]["name"]}
            for m in sorted(rows, key=lambda m: (m["joined_at"], m["organization_id"]))
        ]

    async def get_member(self, user_id: UUID, *, lock: bool = False) -> Row | None:
        row = self._memberships.get((self.organization_id, user_id))
        return self._member(row) if row else None

    async def list_members(self, *, role: str | None, status: str | None, limit: int, offset: int) -> PageOf[Row]:
        rows = [self._member(m) for m in self._here() if role in (None, m["role"]) and status in (None, m["status"])]
        rows.sort(key=lambda m: (m["joined_at"], m["user_id"]))
        return PageOf(items=rows[offset : offset + limit], total=len(rows), limit=limit, offset=offset)

    async def count_active_owners(self) -> int:
        return sum(1 for m in self._here() if m["role"] == "owner" and m["status"] == "active")

    async def set_member(self, user_id: UUID, now: datetime, **values: Any) -> None:
        self._memberships[(self.organization_id, user_id)].update(values)

    def _here(self) -> list[dict[str, Any]]:
        return [m for m in self._memberships.values() if m["organization_id"] == self.organization_id]

    def _member(self, membership: dict[str, Any]) -> Row:
        person = self.uow.database.stores["people"][membership["user_id"]]
        return {
            "user_id": membership["user_id"],
            "email": person["email"],
            "full_name": person["full_name"],
            "role": membership["role"],
            "status": membership["status"],
            "joined_at": membership["joined_at"],
        }


class InMemoryRefreshTokens(InMemoryRepository):
    store_name = "refresh_tokens"

    async def add(self, **values: Any) -> None:
        token_id = uuid4()
        self._rows[token_id] = {"id": token_id, "used_at": None, "revoked_at": None, **values}

    async def find_by_hash(self, token_hash: str) -> Row | None:
        return next((dict(row) for row in self._rows.values() if row["token_hash"] == token_hash), None)

    async def mark_used(self, token_id: UUID, now: datetime) -> bool:
        row = self._rows[token_id]
        if row["used_at"] is not None:
            return False
        row["used_at"] = now
        return True

    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        return self._revoke(lambda row: row["family_id"] == family_id, now)

    async def revoke_sessions_of(self, user_id: UUID, now: datetime) -> int:
        return self._revoke(lambda row: row["user_id"] == user_id, now)

    def _revoke(self, chosen: Any, now: datetime) -> int:
        live = [row for row in self.visible() if chosen(row) and row["revoked_at"] is None]
        for row in live:
            row["revoked_at"] = now
        return len(live)


class InMemoryInvitations(InMemoryRepository):
    store_name = "invitations"

    async def add(self, **values: Any) -> None:
        self._rows[values["id"]] = {
            "revoked_at": None,
            "delivery": None,
            "last_sent_at": None,
            "send_count": 1,
            **values,
        }

    async def get(self, invitation_id: UUID, *, lock: bool = False) -> Row | None:
        return self.get_row(invitation_id)

    async def revoke(self, invitation_id: UUID, now: datetime, revoked_by: UUID | None) -> None:
        if self._rows[invitation_id]["revoked_at"] is None:
            self._rows[invitation_id].update(revoked_at=now, revoked_by=revoked_by)

    async def renew(self, invitation_id: UUID, *, token_hash: str, expires_at: datetime) -> None:
        row = self._rows[invitation_id]
        row.update(token_hash=token_hash, expires_at=expires_at, send_count=row["send_count"] + 1)

    async def sent(self, invitation_id: UUID, delivery: str, now: datetime) -> None:
        self._rows[invitation_id].update(delivery=delivery, last_sent_at=now)

    async def list_newest(self, *, limit: int, offset: int) -> list[Row]:
        rows = sorted(self.visible(), key=lambda row: row["created_at"], reverse=True)
        return [dict(row) for row in rows[offset : offset + limit]]

    async def find_by_hash(self, token_hash: str) -> Row | None:
        return next((dict(row) for row in self._rows.values() if row["token_hash"] == token_hash), None)

    async def mark_accepted(self, invitation_id: UUID, user_id: UUID, now: datetime) -> bool:
        row = self._rows[invitation_id]
        if row["accepted_at"] is not None or row["revoked_at"] is not None:
            return False
        row.update(accepted_at=now, accepted_user_id=user_id)
        return True


class InMemoryApiKeys(InMemoryRepository):
    store_name = "api_keys"
    listed = ("id", "name", "role", "created_by", "created_at", "last_used_at", "revoked_at")

    async def add(self, **values: Any) -> None:
        self._rows[values["id"]] = {"last_used_at": None, "revoked_at": None, **values}

    async def list_newest(self) -> list[Row]:
        rows = sorted(self.visible(), key=lambda row: row["created_at"], reverse=True)
        return [{k: row[k] for k in self.listed} for row in rows]

    async def find(self, key_id: UUID) -> Row | None:
        row = self._rows.get(key_id)
        return dict(row) if row else None

    async def touch(self, key_id: UUID, now: datetime) -> None:
        self._rows[key_id]["last_used_at"] = now

    async def revoke(self, key_id: UUID, now: datetime) -> Row | None:
        row = self.get_row(key_id)
        if row is None:
            return None
        if row["revoked_at"] is None:
            self._rows[key_id]["revoked_at"] = now
        return {k: self._rows[key_id][k] for k in self.listed}

    async def revoke_created_by(self, created_by: str, now: datetime) -> list[UUID]:
        live = [row for row in self.visible() if row["created_by"] == created_by and row["revoked_at"] is None]
        for row in live:
            row["revoked_at"] = now
        return [row["id"] for row in live]


class InMemorySignInLimits(InMemoryRepository):
    """Global counters, keyed like the table."""

    store_name = "sign_in_limits"

    async def lock(self, keys: list[str]) -> dict[str, tuple[int, datetime | None]]:
        for key in keys:
            self._rows.setdefault(key, {"failures": 0, "last_failed_at": None})
        return {key: (self._rows[key]["failures"], self._rows[key]["last_failed_at"]) for key in keys}

    async def put(self, key: str, failures: int, last_failed_at: datetime | None) -> None:
        self._rows[key] = {"failures": max(0, failures), "last_failed_at": last_failed_at if failures > 0 else None}

    async def purge(self, before: datetime) -> int:
        old = [k for k, r in self._rows.items() if r["last_failed_at"] is None or r["last_failed_at"] < before]
        for key in old:
            del self._rows[key]
        return len(old)


class InMemoryPasswordResets(InMemoryRepository):
    """Global rows: links to choose a new password."""

    store_name = "password_resets"

    async def add(self, **values: Any) -> None:
        self._rows[values["id"]] = {"used_at": None, **values}

    async def find_by_hash(self, token_hash: str) -> Row | None:
        return next((dict(row) for row in self._rows.values() if row["token_hash"] == token_hash), None)

    async def claim(self, link_id: UUID, now: datetime) -> bool:
        row = self._rows[link_id]
        if row["used_at"] is not None:
            return False
        row["used_at"] = now
        return True

    async def spend_all_of(self, user_id: UUID, now: datetime) -> int:
        live = [row for row in self._rows.values() if row["user_id"] == user_id and row["used_at"] is None]
        for row in live:
            row["used_at"] = now
        return len(live)


class InMemoryAuditLog(InMemoryRepository):
    store_name = "audit_log"

    async def record(
        self,
        action: str,
        *,
        now: datetime,
        actor_kind: str,
        actor_id: str | None,
        subject_id: str | None = None,
        **details: Any,
    ) -> None:
        entry = {"occurred_at": now, "actor_kind": actor_kind, "actor_id": actor_id, "action": action}
        self.put_row(uuid4(), {**entry, "subject_id": subject_id, "details": details})

    async def list_newest(self, *, action: str | None, limit: int, offset: int) -> list[Row]:
        rows = [row for row in self.visible() if action in (None, row["action"])]
        rows.reverse()  # inserted in time order
        return [dict(row) for row in rows[offset : offset + limit]]


class FakeIdentityWork(FakeUnitOfWork):
    people = repository(InMemoryPeople)
    organizations = repository(InMemoryOrganizations)
    refresh_tokens = repository(InMemoryRefreshTokens)
    invitations = repository(InMemoryInvitations)
    api_keys = repository(InMemoryApiKeys)
    audit = repository(InMemoryAuditLog)
    sign_in_limits = repository(InMemorySignInLimits)
    password_resets = repository(InMemoryPasswordResets)

    async def use_tenant(self, organization_id: UUID) -> None:
        self.tenant_id = organization_id


class PlainPasswords:
    """Stands in for argon2: the 'hash' is the password, marked."""

    async def hash(self, password: str) -> str:
        return "plain:" + password

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        return stored_hash == "plain:" + password


class UnsignedKeys:
    """Stands in for the signing keys: a 'token' is its claims as JSON."""

    async def sign(self, claims: dict[str, Any]) -> str:
        return json.dumps(claims)

    async def jwks(self) -> dict[str, Any]:
        return {"keys": []}


@dataclass(frozen=True)
class Config:
    jwt_issuer: str = "https://identity.wellflow.test"
    jwt_audience: str = "wellflow"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    session_lifetime_seconds: int = 30 * 24 * 3600
    invitation_ttl_seconds: int = 7 * 24 * 3600
    password_reset_ttl_seconds: int = 3600
    console_url: str | None = "https://wellflow.test"
