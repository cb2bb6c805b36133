"""The Form PR draft follows the wells and production events published on NATS."""

from __future__ import annotations

from datetime import date

from wellflow_contracts.events.production import RunTicketRecorded
from wellflow_contracts.events.wells import LeaseUpdated
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.migrations import find_rls_gaps
from wellflow_servicekit.testing import until

JULY, AUGUST = date(2026, 7, 1), date(2026, 8, 1)


def problems(line) -> list[str]:
    """The line's issue codes but the readings-basis warning (these months have no month-end gauge)."""
    return [i["code"] for i in line["issues"] if i["code"] != "no-month-end-gauge"]


async def test_draft_follows_lease_month_updates_and_corrections(compliance):
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(
            lease,
            JULY,
            liquid="1000.4",
            gas="2000",
            oil_dispositions=[("00", "900")],
            gas_dispositions=[("02", "2000", None)],
        )
    )
    line = await compliance.wait_line("2026-07", lease, lambda line: line["source_revision"] == 1)
    assert (line["liquid_production"], line["ending_stock"], line["gas_production"]) == (1000, 100, 2000)
    assert problems(line) == [] and line["liquid_basis"] == "readings"

    # A correction in production: the whole picture again with a higher revision.
    correction = compliance.lease_month(
        lease,
        JULY,
        liquid="1100",
        gas="2100",
        oil_dispositions=[("00", "900")],
        gas_dispositions=[("02", "2100", None)],
    )
    await compliance.publish(correction)
    line = await compliance.wait_line("2026-07", lease, lambda line: line["source_revision"] == 2)
    assert (line["liquid_production"], line["ending_stock"], line["gas_production"]) == (1100, 200, 2100)

    # A late copy of revision 1 changes nothing.
    await compliance.publish(compliance.lease_month(lease, JULY, liquid="5", gas="5", revision=1))
    marker = await compliance.lease()  # events after it are handled once this one shows up
    await compliance.publish(compliance.lease_month(marker, JULY, liquid="1", gas="0"))
    await compliance.wait_line("2026-07", marker)
    assert (await compliance.line("2026-07", lease))["liquid_production"] == 1100


async def test_next_month_begins_with_last_months_ending_and_follows_its_corrections(compliance):
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="500", gas="0", oil_dispositions=[("01", "300")], beginning="50")
    )
    await compliance.wait_line("2026-07", lease, lambda line: line["ending_stock"] == 250)
    await compliance.publish(
        compliance.lease_month(lease, AUGUST, liquid="400", gas="0", oil_dispositions=[("01", "600")])
    )
    line = await compliance.wait_line("2026-08", lease)
    assert (line["beginning_stock"], line["ending_stock"]) == (250, 50)

    # July corrected: August's beginning (and ending) follow.
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="520", gas="0", oil_dispositions=[("01", "300")], beginning="50")
    )
    line = await compliance.wait_line("2026-08", lease, lambda line: line["beginning_stock"] == 270)
    assert line["ending_stock"] == 70


async def test_gas_well_reports_gas_well_gas_and_condensate_under_its_gas_well_id(compliance):
    lease = await compliance.lease(lease_type="gas", number="203456", district="7C", name="Mesa 2")
    await compliance.publish(
        compliance.lease_month(
            lease,
            JULY,
            lease_type="gas",
            liquid="35",
            gas="9000",
            oil_dispositions=[("01", "30")],
            gas_dispositions=[("03", "8800", None), ("01", "200", None)],
        )
    )
    line = await compliance.wait_line("2026-07", lease)
    assert (line["liquid_product"], line["gas_product"]) == ("condensate", "gas_well_gas")
    assert (line["identifier_kind"], line["identifier"], line["rrc_district"]) == ("gas_well_id", "203456", "7C")
    assert (line["liquid_production"], line["ending_stock"], line["gas_disposed"]) == (35, 5, 9000)


