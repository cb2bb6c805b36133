"""Compliance's business gauges on /metrics: Form PR months with errors and submissions by state."""

from __future__ import annotations

from datetime import date

JULY, AUGUST = date(2026, 7, 1), date(2026, 8, 1)


async def _flaring_lease(compliance, month: date, *, authority=None):
    await compliance.put("/api/v1/compliance/operator", {"rrc_operator_number": "123456", "name": "Ranch Oil LLC"})
    lease = await compliance.lease()
    await compliance.publish(
        compliance.lease_month(
            lease,
            month,
            liquid="900",
            gas="1500",
            beginning="120",
            ending="170",
            oil_dispositions=[("00", "850")],
            gas_dispositions=[("02", "1400", None), ("10", "100", authority)],
        )
    )
    await compliance.wait_line(f"{month:%Y-%m}", lease)
    return lease


def _value(compliance, name: str, **labels: str) -> float | None:
    return compliance.app.state.runtime.metrics.registry.get_sample_value(name, labels)


async def test_months_with_errors_and_submissions_by_state_are_counted(compliance):
    metrics = compliance.app.state.runtime.metrics
    await metrics.refresh_business(force=True)
    assert _value(compliance, "compliance_form_pr_drafts_with_errors") == 0
    assert _value(compliance, "compliance_submissions", state="awaiting_confirmation") == 0  # every state, at 0

    await _flaring_lease(compliance, AUGUST)  # flaring without an authority: a line in error
    await _flaring_lease(compliance, JULY, authority="AR")
    submitted = await compliance.post("/api/v1/form-pr/2026-07/submit")
    assert submitted.status_code == 202, submitted.text

    await metrics.refresh_business(force=True)
    assert _value(compliance, "compliance_form_pr_drafts_with_errors") == 1
    assert _value(compliance, "compliance_submissions", state="awaiting_confirmation") == 1
    assert _value(compliance, "compliance_submissions", state="accepted") == 0
    text = (await compliance.client.get("/metrics")).text
    assert 'compliance_submissions{state="awaiting_confirmation"} 1.0' in text
