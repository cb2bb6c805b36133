"""Year-end 1099s on real PostgreSQL: owners' TINs, the year's boxes from the payments sent in it, the 422s of an
owner without a TIN and an incomplete filer, the Pub 1220 file with its Idempotency-Key retry and corrections,
recipient copies as PDF, backup withholding for a payment run, and another tenant's 404s."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from pypdf import PdfReader
from sqlalchemy import insert

from wellflow_accounting.adapters.tables import payment_lines, payment_runs, payments
from wellflow_accounting.app.tax1099.withholding import payee_backup_withholding
from wellflow_contracts.events.identity import MailingAddress, OrganizationUpdated
from wellflow_contracts.ids import uuid7

D = Decimal
T99 = "/api/v1/tax/1099"
Y = {"year": 2025}
SETTINGS = {
    "payer_tin": "75-1234567",
    "transmitter_control_code": "5A123",
    "contact_name": "Jo Books",
    "contact_phone": "432-555-0142",
    "contact_email": "jo.books@caprock.example",
}


async def _profile(books: Any) -> None:
    address = MailingAddress(line1="410 N Main St", line2="Suite 200", city="Midland", state="TX", postal_code="79701")
    await books.apply(
        OrganizationUpdated(
            tenant_id=books.org_a,
            organization_id=books.org_a,
            version=2,
            name="Caprock Energy",
            legal_name="Caprock Energy LLC",
            mailing_address=address,
            phone="432-555-0142",
        )
    )


async def _paid(
    books: Any,
    pay_date: date,
    partner: str,
    lines: list[tuple[str, str, str, str]],
    *,
    withheld: str = "0.00",
    status: str = "sent",
) -> None:
    """A payment sent on ``pay_date`` with lines (kind, gross, tax, deductions), as a payment run records it."""
    run_id, payment_id = uuid7(), uuid7()
    net_lines = sum((D(g) - D(t) - D(d) for _, g, t, d in lines), D(0))
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        org = {"organization_id": books.org_a}
        await uow.connection.execute(
            insert(payment_runs).values(
                **org,
                id=run_id,
                include_jib_credits=False,
                pay_date=pay_date,
                status="sent",
                totals={},
                warnings=[],
                created_by="test",
                created_at=books_now(),
            )
        )
        await uow.connection.execute(
            insert(payments).values(
                **org,
                id=payment_id,
                run_id=run_id,
                payee_kind="owner",
                partner_id=UUID(partner),
                method="check",
                status=status,
                gross=sum((D(g) for _, g, _, _ in lines), D(0)),
                tax=sum((D(t) for _, _, t, _ in lines), D(0)),
                deductions=sum((D(d) for *_, d in lines), D(0)),
                netted=D(0),
                backup_withholding=D(withheld),
                interest=D(0),
                net=net_lines - D(withheld),
            )
        )
        for kind, gross, tax, deductions in lines:
            await uow.connection.execute(
                insert(payment_lines).values(
                    **org,
                    id=uuid7(),
                    payment_id=payment_id,
                    run_id=run_id,
                    kind=kind,
                    gross=D(gross),
                    tax=D(tax),
                    deductions=D(deductions),
                    net=D(gross) - D(tax) - D(deductions),
                )
            )


def books_now() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 1, 15, tzinfo=UTC)


def _box(item: dict[str, Any], form: str, box: str) -> str | None:
    return next((b["amount"] for b in item["boxes"] if b["form"] == form and b["box"] == box), None)


async def _owners(books: Any) -> dict[str, str]:
    ada = await books.partner(
        "Ada Whitfield",
        "royalty_owner",
        tax_id="123-45-6789",
        address_line1="44 Ranch Rd",
        city="Odessa",
        state="TX",
        postal_code="79761",
    )
    bo = await books.partner(
        "Bo Pruitt", "royalty_owner", address_line1="9 Elm St", city="Tulsa", state="OK", postal_code="74103"
    )
    wi = await books.partner(
        "Permian Partners LP",
        "working_interest_partner",
        kind="company",
        tax_id="75-1112222",
        address_line1="PO Box 77",
        city="Midland",
        state="TX",
        postal_code="79702",
    )
    await _paid(books, date(2025, 5, 20), ada, [("revenue", "875.00", "40.25", "0.00")])
    await _paid(books, date(2025, 12, 31), ada, [("suspense_release", "125.40", "5.77", "3.00")])
    await _paid(books, date(2026, 1, 20), ada, [("revenue", "300.00", "13.80", "0.00")])  # 2026 income
    await _paid(books, date(2025, 7, 1), ada, [("revenue", "999.00", "0.00", "0.00")], status="void")
    await _paid(books, date(2025, 6, 30), bo, [("revenue", "1250.10", "57.50", "0.00")], withheld="300.02")
    await _paid(books, date(2025, 9, 30), wi, [("revenue", "48211.37", "2217.72", "310.00")])
    return {"ada": ada, "bo": bo, "wi": wi}


async def test_the_year_of_each_owner_from_payments_sent_in_it(books: Any) -> None:
    owners = await _owners(books)
    page = await books.ok("GET", T99, params=Y)
    by_name = {item["name"]: item for item in page["items"]}
    assert page["total"] == 3
    ada = by_name["Ada Whitfield"]
    # Box 2 is gross: 875.00 paid in May and the 125.40 released from suspense on December 31; not the voided
    # check, not January 2026's payment.
    assert _box(ada, "1099-MISC", "2") == "1000.40"
    assert ada["reconciliation"]["net_paid"] == "951.38"  # 1000.40 - 46.02 tax - 3.00 deductions
    assert ada["tax_id"] == "***-**-6789" and ada["forms_due"] == ["1099-MISC"]
    bo = by_name["Bo Pruitt"]
    assert (_box(bo, "1099-MISC", "2"), _box(bo, "1099-MISC", "4")) == ("1250.10", "300.02")
    assert bo["needs_tin"] and bo["backup_withholding"] == "tin-missing"
    wi = by_name["Permian Partners LP"]
    assert _box(wi, "1099-NEC", "1") == "48211.37" and wi["forms_due"] == ["1099-NEC"]
    assert [i["name"] for i in (await books.ok("GET", T99, params={**Y, "needs_tin": "true"}))["items"]] == [
        "Bo Pruitt"
    ]
    assert [i["name"] for i in (await books.ok("GET", T99, params={**Y, "box": "nec-1"}))["items"]] == [
        "Permian Partners LP"
    ]
    assert (await books.ok("GET", T99, params={**Y, "partner_id": owners["ada"], "limit": 1}))["total"] == 1
    assert (await books.get(T99, params={"year": 1999})).status_code == 422
    assert (await books.get(T99, params={**Y, "box": "misc-9"})).status_code == 422


async def test_a_tin_is_checked_and_never_answered_whole(books: Any) -> None:
    owner = await books.partner("Cy Hollis", "royalty_owner")
    bad = await books.request("PATCH", f"/api/v1/partners/{owner}", {"tax_id": "666-12-3456"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.tax_id"
    bad_ein = await books.request("PATCH", f"/api/v1/partners/{owner}", {"tax_id": "07-1234567", "tin_type": "ein"})
    assert bad_ein.status_code == 422 and "07" in bad_ein.json()["errors"][0]["message"]
    ok = await books.ok("PATCH", f"/api/v1/partners/{owner}", {"tax_id": "123-45-6789"})
    assert ok["tax_id"] == "***-**-6789" and ok["tin_type"] == "ssn" and ok["backup_withholding"] is None
    noticed = await books.ok("PATCH", f"/api/v1/partners/{owner}", {"b_notice_on": "2025-10-15"})
    assert noticed["backup_withholding"] == "b-notice"
    assert "123456789" not in (await books.get(f"/api/v1/partners/{owner}")).text


async def test_backup_withholding_for_a_payment_run(books: Any) -> None:
    owners = await _owners(books)
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        assert await payee_backup_withholding(uow, UUID(owners["bo"]), D("1000.00")) == (D("240.00"), "tin-missing")
        assert await payee_backup_withholding(uow, UUID(owners["ada"]), D("1000.00")) == (D("0.00"), None)


async def test_the_irs_file_refuses_an_owner_without_a_tin_then_files_and_corrects(books: Any) -> None:
    owners = await _owners(books)
    await _profile(books)
    incomplete = await books.post(f"{T99}/filings", Y)
    assert incomplete.status_code == 422
    assert "settings.payer_tin" in [e["field"] for e in incomplete.json()["errors"]]
    await books.ok("PUT", "/api/v1/tax/1099/settings", SETTINGS)
    refused = await books.post(f"{T99}/filings", Y)
    assert refused.status_code == 422 and refused.json()["type"].endswith("tin-missing")
    assert "Bo Pruitt" in refused.json()["detail"]
    assert [o["partner_id"] for o in refused.json()["owners_without_tin"]] == [owners["bo"]]
    assert refused.json()["errors"][0]["field"].endswith("].tax_id")
    assert (await books.get(f"{T99}/filings", params=Y)).json() == []  # nothing was written
    await books.ok("PATCH", f"/api/v1/partners/{owners['bo']}", {"tax_id": "987-65-4321"})

    headers = {**books.as_role("accountant"), "Idempotency-Key": "irs-2025-1"}
    first = await books.client.post(f"{T99}/filings", json=Y, headers=headers)
    assert first.status_code == 201, first.text
    again = await books.client.post(f"{T99}/filings", json=Y, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    filing = first.json()
    assert filing["payees"] == 3
    assert filing["totals"] == {"1099-MISC": {"2": "2250.50", "4": "300.02"}, "1099-NEC": {"1": "48211.37"}}
    data = (await books.get(f"/api/v1/tax/1099/filings/{filing['id']}/file")).content
    assert len(data) % 750 == 0 and data[:1] == b"T" and data.count(b"\r\n") == len(data) // 750
    assert (await books.post(f"{T99}/filings", Y)).status_code == 409  # every return is filed

    # Ada is paid another 2025 amount late (a missed release): a one-step correction ("G") with the new box 2.
    await _paid(books, date(2025, 12, 30), owners["ada"], [("revenue", "50.00", "2.30", "0.00")])
    correction = await books.ok("POST", f"{T99}/filings", {**Y, "kind": "correction"}, status=201)
    assert correction["payees"] == 1 and correction["totals"] == {"1099-MISC": {"2": "1050.40"}}
    corrected = (await books.get(f"/api/v1/tax/1099/filings/{correction['id']}/file")).content
    b_record = corrected[750 * 2 : 750 * 3]
    assert b_record[:6] == b"B2025G" and b_record[66:78] == b"000000105040"
    listed = await books.ok("GET", f"{T99}/filings", params=Y)
    assert [f["kind"] for f in listed] == ["original", "correction"]


async def test_recipient_copies_as_pdf(books: Any) -> None:
    owners = await _owners(books)
    await _profile(books)
    await books.ok("PUT", "/api/v1/tax/1099/settings", SETTINGS)
    one = await books.get(f"{T99}/owners/{owners['ada']}", params={**Y, "format": "pdf"})
    assert one.status_code == 200 and one.headers["content-type"] == "application/pdf"
    assert "caprock-energy-owner-" in one.headers["content-disposition"]
    text = PdfReader(io.BytesIO(one.content)).pages[0].extract_text()
    assert "1099-MISC" in text and "1000.40" in text and "***-**-6789" in text and "75-1234567" in text
    assert "123456789" not in text.replace("-", "")
    every = await books.get(f"{T99}/recipient-copies.pdf", params=Y)
    assert len(PdfReader(io.BytesIO(every.content)).pages) == 3


async def test_another_organization_sees_none_of_it(books: Any) -> None:
    owners = await _owners(books)
    await _profile(books)
    await books.ok("PUT", "/api/v1/tax/1099/settings", SETTINGS)
    await books.ok("PATCH", f"/api/v1/partners/{owners['bo']}", {"tax_id": "987-65-4321"})
    filing = await books.ok("POST", f"{T99}/filings", Y, status=201)
    other = books.org_b
    assert (await books.get(f"{T99}/owners/{owners['ada']}", org=other, params=Y)).status_code == 404
    assert (await books.get(f"/api/v1/tax/1099/filings/{filing['id']}/file", org=other)).status_code == 404
    assert (await books.ok("GET", T99, org=other, params=Y))["total"] == 0
    assert (await books.get(T99, role="pumper", params=Y)).status_code == 403
    assert (await books.request("PUT", "/api/v1/tax/1099/settings", SETTINGS, role="auditor")).status_code == 403


async def test_payments_made_outside_wellflow_count_in_their_year(books: Any) -> None:
    owner = await books.partner("Dee Marsh", "royalty_owner", tax_id="123-45-6780")
    entry = {
        "id": str(uuid7()),
        "partner_id": owner,
        "paid_on": "2025-02-14",
        "kind": "royalty",
        "gross": "640.00",
        "backup_withholding": "0.00",
        "memo": "paid by the previous accounting system",
    }
    first = await books.ok("POST", "/api/v1/tax/1099/outside-payments", entry, status=201)
    assert (await books.ok("POST", "/api/v1/tax/1099/outside-payments", entry))["id"] == first["id"]
    changed = await books.post("/api/v1/tax/1099/outside-payments", {**entry, "gross": "641.00"})
    assert changed.status_code == 409
    bonus = {**entry, "id": str(uuid7()), "kind": "rent", "gross": "600.00", "memo": "lease bonus"}
    await books.ok("POST", "/api/v1/tax/1099/outside-payments", bonus, status=201)
    year = (await books.ok("GET", T99, params={**Y, "partner_id": owner}))["items"][0]
    assert (_box(year, "1099-MISC", "2"), _box(year, "1099-MISC", "1")) == ("640.00", "600.00")
    listed = await books.ok("GET", "/api/v1/tax/1099/outside-payments", params={"year": 2025})
    assert listed["total"] == 2
    unknown = await books.post(
        "/api/v1/tax/1099/outside-payments", {**entry, "id": str(uuid7()), "partner_id": str(uuid7())}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.partner_id"
    too_much = await books.post(
        "/api/v1/tax/1099/outside-payments", {**entry, "id": str(uuid7()), "backup_withholding": "700.00"}
    )
    assert too_much.status_code == 422
    assert (
        await books.request("DELETE", f"/api/v1/tax/1099/outside-payments/{first['id']}", org=books.org_b)
    ).status_code == 404
    assert (await books.request("DELETE", f"/api/v1/tax/1099/outside-payments/{first['id']}")).status_code == 204
    assert (await books.ok("GET", "/api/v1/tax/1099/outside-payments", params={"year": 2025}))["total"] == 1
