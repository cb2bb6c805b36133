"""A year of 1099s for 5,000 owners: the year's boxes, the IRS file and every recipient statement as PDF.

    python bench/accounting_1099.py [--owners 5000] [--payments 12]

Provisions and migrates an accounting database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers) and loads one organization: ``--owners`` owners (three in four royalty owners with an SSN, one in four
working-interest partners with an EIN, one in fifty backup-withheld after a B notice), the operator's profile and
the filer's IRS settings, and ``--payments`` monthly payment runs of 2025 paying every owner once each (a
payment and its revenue line: gross, severance tax, deductions). Then, through the app in this process
(httpx's ASGI transport: no socket), it times:

- ``GET /api/v1/tax/1099?year=2025`` (every owner's year computed from the payments; one page answered),
- ``POST /api/v1/tax/1099/filings {"year": 2025}`` (computed again, the Pub 1220 file written and stored with
  its returns),
- ``GET /api/v1/tax/1099/recipient-copies.pdf?year=2025`` (computed again, one PDF page per owner, rendered in the
  service's PDF worker process).

Target: the three together under 30 s. Before them one owner's PDF is asked for, which starts the service's PDF
worker process (as the office's first download of the day does); its time is printed apart. The baseline printed
beside them is the domain work alone on the same owners (``owner_years`` and ``write_file`` in memory, no
database, no PDF).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from _accounting import accounting_bench
from sqlalchemy import insert

from wellflow_accounting.adapters.tables import operator_profiles, partners, payment_lines, payment_runs, payments
from wellflow_accounting.domain.form1099 import IncomeKind, PaymentFact, owner_years
from wellflow_accounting.domain.pub1220 import PayeeReturn, Payer, Transmitter, write_file
from wellflow_accounting.domain.tax_identity import TinType
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.runtime import run as run_loop

YEAR = 2025
CENT = Decimal("0.01")


def _owner_rows(org: UUID, count: int) -> list[dict]:
    now = datetime.now(UTC)
    rows = []
    for i in range(count):
        wi = i % 4 == 3
        rows.append(
            {
                "organization_id": org,
                "id": uuid7(),
                "name": f"Owner {i:05d}",
                "kind": "company" if wi else "individual",
                "roles": ["working_interest_partner" if wi else "royalty_owner"],
                "payment_method": "check",
                "tax_id": f"75{i:07d}" if wi else f"{100 + i % 800:03d}{10 + i % 89:02d}{1000 + i:04d}"[:9],
                "tin_type": "ein" if wi else "ssn",
                "b_notice_on": date(2024, 11, 1) if i % 50 == 7 else None,
                "address_line1": f"{i} Ranch Rd",
                "city": "Midland",
                "state": "TX",
                "postal_code": "79701",
                "owner_number": str(1001 + i),
                "status": "active",
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) * CENT


async def _load(app, org: UUID, owners: list[dict], months: int) -> list[PaymentFact]:
    rng, facts = random.Random(11), []
    now = datetime.now(UTC)
    async with app.state.accounting.database.unit_of_work(org) as uow:
        await uow.connection.execute(insert(partners), owners)
        await uow.connection.execute(
            insert(operator_profiles).values(
                organization_id=org,
                version=1,
                name="Caprock Energy",
                legal_name="Caprock Energy LLC",
                address_line1="410 N Main St",
                city="Midland",
                state="TX",
                postal_code="79701",
                phone="432-555-0142",
                updated_at=now,
            )
        )
    for month in range(1, months + 1):
        run_id, pay_date = uuid7(), date(YEAR, month, 25)
        pays, lines = [], []
        for owner in owners:
            gross = _money(rng, 500, 400_000)
            tax = (gross * Decimal("0.046")).quantize(CENT)
            deductions = _money(rng, 0, int(gross * 5))
            withheld = (gross * Decimal("0.24")).quantize(CENT) if owner["b_notice_on"] else Decimal("0.00")
            payment_id = uuid7()
            net = gross - tax - deductions
            pays.append(
                {
                    "organization_id": org,
                    "id": payment_id,
                    "run_id": run_id,
                    "payee_kind": "owner",
                    "partner_id": owner["id"],
                    "method": "check",
                    "status": "sent",
                    "gross": gross,
                    "tax": tax,
                    "deductions": deductions,
                    "netted": 0,
                    "backup_withholding": withheld,
                    "interest": 0,
                    "net": net - withheld,
                }
            )
            lines.append(
                {
                    "organization_id": org,
                    "id": uuid7(),
                    "payment_id": payment_id,
                    "run_id": run_id,
                    "kind": "revenue",
                    "gross": gross,
                    "tax": tax,
                    "deductions": deductions,
                    "net": net,
                }
            )
            kind = IncomeKind.WORKING_INTEREST if owner["kind"] == "company" else IncomeKind.ROYALTY
            facts.append(PaymentFact(owner["id"], payment_id, pay_date, {kind: gross}, withheld, tax, deductions))
        async with app.state.accounting.database.unit_of_work(org) as uow:
            await uow.connection.execute(
                insert(payment_runs).values(
                    organization_id=org,
                    id=run_id,
                    include_jib_credits=False,
                    pay_date=pay_date,
                    status="sent",
                    totals={},
                    warnings=[],
                    created_by="bench",
                    created_at=now,
                )
            )
            await uow.connection.execute(insert(payments), pays)
            await uow.connection.execute(insert(payment_lines), lines)
    return facts


def _baseline(owners: list[dict], facts: list[PaymentFact]) -> tuple[float, int]:
    """The domain alone: every owner's year and the file, in memory."""
    t0 = time.perf_counter()
    years = owner_years(facts, YEAR)
    by_id = {o["id"]: o for o in owners}
    returns = []
    for pid, year in years.items():
        owner = by_id[pid]
        for form in year.forms_due():
            returns.append(
                PayeeReturn(
                    form,
                    owner["tax_id"],
                    TinType(owner["tin_type"]),
                    owner["name"],
                    owner["address_line1"],
                    "Midland",
                    "TX",
                    "79701",
                    owner["owner_number"],
                    {c: v for c, v in year.boxes[form].items() if v},
                )
            )
    transmitter = Transmitter(
        "751234567", "5A123", "Caprock", "410 N Main", "Midland", "TX", "79701", "Jo", "4325550142"
    )
    data = write_file(
        YEAR, transmitter, Payer("751234567", "Caprock", "410 N Main", "Midland", "TX", "79701", "1"), returns
    )
    return time.perf_counter() - t0, len(data)


