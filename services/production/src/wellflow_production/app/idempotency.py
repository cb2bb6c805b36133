"""Idempotent writes under an ``Idempotency-Key`` (or a client-chosen id): the first request's result is kept
with the key, and a retry answers it unchanged. The same key with a different request is the one meaning
every WellFlow service gives a retried create (``kernel.check_same_request``): 409 ``id-in-use`` naming each
field that differs from what the key already stands for."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import check_same_request, request_hash

from .ports import ProductionWork


@dataclass(frozen=True)
class Outcome:
    """What a write answers: the status code and body (a replay answers the first ones unchanged)."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


async def claim_key(
    uow: ProductionWork,
    operation: str,
    key: str,
    request: Mapping[str, Any],
    now: datetime,
    *,
    noun: str,
    defaulted: Collection[str] = (),
) -> Outcome | None:
    """Claim an idempotency key in this transaction; a key already used by the same ``request`` answers its
    first result. ``defaulted`` names the fields the write fills in when the request leaves them out (a retry
    that leaves them out is not a different request on their account)."""
    fingerprint = request_hash(request)
    stored = await uow.idempotency.claim(operation, key, fingerprint, now)
    if stored is None:
        return None
    return replay(stored, fingerprint, request, noun=noun, defaulted=defaulted)


def replay(
    stored: Mapping[str, Any],
    fingerprint: str,
    request: Mapping[str, Any],
    *,
    noun: str,
    defaulted: Collection[str] = (),
) -> Outcome:
    """The answer to a request under a key already taken (``stored``): the first result when ``request`` is the
    same (its ``fingerprint``), else 409 ``id-in-use``."""
    if stored["request_hash"] != fingerprint:
        raise _different_request(stored["response"] or {}, request, noun=noun, defaulted=defaulted)
    return Outcome(stored["status_code"], stored["response"], replayed=True)


async def store_result(uow: ProductionWork, operation: str, key: str, outcome: Outcome) -> None:
    await uow.idempotency.answer(operation, key, outcome.status, outcome.body)


def _different_request(
    answered: Mapping[str, Any], request: Mapping[str, Any], *, noun: str, defaulted: Collection[str]
) -> Conflict:
    """The 409 for a key reused by another request: the fields that differ from the first answer (which holds
    every field a request sends, as stored)."""
    wanted = {k: v for k, v in request.items() if not (v is None and k in defaulted)}
    stored = {k: _as_sent(answered.get(k), v) for k, v in wanted.items()}
    try:
        check_same_request(stored, wanted, noun=noun)
    except Conflict as conflict:
        return conflict
    # the fingerprints differ in what the stored answer does not show: name the body as a whole
    return Conflict(
        f"Another {noun} already has this id; a new {noun} needs a new id.",
        slug="id-in-use",
        errors=[{"field": "body", "message": f"differs from the stored {noun}"}],
    )


def _as_sent(stored: Any, sent: Any) -> Any:
    """A value of the stored answer (JSON: decimals, ids and times as text) in the type the request sent."""
    if stored is None or isinstance(sent, bool):
        return stored
    if isinstance(sent, Mapping):
        inner = stored if isinstance(stored, Mapping) else {}
        return {k: _as_sent(inner.get(k), v) for k, v in sent.items()}
    if not isinstance(stored, str):
        return stored
    try:
        if isinstance(sent, Decimal | int | float):
            return Decimal(stored)
        if isinstance(sent, datetime):
            return datetime.fromisoformat(stored)
        if isinstance(sent, date):
            return date.fromisoformat(stored[:10])
        if isinstance(sent, UUID):
            return UUID(stored)
    except (ValueError, InvalidOperation):
        return stored
    return stored
