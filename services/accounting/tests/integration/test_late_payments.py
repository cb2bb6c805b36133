"""Nat. Res. Code 91.402/91.403 through the API: the New York Fed rate data, the late-payment clock on a finalized
run, and the late check announcing each late item once through the outbox."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_texas.payment_law import published_fed_rates

D = Decimal
MARCH = date(2026, 3, 1)


async def _finalized_march(books):
    lease = await books.lease(name="Ranch A")
    ada = await books.partner("Ada Royalty", "royalty_owner", owner_number="R-1")
    op = await books.partner("Operator WI", "working_interest_partner")
    await books.deck(lease, [(ada, "royalty", "0.0125"), (op, "working_interest", "0.9875")])
    await books.volumes(lease, MARCH, 1, oil="1000")
    await books.ok("PUT", "/api/v1/prices", {"month": MARCH.isoformat(), "product": "oil", "price": "70.00"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": MARCH.isoformat()}, status=201)
    await books.ok("POST", f"/api/v1/revenue/runs/{run['id']}/finalize")
    return lease, ada, op


async def test_rates_are_published_history_plus_the_organizations_entries(books):
    page = await books.ok("GET", "/api/v1/late-interest-rates", params={"limit": 200})
    published = published_fed_rates()
    assert page["total"] == len(published)
    newest = page["items"][0]
    assert newest["origin"] == "published" and newest["effective"] == max(r.effective for r in published).isoformat()
    july_2023 = next(r for r in page["items"] if r["effective"] == "2023-07-27")
    assert (july_2023["annual_rate"], july_2023["late_interest_rate"], july_2023["verified"]) == (
        "0.055000",
        "0.075000",
        True,
    )

    rate_id = str(uuid7())
    body = {"id": rate_id, "effective": "2026-01-01", "annual_rate": "0.04", "source": "test: Fed release"}
    created = await books.ok("POST", "/api/v1/late-interest-rates", body, status=201)
    assert (created["origin"], created["late_interest_rate"]) == ("entered", "0.060000")
    assert (await books.ok("POST", "/api/v1/late-interest-rates", body, status=200))["id"] == rate_id  # a retry
    differs = await books.post("/api/v1/late-interest-rates", {**body, "annual_rate": "0.045"})
    assert differs.status_code == 409 and differs.json()["errors"][0]["field"] == "body.annual_rate"
    again = await books.post("/api/v1/late-interest-rates", {**body, "id": str(uuid7())})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "body.effective"
    percent = await books.post("/api/v1/late-interest-rates", {**body, "id": str(uuid7()), "annual_rate": "5.5"})
    assert percent.status_code == 422 and "annual_rate" in percent.text
    assert (await books.post("/api/v1/late-interest-rates", body, role="auditor")).status_code == 403
    entered = await books.ok("GET", "/api/v1/late-interest-rates", params={"origin": "entered"})
    assert [r["id"] for r in entered["items"]] == [rate_id]
    # Another organization sees the published history only.
    other = await books.ok("GET", "/api/v1/late-interest-rates", params={"origin": "entered"}, org=books.org_b)
    assert other["total"] == 0


async def test_the_clock_on_a_finalized_run_and_the_late_check(books):
    await books.ok(
        "POST",
        "/api/v1/late-interest-rates",
        {"effective": "2026-01-01", "annual_rate": "0.04", "source": "test: Fed release"},
        status=201,
    )
    lease, ada, op = await _finalized_march(books)
    # March 2026 is the lease's first sales month: due 120 days after March 31 = July 29, 2026.
    before = await books.ok("GET", "/api/v1/late-payments", params={"as_of": "2026-07-29", "partner_id": ada})
    [line] = before["items"]
    assert (line["due_date"], line["status"], line["payable"], line["unpaid"]) == (
        "2026-07-29",
        "pending",
        "834.75",
        "834.75",
    )
    assert line["lease"] == "Ranch A" and line["product"] == "oil"
    # On Dec. 7, 2026: July 30-31 (2) + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 1-7 (7) = 131 days late.
    # 834.75 x (4% + 2%) x 131 / 365 = 6561.135 / 365 = 17.9757 -> 17.98
    late = await books.ok(
        "GET", "/api/v1/late-payments", params={"as_of": "2026-12-07", "partner_id": ada, "late_only": True}
    )
    [line] = late["items"]
    assert (line["status"], line["days_late"], line["interest"]) == ("late", 131, "17.98")
    assert late["totals"]["late_items"] == 1 and late["totals"]["unpaid_late"] == "834.75"
    by_lease = await books.ok("GET", "/api/v1/late-payments", params={"as_of": "2026-12-07", "lease_id": str(lease)})
    assert {item["partner_id"] for item in by_lease["items"]} == {ada, op}
    paged = await books.ok("GET", "/api/v1/late-payments", params={"as_of": "2026-12-07", "limit": 1, "offset": 1})
    assert (paged["total"], len(paged["items"])) == (2, 1)
    assert (await books.get("/api/v1/late-payments", params={"sort": "owner"})).status_code == 422
    assert (await books.ok("GET", "/api/v1/late-payments", org=books.org_b))["total"] == 0

    # The late check, on Dec. 7: both owners' items are announced once, however often it runs.
    books.app.state.accounting.clock = lambda: datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    first = await books.ok("POST", "/api/v1/late-payments/check")
    assert first == {"checked_on": "2026-12-07", "announced": 2}
    assert (await books.ok("POST", "/api/v1/late-payments/check"))["announced"] == 0
    assert (await books.post("/api/v1/late-payments/check", role="auditor")).status_code == 403
    events = await books.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'accounting.owner_payment_late.v1' ORDER BY id"
    )
    payloads = {p["partner_id"]: p for p in (json.loads(row[0]) for row in events)}
    assert set(payloads) == {ada, op}
    assert payloads[ada]["unpaid"] == "834.75" and payloads[ada]["days_late"] == 131
    assert payloads[ada]["interest_accrued"] == "17.98" and payloads[ada]["due_date"] == "2026-07-29"


async def test_the_daily_check_visits_every_organization_with_a_finalized_run(books):
    from wellflow_accounting.app.owner_law.clock import daily_late_check

    await _finalized_march(books)
    accounting = books.app.state.accounting
    accounting.clock = lambda: datetime(2026, 8, 1, 6, 0, tzinfo=UTC)
    assert await daily_late_check(accounting) == 2
    assert await daily_late_check(accounting) == 0
    tenants = await books.owner_query("SELECT tenant_id FROM owner_law_tenants")
    assert [row[0] for row in tenants] == [books.org_a]


async def _pay(books, partner_id: str, lease, amount: str, paid_at: datetime, status: str = "sent") -> None:
    """A payment run's revenue line for March 2026 oil, written as the payment runs write it."""
    from wellflow_accounting.adapters.tables import payment_lines, payment_runs, payments

    org, now = books.org_a, datetime(2026, 8, 1, tzinfo=UTC)
    run_id, payment_id = uuid7(), uuid7()
    money = {"gross": D(amount), "tax": D(0), "deductions": D(0), "net": D(amount)}
    async with books.app.state.accounting.database.unit_of_work(org) as uow:
        await uow.late_payments.execute(
            payment_runs.insert().values(
                organization_id=org, id=run_id, include_jib_credits=False, pay_date=paid_at.date(), status="sent",
                totals={}, warnings=[], created_by="test", created_at=now,
            )
        )  # fmt: skip
        await uow.late_payments.execute(
            payments.insert().values(
                organization_id=org, id=payment_id, run_id=run_id, payee_kind="owner", partner_id=UUID(partner_id),
                method="ach", status=status, netted=D(0), backup_withholding=D(0), interest=D(0),
                paid_at=paid_at if status == "sent" else None, **money,
            )
        )  # fmt: skip
        await uow.late_payments.execute(
            payment_lines.insert().values(
                organization_id=org, id=uuid7(), payment_id=payment_id, run_id=run_id, kind="revenue",
                lease_id=lease, sale_month=MARCH, product="oil", **money,
            )
        )  # fmt: skip


