"""Seeds: organization A's representative data in each service, created through the gateway's public API.

A seed runs only when its service is in the merged OpenAPI document. A new service adds one async function
and one ``SEEDS`` line; its routes are probed even without one (with ids of other kinds), but a seed makes
the probe meaningful: the ids in the path then name real resources of the right kind.
"""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable

from security_checks import PASSWORD, TenantData

Seed = Callable[[TenantData], Awaitable[None]]


async def seed_identity(a: TenantData) -> None:
    """A second member (invited, accepted, role changed), an invitation, an API key and the organization's
    profile (which accounting prints on statements)."""
    invitation = await a.call(
        "POST",
        "/api/v1/invitations",
        resource="invitation",
        json_body={"email": f"pumper{a.tag}@alpha-oil.example.com", "role": "pumper"},
    )
    a.names.add(invitation["token"])
    await a.call(
        "POST",
        "/api/v1/invitations/accept",
        json_body={"token": invitation["token"], "password": PASSWORD, "full_name": a.name("Lee Pumper")},
        auth=False,
    )
    member = a.ids["user_id"][-1]
    await a.call("PATCH", f"/api/v1/members/{member}", json_body={"role": "manager"})
    key = await a.call(
        "POST", "/api/v1/api-keys", resource="api_key", json_body={"name": a.name("SCADA feed"), "role": "auditor"}
    )
    a.names.add(key["key"])
    profile = {
        "legal_name": a.name("Alpha Oil LLC"),
        "mailing_address": {
            "line1": a.name("410 Main St"),
            "city": "Big Spring",
            "state": "TX",
            "postal_code": "79720",
        },
        "phone": "432-555-0142",
    }
    await a.call("PATCH", "/api/v1/organizations/current", json_body=profile)


async def seed_wells(a: TenantData) -> None:
    """A field, a lease, two wells, a battery with a tank and connected wells, a well test, equipment, a permit."""
    field_ = await a.call(
        "POST", "/api/v1/fields", resource="field", json_body={"name": a.name("Spraberry Trend"), "county": "Midland"}
    )
    lease = await a.call(
        "POST",
        "/api/v1/leases",
        resource="lease",
        json_body={
            "name": a.name("Ranch A"),
            "rrc_district": "08",
            "rrc_lease_number": "12345",
            "lease_type": "oil",
            "field_id": field_["id"],
        },
    )
    await a.call("PATCH", f"/api/v1/leases/{lease['id']}", resource="lease", json_body={"county": "Midland"})
    wells = []
    for number, api in (("1H", "42-329-12345"), ("2H", "42-329-12346")):
        wells.append(
            await a.call(
                "POST",
                "/api/v1/wells",
                resource="well",
                json_body={
                    "name": a.name(f"Ranch A {number}"),
                    "api_number": api,
                    "lease_id": lease["id"],
                    "field_id": field_["id"],
                    "well_type": "oil",
                    "purpose": "development",
                    "status": "producing",
                },
            )
        )
    first, second = wells
    await a.call("PATCH", f"/api/v1/wells/{first['id']}", resource="well", json_body={"county": "Midland"})
    battery = await a.call(
        "POST",
        "/api/v1/batteries",
        resource="battery",
        json_body={
            "name": a.name("Ranch A Battery"),
            "lease_id": lease["id"],
            "field_id": field_["id"],
            "tanks": [{"number": "1", "capacity_bbl": "400", "strapping": [["0", "0"], ["240", "400"]]}],
            "wells": [{"well_id": first["id"], "effective_from": "2026-01-01"}],
        },
    )
    await a.call(
        "POST",
        f"/api/v1/batteries/{battery['id']}/wells",
        resource="battery",
        json_body={"well_id": second["id"], "effective_from": "2026-01-01"},
    )
    await a.call(
        "POST",
        f"/api/v1/batteries/{battery['id']}/wells/{second['id']}/disconnect",
        resource="battery",
        json_body={"effective_to": "2026-02-01"},
    )
    await a.call(
        "POST",
        f"/api/v1/wells/{first['id']}/tests",
        resource="well_test",
        json_body={
            "test_date": "2026-01-15",
            "oil_bbl_per_day": "120.50",
            "gas_mcf_per_day": "300",
            "water_bbl_per_day": "40",
            "notes": a.name("Test after acid job"),
        },
    )
    await a.call(
        "POST",
        f"/api/v1/wells/{first['id']}/status",
        resource="well",
        json_body={"status": "shut_in", "effective_date": "2026-02-01", "reason": "tubing leak"},
    )
    await a.call(
        "POST",
        "/api/v1/equipment",
        resource="equipment",
        json_body={
            "tag": a.name("PU-1"),
            "equipment_type": "pumping_unit",
            "well_id": first["id"],
            "battery_id": battery["id"],
        },
    )
    await a.call(
        "POST",
        "/api/v1/permits",
        resource="permit",
        json_body={"permit_number": a.name("W1-"), "permit_type": "drilling", "well_id": first["id"]},
    )


