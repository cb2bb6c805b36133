"""Purchaser statements in and the three-way reconciliation, on real PostgreSQL: a month with one short load
and one purchaser price error raises exactly those two items with their causes; a clean month raises nothing;
the same file twice changes nothing; an unknown property number is queued and its lines applied once mapped;
the statement sets the lease-month's price (valuation); later events keep the items current; another
organization sees 404s."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

from wellflow_accounting.adapters.tables import run_ticket_refusals, run_tickets
from wellflow_accounting.app.distribution.valuation import month_inputs, value_lease
from wellflow_contracts.events.production import RunTicketRecorded, RunTicketRejected, RunTicketRejectionResolved
from wellflow_contracts.ids import uuid7

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)
HEADER = "Check No,Check Date,Prop No,Prop Name,Ticket,Prod Month,Prod,Vol,API Grav,Price,Gross,Trans,Sev Tax,Net\n"
LAYOUT = {
    "columns": {
        "check_number": "Check No",
        "check_date": "Check Date",
        "property_number": "Prop No",
        "property_name": "Prop Name",
        "ticket_number": "Ticket",
        "month": "Prod Month",
        "product": "Prod",
        "volume": "Vol",
        "gravity": "API Grav",
        "price": "Price",
        "gross_value": "Gross",
        "net_value": "Net",
    },
    "deductions": {"transportation": "Trans"},
    "taxes": {"severance": "Sev Tax"},
    "products": {"100": "oil", "200": "gas"},
    "month_format": "%m/%Y",
    "date_format": "%m/%d/%Y",
}


def ticket(org: UUID, lease: UUID, number: str, net: str, month: date = MARCH) -> RunTicketRecorded:
    return RunTicketRecorded(
        tenant_id=org,
        ticket_id=uuid7(),
        ticket_number=number,
        lease_id=lease,
        battery_id=uuid7(),
        tank_id=uuid7(),
        taken_at=datetime(month.year, month.month, 10, tzinfo=UTC),
        production_month=month,
        disposition_code="01",
        gross_bbl=Decimal(net),
        net_bbl=Decimal(net),
        observed_gravity_api=Decimal("40.1"),
        observed_temperature_f=Decimal("60"),
        bsw_percent=Decimal("0.2"),
        purchaser="Permian Crude Purchasing",
        recorded_by="pumper",
    )


REASON = "BS&W 1.4% over the contract's 1%"


def refusal(event: RunTicketRecorded) -> RunTicketRejected:
    return RunTicketRejected(
        tenant_id=event.tenant_id,
        ticket_id=event.ticket_id,
        ticket_number=event.ticket_number,
        purchaser=event.purchaser,
        lease_id=event.lease_id,
        tank_id=event.tank_id,
        production_month=event.production_month,
        gross_bbl=event.gross_bbl,
        net_bbl=event.net_bbl,
        reason=REASON,
        rejected_at=datetime(2026, 3, 11, tzinfo=UTC),
        recorded_by="pumper",
    )


async def _upload(books, map_id: str, content: str, org=None):
    return await books.client.post(
        "/api/v1/purchaser-statements/imports",
        params={"map_id": map_id, "file_name": "stub.csv"},
        content=content.encode(),
        headers=books.as_role("accountant", org) | {"Content-Type": "text/csv"},
    )


async def _month(books, org=None):
    """Two leases with tickets and dispositions, the posted ranges, the purchaser, its map and properties."""
    ranch_a = await books.lease(org=org, name="Ranch A", number="10001")
    ranch_b = await books.lease(org=org, name="Ranch B", number="10002")
    ranch_c = await books.lease(org=org, name="Ranch C", number="10003")
    buyer = await books.partner("Permian Crude Purchasing", "purchaser", org=org)
    for event in (
        ticket(org or books.org_a, ranch_a, "T-1001", "180.00"),
        ticket(org or books.org_a, ranch_a, "T-1002", "175.50"),
        ticket(org or books.org_a, ranch_b, "T-2001", "160.00"),
        ticket(org or books.org_a, ranch_c, "T-3001", "90.00"),
    ):
        await books.apply(event)
    await books.volumes(ranch_a, MARCH, 1, "355.50", gas="1200", org=org, taxed_at=None)
    await books.volumes(ranch_b, MARCH, 1, "160.00", org=org, taxed_at=None)
    await books.volumes(ranch_c, MARCH, 1, "90.00", org=org, taxed_at=None)
    for product, low, high in (("oil", "70.00", "72.00"), ("gas", "2.00", "3.00")):
        body = {"month": "2026-03-01", "product": product, "low": low, "high": high, "source": "posting bulletin"}
        await books.ok("PUT", "/api/v1/reconciliation/posted-prices", body, org=org)
    column_map = await books.ok(
        "PUT",
        "/api/v1/purchaser-statements/column-maps",
        {"purchaser_id": buyer, "name": "monthly stub", "layout": LAYOUT},
        org=org,
    )
    for number, lease in (("P-100", ranch_a), ("P-200", ranch_b)):
        body = {"purchaser_id": buyer, "property_number": number, "lease_id": str(lease)}
        await books.ok("PUT", "/api/v1/purchaser-statements/property-map", body, org=org)
    return ranch_a, ranch_b, ranch_c, buyer, column_map["id"]


STUB = HEADER + (
    "5001,04/20/2026,P-100,RANCH A,T-1001,03/2026,100,150.00,40.1,71.00,10650.00,150.00,0,10500.00\n"  # short load
    "5001,04/20/2026,P-100,RANCH A,T-1002,03/2026,100,175.50,40.3,71.00,12460.50,175.50,0,12285.00\n"
    "5001,04/20/2026,P-100,RANCH A,,03/2026,200,1200,,2.50,3000.00,0,0,3000.00\n"
    "5001,04/20/2026,P-200,RANCH B,T-2001,03/2026,100,160.00,39.8,7.10,1136.00,0,0,1136.00\n"  # price error
    "5001,04/20/2026,P-999,RANCH C,T-3001,03/2026,100,90.00,40.0,71.00,6390.00,0,0,6390.00\n"  # not mapped yet
    "5001,04/20/2026,P-100,RANCH A,T-1009,03/2026,100,abc,40.0,71.00,1.00,0,0,1.00\n"  # a bad line
)


async def _items(books, org=None, **params):
    return (await books.ok("GET", "/api/v1/reconciliation/items", params=params | {"limit": 200}, org=org))["items"]


async def _line_count(books) -> int:
    return (await books.ok("GET", "/api/v1/purchaser-statements/lines"))["total"]


async def _raised_events(books) -> list[dict]:
    rows = await books.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'accounting.reconciliation_item_raised.v1' ORDER BY created_at"
    )
    return [row[0] if isinstance(row[0], dict) else json.loads(row[0]) for row in rows]


async def test_a_short_load_and_a_price_error_are_each_found_once_with_their_cause(books):
    ranch_a, ranch_b, ranch_c, buyer, map_id = await _month(books)
    response = await _upload(books, map_id, STUB)
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["rows_total"], report["rows_imported"], report["rows_held"], report["rows_rejected"]) == (6, 4, 1, 1)
    assert report["errors"] == [{"line": 7, "column": "Vol", "problem": "'abc' is not a number"}]
    assert report["unmapped_properties"] == ["P-999"] and report["checks"] == ["5001"]

    items = await _items(books)
    assert sorted((i["lease_id"], i["cause"], i["key"]) for i in items) == sorted(
        [
            (str(ranch_a), "volume_differs", "volume_differs:T-1001"),
            (str(ranch_b), "price_out_of_range", items[[i["lease_id"] for i in items].index(str(ranch_b))]["key"]),
        ]
    )
    short = next(i for i in items if i["cause"] == "volume_differs")
    assert (Decimal(short["expected"]), Decimal(short["actual"]), Decimal(short["difference"])) == (
        Decimal("180.00"),
        Decimal("150.00"),
        Decimal("-30.00"),
    )
    assert short["links"]["tickets"][0]["ticket_number"] == "T-1001"
    assert short["links"]["statement_lines"][0]["check_number"] == "5001"
    price = next(i for i in items if i["cause"] == "price_out_of_range")
    assert Decimal(price["actual"]) == Decimal("7.10") and Decimal(price["expected"]) == Decimal("70.00")
    events = await _raised_events(books)
    assert sorted(e["cause"] for e in events) == ["price_out_of_range", "volume_differs"]

    # the statement is the lease-month's sale now: price and value for distribution and the tax base
    prices = await books.ok("GET", "/api/v1/prices", params={"lease_id": str(ranch_a), "month": "2026-03-01"})
    oil = next(p for p in prices["items"] if p["product"] == "oil")
    assert (oil["source"], Decimal(oil["volume"]), Decimal(oil["gross_value"])) == (
        "purchaser_statement",
        Decimal("325.50"),
        Decimal("23110.50"),
    )
    assert Decimal(oil["deductions"]) == Decimal("325.50") and Decimal(oil["price"]) == Decimal("71.0000")
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        inputs = await month_inputs(uow, MARCH)
        sales = {s.product.value: s for s in value_lease(inputs, ranch_a, [])}
    assert sales["oil"].gross_value == Decimal("23110.50") and sales["gas"].gross_value == Decimal("3000.00")

    # the unknown property is queued; mapping it applies its held lines (a clean lease-month: no item)
    queue = await books.ok("GET", "/api/v1/purchaser-statements/unmapped-properties")
    assert [(q["property_number"], q["held_lines"]) for q in queue["items"]] == [("P-999", 1)]
    mapped = await books.ok(
        "PUT",
        "/api/v1/purchaser-statements/property-map",
        {"purchaser_id": buyer, "property_number": "P-999", "lease_id": str(ranch_c)},
    )
    assert mapped["lease_months_applied"] == 1
    assert (await books.ok("GET", "/api/v1/purchaser-statements/unmapped-properties"))["total"] == 0
    ranch_c_price = await books.ok("GET", "/api/v1/prices", params={"lease_id": str(ranch_c)})
    assert Decimal(ranch_c_price["items"][0]["gross_value"]) == Decimal("6390.00")
    assert len(await _items(books)) == 2

    # the same file again changes nothing
    again = await _upload(books, map_id, STUB)
    assert again.status_code == 201 and again.json()["replayed"] is True
    assert again.json()["import_id"] == report["import_id"]
    assert await _line_count(books) == 5
    assert len(await _raised_events(books)) == 2
    # the same check in another file is refused line by line
    other = await _upload(books, map_id, STUB.replace("abc", "1.00"))
    assert other.json()["rows_imported"] == 0 and other.json()["rows_rejected"] == 6
    assert await _line_count(books) == 5

    # kept current: a ticket the purchaser did not pay arrives later; replaying it raises nothing new
    late = ticket(books.org_a, ranch_a, "T-1003", "120.00")
    await books.apply(late)
    await books.apply(late)
    unpaid = await _items(books, cause="ticket_not_paid")
    assert [(i["key"], i["lease_id"]) for i in unpaid] == [("ticket_not_paid:T-1003", str(ranch_a))]
    assert len(await _raised_events(books)) == 3

    # resolve with who and why; filters
    resolved = await books.ok(
        "POST",
        f"/api/v1/reconciliation/items/{short['id']}/resolve",
        {"resolution": "purchaser confirmed a short run; corrected on the May check", "assignee": "amy"},
    )
    assert (resolved["state"], resolved["assignee"]) == ("resolved", "amy") and resolved["resolved_by"]
    assert len(await _items(books, state="open")) == 2
    assert [i["cause"] for i in await _items(books, lease_id=str(ranch_b), month="2026-03-01")] == [
        "price_out_of_range"
    ]
    bad = await books.post(f"/api/v1/reconciliation/items/{short['id']}/resolve", {"resolution": ""})
    assert bad.status_code == 422

    # another organization: 404s, and nothing of org A in its lists
    for path in (
        f"/api/v1/reconciliation/items/{short['id']}",
        f"/api/v1/purchaser-statements/imports/{report['import_id']}",
    ):
        assert (await books.get(path, org=books.org_b)).status_code == 404
    assert (
        await books.post(f"/api/v1/reconciliation/items/{short['id']}/resolve", {"resolution": "x"}, org=books.org_b)
    ).status_code == 404
    assert (await _upload(books, map_id, STUB, org=books.org_b)).status_code == 404
    assert await _items(books, org=books.org_b) == []


async def test_a_clean_month_raises_nothing_and_withheld_tax_also_paid_is_named(books):
    _, ranch_b, _, _, map_id = await _month(books)
    clean = HEADER + (
        "6001,04/20/2026,P-100,RANCH A,T-1001,03/2026,100,180.00,40.1,71.00,12780.00,0,0,12780.00\n"
        "6001,04/20/2026,P-100,RANCH A,T-1002,03/2026,100,175.40,40.1,71.00,12453.40,0,0,12453.40\n"  # within 0.5%
        "6001,04/20/2026,P-100,RANCH A,,03/2026,200,1200,,2.50,3000.00,0,0,3000.00\n"
    )
    report = (await _upload(books, map_id, clean)).json()
    assert report["rows_imported"] == 3 and report["reconciliation"]["raised"] == 0
    assert await _items(books) == []
    # the purchaser withheld severance tax on Ranch B's oil and the operator's return pays it too
    await books.tax(ranch_b, MARCH, 1, oil="160.00", price="71.00")
    withheld = HEADER + (
        "6002,04/20/2026,P-200,RANCH B,T-2001,03/2026,100,160.00,40.0,71.00,11360.00,0,522.56,10837.44\n"
    )
    assert (await _upload(books, map_id, withheld)).json()["rows_imported"] == 1
    items = await _items(books)
    assert [(i["lease_id"], i["cause"]) for i in items] == [(str(ranch_b), "tax_withheld_and_paid")]
    assert Decimal(items[0]["actual"]) == Decimal("522.56")


async def test_layout_and_file_faults_answer_4xx_and_change_nothing(books):
    _, _, _, buyer, map_id = await _month(books)
    bad_map = await books.put(
        "/api/v1/purchaser-statements/column-maps",
        {"purchaser_id": buyer, "name": "x", "layout": {"columns": {"check_number": "A"}}},
    )
    assert bad_map.status_code == 422 and "property_number" in bad_map.text
    missing_column = await _upload(books, map_id, "Check No,Prop No\n1,P-100\n")
    assert missing_column.status_code == 422
    assert (await books.ok("GET", "/api/v1/purchaser-statements/imports"))["total"] == 0
    unknown_map = await _upload(books, str(uuid7()), STUB)
    assert unknown_map.status_code == 404


async def test_a_refused_load_raises_no_ticket_not_paid_and_leaves_the_sold_barrels(books):
    ranch_a, ranch_b, _, _, map_id = await _month(books)
    assert (await _upload(books, map_id, STUB)).status_code == 201
    assert await _items(books, cause="ticket_not_paid") == []

    # an unpaid ticket raises its item; the purchaser's refusal of that load clears it, and a replay changes nothing
    unpaid = ticket(books.org_a, ranch_a, "T-1003", "120.00")
    await books.apply(unpaid)
    assert [i["key"] for i in await _items(books, cause="ticket_not_paid")] == ["ticket_not_paid:T-1003"]
    refused = refusal(unpaid)
    await books.apply(refused)
    await books.apply(refused)
    items = await _items(books, cause="ticket_not_paid")
    assert [(i["key"], i["state"]) for i in items] == [("ticket_not_paid:T-1003", "cleared")]
    events = len(await _raised_events(books))

    # the settlement heard first, then the refusal, then the ticket's copy: the ticket never raises an item
    early = ticket(books.org_a, ranch_b, "T-2002", "140.00")
    upheld = RunTicketRejectionResolved(
        tenant_id=books.org_a,
        ticket_id=early.ticket_id,
        lease_id=ranch_b,
        resolution="refusal upheld",
        resolved_by="bob",
        resolved_at=datetime(2026, 3, 21, tzinfo=UTC),
    )
    await books.apply(upheld)
    await books.apply(refusal(early))
    await books.apply(early)
    await books.apply(early)
    assert [i["key"] for i in await _items(books, cause="ticket_not_paid", state="open")] == []
    assert len(await _raised_events(books)) == events

    # settling the dispute is recorded beside the refusal (the first settlement stands); the ticket stays out
    for text in ("the purchaser was right: the load was re-treated and sold on T-1010", "a later text"):
        settled = RunTicketRejectionResolved(
            tenant_id=books.org_a,
            ticket_id=unpaid.ticket_id,
            lease_id=ranch_a,
            resolution=text,
            resolved_by="amy",
            resolved_at=datetime(2026, 3, 20, tzinfo=UTC),
        )
        await books.apply(settled)
        await books.apply(settled)
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        query = (
            select(
                run_tickets.c.ticket_number,
                run_ticket_refusals.c.reason,
                run_ticket_refusals.c.resolution,
                run_ticket_refusals.c.resolved_by,
            )
            .join(run_ticket_refusals, run_ticket_refusals.c.ticket_id == run_tickets.c.id)
            .order_by(run_tickets.c.ticket_number)
        )
        rows = [tuple(r) for r in await uow.connection.execute(query)]
    assert rows == [
        ("T-1003", REASON, "the purchaser was right: the load was re-treated and sold on T-1010", "amy"),
        ("T-2002", REASON, "refusal upheld", "bob"),
    ]
    assert [i["state"] for i in await _items(books, cause="ticket_not_paid")] == ["cleared"]

    # valuation before production's lease-month arrives counts only the tickets that were not refused
    ranch_d = await books.lease(name="Ranch D", number="10004")
    kept, lost = ticket(books.org_a, ranch_d, "T-4001", "100.25"), ticket(books.org_a, ranch_d, "T-4002", "80.00")
    for event in (kept, lost, refusal(lost)):
        await books.apply(event)
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        inputs = await month_inputs(uow, MARCH, {ranch_d})
    assert inputs.volumes[ranch_d]["liquid_sold_bbl"] == Decimal("100.25")
