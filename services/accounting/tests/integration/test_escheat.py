"""Escheat of unclaimed suspense: presumed abandoned after three years (Property Code 75.101), letters before
May 1 for more than $250 (74.1011), the July 1 report as a NAUPA file (74.101), and what was reported leaving
suspense with the report named on its entries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import text

MARCH = date(2026, 3, 1)


def _at(books, day: date) -> None:
    books.app.state.accounting.clock = lambda: datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


async def _held_for_title(books):
    """Ada's 834.75 of March 2026 held for title on Ranch A, in a run finalized on Dec. 7, 2026."""
    lease = await books.lease(name="Ranch A")
    address = {"address_line1": "12 Elm St", "city": "Odessa", "state": "TX", "postal_code": "79761"}
    ada = await books.partner("Ada Royalty", "royalty_owner", owner_number="R-1", tax_id="123-45-6789", **address)
    bob = await books.partner("Bob Small", "royalty_owner", owner_number="R-2", **address)
    op = await books.partner("Operator WI", "working_interest_partner")
    await books.deck(lease, [(ada, "royalty", "0.0125"), (bob, "royalty", "0.001"), (op, "working_interest", "0.9865")])
    hold = {"status": "suspend", "reason": "probate pending"}
    await books.ok("PUT", f"/api/v1/title-holds/{ada}/{lease}", hold)
    await books.volumes(lease, MARCH, 1, oil="1000")
    await books.ok("PUT", "/api/v1/prices", {"month": MARCH.isoformat(), "product": "oil", "price": "70.00"})
    run = await books.ok("POST", "/api/v1/revenue/runs", {"month": MARCH.isoformat()}, status=201)
    _at(books, date(2026, 12, 7))
    await books.ok("POST", f"/api/v1/revenue/runs/{run['id']}/finalize")
    return lease, ada, bob


async def test_unclaimed_suspense_is_lettered_reported_and_leaves_suspense(books):
    _lease, ada, bob = await _held_for_title(books)
    # Held since Dec. 7, 2026 (the entries' day): unclaimed longer than three years from Dec. 8, 2029, so held on
    # March 1, 2030 and reported by July 1, 2030. Ada's 834.75 needs a letter (over $250); Bob's 66.78 does not.
    page = await books.ok("GET", "/api/v1/escheat/candidates", params={"as_of": "2030-03-02"})
    by_owner = {c["partner_id"]: c for c in page["items"]}
    assert set(by_owner) == {ada, bob}
    mine = by_owner[ada]
    assert (mine["amount"], mine["presumed_abandoned_on"], mine["report_year"], mine["letter_due_by"]) == (
        "834.75",
        "2029-12-08",
        2030,
        "2030-05-01",
    )
    assert mine["letter_required"] and mine["reportable"] and not by_owner[bob]["letter_required"]
    early = await books.ok("GET", "/api/v1/escheat/candidates", params={"as_of": "2030-02-28"})
    assert not any(c["reportable"] for c in early["items"])  # before March 1, 2030 nothing is reportable

    _at(books, date(2030, 3, 15))
    refused = await books.post("/api/v1/escheat/reports", {"report_year": 2030, "holder_tax_id": "751234567"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == f"partner_ids[{ada}]"
    letters = await books.ok("POST", "/api/v1/escheat/letters", {"report_year": 2030, "sent_on": "2030-03-15"})
    assert letters["sent"] == 2 and all("July 1, 2030" in item["text"] for item in letters["items"])
    again = await books.ok("POST", "/api/v1/escheat/letters", {"report_year": 2030, "sent_on": "2030-03-15"})
    assert again["sent"] == 0 and len(again["items"]) == 2  # one letter per owner and year

    _at(books, date(2030, 6, 1))
    report = await books.ok(
        "POST", "/api/v1/escheat/reports", {"report_year": 2030, "holder_tax_id": "751234567"}, status=201
    )
    assert report["total"] == "901.53"  # 834.75 + 66.78
    assert (await books.ok("POST", "/api/v1/escheat/reports", {"report_year": 2030, "holder_tax_id": "751234567"}))[
        "id"
    ] == report["id"]
    [listed] = await books.ok("GET", "/api/v1/escheat/reports")
    assert (listed["id"], listed["total"], len(listed["items"])) == (report["id"], "901.53", 2)
    file = await books.get(f"/api/v1/escheat/reports/{report['id']}/file")
    lines = file.text.split("\r\n")[:-1]
    assert [line[0] for line in lines] == ["1", "2", "4", "2", "4", "9"] and all(len(line) == 625 for line in lines)
    assert "000000090153" in lines[-1]  # the summary's total, cents implied
    # What was reported left suspense; the release entries name the report.
    assert (await books.ok("GET", "/api/v1/suspense"))["total"] == 0
    async with books.app.state.accounting.database.unit_of_work(books.org_a) as uow:
        released = (
            await uow.escheat.execute(
                text("SELECT count(*), sum(amount) FROM suspense_entries WHERE escheat_report_id = :report"),
                {"report": UUID(report["id"])},
            )
        ).all()
    assert released[0][0] == 2 and str(released[0][1]) == "-901.53"
    assert (await books.get(f"/api/v1/escheat/reports/{report['id']}/file", org=books.org_b)).status_code == 404


async def test_an_owner_who_answers_the_letter_is_not_reported(books):
    _lease, ada, bob = await _held_for_title(books)
    _at(books, date(2030, 3, 15))
    letters = await books.ok(
        "POST", "/api/v1/escheat/letters", {"report_year": 2030, "sent_on": "2030-03-15", "partner_ids": [ada]}
    )
    [letter] = letters["items"]
    claim = {"report_year": 2030, "claimed_on": "2030-04-02"}
    claimed = await books.ok("POST", f"/api/v1/escheat/owners/{ada}/claimed", claim)
    assert (claimed["id"], claimed["claimed_on"]) == (letter["id"], "2030-04-02")
    assert (await books.post(f"/api/v1/escheat/owners/{ada}/claimed", claim, org=books.org_b)).status_code == 404
    _at(books, date(2030, 6, 1))
    report = await books.ok(
        "POST", "/api/v1/escheat/reports", {"report_year": 2030, "holder_tax_id": "751234567"}, status=201
    )
    assert [item["partner_id"] for item in report["items"]] == [bob]
    left = await books.ok("GET", "/api/v1/suspense", params={"partner_id": ada})
    assert left["items"][0]["balance"] == "834.75"
