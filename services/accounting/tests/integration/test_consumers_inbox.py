"""The consumers on real NATS: wells, production and compliance events land in accounting's copies, a
duplicate is applied once (inbox), and an older lease-month revision never replaces a newer one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import nats
from sqlalchemy import select

from wellflow_accounting.adapters.tables import lease_months, leases, run_ticket_refusals, severance_taxes
from wellflow_contracts import encode, to_headers
from wellflow_contracts.events.compliance import SeveranceTaxComputed, SeveranceTaxLine
from wellflow_contracts.events.production import LeaseMonthUpdated, RunTicketRejected, RunTicketRejectionResolved
from wellflow_contracts.events.wells import LeaseRegistered
from wellflow_contracts.ids import uuid7
from wellflow_contracts.subjects import event_subject

D = Decimal


def _month(books, lease_id, revision: int, oil: str) -> LeaseMonthUpdated:
    return LeaseMonthUpdated(
        tenant_id=books.org_a,
        lease_id=lease_id,
        month=date(2026, 3, 1),
        revision=revision,
        lease_type="oil",
        oil_bbl=D(oil),
        condensate_bbl=D(0),
        casinghead_gas_mcf=D(0),
        gas_well_gas_mcf=D(0),
        water_bbl=D(0),
        liquid_bbl=D(oil),
        gas_mcf=D(0),
        production_days=31,
        oil_disposed_bbl=D(oil),
        gas_disposition_mismatch_mcf=D(0),
    )


def _tax(books, lease_id) -> SeveranceTaxComputed:
    return SeveranceTaxComputed(
        tenant_id=books.org_a,
        lease_id=lease_id,
        month=date(2026, 3, 1),
        revision=1,
        lease_type="oil",
        lines=[
            SeveranceTaxLine(
                product="oil",
                volume=D(1200),
                gross_value=D("84000.00"),
                market_value=D("84000.00"),
                rate=D("0.046"),
                tax=D("3864.00"),
                regulatory_fee=D("7.50"),
            )
        ],
        total_tax=D("3864.00"),
        total_regulatory_fees=D("7.50"),
    )


async def test_events_from_nats_are_applied_once_and_keep_the_highest_revision(books, infra, root, until):
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()
    lease_id = uuid7()

    async def publish(event, msg_id: str, source: str) -> None:
        headers = {**to_headers(event, source=source), "Nats-Msg-Id": msg_id}
        await js.publish(event_subject(event.tenant_id, event.type, root), encode(event), headers=headers)

    try:
        lease = LeaseRegistered(
            tenant_id=books.org_a,
            lease_id=lease_id,
            name="Ranch A",
            rrc_district="08",
            rrc_lease_number="1",
            lease_type="oil",
            county="Midland",
            status="active",
        )
        await publish(lease, "lease-1", "/wellflow/wells")
        await publish(lease, "lease-1-copy", "/wellflow/wells")  # past JetStream's dedup: only the inbox is left
        newer, older = _month(books, lease_id, 3, "1200"), _month(books, lease_id, 2, "1100")
        await publish(newer, "month-3", "/wellflow/production")
        await publish(newer, "month-3-copy", "/wellflow/production")
        await publish(older, "month-2", "/wellflow/production")
        await publish(_tax(books, lease_id), "tax-1", "/wellflow/compliance")
        database = books.app.state.accounting.database

        async def applied() -> bool:
            inbox = await books.owner_query("SELECT count(*) FROM inbox")
            return inbox[0][0] >= 4

        await until(applied)
        await until(applied)  # duplicates are claimed by the inbox and skipped, never applied again
        async with database.unit_of_work(books.org_a) as uow:
            assert (await uow.connection.execute(select(leases.c.name))).all() == [("Ranch A",)]
            row = (await uow.connection.execute(select(lease_months))).mappings().one()
            assert (row["revision"], row["liquid_sold_bbl"]) == (3, D("1200.0000"))
            tax_row = (await uow.connection.execute(select(severance_taxes))).mappings().one()
            assert tax_row["lines"] == {"oil": "3864.00"}
        inbox = await books.owner_query("SELECT consumer, count(*) FROM inbox GROUP BY consumer ORDER BY consumer")
        assert [tuple(r) for r in inbox] == [
            ("accounting-lease-month-updated", 2),  # revision 3 once, revision 2 (ignored by the revision guard)
            ("accounting-lease-registered", 1),
            ("accounting-severance-tax-computed", 1),
        ]
    finally:
        await nc.close()


async def test_the_compliance_tax_is_used_by_the_run(books):
    lease = await books.lease()
    op = await books.partner("Op", "working_interest_partner")
    await books.deck(lease, [(op, "working_interest", "1")])
    await books.volumes(lease, date(2026, 3, 1), 1, oil="1000", taxed_at=None)
    await books.apply(
        SeveranceTaxComputed(
            tenant_id=books.org_a,
            lease_id=lease,
            month=date(2026, 3, 1),
            revision=1,
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
    await books.ok("PUT", "/api/v1/prices", {"month": "2026-03-01", "product": "oil", "price": "70"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": "2026-03-01"}, status=201)
    [sale] = run["sales"]
    assert (sale["severance_tax"], sale["tax_source"]) == ("1610.00", "compliance")


async def test_a_refusal_and_its_settlement_from_nats_are_applied_once(books, infra, root, until):
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()

    async def publish(event, msg_id: str) -> None:
        headers = {**to_headers(event, source="/wellflow/production"), "Nats-Msg-Id": msg_id}
        await js.publish(event_subject(event.tenant_id, event.type, root), encode(event), headers=headers)

    lease_id, ticket_id = uuid7(), uuid7()
    try:
        refused = RunTicketRejected(
            tenant_id=books.org_a,
            ticket_id=ticket_id,
            ticket_number="T-77",
            purchaser="Permian Crude Purchasing",
            lease_id=lease_id,
            tank_id=uuid7(),
            production_month=date(2026, 3, 1),
            gross_bbl=D("150"),
            net_bbl=D("149.2"),
            reason="seal broken",
            rejected_at=datetime(2026, 3, 11, tzinfo=UTC),
            recorded_by="pumper",
        )
        settled = RunTicketRejectionResolved(
            tenant_id=books.org_a,
            ticket_id=ticket_id,
            lease_id=lease_id,
            resolution="purchaser's refusal upheld",
            resolved_by="amy",
            resolved_at=datetime(2026, 3, 20, tzinfo=UTC),
        )
        await publish(refused, "refused-1")
        await publish(refused, "refused-1-copy")  # past JetStream's dedup: only the inbox is left
        await publish(settled, "settled-1")
        await publish(settled, "settled-1-copy")

        async def applied() -> bool:
            inbox = await books.owner_query("SELECT count(*) FROM inbox")
            return inbox[0][0] >= 2

        await until(applied)
        async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
            row = (await uow.connection.execute(select(run_ticket_refusals))).mappings().one()
        assert (row["ticket_id"], row["reason"], row["resolution"], row["resolved_by"]) == (
            ticket_id,
            "seal broken",
            "purchaser's refusal upheld",
            "amy",
        )
        inbox = await books.owner_query("SELECT consumer, count(*) FROM inbox GROUP BY consumer ORDER BY consumer")
        assert [tuple(r) for r in inbox] == [
            ("accounting-run-ticket-rejected", 1),
            ("accounting-run-ticket-rejection-resolved", 1),
        ]
    finally:
        await nc.close()
