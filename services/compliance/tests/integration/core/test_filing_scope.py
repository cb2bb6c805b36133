"""An organization that comes with history: its go-live month puts what fell due before out of scope (not overdue,
never reminded, "before WellFlow"), and any month's obligation can be marked filed outside WellFlow with its
confirmation number (nothing is submitted) and undone by an owner with a reason, each change kept in the audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wellflow_compliance.app.calendar import send_deadline_notices

HISTORY = [date(2026, m, 1) for m in range(1, 8)]  # January to July 2026, arriving on August 3rd
CALENDAR = "/api/v1/filing-calendar"


async def _history(compliance) -> None:
    lease = await compliance.lease()
    for month in HISTORY:
        await compliance.publish(compliance.lease_month(lease, month, liquid="100", gas="0"))
    await compliance.wait_line("2026-07", lease)


async def _overdue(compliance, org=None) -> list[dict]:
    response = await compliance.get(CALENDAR, org=org, pending_only="true", due_to="2026-08-02", limit=200)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_the_go_live_month_clears_the_overdue_count_and_the_missed_notices(compliance):
    await _history(compliance)
    scope = (await compliance.get(f"{CALENDAR}/scope")).json()
    assert (scope["go_live_month"], scope["source"]) == ("2026-08", "first_data")  # by default: first data's month
    assert await _overdue(compliance) == []

    cleared = await compliance.put(f"{CALENDAR}/scope", {"go_live_month": None, "clear": True, "reason": "audit"})
    assert cleared.status_code == 200 and cleared.json()["source"] == "set", cleared.text
    overdue = await _overdue(compliance)
    # Form PR and oil tax of January to June, gas tax of January to May (June's is due August 20th)
    assert len(overdue) == 17 and all(item["overdue"] and item["in_scope"] for item in overdue), overdue

    response = await compliance.put(f"{CALENDAR}/scope", {"go_live_month": "2026-06", "reason": "first month with us"})
    assert response.status_code == 200, response.text
    assert response.json()["go_live_month"] == "2026-06" and response.json()["set_by"]
    overdue = await _overdue(compliance)
    # due on or after June 1st: May's Form PR (June 30), May's oil tax (June 25), April's and May's gas tax
    assert sorted((i["obligation"], i["period"]) for i in overdue) == [
        ("form_pr", "2026-05-01"),
        ("form_pr", "2026-06-01"),
        ("gas_tax", "2026-04-01"),
        ("gas_tax", "2026-05-01"),
        ("oil_tax", "2026-05-01"),
        ("oil_tax", "2026-06-01"),
    ]
    everything = (await compliance.get(CALENDAR, limit=200)).json()["items"]
    january = next(i for i in everything if i["obligation"] == "form_pr" and i["period"] == "2026-01-01")
    assert (january["before_wellflow"], january["in_scope"], january["overdue"]) == (True, False, False)

    compliance.clock.now = datetime(2026, 8, 4, 12, tzinfo=UTC)
    assert await send_deadline_notices(compliance.app.state.compliance) >= 6
    missed = await compliance.outbox("compliance.filing_deadline_missed.v1")
    assert len(missed) == 6 and all(m["due_date"] >= "2026-06-01" for m in missed), missed  # none before WellFlow

    trail = (await compliance.get(f"{CALENDAR}/audit")).json()
    assert [(e["action"], e["detail"]["to"]) for e in trail["items"]] == [
        ("go_live_set", "2026-06"),
        ("go_live_set", None),
    ]
    assert trail["items"][0]["detail"]["from"] is None and trail["items"][1]["detail"]["from"] == "2026-08"


async def test_filed_outside_closes_the_obligation_without_a_submission_and_an_owner_undoes_it(compliance):
    await _history(compliance)
    await compliance.put(f"{CALENDAR}/scope", {"go_live_month": None, "clear": True})
    june = next(i for i in await _overdue(compliance) if i["obligation"] == "form_pr" and i["period"] == "2026-06-01")
    path = f"{CALENDAR}/{june['id']}/filed-outside"
    body = {"confirmation_number": " PR-2026-0612 ", "filed_on": "2026-07-29", "note": "filed on RRC Online"}

    response = await compliance.post(path, body)
    assert response.status_code == 200, response.text
    closed = response.json()
    assert closed["state"] == "filed_outside" and closed["overdue"] is False, closed
    assert closed["filed_outside"] == {"confirmation_number": "PR-2026-0612", "filed_on": "2026-07-29"}
    assert closed["done_at"] and closed["note"] == "filed on RRC Online"
    assert june["id"] not in {i["id"] for i in await _overdue(compliance)}
    assert (await compliance.post(path, body)).json() == closed  # the same again: the same answer
    other = await compliance.post(path, body | {"confirmation_number": "PR-9"})
    assert other.status_code == 409, other.text

    # nothing went to the RRC: no submission, no submitted event, the report has no version
    assert (await compliance.get("/api/v1/compliance/submissions")).json()["total"] == 0
    assert await compliance.outbox("compliance.report_submitted.v1") == []
    assert (await compliance.report("2026-06"))["versions"] == []

    undo = f"{path}/undo"
    refused = await compliance.post(undo, {"reason": "wrong month"})
    assert refused.status_code == 403, refused.text  # an accountant may not undo it
    blank = await compliance.post(undo, {"reason": "   "}, role="owner")
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "body.reason", blank.text
    reopened = await compliance.post(undo, {"reason": "that number was May's"}, role="owner")
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["state"], reopened.json()["overdue"], reopened.json()["filed_outside"]) == (
        "open",
        True,
        None,
    )
    again = await compliance.post(undo, {"reason": "twice"}, role="owner")
    assert again.status_code == 409, again.text

    trail = (await compliance.get(f"{CALENDAR}/audit", obligation_id=june["id"])).json()["items"]
    assert [e["action"] for e in trail] == ["filed_outside_undone", "filed_outside"]
    assert trail[0]["detail"]["reason"] == "that number was May's"
    assert trail[0]["detail"]["confirmation_number"] == "PR-2026-0612"


async def test_another_organizations_obligation_is_not_found(compliance):
    await _history(compliance)
    [mine, *_] = (await compliance.get(CALENDAR, limit=1)).json()["items"]
    other = compliance.org_b
    body = {"confirmation_number": "PR-1", "filed_on": "2026-07-01"}
    response = await compliance.post(f"{CALENDAR}/{mine['id']}/filed-outside", body, org=other)
    assert response.status_code == 404, response.text
    response = await compliance.post(f"{CALENDAR}/{mine['id']}/filed-outside/undo", {"reason": "x" * 5}, "owner", other)
    assert response.status_code == 404, response.text
    assert (await compliance.get(f"{CALENDAR}/audit", org=other, obligation_id=mine["id"])).status_code == 404
    assert (await compliance.get(f"{CALENDAR}/scope", org=other)).json()["source"] == "unset"
    assert (await compliance.get(CALENDAR, limit=1)).json()["items"][0]["state"] == "open"


async def test_bad_go_live_months_and_filings_are_refused_and_change_nothing(compliance):
    await _history(compliance)
    [item, *_] = (await compliance.get(CALENDAR, limit=1)).json()["items"]
    scope = f"{CALENDAR}/scope"
    cases = [
        ({"go_live_month": "2026-13"}, "body.go_live_month"),
        ({"go_live_month": "June 2026"}, "body.go_live_month"),
        ({"go_live_month": "2026-09"}, "body.go_live_month"),  # after the current month
        ({"go_live_month": "1999-12"}, "body.go_live_month"),
        ({"go_live_month": None}, "body.go_live_month"),  # null needs clear: true
    ]
    for body, field in cases:
        response = await compliance.put(scope, body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in {e["field"] for e in response.json()["errors"]}, (body, response.json())
    assert (await compliance.get(scope)).json()["source"] == "first_data"
    assert (await compliance.put(scope, {"go_live_month": "2026-05"}, role="pumper")).status_code == 403
    assert (await compliance.put(scope, {"go_live_month": "2026-05"}, role="manager")).status_code == 403

    path = f"{CALENDAR}/{item['id']}/filed-outside"
    for body, field in [
        ({"confirmation_number": "   ", "filed_on": "2026-07-01"}, "body.confirmation_number"),
        ({"confirmation_number": "PR-1", "filed_on": "2026-08-04"}, "body.filed_on"),  # tomorrow
        ({"confirmation_number": "PR-1", "filed_on": "2025-12-31"}, "body.filed_on"),  # before the production month
        ({"confirmation_number": "PR-1"}, "body.filed_on"),
    ]:
        response = await compliance.post(path, body)
        assert response.status_code == 422, (body, response.text)
        assert field in {e["field"] for e in response.json()["errors"]}, (body, response.json())
    assert (await compliance.get(CALENDAR, limit=1)).json()["items"][0]["state"] == "open"
    assert (await compliance.get(f"{CALENDAR}/audit")).json()["total"] == 0