async def seed_production(a: TenantData) -> None:
    """A reading (then corrected), a tank gauge, a run ticket and a gas disposition on A's wells and tank, a
    CSV import of readings and the alerts of a day's check."""
    well, lease, tank = a.first("well_id"), a.first("lease_id"), a.first("tank_id")
    if a.serves("post", "/api/v1/readings"):
        reading = await a.call_eventually(
            "POST",
            "/api/v1/readings",
            resource="reading",
            json_body={
                "well_id": well,
                "production_date": "2026-01-10",
                "oil_bbl": "42.5",
                "gas_mcf": "110",
                "water_bbl": "18",
                "hours_on": "24",
                "comments": a.name("Pumper note"),
            },
        )
        if a.serves("patch", "/api/v1/readings/{reading_id}"):
            await a.call(
                "PATCH",
                f"/api/v1/readings/{reading['reading_id']}",
                resource="reading",
                json_body={"oil_bbl": "43.5", "reason": "meter misread", "version": reading["version"]},
            )
    if a.serves("post", "/api/v1/tank-gauges"):
        await a.call_eventually(
            "POST",
            "/api/v1/tank-gauges",
            resource="tank_gauge",
            json_body={"tank_id": tank, "gauged_at": "2026-01-10T07:00:00-06:00", "feet": 5, "inches": 2},
        )
    if a.serves("post", "/api/v1/run-tickets"):
        await a.call_eventually(
            "POST",
            "/api/v1/run-tickets",
            resource="run_ticket",
            json_body={
                "ticket_number": "RT-1001",
                "purchaser": a.name("Permian Crude Purchasing"),
                "tank_id": tank,
                "taken_at": "2026-01-11T09:00:00-06:00",
                "opening_gauge": {"feet": 8, "inches": 0},
                "closing_gauge": {"feet": 2, "inches": 0},
                "observed_gravity_api": "40.1",
                "observed_temperature_f": "72",
                "bsw_percent": "0.3",
            },
        )
    if a.serves("post", "/api/v1/production/gas-dispositions"):
        await a.call_eventually(
            "POST",
            "/api/v1/production/gas-dispositions",
            resource="disposition",
            json_body={"lease_id": lease, "month": "2026-01-01", "code": "02", "mcf": "3000"},
        )
    if a.serves("post", "/api/v1/readings/imports"):
        # the second well's reading, imported from a pumper's CSV file: with it, January's production balances
        # the run ticket, the month-end gauge and the gas disposition above, so the Form PR can be filed
        await a.call_eventually(
            "POST",
            "/api/v1/readings/imports?file_name=field-sheet.csv",
            resource="import",
            content="api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on\n42-329-12346,2026-01-12,115.5,2890,5,24\n",
            content_type="text/csv",
            strict=False,
        )
    if a.serves("post", "/api/v1/production-alerts/checks"):
        # a producing well without a reading that day raises a missing-reading alert
        await a.call_eventually(
            "POST",
            "/api/v1/production-alerts/checks",
            resource="alert",
            json_body={"day": "2026-01-20"},
            strict=False,
        )
        if "alert_id" not in a.ids and a.serves("get", "/api/v1/production-alerts"):
            await a.call_eventually("GET", "/api/v1/production-alerts", resource="alert", strict=False)