async def test_payments_sent_stop_the_clock_and_price_the_days_late(books):
    await books.ok(
        "POST",
        "/api/v1/late-interest-rates",
        {"effective": "2026-01-01", "annual_rate": "0.04", "source": "test: Fed release"},
        status=201,
    )
    lease, ada, op = await _finalized_march(books)
    # Ada paid Aug. 28, 2026: July 30 - Aug. 28 is 30 days late. 834.75 x 6% x 30 / 365 = 1502.55 / 365 = 4.12
    await _pay(books, ada, lease, "834.75", datetime(2026, 8, 28, 15, tzinfo=UTC))
    # The operator's payment is still pending (not sent): it does not count.
    await _pay(books, op, lease, "65945.25", datetime(2026, 8, 28, 15, tzinfo=UTC), status="pending")
    page = await books.ok("GET", "/api/v1/late-payments", params={"as_of": "2026-12-07", "lease_id": str(lease)})
    lines = {item["partner_id"]: item for item in page["items"]}
    mine = lines[ada]
    assert (mine["status"], mine["paid"], mine["unpaid"], mine["last_paid_on"]) == (
        "paid_late",
        "834.75",
        "0.00",
        "2026-08-28",
    )
    assert (mine["days_late"], mine["interest"]) == (30, "4.12")
    assert lines[op]["status"] == "late" and lines[op]["paid"] == "0.00"
