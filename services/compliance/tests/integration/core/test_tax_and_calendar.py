"""Severance tax from entered prices and the month's volumes; the filing calendar and its deadline events."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wellflow_compliance.app.calendar import send_deadline_notices
from wellflow_contracts.events.production import RunTicketRecorded, RunTicketRejected, RunTicketRejectionResolved
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.testing import until

JULY = date(2026, 7, 1)


async def _oil_lease_with_sales(compliance, sold="1000", **month):
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid=sold, gas="0", oil_dispositions=[("00", sold)], **month)
    )
    await compliance.wait_line("2026-07", lease)
    return lease


async def test_oil_worked_check_and_recomputation_when_volumes_change(compliance):
    lease = await _oil_lease_with_sales(compliance)
    response = await compliance.put(
        f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "70.00"}}
    )
    assert response.status_code == 200, response.text
    tax = response.json()
    [oil] = tax["lines"]
    assert (oil["volume"], oil["market_value"], oil["tax"], oil["regulatory_fee"]) == (
        "1000",
        "70000.00",
        "3220.00",
        "6.25",
    )
    assert tax["revision"] == 1

    # The same prices again: no new revision, no new event.
    await compliance.put(f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "70.00"}})
    # Production corrects the month: the tax follows.
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="1100", gas="0", oil_dispositions=[("00", "1100")])
    )

    async def recomputed():
        response = await compliance.get(f"/api/v1/severance-tax/leases/{lease}/2026-07")
        return response.status_code == 200 and response.json()["revision"] == 2 and response.json()

    tax = await until(recomputed, what="recomputed")
    assert tax["lines"][0]["tax"] == "3542.00"
    events = await compliance.outbox("compliance.severance_tax_computed.v1")
    assert [(e["revision"], e["total_tax"]) for e in events] == [(1, "3220.00"), (2, "3542.00")]
    assert events[0]["lines"][0]["product"] == "oil" and events[0]["oil_tax_due_date"] == "2026-08-25"
    [oil_tax] = (await compliance.get("/api/v1/filing-calendar", obligation="oil_tax")).json()["items"]
    assert oil_tax["amount"] == {"tax": "3542.00", "regulatory_fees": "6.88", "total": "3548.88", "lease_lines": 1}


async def test_gas_worked_check_with_marketing_costs(compliance):
    lease = await compliance.lease(lease_type="gas", number="203456")
    await compliance.publish(
        compliance.lease_month(
            lease, JULY, lease_type="gas", liquid="0", gas="10000", gas_dispositions=[("02", "10000", None)]
        )
    )
    await compliance.wait_line("2026-07", lease)
    response = await compliance.put(
        f"/api/v1/severance-tax/leases/{lease}/2026-07/prices",
        {"gas": {"price": "2.50", "marketing_costs": "1500.00"}},
    )
    gas, fee = response.json()["lines"]
    assert (gas["commodity"], gas["gross_value"], gas["market_value"], gas["tax"]) == (
        "gas",
        "25000.00",
        "23500.00",
        "1762.50",
    )
    assert (fee["commodity"], fee["volume"], fee["regulatory_fee"]) == ("gas_fee", "10000", "6.67")
    [report] = response.json()["reports"]
    assert (report["report"], report["due_date"], report["total_tax"]) == ("10-159", "2026-09-21", "1762.50")


async def test_the_sale_is_the_base_run_tickets_with_prices_tax_without_an_entered_price(compliance):
    """100.4 bbl sold for $7,028.00 is taxed $323.29 (not 100 x $70.00); 3 bbl used on the lease go on the
    special report at the month's price; the returns endpoint shows each report with its due date."""
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="103.4", gas="0", oil_dispositions=[("01", "100.4"), ("03", "3")])
    )
    await compliance.wait_line("2026-07", lease)
    ticket = RunTicketRecorded(
        tenant_id=compliance.org_a,
        ticket_id=uuid7(),
        ticket_number="RT-9",
        lease_id=lease,
        battery_id=uuid7(),
        tank_id=uuid7(),
        taken_at="2026-07-20T10:00:00Z",
        production_month=JULY,
        disposition_code="01",
        gross_bbl="101",
        net_bbl="100.4",
        observed_gravity_api="40",
        observed_temperature_f="60",
        bsw_percent="0.3",
        purchaser="Plains",
        price_per_bbl="70.00",
        recorded_by="pumper-1",
    )
    await compliance.publish(ticket)

    async def taxed():
        response = await compliance.get(f"/api/v1/severance-tax/leases/{lease}/2026-07")
        return response.status_code == 200 and response.json()

    tax = await until(taxed, what="taxed from the ticket")
    crude, special = tax["lines"]
    assert (crude["report"], crude["tax"], crude["regulatory_fee"], crude["value_source"]) == (
        "10-158",
        "323.29",
        "0.63",
        "run_tickets",
    )
    assert (special["report"], special["market_value"], special["tax"], special["borne_by_owners"]) == (
        "10-165",
        "210.00",
        "9.66",
        False,
    )
    returned = (await compliance.get("/api/v1/severance-tax/returns/2026-07/10-165")).json()
    assert (returned["due_date"], returned["total_tax"], returned["total"]) == ("2026-08-25", "9.66", 1)
    assert returned["items"][0]["lease_id"] == str(lease)
    bad = await compliance.get("/api/v1/severance-tax/returns/2026-07/10-999")
    assert bad.status_code == 422