async def seed_accounting(a: TenantData) -> None:
    """A partner, revenue and cost decks and a title hold on A's lease, a JIB agreement, an approved AFE with an
    election, and January's revenue and JIB runs.
    Accounting is still being built: a refused step is reported by the test, not fatal."""
    lease, well = a.first("lease_id"), a.first("well_id")
    partner = None
    if a.serves("post", "/api/v1/partners"):
        partner = await a.call_eventually(
            "POST",
            "/api/v1/partners",
            resource="partner",
            json_body={
                "name": a.name("Permian Royalty Trust"),
                "kind": "company",
                "roles": ["working_interest_partner"],
            },
            strict=False,
        )
    if partner and a.serves("patch", "/api/v1/partners/{partner_id}"):
        await a.call_eventually(
            "PATCH",
            f"/api/v1/partners/{partner['id']}",
            resource="partner",
            json_body={"city": "Midland"},
            strict=False,
        )
    if partner and a.serves("post", "/api/v1/ownership-decks"):
        line = {"partner_id": partner["id"], "interest_type": "working_interest", "decimal": "1"}
        for kind in ("revenue", "cost"):
            await a.call_eventually(
                "POST",
                "/api/v1/ownership-decks",
                resource="deck",
                json_body={"lease_id": lease, "kind": kind, "effective_from": "2026-01-01", "lines": [line]},
                strict=False,
            )
    if partner and a.serves("put", "/api/v1/title-holds/{partner_id}/{lease_id}"):
        await a.call_eventually(
            "PUT",
            f"/api/v1/title-holds/{partner['id']}/{lease}",
            resource="title_hold",
            json_body={"status": "suspend", "reason": "curative title work"},
            strict=False,
        )
    if a.serves("post", "/api/v1/jib/agreements"):
        await a.call_eventually(
            "POST",
            "/api/v1/jib/agreements",
            resource="agreement",
            json_body={
                "lease_id": lease,
                "name": a.name("Ranch A JOA"),
                "drilling_overhead_rate": "1500",
                "producing_overhead_rate": "150",
                "rates_set_on": "2025-04-01",
            },
            strict=False,
        )
    if a.serves("post", "/api/v1/afes"):
        afe = await a.call_eventually(
            "POST",
            "/api/v1/afes",
            resource="afe",
            json_body={
                "afe_number": "AFE-2026-01",
                "title": a.name("Ranch A 3H drill and complete"),
                "lease_id": lease,
                "well_id": well,
                "lines": [{"kind": "intangible", "category": "intangible_drilling", "amount": "250000"}],
            },
            strict=False,
        )
        if afe and partner and a.serves("put", "/api/v1/afes/{afe_id}/elections"):
            await a.call_eventually(
                "PUT",
                f"/api/v1/afes/{afe['id']}/elections",
                resource="afe",
                json_body={"partner_id": partner["id"], "election": "consent", "decided_on": "2026-01-05"},
                strict=False,
            )
        if afe and a.serves("post", "/api/v1/afes/{afe_id}/transitions"):
            for status in ("pending_approval", "approved"):
                await a.call_eventually(
                    "POST",
                    f"/api/v1/afes/{afe['id']}/transitions",
                    resource="afe",
                    json_body={"status": status},
                    strict=False,
                )
    await _seed_runs(a, lease)
    await _seed_owner_law(a, partner, lease)
    if partner:
        await _seed_1099(a, partner["id"])
    await _seed_statement(a, lease)


