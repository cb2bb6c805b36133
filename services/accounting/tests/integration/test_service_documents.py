"""The service's own documents and health: OpenAPI lists the routes, AsyncAPI the events it publishes and the
consumers it runs, readiness checks the database, NATS and the outbox."""

from __future__ import annotations


async def test_openapi_asyncapi_and_health(books):
    openapi = (await books.client.get("/openapi.json")).json()
    for path in (
        "/api/v1/partners",
        "/api/v1/revenue/runs/{run_id}/finalize",
        "/api/v1/jib/costs/import",
        "/api/v1/afes/{afe_id}/transitions",
        "/api/v1/gl/journal",
    ):
        assert path in openapi["paths"], path
    asyncapi = (await books.client.get("/asyncapi.json")).json()
    text = str(asyncapi)
    for event in (
        "accounting.revenue_distributed.v1",
        "accounting.jib_issued.v1",
        "accounting.afe_status_changed.v1",
        "accounting.afe_overrun_detected.v1",
        "accounting-lease-month-updated",
        "accounting-severance-tax-computed",
    ):
        assert event in text, event
    ready = await books.client.get("/health/ready")
    assert ready.status_code == 200, ready.text
