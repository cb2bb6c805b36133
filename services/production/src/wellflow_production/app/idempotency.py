"""Idempotent writes under an ``Idempotency-Key`` (or a client-chosen id): the first request's result is kept
with the key, and a retry answers it unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wellflow_servicekit.errors import UnprocessableContent

from .ports import ProductionWork


@dataclass(frozen=True)
class Outcome:
    """What a write answers: the status code and body (a replay answers the first ones unchanged)."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


async def claim_key(uow: ProductionWork, operation: str, key: str, fingerprint: str, now: datetime) -> Outcome | None:
    """Claim an idempotency key in this transaction; a key already used answers its first result, and the same
    key with a different request is 422 ``idempotency-key-reused``."""
    stored = await uow.idempotency_keys.claim(operation, key, fingerprint, now)
    if stored is None:
        return None
    if stored["request_hash"] != fingerprint:
        raise UnprocessableContent(
            "This idempotency key was already used for a different request; use a new key for a new request.",
            slug="idempotency-key-reused",
            code="idempotency_key_reused",
        )
    return Outcome(stored["status_code"], stored["response"], replayed=True)


async def store_result(uow: ProductionWork, operation: str, key: str, outcome: Outcome) -> None:
    await uow.idempotency_keys.answer(operation, key, outcome.status, outcome.body)