async def _seed_owner_law(a: TenantData, partner: dict | None, lease: str) -> None:
    """An owner's 91.504 information request, a late-interest rate entry and the year's (empty) escheat report."""
    if partner and a.serves("post", "/api/v1/information-requests"):
        body = {
            "partner_id": partner["id"],
            "lease_id": lease,
            "kind": "deductions",
            "received_on": "2026-02-02",
            "asked": a.name("Explain the January deductions"),
        }
        await a.call_eventually(
            "POST", "/api/v1/information-requests", resource="request", json_body=body, strict=False
        )
    if a.serves("post", "/api/v1/late-interest-rates"):
        body = {"effective": "2026-01-02", "annual_rate": "0.04", "source": a.name("Fed release")}
        await a.call_eventually("POST", "/api/v1/late-interest-rates", resource="rate", json_body=body, strict=False)
    if a.serves("post", "/api/v1/escheat/reports"):
        body = {"report_year": 2026, "holder_tax_id": "751234567"}
        await a.call_eventually("POST", "/api/v1/escheat/reports", resource="report", json_body=body, strict=False)


async def _seed_1099(a: TenantData, partner: str) -> None:
    """The partner's EIN, the filer's IRS settings, a payment made outside the payment runs and a test IRS file
    of 2026 (the file needs the operator's profile from identity: retried until accounting has it)."""
    if not a.serves("post", "/api/v1/tax/1099/filings"):
        return
    await a.call_eventually(
        "PATCH", f"/api/v1/partners/{partner}", resource="partner", json_body={"tax_id": "75-1112222"}, strict=False
    )
    settings = {"payer_tin": "75-1234567", "transmitter_control_code": "5A123", "contact_name": a.name("Jo Books"),
                "contact_phone": "432-555-0142"}  # fmt: skip
    await a.call_eventually("PUT", "/api/v1/tax/1099/settings", json_body=settings, strict=False)
    payment = {"partner_id": partner, "paid_on": "2026-01-15", "kind": "working_interest", "gross": "2500.00"}
    await a.call_eventually(
        "POST", "/api/v1/tax/1099/outside-payments", resource="outside_payment", json_body=payment, strict=False
    )
    await a.call_eventually(
        "POST",
        "/api/v1/tax/1099/filings",
        resource="filing",
        json_body={"year": 2026, "test": True},
        seconds=20,
        strict=False,
    )


async def _seed_runs(a: TenantData, lease: str) -> None:
    """January's prices, costs (one over the AFE's estimate, which raises an AFE alert), a finalized revenue
    run and an issued JIB run, each with its owners' statements."""
    if a.serves("put", "/api/v1/prices"):
        for product, price in (("oil", "71.25"), ("gas", "2.85")):
            await a.call_eventually(
                "PUT",
                "/api/v1/prices",
                resource="price",
                json_body={"month": "2026-01-01", "product": product, "price": price},
                strict=False,
            )
    if a.serves("post", "/api/v1/revenue/runs"):
        run = await a.call_eventually(
            "POST", "/api/v1/revenue/runs", resource="revenue_run", json_body={"month": "2026-01-01"}, strict=False
        )
        if run and a.serves("post", "/api/v1/revenue/runs/{run_id}/finalize"):
            await a.call_eventually(
                "POST", f"/api/v1/revenue/runs/{run['id']}/finalize", resource="revenue_run", json_body={}, strict=False
            )
        if run and a.serves("get", "/api/v1/revenue/runs/{run_id}/statements"):
            await a.call_eventually(
                "GET", f"/api/v1/revenue/runs/{run['id']}/statements", resource="revenue_statement", strict=False
            )
    if a.serves("post", "/api/v1/jib/costs"):
        for amount, category, afe_number in (
            ("1850.00", "lease_operating", None),
            ("300000.00", "intangible_drilling", "AFE-2026-01"),
        ):
            await a.call_eventually(
                "POST",
                "/api/v1/jib/costs",
                resource="cost",
                json_body={
                    "incurred_on": "2026-01-20",
                    "lease_id": lease,
                    "vendor_name": a.name("Big Spring Well Service"),
                    "category": category,
                    "amount": amount,
                    "afe_number": afe_number,
                },
                strict=False,
            )
    if a.serves("get", "/api/v1/afes/alerts"):
        await a.call_eventually("GET", "/api/v1/afes/alerts", resource="afe_alert", strict=False)
    if a.serves("post", "/api/v1/jib/runs"):
        run = await a.call_eventually(
            "POST", "/api/v1/jib/runs", resource="jib_run", json_body={"month": "2026-01-01"}, strict=False
        )
        if run and a.serves("post", "/api/v1/jib/runs/{run_id}/issue"):
            await a.call_eventually(
                "POST", f"/api/v1/jib/runs/{run['id']}/issue", resource="jib_run", json_body={}, strict=False
            )
    await _seed_payments(a)


