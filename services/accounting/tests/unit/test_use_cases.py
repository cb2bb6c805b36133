"""The rule-bearing use cases on in-memory repositories (no PostgreSQL): a deck must add up, a finalized month
is locked, an AFE overrun is detected once per new high of actuals, an idempotent create answers a retry and
refuses a different body under the same id. The integration tests prove the same rules through the SQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wellflow_accounting.app import afes, costs, decks, partners, prices
from wellflow_accounting.app.distribution import finalize_run, run_distribution
from wellflow_contracts.events.accounting import AfeOverrunDetected
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, UnprocessableContent

D = Decimal
MARCH = date(2026, 3, 1)


def deck_body(lease, lines, **extra):
    return {
        "lease_id": lease,
        "kind": "revenue",
        "effective_from": date(2026, 1, 1),
        "lines": [{"partner_id": p, "interest_type": t, "decimal": D(d)} for p, t, d in lines],
        **extra,
    }


async def test_a_deck_whose_interests_do_not_add_up_is_refused(acc, actor, seed, database):
    lease = await seed.lease()
    royalty = await seed.partner("Mary Royalty", "royalty_owner")
    operator = await seed.partner("Op LLC", "working_interest_partner")
    body = deck_body(lease, [(royalty, "royalty", "0.1875"), (operator, "working_interest", "0.75")])

    with pytest.raises(UnprocessableContent) as refused:
        await decks.create_deck(acc, actor, body)

    assert refused.value.extensions["difference"] == "0.06250000"
    assert refused.value.errors[0]["field"] == "body.lines"
    assert not database.stores.get("decks")  # nothing written


async def test_a_deck_that_adds_up_is_kept_with_its_lines_and_a_retry_answers_it(acc, actor, seed):
    lease = await seed.lease()
    royalty = await seed.partner("Mary Royalty", "royalty_owner")
    operator = await seed.partner("Op LLC", "working_interest_partner")
    body = deck_body(lease, [(royalty, "royalty", "0.1875"), (operator, "working_interest", "0.8125")], id=uuid7())

    deck, created = await decks.create_deck(acc, actor, body)
    again, created_again = await decks.create_deck(acc, actor, body)

    assert (created, created_again) == (True, False)
    assert deck["total"] == again["total"] == D("1")
    assert [line["interest_type"] for line in again["lines"]] == ["royalty", "working_interest"]
    changed = deck_body(lease, [(royalty, "royalty", "0.25"), (operator, "working_interest", "0.75")], id=body["id"])
    with pytest.raises(Conflict) as refused:
        await decks.create_deck(acc, actor, changed)
    assert refused.value.slug == "id-in-use"
    assert refused.value.errors[0]["field"] == "body.lines"


async def test_an_owner_needs_the_role_its_interest_names(acc, actor, seed):
    lease = await seed.lease()
    vendor = await seed.partner("Pipe Supply", "vendor")
    operator = await seed.partner("Op LLC", "working_interest_partner")
    body = deck_body(lease, [(vendor, "royalty", "0.25"), (operator, "working_interest", "0.75")])

    with pytest.raises(UnprocessableContent) as refused:
        await decks.create_deck(acc, actor, body)

    assert refused.value.errors[0]["field"] == "body.lines[0].partner_id"


async def test_a_second_partner_with_the_same_owner_number_is_refused(acc, actor):
    await partners.create_partner(
        acc, actor, {"name": "A", "kind": "individual", "roles": ["royalty_owner"]} | {"owner_number": "R-1"}
    )
    with pytest.raises(Conflict) as refused:
        await partners.create_partner(
            acc, actor, {"name": "B", "kind": "individual", "roles": ["royalty_owner"]} | {"owner_number": "R-1"}
        )
    assert refused.value.slug == "duplicate-partner"


async def finalized_march(acc, actor, database):
    """A finalized (empty) March run, as an earlier finalize left it."""
    run = await run_distribution(acc, actor, MARCH)
    await finalize_run(acc, actor, run["id"])
    return run


async def test_a_finalized_revenue_run_cannot_be_changed(acc, actor, database):
    run = await finalized_march(acc, actor, database)

    with pytest.raises(Conflict) as rerun:
        await run_distribution(acc, actor, MARCH)
    with pytest.raises(Conflict) as new_price:
        await prices.set_price(acc, actor, {"month": MARCH, "product": "oil", "price": D("70")})

    assert rerun.value.slug == new_price.value.slug == "period-locked"
    assert rerun.value.extensions["run_id"] == str(run["id"])


async def test_finalizing_twice_announces_the_distribution_once(acc, actor, database):
    run = await finalized_march(acc, actor, database)

    again = await finalize_run(acc, actor, run["id"])

    assert again["status"] == "finalized"
    assert [event.type for event in database.committed] == ["accounting.revenue_distributed.v1"]


async def approved_afe(acc, actor, seed, amount: str, overrun_percent: str = "10"):
    lease = await seed.lease()
    line = {"kind": "intangible", "category": "intangible_drilling", "description": None, "amount": D(amount)}
    afe, _ = await afes.create_afe(
        acc,
        actor,
        {"afe_number": "AFE-1", "title": "Drill #1", "lease_id": lease, "lines": [line]}
        | {"overrun_percent": D(overrun_percent)},
    )
    for status in ("pending_approval", "approved"):
        await afes.transition(acc, actor, afe["id"], status, None)
    return lease, afe


def cost(lease, amount: str, afe_number: str = "AFE-1"):
    return {
        "incurred_on": date(2026, 3, 5),
        "lease_id": lease,
        "vendor_name": "Rig Co",
        "category": "intangible_drilling",
    } | {
        "amount": D(amount),
        "afe_number": afe_number,
    }


async def test_an_afe_overrun_is_detected_once_per_new_high_of_actuals(acc, actor, seed, database):
    lease, afe = await approved_afe(acc, actor, seed, "100000.00")

    await costs.record_cost(acc, actor, cost(lease, "110000.00"))  # exactly 10% over: not yet an overrun
    assert not database.stores.get("alerts")
    await costs.record_cost(acc, actor, cost(lease, "0.01"))
    await costs.record_cost(acc, actor, cost(lease, "-0.01"))  # back down: no new high, no new alert
    await costs.record_cost(acc, actor, cost(lease, "500.00"))

    overruns = [event for event in database.committed if isinstance(event, AfeOverrunDetected)]
    assert [(e.actual, e.approved_estimate, e.threshold_percent) for e in overruns] == [
        (D("110000.01"), D("100000.00"), D("10")),
        (D("110500.00"), D("100000.00"), D("10")),
    ]
    alerts = await afes.list_alerts(acc, actor, open_only=True, limit=10, offset=0)
    assert alerts["total"] == 2
    assert (await afes.get_afe(acc, actor, afe["id"]))["actual"] == D("110500.00")


async def test_costs_need_an_approved_afe(acc, actor, seed):
    lease = await seed.lease()
    line = {"kind": "intangible", "category": "intangible_drilling", "description": None, "amount": D("100")}
    await afes.create_afe(acc, actor, {"afe_number": "AFE-9", "title": "Draft", "lease_id": lease, "lines": [line]})

    with pytest.raises(UnprocessableContent) as refused:
        await costs.record_cost(acc, actor, cost(lease, "10.00", "AFE-9"))

    assert refused.value.errors[0]["field"] == "body.afe_number"
    assert "draft" in refused.value.errors[0]["message"]


async def test_an_afe_goes_to_approval_with_estimate_lines_only(acc, actor, seed):
    lease = await seed.lease()
    afe, _ = await afes.create_afe(
        acc, actor, {"afe_number": "AFE-2", "title": "Empty", "lease_id": lease, "lines": []}
    )

    with pytest.raises(UnprocessableContent):
        await afes.transition(acc, actor, afe["id"], "pending_approval", None)
    with pytest.raises(Conflict) as illegal:
        await afes.transition(acc, actor, afe["id"], "closed", None)
    assert illegal.value.slug == "illegal-transition"
