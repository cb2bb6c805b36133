"""Revenue distribution through the API: docs/domain.md's owner example, draft/finalize/lock, suspense accumulated
and released, late corrections as explained adjustments, the statements with the twelve stub items."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from wellflow_contracts.events.compliance import SeveranceTaxComputed, SeveranceTaxLine
from wellflow_contracts.events.identity import MailingAddress, OrganizationUpdated

D = Decimal
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)


async def _setup(books, *, royalty="0.0125"):
    """One oil lease: a royalty owner at ``royalty`` and the operator's working interest for the rest."""
    lease = await books.lease(name="Ranch A")
    ada = await books.partner("Ada Royalty", "royalty_owner", owner_number="R-1")
    op = await books.partner("Operator WI", "working_interest_partner")
    rest = str(D("1") - D(royalty))
    await books.deck(lease, [(ada, "royalty", royalty), (op, "working_interest", rest)])
    return lease, ada, op


async def _price(books, month: date, oil="70.00"):
    await books.ok("PUT", "/api/v1/prices", {"month": month.isoformat(), "product": "oil", "price": oil})


async def _run(books, month: date):
    return await books.ok("POST", "/api/v1/revenue/runs", {"month": month.isoformat()}, status=201)


async def _statement(books, run_id, partner):
    return await books.ok("GET", f"/api/v1/revenue/runs/{run_id}/statements/{partner}")


