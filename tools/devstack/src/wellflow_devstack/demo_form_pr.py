"""The demo's Form PR: last month's report, filed once compliance has every lease's volumes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from . import demo_history as dh
from .demo_client import POLL_ANSWERS, Api, DemoError, detail
from .demo_history import COMPANY, OPERATOR_NUMBER


async def file_form_pr(api: Api, history: dh.History, ids: dict[str, Any]) -> tuple[str, str]:
    """Last month's Form PR: wait until compliance has every lease's volumes, submit, wait for the portal."""
    month = dh.last_full_month(history)
    period = f"{month:%Y-%m}"
    await api.call(
        "set the RRC operator number",
        "PUT",
        "/api/v1/compliance/operator",
        json={"rrc_operator_number": OPERATOR_NUMBER, "name": COMPANY},
    )
    totals = history.lease_month_totals()

    def whole(lease: str, product: str) -> int:  # the Form PR reports whole barrels and MCF, rounded half up
        volume = totals.get((lease, month), {}).get(product, Decimal(0))
        return int(volume.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    # Compliance has caught up when each line carries the month's readings as loaded (oil leases' production is
    # then derived from their tanks, the readings shown beside it) and the gas as loaded.
    expected = {
        ids["leases"][k.key]: (totals.get((k.key, month), {}).get("oil", Decimal(0)), whole(k.key, "gas"))
        for k in history.leases
    }

    def complete(response: httpx.Response) -> bool:
        """Every lease's line carries this month's volumes as loaded (compliance has caught up) and nothing blocks
        filing."""
        if response.status_code != 200:
            return False
        body = response.json()
        seen = {
            line["lease_id"]: (Decimal(str(line.get("liquid_readings") or 0)), line["gas_production"])
            for line in body["lines"]
        }
        return all(seen.get(k) == v for k, v in expected.items()) and bool(body.get("ready_to_submit"))

    report = await api.until(
        f"wait for the Form PR {period} to carry every lease",
        lambda: api.call(f"read the Form PR {period}", "GET", f"/api/v1/form-pr/{period}", expect=POLL_ANSWERS),
        complete,
        describe=_form_pr_state,
    )
    if report.json().get("state") in ("accepted", "submitted"):
        return period, report.json()["state"]
    await api.call(f"submit the Form PR {period}", "POST", f"/api/v1/form-pr/{period}/submit", expect=(200, 202))
    try:
        final = await api.until(
            f"wait for the RRC portal to answer the Form PR {period}",
            lambda: api.call(f"read the Form PR {period}", "GET", f"/api/v1/form-pr/{period}", expect=POLL_ANSWERS),
            lambda r: r.status_code == 200 and r.json().get("state") in ("accepted", "rejected"),
            timeout=30,
        )
    except DemoError:
        return period, "submitted (the RRC portal stand-in has not answered yet; compliance keeps retrying)"
    return period, final.json()["state"]


def _form_pr_state(response: httpx.Response) -> str:
    if response.status_code != 200:
        return detail(response)
    body = response.json()
    lines = [
        (line.get("lease_name"), line.get("liquid_production"), line.get("gas_production")) for line in body["lines"]
    ]
    errors = [error.get("message") for error in body.get("errors", [])][:5]
    return f"lines {lines}, errors {errors}"
