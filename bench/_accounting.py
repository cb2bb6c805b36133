"""What the accounting benchmarks share: the accounting app in this process on a migrated database of its own,
started (lifespan), and an accountant's client of one new organization talking to it through ASGI."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
from fastapi import FastAPI

from _common import BenchEnv, Signer, migrated_service
from wellflow_accounting.bootstrap import create_app
from wellflow_accounting.settings import AccountingSettings


@dataclass
class AccountingBench:
    env: BenchEnv
    app: FastAPI
    client: httpx.AsyncClient
    org: UUID


@contextlib.asynccontextmanager
async def accounting_bench(**settings: Any) -> AsyncIterator[AccountingBench]:
    """``settings``: accounting settings other than the defaults (e.g. the PDF renderer's limits)."""
    async with migrated_service("accounting") as env:
        signer, org = Signer(), uuid4()
        app = create_app(env.settings(AccountingSettings, "accounting", **settings), token_verifier=signer.verifier())
        headers = {"Authorization": f"Bearer {signer.token(org, role='accountant')}"}
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://accounting.bench", headers=headers, timeout=600
        )
        async with app.router.lifespan_context(app), client:
            yield AccountingBench(env, app, client, org)


def lease_row(org: UUID, lease_id: UUID, n: int, now: datetime) -> dict[str, Any]:
    """The ``leases`` row of the bench's ``n``th lease: an active oil lease in Midland county, district 08."""
    return {
        "organization_id": org,
        "id": lease_id,
        "name": f"Lease {n:04d}",
        "rrc_district": "08",
        "rrc_lease_number": f"{10000 + n}",
        "lease_type": "oil",
        "county": "Midland",
        "royalty_rate": Decimal("0.1875"),
        "status": "active",
        "updated_at": now,
    }
