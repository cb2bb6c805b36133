"""Monthly production series of one lease over 10 years: server-side p50 and p99.

    python bench/production_series.py [--requests 500]

Provisions and migrates a production database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers), seeds 5 leases of 10 producing wells, imports ten years of daily readings for all of them through
the CSV import (182,500 readings), then asks ``--requests`` times for
``GET /api/v1/production/leases/{id}/monthly`` over the ten years (120 months). The app runs in this process
behind httpx's ASGI transport, so there is no socket: the time is the app's (the token checked through the
service's token cache as in production, the rollup query with its JSON built by PostgreSQL, the answer).
Target: p50 <= 10 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta
from uuid import uuid4

import httpx
from _production_setup import Signer, production_env, seed

from _common import percentile
from wellflow_production.bootstrap import create_app
from wellflow_servicekit.runtime import run as run_loop
from wellflow_servicekit.token_cache import CachingTokenVerifier

YEARS = 10


def history_csv(apis: list[str], days: int) -> bytes:
    end = date.today() - timedelta(days=1)
    lines = ["api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on"]
    for back in range(days):
        day = (end - timedelta(days=back)).isoformat()
        for n, api in enumerate(apis):
            lines.append(f"{api},{day},{10 + (n + back) % 30},{20 + back % 7},{5},24")
    return ("\n".join(lines) + "\n").encode()


async def main(requests: int) -> None:
    async with production_env() as env:
        org = uuid4()
        leases = await seed(env.runtime_url, org, 5, 10)
        signer = Signer()
        # the token cache the service uses in production (TOKEN_CACHE_SECONDS, 30 s)
        app = create_app(env.settings(), token_verifier=CachingTokenVerifier(signer.verifier(), ttl=30))
        headers = {"Authorization": f"Bearer {signer.token(org)}"}
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://production.bench", headers=headers, timeout=600
            ) as client,
        ):
            apis = [api for lease in leases for api in lease.api_numbers]
            started = time.perf_counter()
            answer = await client.post(
                "/api/v1/readings/imports",
                params={"mode": "all_or_nothing"},
                content=history_csv(apis, 365 * YEARS),
                headers={"Content-Type": "text/csv"},
            )
            assert answer.status_code == 201, answer.text
            print(
                f"imported {answer.json()['rows_imported']:,} readings (10 years x 50 wells) in "
                f"{time.perf_counter() - started:.1f} s ({env.where})"
            )
            lease = leases[2].lease_id
            params = {"from": (date.today() - timedelta(days=365 * YEARS)).isoformat(), "to": date.today().isoformat()}
            path = f"/api/v1/production/leases/{lease}/monthly"
            for _ in range(30):  # warm up pools, caches, plans
                (await client.get(path, params=params)).raise_for_status()
            timings = []
            for _ in range(requests):
                t0 = time.perf_counter()
                response = await client.get(path, params=params)
                timings.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
            points = response.json()["points"]
            assert len(points) >= 120, len(points)
        p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
        print(f"GET {path.replace(str(lease), '{lease}')} over 10 years ({len(points)} months), {requests} requests")
        print(f"  p50 {p50:.2f} ms  p99 {p99:.2f} ms  mean {statistics.fmean(timings):.2f} ms  (target p50 <= 10 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    run_loop(main(parser.parse_args().requests))
