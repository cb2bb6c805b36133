"""The organization's profile (identity.organization_updated.v1) names the operator on the Form PR: its legal
name and RRC operator number (Form P-5) land in compliance's copy over NATS; an older profile changes nothing;
a correction made here after it stays; another organization's copy is its own."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from wellflow_contracts.events.identity import OrganizationUpdated
from wellflow_servicekit.testing import until

JULY = date(2026, 7, 1)


def profile(org, version: int, at: datetime, **changes) -> OrganizationUpdated:
    values = {
        "tenant_id": org,
        "organization_id": org,
        "version": version,
        "name": "Caprock Energy",
        "legal_name": "Caprock Energy LLC",
        "rrc_operator_number": "130742",
        "occurred_at": at,
        **changes,
    }
    return OrganizationUpdated(**values)


async def test_the_profile_names_the_operator_on_the_form_pr(compliance):
    now = compliance.clock()  # the time compliance keeps, as identity's clock would be
    await compliance.publish(profile(compliance.org_a, 2, now))
    lease = await compliance.lease()
    await compliance.publish(compliance.lease_month(lease, JULY, gas="0"))
    await compliance.wait_line("2026-07", lease)

    async def named():
        report = (await compliance.get("/api/v1/form-pr/2026-07")).json()
        return report if report["operator"]["name"] == "Caprock Energy LLC" else None

    report = await until(named, what="the profile reached the Form PR")
    assert report["operator"] == {"name": "Caprock Energy LLC", "rrc_operator_number": "130742"}
    held = (await compliance.get("/api/v1/compliance/operator")).json()
    assert held["source"] == "identity"

    # An older snapshot arriving late changes nothing.
    await compliance.publish(profile(compliance.org_a, 1, now - timedelta(minutes=5), legal_name="Old Name LLC"))
    # A newer one without a number keeps the number held, and takes the new name.
    await compliance.publish(
        profile(
            compliance.org_a,
            3,
            now + timedelta(seconds=1),
            legal_name="Caprock Energy Partners LLC",
            rrc_operator_number=None,
        )
    )

    async def all_handled():
        rows = await compliance.owner_query(
            "SELECT count(*) FROM inbox WHERE consumer = 'compliance-organization-updated'"
        )
        return rows[0][0] == 3

    await until(all_handled, what="the three profiles were handled")
    body = (await compliance.get("/api/v1/compliance/operator")).json()
    assert (body["name"], body["rrc_operator_number"]) == ("Caprock Energy Partners LLC", "130742")

    # A correction typed here after the profile stays until the profile changes again.
    compliance.clock.advance(60)
    corrected = await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "999999"})
    assert corrected.json()["source"] == "manual"
    await compliance.publish(profile(compliance.org_a, 2, now, legal_name="Replayed LLC"), msg_id="replayed-2")

    async def four_handled():
        rows = await compliance.owner_query(
            "SELECT count(*) FROM inbox WHERE consumer = 'compliance-organization-updated'"
        )
        return rows[0][0] == 4

    await until(four_handled, what="the replayed profile was handled")
    assert (await compliance.get("/api/v1/compliance/operator")).json()["rrc_operator_number"] == "999999"

    other = (await compliance.get("/api/v1/compliance/operator", org=compliance.org_b)).json()
    assert other["name"] is None and other["rrc_operator_number"] is None