async def test_a_refused_load_is_no_sale_and_a_replay_changes_nothing(compliance):
    """Two loads were taken, the purchaser refused the second (50 bbl at $80.00): the sale is 100.4 bbl for
    $7,028.00 and the tax $323.29 (4.6%), as in the worked example above, not the $11,028.00 of both tickets."""
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="100.4", gas="0", oil_dispositions=[("01", "100.4")])
    )
    await compliance.wait_line("2026-07", lease)
    tickets = [
        RunTicketRecorded(
            tenant_id=compliance.org_a,
            ticket_id=uuid7(),
            ticket_number=number,
            lease_id=lease,
            battery_id=uuid7(),
            tank_id=uuid7(),
            taken_at=f"2026-07-{day}T10:00:00Z",
            production_month=JULY,
            disposition_code="01",
            gross_bbl=net,
            net_bbl=net,
            observed_gravity_api="40",
            observed_temperature_f="60",
            bsw_percent="0.3",
            purchaser="Plains",
            price_per_bbl=price,
            recorded_by="pumper-1",
        )
        for number, day, net, price in (("RT-1", "20", "100.4", "70.00"), ("RT-2", "24", "50", "80.00"))
    ]
    for ticket in tickets:
        await compliance.publish(ticket)

    async def crude_tax(expected=None):
        response = await compliance.get(f"/api/v1/severance-tax/leases/{lease}/2026-07")
        if response.status_code != 200:
            return None
        tax = response.json()["lines"][0]["tax"]
        return tax if expected is None or tax == expected else None

    async def both_tickets():
        count = await compliance.owner_query(
            "SELECT count(*) FROM inbox WHERE consumer = 'compliance-run-ticket-recorded'"
        )
        return count[0][0] >= 2 and await crude_tax()

    assert await until(both_tickets, what="taxed from both tickets") != "323.29"
    refused = tickets[1]
    rejection = RunTicketRejected(
        tenant_id=compliance.org_a,
        ticket_id=refused.ticket_id,
        ticket_number=refused.ticket_number,
        purchaser="Plains",
        lease_id=lease,
        tank_id=refused.tank_id,
        production_month=JULY,
        gross_bbl=refused.gross_bbl,
        net_bbl=refused.net_bbl,
        reason="BS&W over the contract's 1%",
        rejected_at=datetime(2026, 7, 24, 12, tzinfo=UTC),
        recorded_by="pumper-1",
    )
    await compliance.publish(rejection, msg_id="rejected-1")
    await compliance.publish(rejection, msg_id="rejected-1-copy")  # past JetStream's dedup: the inbox is left
    assert await until(lambda: crude_tax("323.29"), what="taxed without the refused load") == "323.29"
    settled = RunTicketRejectionResolved(
        tenant_id=compliance.org_a,
        ticket_id=refused.ticket_id,
        lease_id=lease,
        resolution="the purchaser was right; the load was re-treated",
        resolved_by="amy",
        resolved_at=datetime(2026, 7, 28, tzinfo=UTC),
    )
    await compliance.publish(settled)

    async def applied():
        rows = await compliance.owner_query(
            "SELECT consumer, count(*) FROM inbox WHERE consumer LIKE 'compliance-run-ticket-rej%' GROUP BY consumer"
        )
        return sorted(tuple(r) for r in rows) if len(rows) == 2 else None

    assert await until(applied, what="both consumers") == [
        ("compliance-run-ticket-rejected", 1),
        ("compliance-run-ticket-rejection-resolved", 1),
    ]
    assert await crude_tax() == "323.29"


async def test_enhanced_recovery_lease_pays_half_the_rate(compliance):
    lease = await _oil_lease_with_sales(compliance)
    await compliance.put(f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "70.00"}})
    granted = await compliance.post(
        f"/api/v1/severance-tax/leases/{lease}/reliefs", {"code": "enhanced_recovery", "effective_from": "2026-01-01"}
    )
    assert granted.status_code == 201, granted.text
    tax = (await compliance.get(f"/api/v1/severance-tax/leases/{lease}/2026-07")).json()
    assert (tax["lines"][0]["rate"], tax["lines"][0]["tax"], tax["enhanced_recovery"]) == ("0.023", "1610.00", True)
    assert [r["code"] for r in (await compliance.get(f"/api/v1/severance-tax/leases/{lease}/reliefs")).json()] == [
        "enhanced_recovery"
    ]
    everywhere = (await compliance.get("/api/v1/severance-tax/reliefs")).json()
    assert [(r["lease_id"], r["code"]) for r in everywhere] == [(str(lease), "enhanced_recovery")]
    bad = await compliance.post(
        f"/api/v1/severance-tax/leases/{lease}/reliefs", {"code": "high_cost_gas", "effective_from": "2026-01-01"}
    )
    assert bad.status_code == 422 and "needs well_cost" in bad.json()["detail"]


