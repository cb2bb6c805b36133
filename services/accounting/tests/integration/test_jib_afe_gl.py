"""JIB through the API (allocation exact to the cent, overhead proration, balances, CSV import report,
statements), AFEs (transitions, elections, actuals, overrun alert and event, supplements, report) and the
general-ledger export (balanced, QuickBooks layout)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from pypdf import PdfReader

from wellflow_contracts.events.wells import WellRegistered, WellStatusChanged
from wellflow_contracts.ids import uuid7

D = Decimal


async def _partners(books, lease, decimals=("0.33333334", "0.33333333", "0.33333333")):
    ids = [await books.partner(f"WI {i}", "working_interest_partner", kind="company") for i in range(len(decimals))]
    await books.deck(lease, [(p, "working_interest", d) for p, d in zip(ids, decimals, strict=True)], kind="cost")
    return ids


async def _well(books, lease, name: str, status: str, since: date, api: str) -> str:
    well_id = uuid7()
    await books.apply(
        WellRegistered(
            tenant_id=books.org_a,
            well_id=well_id,
            name=name,
            api_number=api,
            lease_id=lease,
            rrc_district="08",
            lease_type="oil",
            well_type="oil",
            purpose="development",
            status="permitted",
            occurred_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    await books.apply(
        WellStatusChanged(
            tenant_id=books.org_a,
            well_id=well_id,
            api_number=api,
            lease_id=lease,
            from_status="permitted",
            to_status=status,
            effective_date=since,
            changed_by="t",
        )
    )
    return str(well_id)


async def _cost(books, lease, amount: str, category="lease_operating", day="2026-03-10", **extra):
    body = {
        "incurred_on": day,
        "lease_id": str(lease),
        "vendor_name": "Acme Services",
        "category": category,
        "amount": amount,
        **extra,
    }
    return await books.ok("POST", "/api/v1/jib/costs", body, status=201)


async def test_jib_allocates_costs_to_the_cent_adds_overhead_and_balances(books):
    lease = await books.lease()
    wi = await _partners(books, lease)
    await _well(books, lease, "Ranch A 1H", "spudded", date(2026, 3, 22), "42329000010000")  # 10 of 31 days
    await _well(books, lease, "Ranch A 2", "producing", date(2025, 6, 1), "42329000020000")
    agreement = await books.ok(
        "POST",
        "/api/v1/jib/agreements",
        {
            "lease_id": str(lease),
            "name": "JOA 2024",
            "drilling_overhead_rate": "9000.00",
            "producing_overhead_rate": "900.00",
            "rates_set_on": "2024-07-01",
            "afe_overrun_percent": "10",
        },
        status=201,
    )
    await books.ok("PUT", f"/api/v1/jib/agreements/{agreement['id']}/adjustments/2025", {"percent": "2.5"})
    await _cost(books, lease, "100.00")
    await _cost(books, lease, "1234.57", category="workover")
    run = await books.ok("POST", "/api/v1/jib/runs", {"month": "2026-03-01"}, status=201)
    # Overhead: drilling 9225.00 x 10/31 = 2975.81; producing 922.50 (both adjusted +2.5% on April 1, 2025).
    assert run["totals"]["overhead"] == "3898.31"
    assert run["totals"]["gross_billed"] == str(D("100.00") + D("1234.57") + D("3898.31"))
    billed = {s["partner_id"]: D(s["billed"]) for s in run["statements"]}
    assert sum(billed.values()) == D("5232.88")
    statement = await books.ok("GET", f"/api/v1/jib/runs/{run['id']}/statements/{wi[0]}")
    lines = statement["lines"]
    hundred = next(line for line in lines if line["gross"] == "100.00")
    assert (hundred["decimal"], hundred["net"]) == ("0.33333334", "33.34")  # largest remainder, exact cents
    assert {line["category"] for line in lines} == {"lease_operating", "workover", "overhead"}
    # Payment in March counts this month; April's statement carries the balance forward.
    await books.ok(
        "POST",
        "/api/v1/jib/payments",
        {"partner_id": wi[0], "received_on": "2026-03-20", "amount": "500.00"},
        status=201,
    )
    run = await books.ok("POST", "/api/v1/jib/runs", {"month": "2026-03-01"}, status=201)
    mine = next(s for s in run["statements"] if s["partner_id"] == wi[0])
    assert (mine["prior_balance"], mine["payments"]) == ("0.00", "500.00")
    assert D(mine["balance_due"]) == D(mine["billed"]) - D("500.00")
    issued = await books.ok("POST", f"/api/v1/jib/runs/{run['id']}/issue")
    assert issued["status"] == "issued"
    assert (await books.post("/api/v1/jib/runs", {"month": "2026-03-01"})).status_code == 409
    costs = await books.ok("GET", "/api/v1/jib/costs", params={"billed": "false"})
    assert costs["total"] == 0
    april = await books.ok("POST", "/api/v1/jib/runs", {"month": "2026-04-01"}, status=201)
    mine_april = next(s for s in april["statements"] if s["partner_id"] == wi[0])
    assert D(mine_april["prior_balance"]) == D(mine["balance_due"])
    [event] = await books.owner_query("SELECT payload FROM outbox WHERE event_type = 'accounting.jib_issued.v1'")
    payload = event[0] if isinstance(event[0], dict) else json.loads(event[0])
    assert D(payload["gross_billed"]) == D("5232.88")

    pdf = await books.get(f"/api/v1/jib/runs/{run['id']}/statements/{wi[0]}", params={"format": "pdf"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Balance due" in text and "Ranch A" in text
    csv_text = (await books.get(f"/api/v1/jib/runs/{run['id']}/statements/{wi[0]}", params={"format": "csv"})).text
    assert "Partner decimal" in csv_text and "Prior balance" in csv_text


async def test_cost_csv_import_reports_each_row(books):
    lease = await books.lease(name="Ranch A", number="12345")
    content = (
        "date,vendor,invoice_number,category,lease,well,afe_number,amount,description\n"
        "2026-03-02,Acme,INV-1,lease_operating,Ranch A,,,1500.00,pumper\n"
        "2026-03-03,Acme,INV-2,plumbing,Ranch A,,,10.00,bad category\n"
        "2026-03-04,Acme,INV-3,workover,Nowhere,,,10.00,bad lease\n"
        "2026-03-05,Acme,INV-4,workover,12345,,AFE-404,10.00,unknown AFE\n"
        "not-a-date,Acme,INV-5,other,Ranch A,,,10.00,bad date\n"
        '2026-03-06,Acme,INV-6,tangible,Ranch A,,,"2,500.00",rods\n'
    )
    response = await books.client.post(
        "/api/v1/jib/costs/import",
        content=content.encode(),
        headers={**books.as_role("accountant"), "content-type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["recorded"], report["rejected"]) == (2, 4)
    by_line = {r["line"]: r for r in report["report"]}
    assert by_line[2]["status"] == "recorded" and by_line[7]["status"] == "recorded"
    assert "category" in by_line[3]["reasons"][0]
    assert "Nowhere" in by_line[4]["reasons"][0]
    assert "AFE-404" in by_line[5]["reasons"][0]
    assert "incurred_on" in by_line[6]["reasons"][0]
    listed = await books.ok("GET", "/api/v1/jib/costs", params={"lease_id": str(lease)})
    assert sorted(c["amount"] for c in listed["items"]) == ["1500.00", "2500.00"]
    wrong_type = await books.client.post(
        "/api/v1/jib/costs/import",
        content=b"x",
        headers={**books.as_role("accountant"), "content-type": "application/json"},
    )
    assert wrong_type.status_code == 415


async def test_a_cost_row_with_more_cells_than_the_header_is_a_row_error_not_a_500(books):
    """A row with extra cells (an unquoted "1,500.00", a stray comma) answered 500 (issue 19): the reader put the
    extra cells in a list the import then tried to trim. Now that row is rejected with a reason; the others
    are recorded."""
    await books.lease(name="Ranch A", number="12345")
    content = (
        "date,vendor,category,lease,amount\n"
        "2026-03-02,Acme,lease_operating,Ranch A,1500.00\n"
        "2026-03-03,Acme,lease_operating,Ranch A,1,500.00\n"
        "2026-03-04,Acme,lease_operating,Ranch A,10.00,,,\n"
    )
    response = await books.client.post(
        "/api/v1/jib/costs/import",
        content=content.encode(),
        headers={**books.as_role("accountant"), "content-type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["recorded"], report["rejected"]) == (1, 2)
    by_line = {r["line"]: r for r in report["report"]}
    assert by_line[2]["status"] == "recorded"
    for line in (3, 4):
        assert by_line[line]["status"] == "rejected"
        assert "more cells than the header" in by_line[line]["reasons"][0]


async def _draft_afe(books, lease):
    """A draft AFE of 100,000.00, and a cost body charging it (refused while the AFE is a draft)."""
    afe = await books.ok(
        "POST",
        "/api/v1/afes",
        {
            "afe_number": "AFE-26-001",
            "title": "Drill Ranch A 3H",
            "lease_id": str(lease),
            "overrun_percent": "10",
            "lines": [
                {"kind": "intangible", "category": "intangible_drilling", "amount": "60000.00"},
                {"kind": "tangible", "category": "tangible", "amount": "40000.00"},
            ],
        },
        status=201,
    )
    assert (afe["status"], afe["estimate"]) == ("draft", "100000.00")
    # Costs cannot be charged to a draft AFE.
    body = {
        "incurred_on": "2026-03-10",
        "lease_id": str(lease),
        "vendor_name": "Rig Co",
        "category": "intangible_drilling",
        "amount": "1000.00",
        "afe_number": "AFE-26-001",
    }
    assert (await books.post("/api/v1/jib/costs", body)).status_code == 422
    return afe, body


async def _approve_and_elect(books, afe, wi):
    """The lifecycle to in_progress (an illegal step is refused), the estimate locked, the partners' elections."""
    illegal = await books.post(f"/api/v1/afes/{afe['id']}/transitions", {"status": "approved"})
    assert illegal.status_code == 409 and illegal.json()["allowed"] == ["pending_approval"]
    for step in ("pending_approval", "approved", "in_progress"):
        afe = await books.ok("POST", f"/api/v1/afes/{afe['id']}/transitions", {"status": step, "note": step})
    assert [h["to_status"] for h in afe["history"]] == ["draft", "pending_approval", "approved", "in_progress"]
    assert all(h["changed_by"] and h["changed_at"] for h in afe["history"])
    assert afe["history"][2]["from_status"] == "pending_approval"
    locked = await books.request("PUT", f"/api/v1/afes/{afe['id']}/lines", {"lines": []})
    assert locked.status_code == 409
    afe = await books.ok(
        "PUT",
        f"/api/v1/afes/{afe['id']}/elections",
        {"partner_id": wi[0], "election": "consent", "decided_on": "2026-02-01"},
    )
    afe = await books.ok(
        "PUT",
        f"/api/v1/afes/{afe['id']}/elections",
        {"partner_id": wi[1], "election": "non_consent", "decided_on": "2026-02-02"},
    )
    assert {e["election"] for e in afe["elections"]} == {"consent", "non_consent"}
    outsider = await books.partner("Royalty", "royalty_owner")
    bad = await books.request(
        "PUT",
        f"/api/v1/afes/{afe['id']}/elections",
        {"partner_id": outsider, "election": "consent", "decided_on": "2026-02-01"},
    )
    assert bad.status_code == 422
    return afe