async def test_pending_lease_is_reported_by_api_number_and_gets_its_number_later(compliance):
    lease = await compliance.lease(number=None, api="42383123450000")
    await compliance.publish(compliance.lease_month(lease, JULY, gas="0"))
    line = await compliance.wait_line("2026-07", lease, lambda line: line["identifier_kind"] == "api_number")
    assert line["identifier"] == "42-383-12345-00-00"
    assert problems(line) == ["pending-lease"]
    pending = (await compliance.get("/api/v1/compliance/leases", pending="true")).json()
    assert [item["reported_as"] for item in pending["items"]] == [
        {"kind": "api_number", "identifier": "42-383-12345-00-00"}
    ]

    await compliance.publish(
        LeaseUpdated(
            tenant_id=compliance.org_a,
            lease_id=lease,
            name="Ranch A",
            rrc_district="08",
            rrc_lease_number="54321",
            lease_type="oil",
            status="active",
        )
    )
    line = await compliance.wait_line("2026-07", lease, lambda line: line["identifier"] == "54321")
    assert problems(line) == []
    assert (await compliance.get("/api/v1/compliance/leases", pending="true")).json()["total"] == 0


async def test_run_tickets_are_kept_and_compared_with_the_lease_totals(compliance):
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="200", gas="0", oil_dispositions=[("01", "150")])
    )
    await compliance.wait_line("2026-07", lease)
    ticket = RunTicketRecorded(
        tenant_id=compliance.org_a,
        ticket_id=uuid7(),
        ticket_number="RT-1",
        lease_id=lease,
        battery_id=uuid7(),
        tank_id=uuid7(),
        taken_at="2026-07-20T10:00:00Z",
        production_month=JULY,
        disposition_code="01",
        gross_bbl="182",
        net_bbl="180",
        observed_gravity_api="40",
        observed_temperature_f="70",
        bsw_percent="0.3",
        purchaser="Plains",
        recorded_by="pumper-1",
    )
    await compliance.publish(ticket)
    line = await compliance.wait_line("2026-07", lease, lambda line: problems(line))
    assert problems(line) == ["run-tickets-differ"]
    # Production recomputes the month with the ticket: the warning goes away.
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="200", gas="0", oil_dispositions=[("01", "180")])
    )
    await compliance.wait_line("2026-07", lease, lambda line: not problems(line))


async def test_a_redelivered_event_is_applied_once(compliance):
    lease = await compliance.lease()
    event = compliance.lease_month(lease, JULY, gas="0")
    await compliance.publish(event, msg_id="copy-1")
    await compliance.publish(event, msg_id="copy-2")  # past JetStream's de-duplication: only the inbox is left
    metrics = compliance.app.state.runtime.metrics.registry

    async def handled_twice():
        applied = metrics.get_sample_value(
            "consumer_handled_total", {"consumer": "compliance-lease-month-updated", "outcome": "applied"}
        )
        duplicate = metrics.get_sample_value(
            "consumer_handled_total", {"consumer": "compliance-lease-month-updated", "outcome": "duplicate"}
        )
        return (applied, duplicate) == (1.0, 1.0)

    await until(handled_twice, what="handled_twice")
    report = await compliance.report("2026-07")
    assert report["totals"]["leases"] == 1


async def test_a_burst_of_a_lease_months_revisions_rebuilds_its_line_once_from_the_last(compliance):
    """A reading each: the revisions of one lease-month that arrive together are applied once, the newest (the
    one that arrived before the last here); every event is claimed in the inbox."""
    lease = await compliance.lease()
    burst = [compliance.lease_month(lease, JULY, liquid=str(100 * n), gas="0", revision=n) for n in (1, 2, 4, 3)]
    for event in burst:
        await compliance.publish(event)
    metrics = compliance.app.state.runtime.metrics.registry

    def outcome(name: str) -> float:
        labels = {"consumer": "compliance-lease-month-updated", "outcome": name}
        return metrics.get_sample_value("consumer_handled_total", labels) or 0.0

    async def settled() -> bool:
        return outcome("applied") + outcome("coalesced") == len(burst)

    await until(settled, what="every event of the burst handled")
    assert outcome("applied") < len(burst)  # the burst arrived within the linger: fewer rebuilds than events
    line = await compliance.wait_line("2026-07", lease)
    assert line["source_revision"] == 4
    claimed = await compliance.owner_query(
        "SELECT count(*) FROM inbox WHERE consumer = 'compliance-lease-month-updated' AND event_id = ANY(:ids)",
        ids=[event.event_id for event in burst],
    )
    assert claimed[0][0] == len(burst)