async def test_floor_applies_to_cheap_oil_and_bad_prices_are_refused(compliance):
    lease = await _oil_lease_with_sales(compliance)
    tax = (
        await compliance.put(f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "0.50"}})
    ).json()
    assert tax["lines"][0]["tax"] == "46.00" and tax["lines"][0]["minimum_applied"]
    both = await compliance.put(
        f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "70", "gross_value": "1"}}
    )
    assert both.status_code == 422
    negative = await compliance.put(f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "-1"}})
    assert negative.status_code == 422
    listed = (await compliance.get("/api/v1/severance-tax", month="2026-07")).json()
    assert listed["total"] == 1 and listed["items"][0]["lines"][0]["tax"] == "46.00"


async def test_calendar_lists_due_dates_and_sends_each_deadline_event_once(compliance):
    await _oil_lease_with_sales(compliance)
    listed = (await compliance.get("/api/v1/filing-calendar")).json()
    due = {item["obligation"]: item["due_date"] for item in listed["items"]}
    assert due == {"form_pr": "2026-08-31", "oil_tax": "2026-08-25", "gas_tax": "2026-09-21"}  # Sep 20 is a Sunday

    compliance.clock.now = datetime(2026, 8, 3, 12, tzinfo=UTC)  # 28 days before Form PR, 22 before oil tax
    database = compliance.app.state.compliance
    assert await send_deadline_notices(database) == 2
    assert await send_deadline_notices(database) == 0  # a second pass (or replica) sends nothing
    compliance.clock.now = datetime(2026, 8, 24, 12, tzinfo=UTC)
    assert await send_deadline_notices(database) == 3  # Form PR 7 days, oil tax 1 day, gas tax 30 days
    oil = next(i for i in listed["items"] if i["obligation"] == "oil_tax")
    paid = await compliance.post(f"/api/v1/filing-calendar/{oil['id']}/paid", {"note": "paid by ACH"})
    assert paid.status_code == 200 and paid.json()["state"] == "paid"
    compliance.clock.now = datetime(2026, 9, 1, 12, tzinfo=UTC)
    assert await send_deadline_notices(database) == 1  # Form PR missed; the oil tax was paid
    events = await compliance.outbox("compliance.filing_deadline_approaching.v1")
    assert sorted((e["obligation"], e["days_before"]) for e in events) == [
        ("form_pr", 7),
        ("form_pr", 30),
        ("gas_tax", 30),
        ("oil_tax", 1),
        ("oil_tax", 30),
    ]
    [missed] = await compliance.outbox("compliance.filing_deadline_missed.v1")
    assert missed["obligation"] == "form_pr" and missed["due_date"] == "2026-08-31"
    overdue = (await compliance.get("/api/v1/filing-calendar", pending_only="true")).json()["items"]
    assert [(i["obligation"], i["overdue"]) for i in overdue] == [("form_pr", True), ("gas_tax", False)]


async def test_deadline_notices_go_to_every_organization_once(compliance):
    await _oil_lease_with_sales(compliance)
    other = await compliance.lease(org=compliance.org_b)
    await compliance.publish(compliance.lease_month(other, JULY, org=compliance.org_b, gas="0"))
    await compliance.wait_line("2026-07", other, org=compliance.org_b)
    compliance.clock.now = datetime(2026, 8, 3, 12, tzinfo=UTC)
    assert await send_deadline_notices(compliance.app.state.compliance) == 4  # two per organization
    events = await compliance.outbox("compliance.filing_deadline_approaching.v1")
    assert sorted(e["tenant_id"] for e in events) == sorted([str(compliance.org_a)] * 2 + [str(compliance.org_b)] * 2)
    mine = (await compliance.get("/api/v1/filing-calendar")).json()["items"]
    assert {item["id"] for item in mine} == {
        e["obligation_id"] for e in events if e["tenant_id"] == str(compliance.org_a)
    } | {item["id"] for item in mine if item["obligation"] == "gas_tax"}


async def test_the_deadline_task_runs_with_the_app(start_compliance):
    async with start_compliance(deadline_task_enabled=True, deadline_check_interval_seconds=0.2) as compliance:
        compliance.clock.now = datetime(2026, 8, 30, 12, tzinfo=UTC)  # one day before the Form PR is due
        await _oil_lease_with_sales(compliance)

        async def reminded():
            events = await compliance.outbox("compliance.filing_deadline_approaching.v1")
            return [e for e in events if e["obligation"] == "form_pr"]

        [event] = await until(reminded, what="reminded")
        assert (event["days_before"], event["due_date"], event["state"]) == (1, "2026-08-31", "open")
