"""The stand-in adapter's reading of the portal's answers, the filing it sends, and the queue's arithmetic."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from wellflow_compliance.adapters.portal import (
    PortalRejected,
    PortalUnavailable,
    RrcPortalAdapter,
    StandInPortalAdapter,
    parse_retry_after,
    to_portal_filing,
)
from wellflow_compliance.app.submissions.queue import submission_key_for
from wellflow_compliance.app.submissions.worker import SubmissionWorker
from wellflow_compliance.settings import PortalSettings
from wellflow_servicekit.settings import ConfigurationError, load_settings

REQUIRED = {
    "service_name": "compliance",
    "jwks_url": "http://identity.test/jwks.json",
    "jwt_issuer": "wellflow",
    "jwt_audience": "wellflow",
    "database_url": "postgresql+asyncpg://app@127.0.0.1/compliance",
    "nats_url": "nats://127.0.0.1:4222",
}

LINE = {
    "lease_name": "Mesa 2",
    "lease_type": "gas",
    "rrc_district": "7C",
    "identifier_kind": "gas_well_id",
    "identifier": "123456",
    "liquid_product": "condensate",
    "gas_product": "gas_well_gas",
    "beginning_stock": 5,
    "liquid_production": 40,
    "liquid_dispositions": [{"code": "00", "volume": 30, "authority": None, "description": "pipeline"}],
    "ending_stock": 15,
    "gas_production": 3000,
    "gas_dispositions": [{"code": "11", "volume": 3000, "authority": "EX", "description": "vented"}],
    "remarks": ["vented under exemption"],
}
REPORT = {
    "format": "wellflow.form_pr.v1",
    "period": "2026-07",
    "operator": {"name": "Ranch Oil LLC", "rrc_operator_number": "123456"},
    "lines": [LINE],
    "version": 2,
    "kind": "amended",
}


def test_wellflow_lines_become_the_portals_products() -> None:
    filing = to_portal_filing(REPORT)
    assert filing == {
        "operator_number": "123456",
        "period": "2026-07",
        "operator_name": "Ranch Oil LLC",
        "report_version": 2,
        "kind": "amended",
        "lines": [
            {
                "district": "7C",
                "lease_type": "gas",
                "lease_name": "Mesa 2",
                "lease_number": "123456",
                "products": [
                    {
                        "product": "condensate",
                        "beginning_stock": 5,
                        "production": 40,
                        "dispositions": [{"code": "00", "volume": 30}],
                        "ending_stock": 15,
                    },
                    {
                        "product": "gas_well_gas",
                        "production": 3000,
                        "dispositions": [{"code": "11", "volume": 3000, "authority": "EX"}],
                    },
                ],
                "remarks": ["vented under exemption"],
            }
        ],
    }


def test_a_pending_lease_is_filed_under_its_api_number() -> None:
    pending = {**LINE, "identifier_kind": "api_number", "identifier": "42-383-12345"}
    [line] = to_portal_filing({**REPORT, "lines": [pending]})["lines"]
    assert line["api_number"] == "42-383-12345" and "lease_number" not in line


def transport(status: int, body: Any = None, headers: dict[str, str] | None = None, seen: list[Any] | None = None):
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body, headers=headers)

    return httpx.MockTransport(handle)


async def test_a_confirmation_is_read_and_the_submission_key_is_sent() -> None:
    seen: list[httpx.Request] = []
    body = {"confirmation_number": "PR202607-123456-000001", "accepted_at": "2026-08-03T15:00:00+00:00"}
    adapter = StandInPortalAdapter("http://portal.test", timeout_seconds=1, transport=transport(201, body, seen=seen))
    receipt = await adapter.submit("wf-key-0001", REPORT)
    assert receipt.confirmation_number == "PR202607-123456-000001"
    assert receipt.accepted_at == datetime(2026, 8, 3, 15, tzinfo=UTC)
    assert seen[0].headers["Submission-Key"] == "wf-key-0001"
    assert json.loads(seen[0].content)["lines"][0]["products"][1]["product"] == "gas_well_gas"
    await adapter.aclose()


@pytest.mark.parametrize(
    ("status", "body", "headers", "retry_after"),
    [
        (503, {"detail": "down for maintenance"}, {"Retry-After": "120"}, 120.0),
        (500, {"detail": "boom"}, None, None),
        (429, {"detail": "slow down"}, {"Retry-After": "3"}, 3.0),
        (502, None, None, None),
    ],
)
async def test_5xx_and_429_are_transient(status: int, body: Any, headers: Any, retry_after: float | None) -> None:
    adapter = StandInPortalAdapter("http://portal.test", timeout_seconds=1, transport=transport(status, body, headers))
    with pytest.raises(PortalUnavailable) as error:
        await adapter.submit("wf-key-0001", REPORT)
    assert error.value.status == status and error.value.retry_after == retry_after
    assert str(status) in str(error.value)


async def test_timeouts_and_refused_connections_are_transient() -> None:
    for exc in (httpx.ReadTimeout("slow"), httpx.ConnectError("refused")):

        def fail(request: httpx.Request, exc: Exception = exc) -> httpx.Response:
            raise exc

        adapter = StandInPortalAdapter("http://portal.test", timeout_seconds=1, transport=httpx.MockTransport(fail))
        with pytest.raises(PortalUnavailable):
            await adapter.submit("wf-key-0001", REPORT)


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (422, {"reasons": ["Line 1: does not balance."]}, "Line 1: does not balance."),
        (409, {"confirmation_number": "PR1"}, "already filed a different report under this submission key"),
        (400, {"detail": "bad key"}, "refused the request (400): bad key"),
    ],
)
async def test_rejections_are_final_with_reasons(status: int, body: Any, reason: str) -> None:
    adapter = StandInPortalAdapter("http://portal.test", timeout_seconds=1, transport=transport(status, body))
    with pytest.raises(PortalRejected) as error:
        await adapter.submit("wf-key-0001", REPORT)
    assert reason in error.value.reasons[0]


async def test_the_real_rrc_adapter_is_future_work() -> None:
    with pytest.raises(NotImplementedError, match="no public API"):
        await RrcPortalAdapter().submit("wf-key-0001", REPORT)


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    now = datetime(2026, 8, 3, 15, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Mon, 03 Aug 2026 15:00:45 GMT", now=now) == 45.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_the_submission_key_is_stable_per_report_version() -> None:
    from uuid import UUID

    tenant, report = UUID(int=1), UUID(int=2)
    assert submission_key_for(tenant, report, 1) == submission_key_for(tenant, report, 1)
    assert submission_key_for(tenant, report, 1) != submission_key_for(tenant, report, 2)
    assert submission_key_for(tenant, report, 1) != submission_key_for(UUID(int=3), report, 1)


def test_queue_backoff_grows_with_jitter_within_its_cap_and_honours_retry_after() -> None:
    settings = load_settings(
        PortalSettings, **REQUIRED, submission_backoff_base_seconds=30, submission_backoff_max_seconds=600
    )
    worker = SubmissionWorker(None, None, None, settings)  # type: ignore[arg-type]
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (5, 480), (6, 600), (20, 600)]:
        waits = [worker.backoff_seconds(attempt, None) for _ in range(200)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert max(waits) - min(waits) > ceiling / 10  # jittered, not one value
    assert worker.backoff_seconds(3, 7.0) == 7.0
    assert worker.backoff_seconds(3, 1800.0) == 1800.0  # the portal's advice beats our cap


def test_portal_settings_have_safe_defaults_and_reject_nonsense() -> None:
    settings = load_settings(PortalSettings, **REQUIRED)
    assert settings.rrc_portal_url == "http://127.0.0.1:8190"
    assert (settings.breaker_fail_max, settings.breaker_reset_timeout_seconds) == (5, 30.0)
    assert (settings.portal_retry_attempts, settings.submission_max_attempts) == (3, 10)
    with pytest.raises(ConfigurationError) as error:
        load_settings(PortalSettings, **REQUIRED, rrc_portal_url="ftp://portal", breaker_fail_max=0)
    assert any(p.startswith("RRC_PORTAL_URL") for p in error.value.problems)
    assert any(p.startswith("BREAKER_FAIL_MAX") for p in error.value.problems)
    with pytest.raises(ConfigurationError):
        load_settings(PortalSettings, **REQUIRED, submission_backoff_base_seconds=60, submission_backoff_max_seconds=10)


def test_a_report_built_by_compliance_passes_the_portals_checks() -> None:
    """The contract between the report use case's frozen payload and the portal: WellFlow's own lines for an
    oil lease, a gas lease and a pending lease, through `to_portal_filing`, are accepted by the stand-in."""
    from decimal import Decimal
    from uuid import uuid4

    from wellflow_compliance.app.reports.common import filing_payload
    from wellflow_compliance.domain.form_pr import LeaseFacts, LeaseMonth, RecordedGas, WellFacts
    from wellflow_compliance.domain.form_pr_line import build_line
    from wellflow_rrc_portal.validation import validate_form_pr

    oil = LeaseFacts(uuid4(), "Ranch A", "08", "12345", "oil")
    gas = LeaseFacts(uuid4(), "Mesa 2", "7C", "234567", "gas")
    pending = LeaseFacts(
        uuid4(), "New Pad", "01", None, "oil", wells=(WellFacts(uuid4(), "42383123450000", "drilling"),)
    )
    oil_month = LeaseMonth(
        1,
        "oil",
        Decimal("900.4"),
        Decimal("1500.2"),
        Decimal("120"),
        None,
        liquid_dispositions=(("00", Decimal("850.3")),),
        gas_dispositions=(RecordedGas("02", Decimal("1400.1")), RecordedGas("10", Decimal("100.1"), "AR")),
    )
    gas_month = LeaseMonth(
        1,
        "gas",
        Decimal("40"),
        Decimal("3000"),
        Decimal("0"),
        None,
        gas_dispositions=(RecordedGas("03", Decimal("3000")),),
    )
    pending_month = LeaseMonth(1, "oil", Decimal("10"), Decimal("0"), Decimal("0"), None)
    lines = [
        build_line(oil, oil_month, previous_ending=120),
        build_line(gas, gas_month, previous_ending=0),
        build_line(pending, pending_month, previous_ending=0),
    ]
    assert [issue for line in lines for issue in line.errors] == []
    payload = filing_payload(date(2026, 7, 1), "Ranch Oil LLC", "123456", [line.as_dict() for line in lines])
    frozen = json.loads(json.dumps(payload | {"version": 1, "kind": "original"}, default=str))
    assert validate_form_pr(to_portal_filing(frozen)) == []