async def test_reports_are_confined_to_their_organization(compliance):
    lease = await compliance.lease()
    await compliance.publish(compliance.lease_month(lease, JULY, gas="0"))
    await compliance.wait_line("2026-07", lease)

    other = await compliance.get("/api/v1/form-pr/2026-07", org=compliance.org_b)
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    assert (await compliance.get("/api/v1/form-pr", org=compliance.org_b)).json()["items"] == []
    adjust = await compliance.post(
        "/api/v1/form-pr/2026-07/adjustments",
        {"lease_id": str(lease), "product": "liquid", "code": "07", "volume": "5", "reason": "not mine"},
        org=compliance.org_b,
    )
    assert adjust.status_code == 404
    prices = await compliance.put(
        f"/api/v1/severance-tax/leases/{lease}/2026-07/prices", {"liquid": {"price": "70"}}, org=compliance.org_b
    )
    assert prices.status_code == 404

    from wellflow_servicekit.database import Database

    database = Database(compliance.runtime_url, service="compliance", pool_size=1)
    try:
        async with database.engine.connect() as conn:
            assert await find_rls_gaps(conn) == []
    finally:
        await database.dispose()


async def test_roles_follow_the_permission_matrix(compliance):
    assert (await compliance.get("/api/v1/form-pr", role="pumper")).status_code == 403
    assert (await compliance.get("/api/v1/form-pr", role="auditor")).status_code == 200
    put = await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "123456"}, role="manager")
    assert put.status_code == 403


async def test_bad_periods_and_bodies_get_clear_problems(compliance):
    response = await compliance.get("/api/v1/form-pr/2026-13")
    assert response.status_code == 422
    assert "YYYY-MM" in response.json()["detail"]
    response = await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "12345"})
    assert response.status_code == 422
    assert "exactly 6 digits" in response.json()["detail"]
    response = await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "123456", "name": "A\x00B"})
    assert response.status_code == 422
    assert (await compliance.get("/api/v1/compliance/operator")).json()["rrc_operator_number"] is None


async def test_operator_number_comes_from_sign_up_and_can_be_corrected(compliance):
    from wellflow_contracts.events.identity import OrganizationCreated

    await compliance.publish(
        OrganizationCreated(
            tenant_id=compliance.org_a,
            organization_id=compliance.org_a,
            name="Ranch Oil LLC",
            rrc_operator_number="654321",
            created_by_user_id=uuid7(),
        )
    )

    async def known():
        body = (await compliance.get("/api/v1/compliance/operator")).json()
        return body if body["rrc_operator_number"] else None

    body = await until(known, what="known")
    assert (body["name"], body["rrc_operator_number"], body["source"]) == ("Ranch Oil LLC", "654321", "identity")
    corrected = await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "123456"})
    assert corrected.json()["rrc_operator_number"] == "123456" and corrected.json()["source"] == "manual"


async def test_a_terminated_lease_without_volumes_leaves_the_draft(compliance):
    producing = await compliance.lease()
    idle = await compliance.lease(name="Old Ranch", number="22222", api="42501201400000")
    await compliance.publish(compliance.lease_month(producing, JULY, gas="0"))
    await compliance.wait_line("2026-07", idle)  # an active lease is reported even without production
    await compliance.publish(
        LeaseUpdated(
            tenant_id=compliance.org_a,
            lease_id=idle,
            name="Old Ranch",
            rrc_district="08",
            rrc_lease_number="22222",
            lease_type="oil",
            status="terminated",
        )
    )

    async def gone():
        return await compliance.line("2026-07", idle) is None

    await until(gone, what="gone")
    assert (await compliance.report("2026-07"))["totals"]["leases"] == 1


async def test_a_month_that_arrives_after_the_next_one_sets_its_beginning_stock(compliance):
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(lease, AUGUST, liquid="400", gas="0", oil_dispositions=[("01", "300")])
    )
    line = await compliance.wait_line("2026-08", lease)
    assert (line["beginning_stock"], line["ending_stock"]) == (0, 100)
    # July is imported late (a backfill): August now begins with July's ending.
    await compliance.publish(
        compliance.lease_month(lease, JULY, liquid="500", gas="0", oil_dispositions=[("01", "450")], beginning="10")
    )
    line = await compliance.wait_line("2026-08", lease, lambda line: line["beginning_stock"] == 60)
    assert line["ending_stock"] == 160