async def _charge_past_the_overrun(books, body):
    """Actuals past the approved estimate by more than 10% raise one alert and one event, then a new one per
    new high."""
    await books.ok("POST", "/api/v1/jib/costs", {**body, "amount": "65000.00"}, status=201)
    assert (await books.ok("GET", "/api/v1/afes/alerts"))["total"] == 0
    await books.ok("POST", "/api/v1/jib/costs", {**body, "category": "tangible", "amount": "45000.01"}, status=201)
    alerts = await books.ok("GET", "/api/v1/afes/alerts")
    [alert] = alerts["items"]
    assert "AFE-26-001" in alert["message"] and alert["details"]["percent"] == "10.00"
    events = await books.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'accounting.afe_overrun_detected.v1'"
    )
    assert len(events) == 1
    # A further cost raises a new alert only as actuals grow past the last one alerted.
    await books.ok("POST", "/api/v1/jib/costs", {**body, "amount": "100.00"}, status=201)
    assert (await books.ok("GET", "/api/v1/afes/alerts"))["total"] == 2
    return alert


async def test_afe_lifecycle_elections_actuals_overrun_and_supplement(books):
    lease = await books.lease()
    wi = await _partners(books, lease, ("0.75", "0.25"))
    afe, body = await _draft_afe(books, lease)
    afe = await _approve_and_elect(books, afe, wi)
    alert = await _charge_past_the_overrun(books, body)

    supplement = await books.ok(
        "POST",
        "/api/v1/afes",
        {
            "afe_number": "AFE-26-001S",
            "title": "Supplement",
            "lease_id": str(lease),
            "parent_afe_id": afe["id"],
            "lines": [{"kind": "intangible", "category": "intangible_drilling", "amount": "20000.00"}],
        },
        status=201,
    )
    for step in ("pending_approval", "approved"):
        await books.ok("POST", f"/api/v1/afes/{supplement['id']}/transitions", {"status": step})
    detail = await books.ok("GET", f"/api/v1/afes/{afe['id']}")
    assert detail["supplement_ids"] == [supplement["id"]]
    assert (detail["approved_total"], detail["actual"]) == ("120000.00", "110100.01")
    # the list answers each AFE's estimate and actual as its detail does (the console's AFE list shows them)
    listed = {a["afe_number"]: a for a in (await books.ok("GET", "/api/v1/afes"))["items"]}
    assert (listed["AFE-26-001"]["estimate"], listed["AFE-26-001"]["actual"]) == (detail["estimate"], "110100.01")
    assert (listed["AFE-26-001S"]["estimate"], listed["AFE-26-001S"]["actual"]) == ("20000.00", "0.00")
    report = await books.ok("GET", f"/api/v1/afes/{afe['id']}/estimate-vs-actual")
    assert {r["category"]: (r["estimate"], r["actual"]) for r in report["lines"]} == {
        "intangible_drilling": ("80000.00", "65100.00"),
        "tangible": ("40000.00", "45000.01"),
    }
    changed = await books.owner_query(
        "SELECT count(*) FROM outbox WHERE event_type = 'accounting.afe_status_changed.v1'"
    )
    assert changed[0][0] == 4 + 3  # created + 3 steps, supplement created + 2 steps
    ack = await books.ok("POST", f"/api/v1/afes/alerts/{alert['id']}/acknowledge")
    assert ack["acknowledged_at"]
    assert (await books.get(f"/api/v1/afes/{afe['id']}", org=books.org_b)).status_code == 404