async def test_domain_owner_example_and_the_statement_stub(books):
    await books.apply(
        OrganizationUpdated(
            tenant_id=books.org_a,
            organization_id=books.org_a,
            version=2,
            name="Permian Test",
            legal_name="Permian Test Operating LLC",
            mailing_address=MailingAddress(line1="100 Main St", city="Midland", state="TX", postal_code="79701"),
            phone="432-555-0100",
        )
    )
    lease, ada, _op = await _setup(books)
    await books.volumes(lease, MARCH, 1, oil="1000")
    await _price(books, MARCH)
    run = await _run(books, MARCH)
    assert run["status"] == "draft"
    assert run["totals"]["gross_value"] == "70000.00"
    assert run["totals"]["severance_tax"] == "3220.00"
    statement = await _statement(books, run["id"], ada)
    [line] = statement["lines"]
    assert (line["owner_gross"], line["owner_tax"], line["owner_net"]) == ("875.00", "40.25", "834.75")
    # The twelve check-stub items (Nat. Res. Code 91.502) are all on the line or the statement.
    assert line["lease"] == "Ranch A (RRC 08-12345)" and line["county_state"] == "Midland, TX"
    assert line["sales_month"] == "03/2026"
    assert (line["volume_sold"], line["price"]) == ("1000.0000", "70.0000")
    assert (line["severance_tax"], line["windfall_profit_tax"], line["other_deductions"]) == ("3220.00", "0.00", "0.00")
    assert line["net_value"] == "66780.00"
    assert line["owner_decimal"] == "0.01250000"
    assert statement["operator"] == {  # item 12, from the organization's profile
        "name": "Permian Test Operating LLC",
        "address": "100 Main St, Midland, TX 79701",
        "phone": "432-555-0100",
        "email": None,
        "rrc_operator_number": None,
        "missing": [],
        "notice": None,
    }
    # Owners' cents add up to the lease's distributable total.
    owners = (await books.ok("GET", f"/api/v1/revenue/runs/{run['id']}/statements"))["items"]
    assert sum(D(o["earned"]) for o in owners) == D("66780.00")

    csv_response = await books.get(f"/api/v1/revenue/runs/{run['id']}/statements/{ada}", params={"format": "csv"})
    assert csv_response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.text)))
    header = next(r for r in rows if r and r[0] == "Lease / well name and id")
    for item in (
        "Total volume sold",
        "Price per unit",
        "Windfall profit tax",
        "Owner decimal",
        "Net value",
        "Owner share before taxes",
        "Owner share after deductions",
        "Other deductions",
        "Sales month",
    ):
        assert item in header
    assert any("432-555-0100" in cell for row in rows for cell in row)
    pdf = await books.get(f"/api/v1/revenue/runs/{run['id']}/statements/{ada}", params={"format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "834.75" in text and "Ranch A" in text and "432-555-0100" in text


async def test_rerun_replaces_the_draft_and_finalize_locks_and_publishes(books):
    lease, _ada, _op = await _setup(books, royalty="0.2")
    await books.volumes(lease, MARCH, 1, oil="1000")
    await _price(books, MARCH, "60.00")
    first = await _run(books, MARCH)
    await _price(books, MARCH, "70.00")
    second = await _run(books, MARCH)
    assert second["id"] == first["id"] and second["totals"]["gross_value"] == "70000.00"
    assert (await books.ok("GET", "/api/v1/revenue/runs"))["total"] == 1
    # The auditor reads, cannot finalize.
    assert (await books.post(f"/api/v1/revenue/runs/{first['id']}/finalize", role="auditor")).status_code == 403
    final = await books.ok("POST", f"/api/v1/revenue/runs/{first['id']}/finalize")
    assert final["status"] == "finalized" and final["finalized_by"]
    again = await books.ok("POST", f"/api/v1/revenue/runs/{first['id']}/finalize")
    assert again["finalized_at"] == final["finalized_at"]
    locked = await books.post("/api/v1/revenue/runs", {"month": "2026-03-01"})
    assert locked.status_code == 409 and locked.json()["type"].endswith("period-locked")
    price = await books.put("/api/v1/prices", {"month": "2026-03-01", "product": "oil", "price": "80"})
    assert price.status_code == 409
    [event] = await books.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'accounting.revenue_distributed.v1'"
    )
    payload = event[0] if isinstance(event[0], dict) else __import__("json").loads(event[0])
    assert payload["net_distributed"] == "66780.00"
    assert D(payload["paid"]) == D("66780.00")


async def test_small_amounts_wait_in_suspense_until_they_reach_the_minimum(books):
    # 0.001 of 1000 bbl x $70 = $70.00 gross, $66.78 net: below $100, held; next month's adds up and is paid.
    lease, ada, _op = await _setup(books, royalty="0.001")
    for month in (MARCH, APRIL):
        await books.volumes(lease, month, 1, oil="1000")
        await _price(books, month)
    march = await _run(books, MARCH)
    assert (await _statement(books, march["id"], ada))["summary"]["paid"] == "0.00"
    await books.ok("POST", f"/api/v1/revenue/runs/{march['id']}/finalize")
    [balance] = (await books.ok("GET", "/api/v1/suspense", params={"partner_id": ada}))["items"]
    assert (balance["reason"], balance["balance"]) == ("minimum_payment", "66.78")
    april = await _run(books, APRIL)
    summary = (await _statement(books, april["id"], ada))["summary"]
    assert (summary["prior_minimum_suspense"], summary["paid"]) == ("66.78", "133.56")
    await books.ok("POST", f"/api/v1/revenue/runs/{april['id']}/finalize")
    assert (await books.ok("GET", "/api/v1/suspense", params={"partner_id": ada}))["total"] == 0


async def test_a_title_hold_keeps_the_owners_revenue_until_released(books):
    lease, ada, _op = await _setup(books, royalty="0.2")
    await books.ok("PUT", f"/api/v1/title-holds/{ada}/{lease}", {"status": "suspend", "reason": "probate"})
    for month in (MARCH, APRIL):
        await books.volumes(lease, month, 1, oil="100")
        await _price(books, month)
    march = await _run(books, MARCH)
    statement = await _statement(books, march["id"], ada)
    assert statement["summary"]["paid"] == "0.00"
    assert statement["summary"]["held_for_title"] == "1335.60"  # 0.2 x (7000.00 - 322.00)
    assert "title hold" in statement["lines"][0]["note"]
    await books.ok("POST", f"/api/v1/revenue/runs/{march['id']}/finalize")
    [held] = (await books.ok("GET", "/api/v1/suspense", params={"partner_id": ada, "reason": "title_hold"}))["items"]
    assert (held["reason"], held["lease_id"], held["balance"]) == ("title_hold", str(lease), "1335.60")
    await books.ok("PUT", f"/api/v1/title-holds/{ada}/{lease}", {"status": "pay"})
    april = await _run(books, APRIL)
    summary = (await _statement(books, april["id"], ada))["summary"]
    assert (summary["released_from_title_hold"], summary["paid"]) == ("1335.60", "2671.20")
    await books.ok("POST", f"/api/v1/revenue/runs/{april['id']}/finalize")
    assert (await books.ok("GET", "/api/v1/suspense", params={"partner_id": ada}))["total"] == 0


async def test_a_late_correction_to_a_finalized_month_is_adjusted_in_the_next_run(books):
    lease, ada, _op = await _setup(books, royalty="0.125")
    await books.volumes(lease, MARCH, 1, oil="1000")
    await _price(books, MARCH)
    await _price(books, APRIL)
    march = await _run(books, MARCH)
    await books.ok("POST", f"/api/v1/revenue/runs/{march['id']}/finalize")
    # Production corrects March after it was paid (revision 2), and an older revision arriving late is ignored.
    await books.volumes(lease, MARCH, 2, oil="1100")
    await books.volumes(lease, MARCH, 1, oil="900")
    await books.volumes(lease, APRIL, 1, oil="500")
    april = await _run(books, APRIL)
    adjustments = [s for s in april["sales"] if s["is_adjustment"]]
    [adjustment] = adjustments
    assert adjustment["month"] == "2026-03-01"
    assert (adjustment["volume"], adjustment["gross_value"]) == ("100.0000", "7000.00")
    assert "revision 1 -> 2" in adjustment["explanation"] and "1000.0000 -> 1100.0000" in adjustment["explanation"]
    statement = await _statement(books, april["id"], ada)
    march_line = next(line for line in statement["lines"] if line["is_adjustment"])
    # 0.125 x (7000.00 - 322.00 tax) = 834.75 more for March.
    assert (march_line["owner_gross"], march_line["owner_tax"], march_line["owner_net"]) == (
        "875.00",
        "40.25",
        "834.75",
    )
    assert "Correction of Ranch A oil for 03/2026" in march_line["note"]
    await books.ok("POST", f"/api/v1/revenue/runs/{april['id']}/finalize")
    # Once adjusted and finalized, the correction is not paid twice.
    await books.volumes(lease, MAY, 1, oil="10")
    await _price(books, MAY)
    may = await _run(books, MAY)
    assert [s for s in may["sales"] if s["is_adjustment"]] == []


async def test_unpriced_leases_and_leases_without_a_deck_are_warned(books):
    lease = await books.lease(name="No Deck")
    await books.volumes(lease, MARCH, 1, oil="100")
    run = await _run(books, MARCH)
    assert run["warnings"] == [{"lease_id": str(lease), "product": "oil", "problem": "no price for the month"}]
    await _price(books, MARCH)
    run = await _run(books, MARCH)
    assert run["warnings"] == [{"lease_id": str(lease), "problem": "no revenue deck in effect for the month"}]


async def test_a_purchaser_statement_sets_volume_price_and_deductions(books):
    lease, ada, _op = await _setup(books, royalty="0.125")
    buyer = await books.partner("Pipeline Co", "purchaser")
    bad = await books.post(
        "/api/v1/prices/purchaser-statements",
        {
            "month": "2026-03-01",
            "product": "gas",
            "lease_id": str(lease),
            "purchaser_id": buyer,
            "volume": "10000",
            "price": "2.50",
            "gross_value": "30000.00",
        },
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.gross_value"
    await books.ok(
        "POST",
        "/api/v1/prices/purchaser-statements",
        {
            "month": "2026-03-01",
            "product": "gas",
            "lease_id": str(lease),
            "purchaser_id": buyer,
            "volume": "10000",
            "price": "2.50",
            "gross_value": "25000.00",
            "deductions": "1500.00",
        },
    )
    draft = await _run(books, MARCH)
    [pending] = [w for w in draft["warnings"] if w.get("code") == "tax-pending"]
    assert pending["product"] == "gas" and draft["sales"][0]["tax_source"] == "pending"
    refused = await books.post(f"/api/v1/revenue/runs/{draft['id']}/finalize")
    assert refused.status_code == 409 and "severance tax" in refused.text
    # Compliance's figure arrives (10,000 MCF at $2.50 less $1,500 marketing: $1,762.50): owners carry it.
    await books.apply(
        SeveranceTaxComputed(
            tenant_id=books.org_a,
            lease_id=lease,
            month=MARCH,
            revision=1,
            lease_type="oil",
            lines=[
                SeveranceTaxLine(
                    product="gas",
                    volume=D(10000),
                    gross_value=D("25000.00"),
                    marketing_costs=D("1500.00"),
                    market_value=D("23500.00"),
                    rate=D("0.075"),
                    tax=D("1762.50"),
                    regulatory_fee=D("0"),
                    commodity="gas",
                ),
                SeveranceTaxLine(
                    product="gas",
                    volume=D(300),
                    gross_value=D("750.00"),
                    market_value=D("750.00"),
                    rate=D("0.075"),
                    tax=D("56.25"),
                    regulatory_fee=D("0"),
                    commodity="lease_use",
                    borne_by_owners=False,
                ),
                SeveranceTaxLine(
                    product="gas",
                    volume=D(10300),
                    gross_value=D("0"),
                    market_value=D("0"),
                    rate=D("0"),
                    tax=D("0"),
                    regulatory_fee=D("6.87"),
                    commodity="gas_fee",
                    borne_by_owners=False,
                ),
            ],
            total_tax=D("1818.75"),
            total_regulatory_fees=D("6.87"),
        )
    )
    run = await _run(books, MARCH)
    [gas] = run["sales"]
    assert (gas["product"], gas["severance_tax"], gas["deductions"], gas["price_source"], gas["tax_source"]) == (
        "gas",
        "1762.50",
        "1500.00",
        "purchaser_statement",
        "compliance",
    )
    assert not [w for w in run["warnings"] if w.get("code") in ("tax-pending", "value-differs")]
    statement = await _statement(books, run["id"], ada)
    assert statement["lines"][0]["owner_deductions"] == "187.50"


async def test_another_tenant_cannot_see_runs(books):
    lease, ada, _op = await _setup(books)
    await books.volumes(lease, MARCH, 1, oil="1000")
    await _price(books, MARCH)
    run = await _run(books, MARCH)
    assert (await books.get(f"/api/v1/revenue/runs/{run['id']}", org=books.org_b)).status_code == 404
    assert (await books.get(f"/api/v1/revenue/runs/{run['id']}/statements/{ada}", org=books.org_b)).status_code == 404
    assert (await books.post(f"/api/v1/revenue/runs/{run['id']}/finalize", org=books.org_b)).status_code == 404
    assert (await books.post("/api/v1/revenue/runs", {"month": "2026-03-15"})).status_code == 422


async def test_a_later_severance_tax_revision_for_a_finalized_month_is_adjusted(books):
    lease, ada, _op = await _setup(books, royalty="0.125")
    await books.volumes(lease, MARCH, 1, oil="1000")
    await _price(books, MARCH)
    await _price(books, APRIL)
    march = await _run(books, MARCH)
    assert (march["sales"][0]["tax_source"], march["sales"][0]["severance_tax"]) == ("compliance", "3220.00")
    await books.ok("POST", f"/api/v1/revenue/runs/{march['id']}/finalize")
    # Compliance applies an enhanced-recovery rate (2.3%) to March after it was paid.
    await books.apply(
        SeveranceTaxComputed(
            tenant_id=books.org_a,
            lease_id=lease,
            month=MARCH,
            revision=2,
            lease_type="oil",
            lines=[
                SeveranceTaxLine(
                    product="oil",
                    volume=D(1000),
                    gross_value=D("70000.00"),
                    market_value=D("70000.00"),
                    rate=D("0.023"),
                    tax=D("1610.00"),
                    regulatory_fee=D("6.25"),
                )
            ],
            total_tax=D("1610.00"),
            total_regulatory_fees=D("6.25"),
        )
    )
    april = await _run(books, APRIL)
    [adjustment] = [s for s in april["sales"] if s["is_adjustment"]]
    assert (adjustment["severance_tax"], adjustment["gross_value"]) == ("-1610.00", "0.00")
    assert "severance tax revision 1 -> 2" in adjustment["explanation"]
    [changed] = [w for w in april["warnings"] if w.get("code") == "tax-changed-after-finalize"]
    assert (changed["month"], changed["product"]) == ("2026-03-01", "oil") and "3220.00" in changed["problem"]
    line = next(line for line in (await _statement(books, april["id"], ada))["lines"] if line["is_adjustment"])
    assert (line["owner_tax"], line["owner_net"]) == ("-201.25", "201.25")  # 0.125 x 1,610.00 back to the owner


async def test_a_small_balance_is_paid_in_the_yearly_release_month(books):
    november, december = date(2026, 11, 1), date(2026, 12, 1)
    lease, ada, _op = await _setup(books, royalty="0.0005")
    for month in (november, december):
        await books.volumes(lease, month, 1, oil="1000")
        await _price(books, month)
    run = await _run(books, november)
    assert (await _statement(books, run["id"], ada))["summary"]["paid"] == "0.00"  # $33.39 < $100: held
    await books.ok("POST", f"/api/v1/revenue/runs/{run['id']}/finalize")
    run = await _run(books, december)
    summary = (await _statement(books, run["id"], ada))["summary"]
    # $66.78 in all is still under $100, but December pays every balance over $10 (SUSPENSE_YEARLY_*).
    assert (summary["paid"], summary["reason"]) == ("66.78", "paid: yearly release")
