"""People and their credentials (global rows: a person exists once, in any number of organizations),
and the account events of sign-ins that fail before any tenant is known."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.repository import Repository, Row

from ...domain.errors import EmailTaken
from ..tables import account_events, credentials, users

_GET = f"SELECT {', '.join(column.name for column in users.c)} FROM users WHERE id = $1"


class SqlPeople(Repository):
    async def find_by_email(self, email: str) -> Row | None:
        """The person with this (normalized) email, with their password hash and when it was last set."""
        query = (
            select(
                users.c.id,
                users.c.email,
                users.c.full_name,
                credentials.c.password_hash,
                credentials.c.updated_at.label("password_changed_at"),
            )
            .join(credentials, credentials.c.user_id == users.c.id)
            .where(users.c.email == email)
        )
        return await self.optional(query)

    async def get(self, user_id: UUID) -> Row | None:
        driver = self.driver_if_begun()
        if driver is not None:  # /api/v1/me on every page load: the prepared statement
            row = await driver.fetchrow(_GET, user_id)
            return dict(row) if row is not None else None
        return await self.optional(select(users).where(users.c.id == user_id))

    async def email_taken(self, email: str) -> bool:
        return await self.optional(select(users.c.id).where(users.c.email == email)) is not None

    async def add(self, *, email: str, full_name: str, password_hash: str, now: datetime) -> UUID:
        """A new person and their password; ``EmailTaken`` when the same email signed up meanwhile."""
        user_id = uuid7()
        try:
            await self.execute(insert(users).values(id=user_id, email=email, full_name=full_name, created_at=now))
        except IntegrityError as exc:
            if "users_email_key" in str(exc.orig):
                raise EmailTaken(email) from None
            raise
        await self.execute(
            insert(credentials).values(user_id=user_id, password_hash=password_hash, failed_attempts=0, updated_at=now)
        )
        return user_id

    async def set_password(self, user_id: UUID, password_hash: str, now: datetime) -> None:
        await self.execute(
            update(credentials)
            .where(credentials.c.user_id == user_id)
            .values(password_hash=password_hash, updated_at=now)
        )

    async def record_account_event(
        self, action: str, *, now: datetime, user_id: UUID | None, email: str | None, **details: Any
    ) -> None:
        await self.execute(
            insert(account_events).values(
                id=uuid7(), occurred_at=now, user_id=user_id, email=email, action=action, details=details
            )
        )
