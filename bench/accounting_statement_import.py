"""Importing a purchaser's check-stub statement of 50,000 lines.

    python bench/accounting_statement_import.py [--lines 50000] [--leases 500]

Provisions and migrates an accounting database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers), loads one organization (``bench/_reconciliation_setup.py``: 500 leases with 100 run tickets each,
the purchaser, its column map and property numbers), then times ``POST /api/v1/purchaser-statements/imports``
through the app in this process with a 50,000-line CSV: parsing every line through the column map, storing
them, setting the 500 lease-months' oil prices (announced to compliance through the outbox) and reconciling
the lease-months. Then the same file again (a replay: nothing changes). Target: <= 10 s.
"""

from __future__ import annotations

import argparse
import time

from _accounting import accounting_bench
from _reconciliation_setup import load, statement_csv

from wellflow_servicekit.runtime import run as run_loop


async def main(lines: int, leases: int) -> None:
    async with accounting_bench() as bench:
        app, client, org, env = bench.app, bench.client, bench.org, bench.env
        setup = await load(app, org, leases, max(1, lines // leases))  # one ticket a line
        content, _ = statement_csv(setup, lines)
        body = content.encode()
        (await client.get("/api/v1/reconciliation/tolerances")).raise_for_status()  # warm: keys, pool
        timings, report = [], {}
        for label in ("import", "same file again"):
            t0 = time.perf_counter()
            response = await client.post(
                "/api/v1/purchaser-statements/imports",
                params={"map_id": str(setup["map_id"]), "file_name": "bench.csv"},
                content=body,
                headers={"Content-Type": "text/csv"},
            )
            timings.append((label, time.perf_counter() - t0))
            response.raise_for_status()
            if label == "import":
                report = response.json()
    print(f"statement import, {lines} lines ({len(body) / 1e6:.1f} MB), {leases} leases ({env.where})")
    for label, seconds in timings:
        print(f"  {label}: {seconds:.2f} s" + ("  (target <= 10 s)" if label == "import" else ""))
    print(
        f"  report: {report['rows_imported']} imported, {report['rows_held']} held, {report['rows_rejected']} "
        f"rejected, {report['lease_months_updated']} lease-months priced, server time {report['duration_ms']} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--leases", type=int, default=500)
    args = parser.parse_args()
    run_loop(main(args.lines, args.leases))
