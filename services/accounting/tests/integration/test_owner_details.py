"""What Texas law needs of an owner's details: a cost-free royalty bears no deductions (through a run), and a
finalized statement goes to the owner only with 91.502's contact address and phone (item 12) and the county
(item 1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wellflow_contracts.events.identity import MailingAddress, OrganizationUpdated
from wellflow_contracts.events.wells import LeaseRegistered
from wellflow_contracts.ids import uuid7

D = Decimal
MARCH = date(2026, 3, 1)


async def _run_with_cost_free_royalty(books, lease):
    ada = await books.partner("Ada Royalty", "royalty_owner", owner_number="R-1")
    op = await books.partner("Operator WI", "working_interest_partner")
    deck = {
        "lease_id": str(lease),
        "kind": "revenue",
        "effective_from": "2026-01-01",
        "lines": [
            {"partner_id": ada, "interest_type": "royalty", "decimal": "0.125", "cost_free": True},
            {"partner_id": op, "interest_type": "working_interest", "decimal": "0.875"},
        ],
    }
    created = await books.ok("POST", "/api/v1/ownership-decks", deck, status=201)
    assert [line["cost_free"] for line in created["lines"] if line["partner_id"] == ada] == [True]
    await books.volumes(lease, MARCH, 1, oil="1000")  # compliance's tax on 1,000 bbl at $70: 3,220.00
    buyer = await books.partner("Crude Buyer", "purchaser")
    statement = {
        "month": "2026-03-01",
        "product": "oil",
        "lease_id": str(lease),
        "purchaser_id": buyer,
        "volume": "1000",
        "price": "70.00",
        "gross_value": "70000.00",
        "deductions": "700.00",
    }
    await books.ok("POST", "/api/v1/prices/purchaser-statements", statement)
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": "2026-03-01"}, status=201)
    return run, ada, op


async def test_a_cost_free_royalty_bears_no_deductions_in_the_run(books):
    lease = await books.lease(name="Ranch A")
    run, ada, op = await _run_with_cost_free_royalty(books, lease)
    mine = await books.ok("GET", f"/api/v1/revenue/runs/{run['id']}/statements/{ada}")
    [line] = mine["lines"]
    # 1/8 cost-free: gross 70,000 x 0.125 = 8,750.00; tax 3,220 x 0.125 = 402.50; deductions 0; net 8,347.50.
    assert (line["owner_gross"], line["owner_tax"], line["owner_deductions"], line["owner_net"]) == (
        "8750.00",
        "402.50",
        "0.00",
        "8347.50",
    )
    theirs = await books.ok("GET", f"/api/v1/revenue/runs/{run['id']}/statements/{op}")
    [line] = theirs["lines"]
    # The working interest bears all 700.00: 61,250.00 - 2,817.50 - 700.00 = 57,732.50.
    assert (line["owner_deductions"], line["owner_net"]) == ("700.00", "57732.50")


async def test_a_finalized_statement_needs_the_operators_address_phone_and_the_county(books):
    lease_id = uuid7()
    await books.apply(
        LeaseRegistered(
            tenant_id=books.org_a,
            lease_id=lease_id,
            name="No County",
            rrc_district="08",
            rrc_lease_number="22222",
            lease_type="oil",
            county=None,
            status="active",
        )
    )
    run, ada, _op = await _run_with_cost_free_royalty(books, lease_id)
    path = f"/api/v1/revenue/runs/{run['id']}/statements/{ada}"
    # A draft's statement is for review: it prints what is missing.
    assert (await books.get(path, params={"format": "csv"})).status_code == 200
    await books.ok("POST", f"/api/v1/revenue/runs/{run['id']}/finalize")
    refused = await books.get(path, params={"format": "pdf"})
    assert refused.status_code == 422, refused.text
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["operator.mailing_address", "operator.phone", "lines[0].county_state"]
    assert "91.502" in refused.json()["detail"]

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
    still = await books.get(path, params={"format": "csv"})
    assert still.status_code == 422 and [e["field"] for e in still.json()["errors"]] == ["lines[0].county_state"]
    await books.apply(
        LeaseRegistered(
            tenant_id=books.org_a,
            lease_id=lease_id,
            name="No County",
            rrc_district="08",
            rrc_lease_number="22222",
            lease_type="oil",
            county="Ector",
            status="active",
        )
    )
    sent = await books.get(path, params={"format": "csv"})
    assert sent.status_code == 200 and "Ector, TX" in sent.text