async def _seed_payments(a: TenantData) -> None:
    """A JIB payment larger than the partner's bill (a credit), and a payment run that refunds it by check: approved,
    sent, its payments listed."""
    partner = a.first("partner_id")
    if not (partner and a.serves("post", "/api/v1/payments/runs")):
        return
    if a.serves("post", "/api/v1/jib/payments"):
        body = {"partner_id": partner, "received_on": "2026-02-05", "amount": "999999.00"}
        await a.call_eventually("POST", "/api/v1/jib/payments", resource="jib_payment", json_body=body, strict=False)
    run = await a.call_eventually(
        "POST",
        "/api/v1/payments/runs",
        resource="payment_run",
        json_body={"include_jib_credits": True, "pay_date": "2026-02-20"},
        strict=False,
    )
    if not run:
        return
    for step in ("approve", "send"):
        await a.call_eventually(
            "POST", f"/api/v1/payments/runs/{run['id']}/{step}", resource="payment_run", json_body={}, strict=False
        )
    await a.call_eventually("GET", f"/api/v1/payments/runs/{run['id']}/payments", resource="payment", strict=False)


async def _seed_statement(a: TenantData, lease: str) -> None:
    """A purchaser statement imported through a saved column map, with a price outside the posted range: an
    import and a reconciliation item (docs/reconciliation.md)."""
    if not a.serves("post", "/api/v1/purchaser-statements/imports"):
        return
    buyer = await a.call_eventually(
        "POST",
        "/api/v1/partners",
        resource="purchaser",
        json_body={"name": a.name("Permian Crude"), "kind": "company", "roles": ["purchaser"]},
        strict=False,
    )
    if not buyer:
        return
    column_map = await a.call_eventually(
        "PUT",
        "/api/v1/purchaser-statements/column-maps",
        resource="column_map",
        json_body={
            "purchaser_id": buyer["id"],
            "name": a.name("stub"),
            "layout": {
                "columns": {
                    "check_number": "Check",
                    "property_number": "Property",
                    "month": "Month",
                    "product": "Product",
                    "volume": "Volume",
                    "price": "Price",
                    "gross_value": "Gross",
                }
            },
        },
        strict=False,
    )
    await a.call_eventually(
        "PUT",
        "/api/v1/reconciliation/posted-prices",
        json_body={"month": "2026-01-01", "product": "oil", "low": "70", "high": "72"},
        strict=False,
    )
    await a.call_eventually(
        "PUT",
        "/api/v1/purchaser-statements/property-map",
        json_body={"purchaser_id": buyer["id"], "property_number": "P-1", "lease_id": lease},
        strict=False,
    )
    if column_map:
        await a.call_eventually(
            "POST",
            f"/api/v1/purchaser-statements/imports?map_id={column_map['id']}",
            content="Check,Property,Month,Product,Volume,Price,Gross\n7001,P-1,2026-01,oil,100,7.10,710.00\n",
            content_type="text/csv",
            strict=False,
        )
    await a.call_eventually("GET", "/api/v1/reconciliation/items", resource="item", strict=False)