async def test_gl_journal_export_balances_in_quickbooks_layout(books):
    lease = await books.lease()
    ada = await books.partner("Ada Royalty", "royalty_owner")
    small = await books.partner("Small Owner", "royalty_owner")
    wi = await books.partner("Operator WI", "working_interest_partner", kind="company")
    await books.deck(lease, [(ada, "royalty", "0.125"), (small, "royalty", "0.001"), (wi, "working_interest", "0.874")])
    await books.deck(lease, [(wi, "working_interest", "1")], kind="cost")
    await books.volumes(lease, date(2026, 3, 1), 1, oil="1000")
    await books.ok("PUT", "/api/v1/prices", {"month": "2026-03-01", "product": "oil", "price": "70"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": "2026-03-01"}, status=201)
    await books.ok("POST", f"/api/v1/revenue/runs/{run['id']}/finalize")
    await _cost(books, lease, "1000.00")
    jib = await books.ok("POST", "/api/v1/jib/runs", {"month": "2026-03-01"}, status=201)
    await books.ok("POST", f"/api/v1/jib/runs/{jib['id']}/issue")
    response = await books.get("/api/v1/gl/journal", params={"month": "2026-03-01"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["Journal No", "Journal Date", "Account", "Debits", "Credits", "Description", "Name"]
    for journal in ("REV-2026-03", "JIB-2026-03"):
        mine = [r for r in rows if r["Journal No"] == journal]
        debits = sum(D(r["Debits"] or 0) for r in mine)
        credits = sum(D(r["Credits"] or 0) for r in mine)
        assert debits == credits and debits > 0
    assert {r["Journal Date"] for r in rows} == {"03/31/2026"}
    suspense = [r for r in rows if r["Account"] == "Owner Revenue Suspense"]
    assert suspense and suspense[0]["Credits"] == "66.78"  # the small owner's $66.78 waits in suspense
    assert any(r["Name"] == "Ada Royalty" and r["Credits"] == "8347.50" for r in rows)
    assert (await books.get("/api/v1/gl/journal", params={"month": "2026-05-01"})).status_code == 404
