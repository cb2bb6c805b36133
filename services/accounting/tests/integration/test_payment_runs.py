"""Payment runs through the API on real PostgreSQL: a finalized revenue run paid by ACH and check, the owner under
the minimum held, Texas late-payment interest as a line of its own, two approvers, a crash between writing the
files and marking them sent, the ACH file read back by a reader of the test's own."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from wellflow_accounting.app.payments import send as send_module

D = Decimal
MARCH = date(2026, 3, 1)
PAY_DATE = "2026-08-10"  # March oil is a first sale: due 120 days after March 31, July 29; 12 days late

SETTINGS = {
    "immediate_destination": "111000025",
    "immediate_destination_name": "First Permian Bank",
    "immediate_origin": "1751234567",
    "immediate_origin_name": "Permian Test Operating",
    "company_name": "Permian Test",
    "company_id": "1751234567",
    "odfi_routing": "111000025",
    "entry_description": "ROYALTY",
    "prenote_wait_days": 0,
    "check_account_number": "8800123456",
}


# The organization's own entry in the 91.403 rate table (it wins over the published history from its day on).
RATE_ID = "0190a000-0000-7000-8000-000000000045"
RATE = {"id": RATE_ID, "effective": "2026-01-01", "annual_rate": "0.045", "source": "test: the Fed's release"}


async def configure(books, **changes) -> None:
    """The payment settings, and the rate of 4.50% from January 1, 2026 (a retry of the same entry is harmless)."""
    await books.ok("PUT", "/api/v1/payments/settings", SETTINGS | changes)
    response = await books.post("/api/v1/late-interest-rates", RATE)
    assert response.status_code in (200, 201), response.text


def person(books, subject: str, role: str = "accountant") -> dict[str, str]:
    return {"Authorization": f"Bearer {books.mint.token(books.org_a, role, subject)}"}


async def finalized_march(books) -> tuple[str, dict[str, str]]:
    """Ranch A sold 1,000 bbl at $70.00 in March: Ada (ACH) 0.0125, Mesa Minerals (a company, ACH) 0.05,
    Bob (check) 0.001 (under the $100 minimum) and the operator's working interest (check) for the rest."""
    lease = await books.lease(name="Ranch A")
    ada = await books.partner(
        "Ada Whitfield",
        "royalty_owner",
        tax_id="123-45-6781",
        payment_method="ach",
        bank_routing_number="021000021",
        bank_account_number="000123456789",
    )
    mesa = await books.partner(
        "Mesa Minerals LP",
        "royalty_owner",
        tax_id="75-1000011",
        kind="company",
        payment_method="ach",
        bank_routing_number="122000247",
        bank_account_number="9876543210",
        bank_account_type="savings",
    )
    bob = await books.partner("Bob Small", "royalty_owner", tax_id="123-45-6782")
    op = await books.partner("Operator WI", "working_interest_partner", kind="company", tax_id="75-1000012")
    await books.deck(
        lease,
        [
            (ada, "royalty", "0.0125"),
            (mesa, "royalty", "0.05"),
            (bob, "royalty", "0.001"),
            (op, "working_interest", "0.9365"),
        ],
    )
    await books.volumes(lease, MARCH, 1, oil="1000")
    await books.ok("PUT", "/api/v1/prices", {"month": MARCH.isoformat(), "product": "oil", "price": "70.00"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": MARCH.isoformat()}, status=201)
    await books.ok("POST", f"/api/v1/revenue/runs/{run['id']}/finalize")
    return run["id"], {"ada": ada, "mesa": mesa, "bob": bob, "op": op}


async def pending_approval(books) -> float | None:
    metrics = books.app.state.runtime.metrics
    await metrics.refresh_business(force=True)
    return metrics.registry.get_sample_value("accounting_payment_runs_pending_approval")


async def payments_by_name(books, run_id: str) -> dict[str, dict]:
    page = await books.ok("GET", f"/api/v1/payments/runs/{run_id}/payments", params={"limit": 200})
    return {p["name"]: p for p in page["items"]}


def read_ach(text: str) -> dict:
    """The test's own reader: slices records by the NACHA positions and adds the totals up itself."""
    records = text.splitlines()
    assert all(len(r) == 94 for r in records) and len(records) % 10 == 0
    entries = [
        {"code": r[1:3], "rdfi": r[3:11], "account": r[12:29].strip(), "cents": int(r[29:39]), "name": r[54:76].strip()}
        for r in records
        if r[0] == "6"
    ]
    batches = [{"count": int(r[4:10]), "hash": int(r[10:20]), "credits": int(r[32:44])} for r in records if r[0] == "8"]
    [control] = [r for r in records if r[0] == "9" and r != "9" * 94]
    return {
        "entries": entries,
        "batches": batches,
        "secs": [r[50:53] for r in records if r[0] == "5"],
        "control": {
            "batches": int(control[1:7]),
            "entries": int(control[13:21]),
            "hash": int(control[21:31]),
            "credits": int(control[43:55]),
        },
    }


async def test_a_revenue_run_is_paid_by_ach_and_check_with_interest_and_a_hold(books):
    revenue_id, _who = await finalized_march(books)
    await configure(books)
    run = await books.ok(
        "POST", "/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}, status=201
    )
    assert run["status"] == "draft"
    paid = await payments_by_name(books, run["id"])
    ada, mesa, bob, op = paid["Ada Whitfield"], paid["Mesa Minerals LP"], paid["Bob Small"], paid["Operator WI"]
    assert (ada["method"], mesa["method"], op["method"]) == ("ach", "ach", "check")
    # Ada: 0.0125 of $70,000 = $875.00 less $40.25 tax = $834.75; 12 days late at 4.5% + 2 points:
    # 834.75 x 0.065 x 12 / 365 = 1.78385 -> $1.78
    assert (ada["gross"], ada["tax"], ada["interest"], ada["net"]) == ("875.00", "40.25", "1.78", "836.53")
    # Mesa: $3,500.00 - $161.00 = $3,339.00; 3339 x 0.065 x 12 / 365 = 7.13540 -> $7.14
    assert (mesa["interest"], mesa["net"]) == ("7.14", "3346.14")
    assert bob["status"] == "held" and bob["net"] == "0.00" and "minimum" in bob["hold_reason"]
    assert ada["account_last4"] == "6789" and "account_number" not in ada
    detail = await books.ok("GET", f"/api/v1/payments/runs/{run['id']}/payments/{ada['id']}")
    kinds = [line["kind"] for line in detail["lines"]]
    assert sorted(kinds) == ["interest", "revenue"]
    [interest] = [line for line in detail["lines"] if line["kind"] == "interest"]
    assert (interest["due_on"], interest["days_late"], interest["net"]) == ("2026-07-29", 12, "1.78")
    assert interest["sale_month"] == "2026-03-01" and interest["product"] == "oil" and "91.403" in interest["note"]

    # Files before approval: refused. One approval (settings ask for one) approves.
    assert (await books.post(f"/api/v1/payments/runs/{run['id']}/files")).status_code == 409
    approved = await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/approve")
    assert approved["status"] == "approved"
    # Another person approving again is refused; a second run for the same revenue run too.
    again = await books.post(f"/api/v1/payments/runs/{run['id']}/approve")
    assert again.status_code == 409 and again.json()["type"].endswith("already-approved")
    twice = await books.post("/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE})
    assert twice.status_code == 409

    sent = await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/send")
    assert sent["status"] == "sent" and sent["has_ach_file"]
    response = await books.get(f"/api/v1/payments/runs/{run['id']}/ach-file")
    assert response.status_code == 200
    ach = read_ach(response.text)
    assert ach["secs"] == ["PPD", "CCD"]
    # Ada gets a prenote (23, zero) and her credit (22); Mesa's savings account a prenote (33) and a credit (32).
    assert sorted((e["code"], e["cents"]) for e in ach["entries"]) == [
        ("22", 83653),
        ("23", 0),
        ("32", 334614),
        ("33", 0),
    ]
    assert ach["control"]["credits"] == 83653 + 334614 == sum(b["credits"] for b in ach["batches"])
    assert ach["control"]["hash"] == 2 * 2100002 + 2 * 12200024  # 8-digit RDFI numbers, two entries each
    assert ach["control"]["entries"] == 4 and ach["control"]["batches"] == 2
    after = await payments_by_name(books, run["id"])
    assert after["Operator WI"]["check_number"] == 1001 and after["Operator WI"]["status"] == "sent"
    assert after["Ada Whitfield"]["trace_number"].startswith("11100002")
    events = await books.owner_query("SELECT event_type FROM outbox WHERE event_type LIKE 'accounting.payment%'")
    assert sorted(e[0] for e in events) == ["accounting.payment_run_approved.v1"] + ["accounting.payment_sent.v1"] * 3


async def test_two_approvers_must_be_two_different_people(books):
    revenue_id, _ = await finalized_march(books)
    await configure(books, require_two_approvers=True)
    run = await books.ok(
        "POST", "/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}, status=201
    )
    path = f"/api/v1/payments/runs/{run['id']}/approve"
    first = await books.client.post(path, headers=person(books, "alice"))
    assert first.json()["status"] == "draft" and first.json()["first_approved_by"] == "alice"
    same = await books.client.post(path, headers=person(books, "alice"))
    assert same.status_code == 200 and same.json()["status"] == "draft"
    assert await pending_approval(books) == 1  # the business gauge: one approval of two is still waiting
    second = await books.client.post(path, headers=person(books, "bob", role="owner"))
    assert second.json()["status"] == "approved" and second.json()["approved_by"] == "bob"
    assert await pending_approval(books) == 0
    manager = await books.client.post(path, headers=person(books, "carol", role="manager"))
    assert manager.status_code == 403
    [event] = await books.owner_query(
        "SELECT payload FROM outbox WHERE event_type = 'accounting.payment_run_approved.v1'"
    )
    assert json.loads(event[0])["approved_by"] == ["alice", "bob"]


async def test_a_crash_after_the_file_is_written_is_retried_without_paying_twice(books, monkeypatch):
    revenue_id, _ = await finalized_march(books)
    await configure(books)
    run = await books.ok(
        "POST", "/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}, status=201
    )
    await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/approve")
    real_mark_sent = send_module.mark_sent

    async def crash(*args, **kwargs):
        raise RuntimeError("the process died after writing the file")

    monkeypatch.setattr(send_module, "mark_sent", crash)
    crashed = await books.post(f"/api/v1/payments/runs/{run['id']}/send")
    assert crashed.status_code == 500
    between = await books.ok("GET", f"/api/v1/payments/runs/{run['id']}")
    assert between["status"] == "files_generated"
    first_file = (await books.get(f"/api/v1/payments/runs/{run['id']}/ach-file")).text
    numbers = {
        p["name"]: (p["check_number"], p["trace_number"]) for p in (await payments_by_name(books, run["id"])).values()
    }

    monkeypatch.setattr(send_module, "mark_sent", real_mark_sent)
    sent = await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/send")
    assert sent["status"] == "sent"
    assert (await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/send"))["status"] == "sent"
    assert (await books.get(f"/api/v1/payments/runs/{run['id']}/ach-file")).text == first_file
    after = await payments_by_name(books, run["id"])
    assert {p["name"]: (p["check_number"], p["trace_number"]) for p in after.values()} == numbers
    events = await books.owner_query("SELECT count(*) FROM outbox WHERE event_type = 'accounting.payment_sent.v1'")
    assert events[0][0] == 3  # Ada, Mesa and the working interest: once each
    settings = await books.ok("GET", "/api/v1/payments/settings")
    assert settings["next_check_number"] == 1002  # one check written, once


async def test_bad_settings_name_the_field_and_other_tenants_see_nothing(books):
    response = await books.put("/api/v1/payments/settings", SETTINGS | {"odfi_routing": "111000026"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.odfi_routing"
    assert "check digit" in response.json()["errors"][0]["message"]
    bad_partner = await books.post(
        "/api/v1/partners",
        {"name": "X", "kind": "individual", "roles": ["royalty_owner"], "bank_routing_number": "021000022"},
    )
    assert bad_partner.status_code == 422 and bad_partner.json()["errors"][0]["field"] == "body.bank_routing_number"
    revenue_id, _ = await finalized_march(books)
    await books.ok("PUT", "/api/v1/payments/settings", SETTINGS)  # no rate entered: the published history prices it
    run = await books.ok(
        "POST", "/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}, status=201
    )
    # The published rate from Dec. 11, 2025 is 3.75%: $834.75 x 5.75% x 12/365 = $1.578 -> $1.58
    assert (await payments_by_name(books, run["id"]))["Ada Whitfield"]["interest"] == "1.58"
    assert (await books.get(f"/api/v1/payments/runs/{run['id']}", org=books.org_b)).status_code == 404
    assert (await books.post(f"/api/v1/payments/runs/{run['id']}/approve", org=books.org_b)).status_code == 404
    assert (await books.get("/api/v1/payments/runs", org=books.org_b)).json()["total"] == 0


async def test_settings_refuse_null_where_a_value_is_always_kept_and_clear_the_bank_fields(books):
    await configure(books)
    for field in ("entry_description", "require_two_approvers", "next_check_number", "prenote_wait_days"):
        response = await books.put("/api/v1/payments/settings", {field: None})
        assert response.status_code == 422, (field, response.text)
        assert response.json()["errors"][0]["field"] == f"body.{field}"
    # The rates are the rate table's (POST /api/v1/late-interest-rates), not a list of the settings.
    listed = await books.put("/api/v1/payments/settings", {"late_interest_rates": [RATE]})
    assert listed.status_code == 422 and listed.json()["errors"][0]["field"] == "body.late_interest_rates"
    kept = await books.ok("GET", "/api/v1/payments/settings")
    kept_values = (kept["entry_description"], kept["prenote_wait_days"], kept["company_name"])
    assert kept_values == ("ROYALTY", 0, "Permian Test")
    cleared = await books.ok("PUT", "/api/v1/payments/settings", {"company_name": None, "check_account_number": None})
    assert (cleared["company_name"], cleared["check_account_last4"], cleared["entry_description"]) == (
        None,
        None,
        "ROYALTY",
    )


async def sent_run(books) -> tuple[dict, dict[str, dict]]:
    revenue_id, _ = await finalized_march(books)
    await configure(books)
    run = await books.ok(
        "POST", "/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}, status=201
    )
    await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/approve")
    run = await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/send")
    return run, await payments_by_name(books, run["id"])


async def test_checks_print_with_the_stub_void_reissue_and_positive_pay(books):
    run, paid = await sent_run(books)
    op = paid["Operator WI"]
    checks = await books.ok("GET", f"/api/v1/payments/runs/{run['id']}/checks")
    [check] = checks["checks"]
    assert check["check_number"] == 1001 and check["amount"] == op["net"]
    [stub] = check["stub"]  # the 91.502 items of the lease line
    assert (stub["lease"], stub["sales_month"], stub["volume_sold"], stub["price"]) == (
        "Ranch A (RRC 08-12345)",
        "03/2026",
        "1000.0000",
        "70.0000",
    )
    assert stub["owner_decimal"] == "0.93650000" and stub["windfall_profit_tax"] == "0.00"
    [interest_line] = check["other_lines"]  # the interest on March oil, after the 91.502 lines
    assert interest_line["kind"] == "interest" and interest_line["amount"] == op["interest"]
    pdf = await books.get(f"/api/v1/payments/runs/{run['id']}/checks", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # A check number already used cannot be given again: not to a reissue, not as the next number.
    used = await books.post(
        f"/api/v1/payments/runs/{run['id']}/payments/{op['id']}/void",
        {"reason": "lost in the mail", "reissue": True, "check_number": 1001},
    )
    assert used.status_code == 409 and used.json()["type"].endswith("check-number-used")
    assert (await books.ok("GET", f"/api/v1/payments/runs/{run['id']}/payments/{op['id']}"))["status"] == "sent"
    bad_next = await books.put("/api/v1/payments/settings", {"next_check_number": 1001})
    assert bad_next.status_code == 422 and bad_next.json()["errors"][0]["field"] == "body.next_check_number"

    reissued = await books.ok(
        "POST",
        f"/api/v1/payments/runs/{run['id']}/payments/{op['id']}/void",
        {"reason": "lost in the mail", "reissue": True},
    )
    assert reissued["check_number"] == 1002 and reissued["reissue_of"] == op["id"] and reissued["net"] == op["net"]
    register = await books.ok("GET", "/api/v1/payments/checks")
    assert [(c["check_number"], c["status"]) for c in register["items"]] == [(1001, "void"), (1002, "sent")]
    ach = await books.post(
        f"/api/v1/payments/runs/{run['id']}/payments/{paid['Ada Whitfield']['id']}/void", {"reason": "x"}
    )
    assert ach.status_code == 409

    csv_text = (
        await books.get("/api/v1/payments/positive-pay", params={"date_from": "2026-08-01", "date_to": "2099-12-31"})
    ).text
    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    assert rows[0] == ["Account Number", "Check Number", "Issue Date", "Amount", "Payee Name", "Issue/Void"]
    assert ["8800123456", "1001", "08/10/2026", op["net"], "OPERATOR WI", "I"] in rows
    assert ["8800123456", "1001", "08/10/2026", op["net"], "OPERATOR WI", "V"] in rows
    assert ["8800123456", "1002", "08/10/2026", op["net"], "OPERATOR WI", "I"] in rows


async def test_the_payments_post_cash_to_the_general_ledger(books):
    _run, paid = await sent_run(books)
    rows = await books.ok("GET", "/api/v1/gl/journal", params={"month": "2026-08-01", "format": "json"})
    pay = [r for r in rows if r["Journal No"].startswith("PAY-20260810")]
    assert pay, rows
    debits = sum(D(r["Debits"] or "0") for r in pay)
    credits = sum(D(r["Credits"] or "0") for r in pay)
    assert debits == credits
    cash = sum(D(r["Credits"] or "0") for r in pay if r["Account"] == "Operating Cash")
    assert cash == sum(D(p["net"]) for p in paid.values() if p["status"] == "sent")
    interest = sum(D(r["Debits"] or "0") for r in pay if r["Account"] == "Late Payment Interest Expense")
    assert interest == sum(D(p["interest"]) for p in paid.values())
    assert {r["Journal Date"] for r in pay} == {"08/10/2026"}


async def test_jib_balances_are_netted_where_the_joa_allows_and_credits_refunded(books):
    lease = await books.lease(name="Ranch B")
    roy = await books.partner("Roy Royalty", "royalty_owner", tax_id="123-45-6783")
    basin = await books.partner("Basin Partners", "working_interest_partner", kind="company", tax_id="75-1000013")
    credit = await books.partner("Credit Co", "working_interest_partner", kind="company", tax_id="75-1000014")
    await books.deck(lease, [(basin, "working_interest", "0.6"), (credit, "working_interest", "0.4")], kind="cost")
    await books.deck(
        lease, [(roy, "royalty", "0.125"), (basin, "working_interest", "0.525"), (credit, "working_interest", "0.35")]
    )
    agreement = {
        "lease_id": str(lease),
        "name": "JOA 2024",
        "drilling_overhead_rate": "0.00",
        "producing_overhead_rate": "0.00",
        "rates_set_on": "2024-07-01",
        "allow_revenue_netting": True,
    }
    assert (await books.ok("POST", "/api/v1/jib/agreements", agreement, status=201))["allow_revenue_netting"] is True
    cost = {"incurred_on": "2026-03-10", "lease_id": str(lease), "vendor_name": "Acme", "category": "workover"}
    await books.ok("POST", "/api/v1/jib/costs", cost | {"amount": "1000.00"}, status=201)
    jib = await books.ok("POST", "/api/v1/jib/runs", {"month": "2026-03-01"}, status=201)
    await books.ok("POST", f"/api/v1/jib/runs/{jib['id']}/issue")  # Basin owes 600.00, Credit Co 400.00
    payment = {"partner_id": credit, "received_on": "2026-04-05", "amount": "900.00"}
    await books.ok("POST", "/api/v1/jib/payments", payment, status=201)  # Credit Co paid 500.00 too much
    await books.volumes(lease, MARCH, 1, oil="1000")
    await books.ok("PUT", "/api/v1/prices", {"month": MARCH.isoformat(), "product": "oil", "price": "70.00"})
    revenue = await books.ok("POST", "/api/v1/revenue/runs", {"month": MARCH.isoformat()}, status=201)
    await books.ok("POST", f"/api/v1/revenue/runs/{revenue['id']}/finalize")
    await configure(books)
    body = {"distribution_run_id": revenue["id"], "pay_date": "2026-07-15"}  # before July 29: no interest
    run = await books.ok("POST", "/api/v1/payments/runs", body, status=201)
    paid = await payments_by_name(books, run["id"])
    # Basin: 0.525 of $70,000 = $36,750.00 less 0.525 of $3,220.00 tax ($1,690.50) = $35,059.50, less $600.00
    assert (paid["Basin Partners"]["netted"], paid["Basin Partners"]["net"]) == ("600.00", "34459.50")
    # Credit Co: $24,500.00 - $1,127.00 = $23,373.00, plus the $500.00 credit refunded
    assert paid["Credit Co"]["net"] == "23873.00" and paid["Credit Co"]["interest"] == "0.00"
    await books.ok("POST", f"/api/v1/payments/runs/{run['id']}/approve")
    jib_payments = (await books.ok("GET", "/api/v1/jib/payments", params={"limit": 200}))["items"]
    netted = {(p["partner_id"], p["amount"]) for p in jib_payments if (p["reference"] or "").startswith("payment run")}
    assert netted == {(basin, "600.00"), (credit, "-500.00")}
    # The books have moved: a second run for JIB credits alone finds nothing left to refund or net.
    again = await books.ok("POST", "/api/v1/payments/runs", {"pay_date": "2026-07-15"}, status=201)
    assert again["totals"]["payees"] == 0


async def test_an_owner_without_a_tin_is_backup_withheld_24_percent_and_the_1099_shows_it(books):
    """IRC 3406 (docs/1099.md): Ada's TIN is removed before the run; 24% of her $875.00 gross is withheld from
    what she is paid ($210.00), and her year's 1099-MISC carries it in box 4."""
    revenue_id, who = await finalized_march(books)
    await books.ok("PATCH", f"/api/v1/partners/{who['ada']}", {"tax_id": None})
    await configure(books)
    run = await books.ok(
        "POST", "/api/v1/payments/runs", {"distribution_run_id": revenue_id, "pay_date": PAY_DATE}, status=201
    )
    ada = (await payments_by_name(books, run["id"]))["Ada Whitfield"]
    assert (ada["gross"], ada["backup_withholding"]) == ("875.00", "210.00")
    assert "backup-withholding" in [w["code"] for w in run["warnings"]]
    mesa = (await payments_by_name(books, run["id"]))["Mesa Minerals LP"]
    assert mesa["backup_withholding"] == "0.00"
