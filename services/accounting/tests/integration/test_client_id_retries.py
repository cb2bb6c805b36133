"""Creates under a client-chosen id sent twice at once (a phone or an integration resending after a lost answer):
one row, no error, both answers the same resource; the same id with another body is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text

from wellflow_contracts.ids import uuid7

ROUNDS = 4  # each round races two copies of one create


@dataclass
class Create:
    path: str
    table: str
    body: dict[str, Any]  # includes the id
    other: dict[str, Any]  # same id, something else changed
    changed: str  # the field the refusal names


async def _partner(books, n: int) -> Create:
    body = {
        "id": str(uuid7()),
        "name": f"Ada Royalty {n}",
        "kind": "individual",
        "roles": ["royalty_owner"],
        "tax_id": "123-45-6789",
        "owner_number": f"R-{n}",
    }
    return Create("/api/v1/partners", "partners", body, {**body, "name": "Ada Royalty Trust"}, "body.name")


async def _deck(books, n: int) -> Create:
    lease = await books.lease(name=f"Ranch {n}")
    op = await books.partner(f"Operator {n}", "working_interest_partner")
    ada = await books.partner(f"Ada {n}", "royalty_owner")
    body = {
        "id": str(uuid7()),
        "lease_id": str(lease),
        "kind": "revenue",
        "effective_from": "2026-01-01",
        "lines": [
            {"partner_id": op, "interest_type": "working_interest", "decimal": "0.875"},
            {"partner_id": ada, "interest_type": "royalty", "decimal": "0.125"},
        ],
    }
    other = {
        **body,
        "lines": [
            {"partner_id": op, "interest_type": "working_interest", "decimal": "0.8"},
            {"partner_id": ada, "interest_type": "royalty", "decimal": "0.2"},
        ],
    }
    return Create("/api/v1/ownership-decks", "decks", body, other, "body.lines")


async def _agreement(books, n: int) -> Create:
    lease = await books.lease(name=f"Ranch {n}")
    body = {
        "id": str(uuid7()),
        "lease_id": str(lease),
        "name": f"JOA {n}",
        "drilling_overhead_rate": "9000.00",
        "producing_overhead_rate": "900.00",
        "rates_set_on": "2024-07-01",
        "afe_overrun_percent": "10",
    }
    other = {**body, "producing_overhead_rate": "950.00"}
    return Create("/api/v1/jib/agreements", "agreements", body, other, "body.producing_overhead_rate")


async def _cost(books, n: int) -> Create:
    lease = await books.lease(name=f"Ranch {n}")
    body = {
        "id": str(uuid7()),
        "incurred_on": "2026-03-10",
        "lease_id": str(lease),
        "vendor_name": "Acme Services",
        "category": "lease_operating",
        "amount": "1250.40",
    }
    return Create("/api/v1/jib/costs", "costs", body, {**body, "amount": "1250.41"}, "body.amount")


async def _payment(books, n: int) -> Create:
    partner = await books.partner(f"WI {n}", "working_interest_partner", kind="company")
    body = {"id": str(uuid7()), "partner_id": partner, "received_on": "2026-03-20", "amount": "500.00"}
    return Create(
        "/api/v1/jib/payments", "jib_payments", body, {**body, "received_on": "2026-03-21"}, "body.received_on"
    )


async def _afe(books, n: int) -> Create:
    lease = await books.lease(name=f"Ranch {n}")
    body = {
        "id": str(uuid7()),
        "afe_number": f"AFE-26-{n:03d}",
        "title": "Drill Ranch A 3H",
        "lease_id": str(lease),
        "lines": [
            {"kind": "intangible", "category": "intangible_drilling", "amount": "60000.00"},
            {"kind": "tangible", "category": "tangible", "amount": "40000.00"},
        ],
    }
    other = {**body, "lines": [{"kind": "intangible", "category": "intangible_drilling", "amount": "60000.00"}]}
    return Create("/api/v1/afes", "afes", body, other, "body.lines")


async def _rows(books, create: Create) -> int:
    """Rows with the create's id, as the organization sees them."""
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        query = text(f"SELECT count(*) FROM {create.table} WHERE id = :id")
        return await uow.connection.scalar(query, {"id": UUID(create.body["id"])})


KINDS: dict[str, Callable[[Any, int], Awaitable[Create]]] = {
    "partner": _partner,
    "ownership deck": _deck,
    "operating agreement": _agreement,
    "cost": _cost,
    "JIB payment": _payment,
    "AFE": _afe,
}


@pytest.mark.parametrize("kind", list(KINDS))
async def test_two_copies_of_a_create_at_once_make_one_row_and_the_same_answer(books, kind):
    for n in range(ROUNDS):
        create = await KINDS[kind](books, n)
        first, second = await asyncio.gather(books.post(create.path, create.body), books.post(create.path, create.body))
        assert sorted([first.status_code, second.status_code]) == [200, 201], (first.text, second.text)
        assert first.json() == second.json()
        assert first.json()["id"] == create.body["id"]
        assert await _rows(books, create) == 1


@pytest.mark.parametrize("kind", list(KINDS))
async def test_a_later_retry_answers_the_stored_resource_and_another_body_is_refused(books, kind):
    create = await KINDS[kind](books, 0)
    created = await books.ok("POST", create.path, create.body, status=201)
    assert await books.ok("POST", create.path, create.body, status=200) == created
    refused = await books.post(create.path, create.other)
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("/id-in-use")
    assert [e["field"] for e in refused.json()["errors"]] == [create.changed]
    assert await _rows(books, create) == 1
