"""Production's copy of the asset registry, fed by wells events over real NATS: applied once however often
delivered, batteries replaced as a whole, status changes effective-dated."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import nats

from wellflow_contracts import encode, to_headers
from wellflow_contracts.events.wells import (
    BatteryConfigured,
    ConnectedWell,
    LeaseRegistered,
    TankFacts,
    WellRegistered,
    WellStatusChanged,
    WellTestRecorded,
)
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject
from wellflow_servicekit.testing import until


# long: one scenario publishes every wells event type twice and checks each copy once
async def test_the_same_wells_event_delivered_twice_is_applied_once(prod, infra, root):
    org = prod.org_a
    lease_id, well_id, battery_id, tank_id = uuid7(), uuid7(), uuid7(), uuid7()
    events = [
        LeaseRegistered(
            tenant_id=org,
            lease_id=lease_id,
            name="Mesa",
            rrc_district="7C",
            rrc_lease_number="0042",
            lease_type="oil",
            status="active",
        ),
        WellRegistered(
            tenant_id=org,
            well_id=well_id,
            name="Mesa 1",
            api_number="42383012340000",
            lease_id=lease_id,
            rrc_district="7C",
            lease_type="oil",
            well_type="oil",
            purpose="development",
            status="producing",
        ),
        BatteryConfigured(
            tenant_id=org,
            battery_id=battery_id,
            name="Mesa TB",
            lease_id=lease_id,
            tanks=[
                TankFacts(
                    tank_id=tank_id,
                    number="1",
                    product="oil",
                    capacity_bbl=Decimal(300),
                    strapping=[(Decimal(0), Decimal(0)), (Decimal(180), Decimal(300))],
                )
            ],
            wells=[ConnectedWell(well_id=well_id, api_number="42383012340000", effective_from=date(2025, 1, 1))],
        ),
        WellTestRecorded(
            tenant_id=org,
            test_id=uuid7(),
            well_id=well_id,
            api_number="42383012340000",
            lease_id=lease_id,
            test_date=date(2026, 1, 5),
            oil_bbl_per_day=Decimal(12),
            gas_mcf_per_day=Decimal(30),
            water_bbl_per_day=Decimal(40),
            hours=Decimal(24),
            recorded_by="x",
        ),
        WellStatusChanged(
            tenant_id=org,
            well_id=well_id,
            api_number="42383012340000",
            lease_id=lease_id,
            from_status="producing",
            to_status="shut_in",
            effective_date=date(2026, 3, 1),
            changed_by="x",
        ),
    ]
    connection = await nats.connect(infra.nats_url)
    try:
        js = connection.jetstream()
        for event in events:
            headers = to_headers(event, source="/wellflow/wells")
            subject = event_subject(org, event.type, root)
            for copy in ("a", "b"):
                await js.publish(subject, encode(event), headers={**headers, "Nats-Msg-Id": f"{event.event_id}-{copy}"})
    finally:
        await connection.close()

    async def status_history():
        rows = await prod.tenant_query("SELECT to_status FROM well_status_history ORDER BY effective_date")
        return rows if len(rows) == 2 else None

    await until(status_history, timeout=15, what="the status history", every=0.1)

    async def all_applied():
        rows = await prod.owner_query("SELECT count(*) FROM inbox")
        return rows[0][0] == len(events)

    await until(all_applied, timeout=15, what="every event applied", every=0.1)
    await asyncio.sleep(0.5)  # let the duplicates arrive too
    counts = {
        table: (await prod.tenant_query(f"SELECT count(*) AS n FROM {table}"))[0]["n"]
        for table in ("leases", "wells", "well_status_history", "batteries", "tanks", "battery_wells", "well_tests")
    }
    assert counts == {
        "leases": 1,
        "wells": 1,
        "well_status_history": 2,
        "batteries": 1,
        "tanks": 1,
        "battery_wells": 1,
        "well_tests": 1,
    }
    assert (await prod.owner_query("SELECT count(*) FROM inbox"))[0][0] == len(events)
    well = (await prod.tenant_query("SELECT status FROM wells"))[0]
    assert well["status"] == "shut_in"
    # Readings know the well now; before the shut-in it is producing, after it a volume needs confirmation
    assert (await prod.reading(well_id, date(2026, 2, 10))).status_code == 201


async def test_a_battery_configuration_replaces_tanks_and_connected_wells(prod):
    site = await prod.site(wells=2)
    new_tank = uuid7()
    await prod.apply(
        BatteryConfigured(
            tenant_id=prod.org_a,
            battery_id=site.battery_id,
            name="renamed",
            lease_id=site.lease_id,
            tanks=[
                TankFacts(
                    tank_id=new_tank,
                    number="T9",
                    product="oil",
                    capacity_bbl=Decimal(500),
                    strapping=[(Decimal(0), Decimal(0)), (Decimal(240), Decimal(500))],
                )
            ],
            wells=[
                ConnectedWell(
                    well_id=site.well_ids[0],
                    api_number=site.api_numbers[0],
                    effective_from=date(2020, 1, 1),
                    effective_to=date(2026, 6, 1),
                )
            ],
        )
    )
    tanks = {r["id"]: r["active"] for r in await prod.tenant_query("SELECT id, active FROM tanks")}
    assert tanks == {site.tank_ids[0]: False, site.tank_ids[1]: False, new_tank: True}
    links = await prod.tenant_query("SELECT well_id, effective_to FROM battery_wells")
    assert [(r["well_id"], r["effective_to"]) for r in links] == [(site.well_ids[0], date(2026, 6, 1))]
    old_tank = await prod.post(
        "/api/v1/tank-gauges",
        {"tank_id": str(site.tank_ids[0]), "gauged_at": "2026-09-01T07:00:00Z", "feet": 1, "inches": 0},
    )
    assert old_tank.status_code == 422