async def main(owner_count: int, months: int) -> None:
    async with accounting_bench(pdf_render_timeout_seconds=120, pdf_render_memory_mb=1024) as bench:
        app, client, org, env = bench.app, bench.client, bench.org, bench.env
        owners = _owner_rows(org, owner_count)
        t0 = time.perf_counter()
        facts = await _load(app, org, owners, months)
        print(f"loaded {owner_count} owners x {months} payments in {time.perf_counter() - t0:.1f} s ({env.where})")
        settings_body = {
            "payer_tin": "75-1234567",
            "transmitter_control_code": "5A123",
            "contact_name": "Jo Books",
            "contact_phone": "432-555-0142",
        }
        (await client.put("/api/v1/tax/1099/settings", json=settings_body)).raise_for_status()
        t0 = time.perf_counter()  # the PDF worker process starts with the service's first PDF: one owner's copy
        first = owners[0]["id"]
        params = {"year": YEAR, "format": "pdf"}
        (await client.get(f"/api/v1/tax/1099/owners/{first}", params=params)).raise_for_status()
        cold = time.perf_counter() - t0
        timings = {}
        t0 = time.perf_counter()
        page = (await client.get("/api/v1/tax/1099", params={"year": YEAR, "limit": 200})).raise_for_status().json()
        timings["year computed (list)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        filing = (await client.post("/api/v1/tax/1099/filings", json={"year": YEAR})).raise_for_status().json()
        timings["IRS file written"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        pdf = (await client.get("/api/v1/tax/1099/recipient-copies.pdf", params={"year": YEAR})).raise_for_status()
        timings["recipient PDFs"] = time.perf_counter() - t0
        file_size = len((await client.get(f"/api/v1/tax/1099/filings/{filing['id']}/file")).content)
    baseline, baseline_size = _baseline(owners, facts)
    total = sum(timings.values())
    print(f"1099s for {page['total']} owners ({len(facts)} payments of {YEAR}): {filing['payees']} returns")
    for label, seconds in timings.items():
        print(f"  {label:<24} {seconds:6.2f} s")
    print(f"  {'total':<24} {total:6.2f} s  (target < 30 s)")
    print(f"  before them: the first PDF of the process (one owner; starts the PDF worker) {cold:.2f} s")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  file {file_size:,} bytes ({file_size // 750} records), PDF {len(pdf.content):,} bytes")
    print(f"  baseline: the domain alone in memory (years + file, {baseline_size // 750} records) {baseline:.2f} s")
    print(f"  totals: {filing['totals']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--owners", type=int, default=5000)
    parser.add_argument("--payments", type=int, default=12, help="monthly payments per owner in the year")
    args = parser.parse_args()
    run_loop(main(args.owners, args.payments))
