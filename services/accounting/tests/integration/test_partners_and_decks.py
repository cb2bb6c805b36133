"""Partners with masked tax ids, decks that must sum and not overlap, title holds, permissions and tenancy."""

from __future__ import annotations

from uuid import uuid4

from wellflow_servicekit.database import Database
from wellflow_servicekit.migrations import find_rls_gaps, runtime_role_problems


async def test_partner_crud_masks_the_tax_id_and_bank_account(books):
    body = {
        "name": "Ada Royalty",
        "kind": "individual",
        "roles": ["royalty_owner", "orri_owner"],
        "tax_id": "123-45-6789",
        "bank_routing_number": "111000025",
        "bank_account_number": "000123456789",
        "payment_method": "ach",
        "address_line1": "1 Ranch Rd",
        "city": "Midland",
        "state": "tx",
        "postal_code": "79701",
        "phone": "432-555-0101",
        "owner_number": "R-001",
    }
    created = await books.ok("POST", "/api/v1/partners", body, status=201)
    assert created["tax_id"] == "***-**-6789"
    assert created["bank_account_number"] == "****6789"
    assert "123456789" not in str(created)
    assert created["state"] == "TX"
    fetched = await books.ok("GET", f"/api/v1/partners/{created['id']}", role="auditor")
    assert fetched["tax_id"] == "***-**-6789"
    # Stored whole (1099 reporting needs it), never answered whole.
    [stored] = await books.owner_query("SELECT count(*) FROM partners")
    assert stored[0] == 0  # FORCE RLS hides tenant rows even from the owner role without a tenant
    patched = await books.ok(
        "PATCH", f"/api/v1/partners/{created['id']}", {"phone": "432-555-0199", "status": "inactive"}
    )
    assert (patched["phone"], patched["status"]) == ("432-555-0199", "inactive")


