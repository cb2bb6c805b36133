"""Accounting's use cases on in-memory repositories (``fakes/``): the handle on a ``FakeDatabase``, an
acting accountant, and a ``seed`` that writes what other services would have sent (leases, wells) or what a
test starts from straight into the fake stores. ``fakes/`` is loaded under a name of its own: the test
folders are not packages, and another service's ``fakes`` must not stand in for this one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from wellflow_accounting.app.context import Accounting
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import Actor
from wellflow_servicekit.testing import FakeDatabase, load_test_module

NOW = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
ORG = UUID("01938a10-0000-7000-8000-00000000000a")


def _load_fakes() -> Any:
    return load_test_module(Path(__file__).with_name("fakes"), "wellflow_accounting_unit_fakes")


fakes = _load_fakes()


class Seed:
    """Rows written straight into the fake stores, in the accountant's organization."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database

    async def lease(self, name: str = "Ranch A") -> UUID:
        lease_id = uuid7()
        async with self.database.unit_of_work(ORG) as uow:
            await uow.leases.upsert(
                {"id": lease_id, "name": name, "rrc_district": "08", "rrc_lease_number": "12345", "lease_type": "oil"}
                | {"county": "Midland", "royalty_rate": None, "status": "active", "updated_at": NOW}
            )
        return lease_id

    async def partner(self, name: str, *roles: str) -> UUID:
        partner_id = uuid7()
        async with self.database.unit_of_work(ORG) as uow:
            await uow.partners.add(
                {"id": partner_id, "organization_id": ORG, "name": name, "kind": "individual", "roles": list(roles)}
                | {"payment_method": "check", "status": "active", "created_at": NOW, "updated_at": NOW},
                {},
            )
        return partner_id


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase(fakes.FakeAccountingWork)


@pytest.fixture
def acc(database: FakeDatabase) -> Accounting:
    return Accounting(database, clock=lambda: NOW)


@pytest.fixture
def actor() -> Actor:
    return Actor(id="accountant-1", organization_id=ORG, role="accountant")


@pytest.fixture
def seed(database: FakeDatabase) -> Seed:
    return Seed(database)
