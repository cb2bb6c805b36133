"""The demo tenant pays its owners: the bank's ACH details, two owners paid by ACH (the others by check), Llano's
operating agreements allowing JIB netting, last month's revenue paid (a small royalty owner held under the $100
minimum), and a month whose owners were never paid, paid now with Texas late-payment interest (Nat. Res. Code
91.403). Each run is approved, its ACH file and checks written, and sent."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from .demo_client import Api

NAMESPACE = uuid.UUID("0b8f3c51-4f57-4d7e-9c55-3d2f1e7a9b20")

# Late-payment interest is priced from the New York Fed's published rate history WellFlow ships (migration 0005
# loads it; GET /api/v1/late-interest-rates lists it): the demo enters no rate of its own.
BANK = {
    "immediate_destination": "111000025",
    "immediate_destination_name": "First Permian Bank",
    "immediate_origin": "1752048813",
    "immediate_origin_name": "Caprock Energy LLC",
    "company_name": "Caprock Energy",
    "company_id": "1752048813",
    "odfi_routing": "111000025",
    "entry_description": "ROYALTY",
    "prenote_wait_days": 0,
    "check_account_number": "4471002291",
}
ACH_OWNERS = {  # key: (routing, account, type)
    "whitfield": ("021000021", "000123456789", "checking"),
    "hollis": ("122000247", "9876543210", "savings"),
}


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


async def _pay(api: Api, revenue_run: dict[str, Any], pay_date: date) -> dict[str, Any]:
    month = revenue_run["month"][:7]
    run = await api.json(
        f"build the payment run for {month}",
        "POST",
        "/api/v1/payments/runs",
        json={"id": _id("run", month), "distribution_run_id": revenue_run["id"], "pay_date": pay_date.isoformat()},
        expect=(200, 201),
    )
    path = f"/api/v1/payments/runs/{run['id']}"
    await api.call(f"approve the payments of {month}", "POST", f"{path}/approve")
    return await api.json(f"send the payments of {month}", "POST", f"{path}/send")


async def load_payments(
    api: Api,
    pid: dict[str, str],
    agreement_ids: list[str],
    last_run: dict[str, Any],
    unpaid_run: dict[str, Any] | None,
) -> str:
    await api.call("enter the bank's ACH details", "PUT", "/api/v1/payments/settings", json=BANK)
    for key, (routing, account, kind) in ACH_OWNERS.items():
        await api.call(
            f"set {key}'s direct deposit",
            "PATCH",
            f"/api/v1/partners/{pid[key]}",
            json={
                "payment_method": "ach",
                "bank_routing_number": routing,
                "bank_account_number": account,
                "bank_account_type": kind,
            },
        )
    for agreement in agreement_ids:
        await api.call(
            "allow netting under the JOA",
            "PATCH",
            f"/api/v1/jib/agreements/{agreement}",
            json={"allow_revenue_netting": True},
        )
    today = datetime.now(UTC).date()
    late = await _pay(api, unpaid_run, today) if unpaid_run is not None else None
    current = await _pay(api, last_run, today)
    t = current["totals"]
    said = (
        f"paid {last_run['month'][:7]}: {t['ach_payments']} by ACH ${t['ach_total']}, {t['check_payments']} checks "
        f"${t['check_total']}, {t['held']} held"
    )
    if late is not None and unpaid_run is not None:
        said += f"; {unpaid_run['month'][:7]} paid late with ${late['totals']['interest']} interest"
    return said