async def test_bad_partner_input_is_422_naming_the_field(books):
    response = await books.post("/api/v1/partners", {"name": "X", "kind": "individual", "roles": [], "tax_id": "12"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"body.roles", "body.tax_id"} <= fields
    response = await books.post("/api/v1/partners", {"name": "X", "kind": "trust", "roles": ["vendor"]})
    assert response.status_code == 422


async def test_partner_create_with_a_client_id_is_idempotent(books):
    body = {"id": str(uuid4()), "name": "Retry Oil Co", "kind": "company", "roles": ["purchaser"]}
    first = await books.post("/api/v1/partners", body)
    second = await books.post("/api/v1/partners", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    page = await books.ok("GET", "/api/v1/partners", role="manager")
    assert page["total"] == 1


async def test_partner_list_filters_and_pages(books):
    for i in range(5):
        await books.partner(f"Owner {i}", "royalty_owner")
    await books.partner("Big Oil", "working_interest_partner")
    page = await books.ok("GET", "/api/v1/partners", params={"role": "royalty_owner", "limit": 2})
    assert (page["total"], len(page["items"])) == (5, 2)
    page = await books.ok("GET", "/api/v1/partners", params={"q": "big"})
    assert [p["name"] for p in page["items"]] == ["Big Oil"]
    response = await books.get("/api/v1/partners", params={"sort": "tax_id"})
    assert response.status_code == 422


async def test_pumper_is_forbidden_and_manager_reads_only(books):
    assert (await books.get("/api/v1/partners", role="pumper")).status_code == 403
    body = {"name": "X", "kind": "company", "roles": ["vendor"]}
    assert (await books.post("/api/v1/partners", body, role="manager")).status_code == 403
    assert (await books.post("/api/v1/partners", body, role="owner")).status_code == 201


async def test_another_tenants_partner_and_deck_are_not_found(books):
    lease = await books.lease()
    owner = await books.partner("Ada", "royalty_owner")
    wi = await books.partner("Op", "working_interest_partner")
    deck = await books.deck(lease, [(owner, "royalty", "0.1875"), (wi, "working_interest", "0.8125")])
    assert (await books.get(f"/api/v1/partners/{owner}", org=books.org_b)).status_code == 404
    assert (await books.get(f"/api/v1/ownership-decks/{deck['id']}", org=books.org_b)).status_code == 404
    assert (await books.get("/api/v1/partners", org=books.org_b)).json()["total"] == 0
    hold = await books.put(f"/api/v1/title-holds/{owner}/{lease}", {"status": "pay"}, org=books.org_b)
    assert hold.status_code == 404
    # A deck in org B naming org A's partner: that partner does not exist there.
    lease_b = await books.lease(org=books.org_b)
    response = await books.post(
        "/api/v1/ownership-decks",
        {
            "lease_id": str(lease_b),
            "kind": "cost",
            "effective_from": "2026-01-01",
            "lines": [{"partner_id": wi, "interest_type": "working_interest", "decimal": "1"}],
        },
        org=books.org_b,
    )
    assert response.status_code == 422


async def test_a_deck_that_does_not_sum_is_rejected_with_the_difference(books):
    lease = await books.lease()
    owner = await books.partner("Ada", "royalty_owner")
    wi = await books.partner("Op", "working_interest_partner")
    body = {
        "lease_id": str(lease),
        "kind": "revenue",
        "effective_from": "2026-01-01",
        "lines": [
            {"partner_id": owner, "interest_type": "royalty", "decimal": "0.1875"},
            {"partner_id": wi, "interest_type": "working_interest", "decimal": "0.75"},
        ],
    }
    response = await books.post("/api/v1/ownership-decks", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["difference"] == "0.06250000"
    assert "0.93750000" in problem["detail"]
    assert (await books.get("/api/v1/ownership-decks")).json()["total"] == 0


async def test_overlapping_decks_are_rejected_and_an_ended_deck_makes_room(books):
    lease = await books.lease()
    wi1 = await books.partner("A", "working_interest_partner")
    wi2 = await books.partner("B", "working_interest_partner")
    first = await books.deck(lease, [(wi1, "working_interest", "1")], kind="cost", start="2026-01-01")
    body = {
        "lease_id": str(lease),
        "kind": "cost",
        "effective_from": "2026-06-01",
        "lines": [
            {"partner_id": wi1, "interest_type": "working_interest", "decimal": "0.5"},
            {"partner_id": wi2, "interest_type": "working_interest", "decimal": "0.5"},
        ],
    }
    response = await books.post("/api/v1/ownership-decks", body)
    assert response.status_code == 422 and "Overlaps" in response.json()["detail"]
    await books.ok("PATCH", f"/api/v1/ownership-decks/{first['id']}", {"effective_to": "2026-06-01"})
    second = await books.ok("POST", "/api/v1/ownership-decks", body, status=201)
    on_day = await books.ok("GET", "/api/v1/ownership-decks", params={"on": "2026-07-15", "lease_id": str(lease)})
    assert [d["id"] for d in on_day["items"]] == [second["id"]]
    # A revenue deck is another kind: it does not clash with cost decks.
    await books.deck(lease, [(wi1, "working_interest", "1")], kind="revenue")


async def test_a_deck_line_needs_the_matching_role(books):
    lease = await books.lease()
    vendor = await books.partner("Vendor", "vendor")
    response = await books.post(
        "/api/v1/ownership-decks",
        {
            "lease_id": str(lease),
            "kind": "cost",
            "effective_from": "2026-01-01",
            "lines": [{"partner_id": vendor, "interest_type": "working_interest", "decimal": "1"}],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.lines[0].partner_id"


async def test_a_deck_on_an_unknown_lease_is_422(books):
    wi = await books.partner("A", "working_interest_partner")
    response = await books.post(
        "/api/v1/ownership-decks",
        {
            "lease_id": str(uuid4()),
            "kind": "cost",
            "effective_from": "2026-01-01",
            "lines": [{"partner_id": wi, "interest_type": "working_interest", "decimal": "1"}],
        },
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.lease_id"


async def test_decimal_helper_answers_domain_examples(books):
    nri = await books.ok(
        "POST",
        "/api/v1/ownership-decks/decimal-helper",
        {"working_interest": "1", "royalty": "0.1875", "orri": "0.0625"},
    )
    assert nri["decimal"] == "0.75000000"
    royalty = await books.ok(
        "POST",
        "/api/v1/ownership-decks/decimal-helper",
        {"tracts": [{"net_mineral_acres": "40", "unit_acres": "640", "royalty_rate": "0.1875"}]},
    )
    assert royalty["decimal"] == "0.01171875"
    bad = await books.post(
        "/api/v1/ownership-decks/decimal-helper", {"working_interest": "1", "royalty": "0.9", "orri": "0.2"}
    )
    assert bad.status_code == 422


async def test_title_holds_need_a_reason_to_suspend(books):
    lease = await books.lease()
    owner = await books.partner("Ada", "royalty_owner")
    response = await books.put(f"/api/v1/title-holds/{owner}/{lease}", {"status": "suspend"})
    assert response.status_code == 422
    hold = await books.ok("PUT", f"/api/v1/title-holds/{owner}/{lease}", {"status": "suspend", "reason": "probate"})
    assert hold["status"] == "suspend"
    again = await books.ok("PUT", f"/api/v1/title-holds/{owner}/{lease}", {"status": "suspend", "reason": "probate"})
    assert again["reason"] == "probate"
    page = await books.ok("GET", "/api/v1/title-holds", params={"status": "suspend"})
    assert page["total"] == 1


async def test_every_tenant_table_has_forced_rls_and_the_runtime_role_is_plain(books):
    database: Database = books.app.state.accounting.database
    async with database.engine.connect() as conn:
        assert await find_rls_gaps(conn) == []
        assert await runtime_role_problems(conn) == []


async def test_only_an_unused_partner_can_be_deleted(books):
    lease = await books.lease()
    unused = await books.partner("Typo Owner", "royalty_owner")
    used = await books.partner("Op", "working_interest_partner")
    await books.deck(lease, [(used, "working_interest", "1")], kind="cost")
    assert (await books.request("DELETE", f"/api/v1/partners/{unused}")).status_code == 204
    assert (await books.get(f"/api/v1/partners/{unused}")).status_code == 404
    response = await books.request("DELETE", f"/api/v1/partners/{used}")
    assert response.status_code == 409 and response.json()["used_by"] == ["ownership decks"]
    assert (await books.request("DELETE", f"/api/v1/partners/{used}", role="manager")).status_code == 403


async def test_nul_text_and_impossible_months_are_bad_input(books):
    response = await books.post(
        "/api/v1/partners", {"name": "Ada\x00Royalty", "kind": "individual", "roles": ["vendor"]}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.name"
    response = await books.post(
        "/api/v1/partners", {"name": "Ada", "kind": "individual", "roles": ["vendor"], "email": "a\x00@b.co"}
    )
    assert response.status_code == 422
    assert (await books.get("/api/v1/partners", params={"q": "a\x00b"})).status_code == 422
    assert (await books.post("/api/v1/jib/runs", {"month": "9999-12-01"})).status_code == 422
    assert (await books.post("/api/v1/revenue/runs", {"month": "0001-01-01"})).status_code == 422
    response = await books.client.post(
        "/api/v1/jib/costs/import",
        content=b"date,vendor,category,lease,amount\n2026-03-01,A\x00B,other,x,1\n",
        headers={**books.as_role("accountant"), "content-type": "text/csv"},
    )
    assert response.status_code == 422
    assert (await books.get("/api/v1/partners")).json()["total"] == 0
