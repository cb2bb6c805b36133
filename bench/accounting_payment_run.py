"""A payment run for 2,000 owners with its ACH file and checks: seconds.

    python bench/accounting_payment_run.py [--wells 500] [--owners 40] [--repeat 3]

Loads the same organization as ``accounting_distribution.py`` (500 oil leases x 40 owners drawn from 2,000
owners; half of them asked for ACH, the other half for checks), computes and finalizes March's revenue run,
enters the ACH settings and the New York Fed's rate, and then times, through the app in this process:

- building the payment run (``POST /api/v1/payments/runs``): 2,000 owners' payments with their 40,000 revenue
  lines, Texas late-payment interest on every one (paid after the 91.402 due date), the ACH/check choice and
  prenotes; repeated ``--repeat`` times (each draft is cancelled, so the next builds it all again);
- approving it, writing the NACHA file and numbering the checks, marking it sent (``approve`` + ``send``), and
  downloading the ACH file: once.

The figure against the 5 s target is build + approve + send + download. The checks' PDF (one page per check with
its 91.502 stub) is timed on its own and reported beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import httpx
from _accounting import accounting_bench
from accounting_distribution import MONTH, _load
from sqlalchemy import text

from wellflow_servicekit.runtime import run as run_loop

SETTINGS = {
    "immediate_destination": "111000025",
    "immediate_destination_name": "First Permian Bank",
    "immediate_origin": "1751234567",
    "immediate_origin_name": "Bench Operating LLC",
    "company_name": "Bench Operating",
    "company_id": "1751234567",
    "odfi_routing": "111000025",
    "prenote_wait_days": 0,
    "check_account_number": "8800123456",
}
PAY_DATE = "2026-08-10"
RATE = {"effective": "2026-01-01", "annual_rate": "0.045", "source": "bench: the Fed's release"}

HALF_ACH = """
UPDATE partners SET payment_method = 'ach', bank_routing_number = '021000021',
       bank_account_number = lpad(substr(name, 7), 10, '0'), bank_account_type = 'checking'
WHERE substr(name, 7)::int % 2 = 0
"""


async def _post(client: httpx.AsyncClient, path: str, body: dict | None = None) -> dict:
    response = await client.post(path, json=body)
    response.raise_for_status()
    return response.json()


async def _prepare(app, client: httpx.AsyncClient, org, wells: int, owners: int) -> tuple[str, float]:
    """The organization loaded and March finalized; the revenue run's seconds (the baseline: the same 2,000
    owners and 40,000 lines, computed by the distribution this run pays)."""
    await _load(app, org, wells, owners)
    async with app.state.accounting.database.unit_of_work(org) as uow:
        await uow.connection.execute(text(HALF_ACH))
    t0 = time.perf_counter()
    revenue = await _post(client, "/api/v1/revenue/runs", {"month": MONTH.isoformat()})
    baseline = time.perf_counter() - t0
    await _post(client, f"/api/v1/revenue/runs/{revenue['id']}/finalize")
    (await client.put("/api/v1/payments/settings", json=SETTINGS)).raise_for_status()
    await _post(client, "/api/v1/late-interest-rates", RATE)  # the organization's entry in the 91.403 rate table
    return revenue["id"], baseline


async def main(wells: int, owners: int, repeat: int) -> None:
    async with accounting_bench() as bench:
        app, client, org, env = bench.app, bench.client, bench.org, bench.env
        started = time.perf_counter()
        revenue_id, baseline = await _prepare(app, client, org, wells, owners)
        took = time.perf_counter() - started
        print(f"loaded and finalized {wells} leases x {owners} owners in {took:.1f} s ({env.where})")
        body = {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}
        builds = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run = await _post(client, "/api/v1/payments/runs", body)
            builds.append(time.perf_counter() - t0)
            await _post(client, f"/api/v1/payments/runs/{run['id']}/cancel")
        t0 = time.perf_counter()
        run = await _post(client, "/api/v1/payments/runs", body)
        build = time.perf_counter() - t0
        t1 = time.perf_counter()
        await _post(client, f"/api/v1/payments/runs/{run['id']}/approve")
        sent = await _post(client, f"/api/v1/payments/runs/{run['id']}/send")
        ach = await client.get(f"/api/v1/payments/runs/{run['id']}/ach-file")
        ach.raise_for_status()
        send = time.perf_counter() - t1
        t2 = time.perf_counter()
        pdf = await client.get(f"/api/v1/payments/runs/{run['id']}/checks", params={"format": "pdf"})
        pdf.raise_for_status()
        checks_pdf = time.perf_counter() - t2
    totals = sent["totals"]
    print(
        f"payment run: {totals['payees']} payees, {totals['ach_payments']} ACH ({totals['ach_total']}), "
        f"{totals['check_payments']} checks ({totals['check_total']}), {totals['held']} held, "
        f"interest {totals['interest']}"
    )
    spread = f"best {min(builds):.2f} s  median {statistics.median(builds):.2f} s  worst {max(builds):.2f} s"
    print(f"  build (create) {repeat} runs: {spread}")
    print(f"  build + approve + ACH file and check numbers + sent + download: {build + send:.2f} s  (target <= 5 s)")
    print(f"    of which build {build:.2f} s, approve/files/send/download {send:.2f} s")
    print(f"  baseline, same process and moment: the revenue run of these owners {baseline:.2f} s")
    print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  ACH file: {len(ach.content.splitlines())} records, {len(ach.content)} bytes")
    size = len(pdf.content) / 1e6
    checks = totals["check_payments"]
    print(f"  checks PDF ({checks} checks, a page each with the 91.502 stub): {checks_pdf:.2f} s, {size:.1f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wells", type=int, default=500)
    parser.add_argument("--owners", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run_loop(main(args.wells, args.owners, args.repeat))
