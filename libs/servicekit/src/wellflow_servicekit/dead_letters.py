"""What a service's consumers gave up on: listed from the ``dead_letters`` table and replayed on
``<root>.replay.<service>.<handler>``, which a second durable consumer feeds to the same handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from nats.js import JetStreamContext
from sqlalchemy import select, text, update

from wellflow_contracts.subjects import (
    DEFAULT_ROOT,
    replay_subject,
    stream_name,
)

from .database import Database
from .tables import dead_letters

ORIGINAL_SUBJECT_HEADER = "wellflow-original-subject"
"""On a replayed dead letter: the subject the event first came on (its tenant is checked against the envelope)."""


@dataclass(frozen=True)
class DeadLetter:
    id: UUID
    consumer: str
    subject: str
    event_id: UUID | None
    event_type: str | None
    tenant_id: UUID | None
    error: str
    deliveries: int
    failed_at: datetime
    replayed_at: datetime | None
    replay_count: int


class DeadLetters:
    """List and replay what a service's consumers gave up on."""

    def __init__(self, database: Database, js: JetStreamContext, *, service: str, subject_root: str = DEFAULT_ROOT):
        self.database = database
        self.js = js
        self.service = service
        self.root = subject_root

    async def list(
        self, *, consumer: str | None = None, pending_only: bool = True, limit: int = 100
    ) -> list[DeadLetter]:
        query = select(*[c for c in dead_letters.c if c.name not in ("headers", "payload")])
        if consumer:
            query = query.where(dead_letters.c.consumer == consumer)
        if pending_only:
            query = query.where(dead_letters.c.replayed_at.is_(None))
        query = query.order_by(dead_letters.c.failed_at).limit(min(limit, 1000))
        async with self.database.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [DeadLetter(**row) for row in rows]

    async def pending_count(self) -> int:
        async with self.database.engine.connect() as conn:
            return int(
                (await conn.execute(text("SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL"))).scalar_one()
            )

    async def replay(self, letter_id: UUID) -> None:
        """Send one dead letter back to the consumer that failed it; the inbox keeps it applied once."""
        async with self.database.unit_of_work(None) as uow:
            row = (
                (
                    await uow.connection.execute(
                        select(dead_letters).where(dead_letters.c.id == letter_id).with_for_update()
                    )
                )
                .mappings()
                .one_or_none()
            )
            if row is None:
                raise LookupError(f"no dead letter {letter_id}")
            headers = {
                **row["headers"],
                "Nats-Msg-Id": f"replay-{letter_id}-{row['replay_count'] + 1}",
                ORIGINAL_SUBJECT_HEADER: row["subject"],
            }
            await self.js.publish(
                replay_subject(self.service, row["consumer"], self.root),
                row["payload"],
                headers=headers,
                stream=stream_name(self.root),
            )
            await uow.connection.execute(
                update(dead_letters)
                .where(dead_letters.c.id == letter_id)
                .values(replayed_at=text("now()"), replay_count=dead_letters.c.replay_count + 1)
            )
