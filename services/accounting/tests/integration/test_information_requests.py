"""Owners' 91.504 information requests: recorded, tracked to the 60th day after receipt, answered from WellFlow's
data (the owner statement's lines over the period asked) as JSON, CSV or PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wellflow_contracts.ids import uuid7

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
    return lease, ada


def _at(books, day: date) -> None:
    books.app.state.accounting.clock = lambda: datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


async def test_a_request_is_due_60_days_after_receipt_and_answered_from_the_runs(books):
    lease, ada = await _finalized_march(books)
    _at(books, date(2026, 4, 20))
    request_id = str(uuid7())
    body = {
        "id": request_id,
        "partner_id": ada,
        "lease_id": str(lease),
        "kind": "deductions",
        "received_on": "2026-04-10",
        "asked": "Explain the deductions on the March 2026 oil.",
        "period_from": "2026-03-01",
        "period_to": "2026-03-01",
    }
    created = await books.ok("POST", "/api/v1/information-requests", body, status=201)
    # April 10 + 60 days: April 11-30 (20) + May (31) + June 1-9 (9) = June 9.
    assert (created["due_on"], created["overdue"], created["days_left"]) == ("2026-06-09", False, 50)
    assert (await books.ok("POST", "/api/v1/information-requests", body, status=200))["id"] == request_id

    bad = await books.post("/api/v1/information-requests", {**body, "id": str(uuid7()), "received_on": "2026-05-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.received_on"
    nobody = await books.post("/api/v1/information-requests", {**body, "id": str(uuid7()), "partner_id": str(uuid7())})
    assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "body.partner_id"
    assert (await books.get(f"/api/v1/information-requests/{request_id}", org=books.org_b)).status_code == 404

    answer = await books.ok("GET", f"/api/v1/information-requests/{request_id}/answer")
    [line] = answer["lines"]
    assert (line["owner_decimal"], line["county_state"], line["sales_month"]) == (
        "0.01250000",
        "Midland, TX",
        "03/2026",
    )
    assert (line["volume_sold"], line["price"], line["owner_gross"], line["owner_net"]) == (
        "1000.0000",
        "70.0000",
        "875.00",
        "834.75",
    )
    [prop] = answer["properties"]
    assert (prop["name"], prop["rrc_lease_number"], prop["owner_decimals"]) == ("Ranch A", "12345", ["0.01250000"])
    assert "91.504(a)" in answer["asked_under"]
    csv_file = await books.get(f"/api/v1/information-requests/{request_id}/answer", params={"format": "csv"})
    assert csv_file.status_code == 200 and "834.75" in csv_file.text and "Midland, TX" in csv_file.text
    assert "information-answer-2026-03.csv" in csv_file.headers["content-disposition"]
    pdf_file = await books.get(f"/api/v1/information-requests/{request_id}/answer", params={"format": "pdf"})
    assert pdf_file.status_code == 200 and pdf_file.content.startswith(b"%PDF")

    _at(books, date(2026, 6, 10))  # the day after the deadline, unanswered: overdue
    overdue = await books.ok("GET", "/api/v1/information-requests", params={"overdue": True})
    assert [r["id"] for r in overdue["items"]] == [request_id] and overdue["items"][0]["days_left"] == -1
    late_answer = {"answered_on": "2026-06-10", "note": "sent certified 7019 0000 0000"}
    answered = await books.ok("POST", f"/api/v1/information-requests/{request_id}/answered", late_answer)
    assert (answered["answered_on"], answered["overdue"], answered["days_left"]) == ("2026-06-10", False, None)
    assert (await books.ok("GET", "/api/v1/information-requests", params={"overdue": True}))["total"] == 0
    assert (await books.ok("POST", f"/api/v1/information-requests/{request_id}/answered", late_answer))["id"]
    other_day = await books.post(f"/api/v1/information-requests/{request_id}/answered", {"answered_on": "2026-06-09"})
    assert other_day.status_code == 409


async def test_a_heating_value_request_says_to_attach_the_g1(books):
    _lease, ada = await _finalized_march(books)
    _at(books, date(2026, 4, 20))
    body = {"partner_id": ada, "kind": "heating_value", "received_on": "2026-04-10", "asked": "BTU of the gas"}
    created = await books.ok("POST", "/api/v1/information-requests", body, status=201)
    answer = await books.ok("GET", f"/api/v1/information-requests/{created['id']}/answer")
    assert "Form G-1" in answer["note"]
    # No period asked: the calendar year before receipt (2025), when nothing was sold.
    assert answer["period"] == {"from": "2025-01-01", "to": "2025-12-01"} and answer["lines"] == []
