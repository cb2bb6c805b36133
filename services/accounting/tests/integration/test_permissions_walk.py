"""The permission matrix on every accounting route: owner and accountant write, manager and auditor read,
a pumper gets nothing (docs/permissions.md). Each write route is tried with a body that would be valid enough
to reach the use case, so a 403 can only come from the permission check."""

from __future__ import annotations

from uuid import uuid4

ANY = str(uuid4())
WRITES = [
    ("POST", "/api/v1/partners", {"name": "X", "kind": "company", "roles": ["vendor"]}),
    ("PATCH", f"/api/v1/partners/{ANY}", {"phone": "1"}),
    ("DELETE", f"/api/v1/partners/{ANY}", None),
    (
        "POST",
        "/api/v1/ownership-decks",
        {
            "lease_id": ANY,
            "kind": "cost",
            "effective_from": "2026-01-01",
            "lines": [{"partner_id": ANY, "interest_type": "working_interest", "decimal": "1"}],
        },
    ),
    ("PATCH", f"/api/v1/ownership-decks/{ANY}", {"effective_to": None}),
    ("PUT", f"/api/v1/title-holds/{ANY}/{ANY}", {"status": "pay"}),
    ("PUT", "/api/v1/prices", {"month": "2026-03-01", "product": "oil", "price": "70"}),
    (
        "POST",
        "/api/v1/prices/purchaser-statements",
        {
            "month": "2026-03-01",
            "product": "oil",
            "lease_id": ANY,
            "purchaser_id": ANY,
            "volume": "1",
            "gross_value": "1",
        },
    ),
    ("POST", "/api/v1/revenue/runs", {"month": "2026-03-01"}),
    ("POST", f"/api/v1/revenue/runs/{ANY}/finalize", None),
    (
        "POST",
        "/api/v1/jib/agreements",
        {
            "lease_id": ANY,
            "name": "JOA",
            "drilling_overhead_rate": "1",
            "producing_overhead_rate": "1",
            "rates_set_on": "2025-01-01",
        },
    ),
    ("PATCH", f"/api/v1/jib/agreements/{ANY}", {"name": "JOA"}),
    ("PUT", f"/api/v1/jib/agreements/{ANY}/adjustments/2026", {"percent": "1"}),
    (
        "POST",
        "/api/v1/jib/costs",
        {"incurred_on": "2026-03-01", "lease_id": ANY, "vendor_name": "V", "category": "other", "amount": "1"},
    ),
    ("POST", "/api/v1/jib/payments", {"partner_id": ANY, "received_on": "2026-03-01", "amount": "1"}),
    ("POST", "/api/v1/jib/runs", {"month": "2026-03-01"}),
    ("POST", f"/api/v1/jib/runs/{ANY}/issue", None),
    ("POST", "/api/v1/afes", {"afe_number": "A-1", "title": "T", "lease_id": ANY}),
    ("PUT", f"/api/v1/afes/{ANY}/lines", {"lines": []}),
    ("POST", f"/api/v1/afes/{ANY}/transitions", {"status": "pending_approval"}),
    ("PUT", f"/api/v1/afes/{ANY}/elections", {"partner_id": ANY, "election": "consent", "decided_on": "2026-01-01"}),
    ("POST", f"/api/v1/afes/alerts/{ANY}/acknowledge", None),
    (
        "PUT",
        "/api/v1/tax/1099/settings",
        {
            "payer_tin": "75-1234567",
            "transmitter_control_code": "5A123",
            "contact_name": "J",
            "contact_phone": "4325550142",
        },
    ),
    ("POST", "/api/v1/tax/1099/filings", {"year": 2025}),
    (
        "POST",
        "/api/v1/tax/1099/outside-payments",
        {"partner_id": ANY, "paid_on": "2025-03-01", "kind": "royalty", "gross": "1"},
    ),
    ("DELETE", f"/api/v1/tax/1099/outside-payments/{ANY}", None),
]
READS = [
    "/api/v1/partners",
    "/api/v1/ownership-decks",
    "/api/v1/title-holds",
    "/api/v1/prices",
    "/api/v1/revenue/runs",
    "/api/v1/suspense",
    "/api/v1/jib/agreements",
    "/api/v1/jib/costs",
    "/api/v1/jib/payments",
    "/api/v1/jib/runs",
    "/api/v1/afes",
    "/api/v1/afes/alerts",
    "/api/v1/tax/1099?year=2025",
    "/api/v1/tax/1099/settings",
    "/api/v1/tax/1099/filings?year=2025",
    "/api/v1/tax/1099/outside-payments?year=2025",
]


async def test_only_owner_and_accountant_write(books):
    for method, path, body in WRITES:
        for role in ("pumper", "manager", "auditor"):
            response = await books.request(method, path, body, role=role)
            assert response.status_code == 403, (role, method, path, response.status_code)
        for role in ("owner", "accountant"):
            response = await books.request(method, path, body, role=role)
            assert response.status_code != 403, (role, method, path, response.text)


async def test_every_role_but_pumper_reads(books):
    for path in READS:
        for role in ("owner", "manager", "accountant", "auditor"):
            response = await books.get(path, role=role)
            assert response.status_code == 200, (role, path, response.text)
        assert (await books.get(path, role="pumper")).status_code == 403, path