async def seed_compliance(a: TenantData) -> None:
    """A severance tax relief and prices on A's lease, A's filing calendar (its obligations' ids), and
    January's Form PR with an adjustment, filed."""
    lease = a.first("lease_id")
    if a.serves("post", "/api/v1/severance-tax/leases/{lease_id}/reliefs"):
        await a.call_eventually(
            "POST",
            f"/api/v1/severance-tax/leases/{lease}/reliefs",
            resource="relief",
            json_body={
                "code": "low_producing_oil",
                "effective_from": "2026-01-01",
                "inputs": {"certified_price": "28.50"},
            },
            strict=False,
        )
    if a.serves("put", "/api/v1/severance-tax/leases/{lease_id}/{period}/prices"):
        await a.call_eventually(
            "PUT",
            f"/api/v1/severance-tax/leases/{lease}/2026-01/prices",
            json_body={"liquid": {"price": "71.25"}},
            strict=False,
        )
    if a.serves("get", "/api/v1/filing-calendar"):
        # the calendar's obligations follow the lease's events: wait until it has some
        await a.call_eventually(
            "GET",
            "/api/v1/filing-calendar",
            resource="obligation",
            seconds=30,
            strict=False,
            ready=lambda page: bool(page and page.get("items")),
        )
    await _seed_form_pr(a, lease)


async def _seed_form_pr(a: TenantData, lease: str) -> None:
    """January's Form PR draft (built from production's lease months), an office adjustment, and its filing
    (the e2e stack runs a stand-in for the RRC portal)."""
    if not a.serves("get", "/api/v1/form-pr/{period}"):
        return
    draft = await a.call_eventually("GET", "/api/v1/form-pr/2026-01", resource="report", seconds=30, strict=False)
    if draft is None:
        return
    if a.serves("post", "/api/v1/form-pr/{period}/adjustments"):
        await a.call_eventually(
            "POST",
            "/api/v1/form-pr/2026-01/adjustments",
            resource="adjustment",
            json_body={
                "lease_id": lease,
                "product": "remark",
                "remark": a.name("Tank re-strapped"),
                "reason": "office remark for the month",
            },
            strict=False,
        )
    if a.serves("post", "/api/v1/form-pr/{period}/submit"):
        # refused until production's lease month (readings, tickets, dispositions) has reached compliance
        await a.call_eventually("POST", "/api/v1/form-pr/2026-01/submit", resource="version", seconds=30, strict=False)


async def seed_documents(a: TenantData) -> None:
    """A lease document linked to A's lease (multipart upload), a second version, and an open resumable upload."""
    if not a.serves("post", "/api/v1/documents"):
        return
    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()
    blank.new_page(612, 792)
    buffer = io.BytesIO()
    blank.save(buffer)
    pdf = buffer.getvalue()
    links = [{"kind": "lease", "id": a.first("lease_id")}] if a.ids.get("lease_id") else []
    form = {"title": a.name("Ranch A lease"), "document_type": "lease", "links": json.dumps(links)}
    response = await a.client.post(
        "/api/v1/documents", data=form, files={"file": ("lease.pdf", pdf, "application/pdf")}, headers=a.headers
    )
    assert response.status_code == 201, f"seed POST /api/v1/documents: {response.status_code} {response.text}"
    document = response.json()
    a.harvest(document, "document")
    version = await a.client.post(
        f"/api/v1/documents/{document['id']}/versions",
        data={"reason": a.name("recorded copy")},
        files={"file": ("lease-recorded.pdf", pdf + b"% recorded\n", "application/pdf")},
        headers=a.headers,
    )
    assert version.status_code == 201, version.text
    await a.call(
        "POST",
        "/api/v1/documents/uploads",
        resource="upload",
        json_body={"size_bytes": 1000, "title": a.name("Gauge photo"), "document_type": "photo"},
    )


# Service name -> seed. A seed runs only when its service is in the merged document, in this order; a later
# seed may use ids an earlier one harvested (e.g. ``a.first("well_id")``).
SEEDS: dict[str, Seed] = {
    "identity": seed_identity,
    "wells": seed_wells,
    "production": seed_production,
    "compliance": seed_compliance,
    "accounting": seed_accounting,
    "documents": seed_documents,
}


async def seed_tenant(a: TenantData, services: list[str]) -> list[str]:
    """Run the seeds of the services present; returns the names of the seeds that ran."""
    ran = []
    for name, seed in SEEDS.items():
        if name in services:
            await seed(a)
            ran.append(name)
    return ran
