"""Production's business gauge on /metrics: readings entered in the last hour, over every organization."""

from __future__ import annotations

from datetime import date


def _figure(prod) -> float | None:
    return prod.app.state.runtime.metrics.registry.get_sample_value("production_readings_recorded_last_hour")


async def test_readings_entered_in_the_last_hour_are_counted_across_organizations(prod):
    site_a = await prod.site(wells=2)
    site_b = await prod.site(prod.org_b, wells=1)
    for well_id in site_a.well_ids:
        assert (await prod.reading(well_id, date(2026, 3, 1))).status_code == 201
    assert (await prod.reading(site_b.well_ids[0], date(2026, 3, 1), org=prod.org_b)).status_code == 201

    await prod.app.state.runtime.metrics.refresh_business(force=True)
    assert _figure(prod) == 3

    # an hour later those readings no longer count
    for org in (prod.org_a, prod.org_b):
        sql = "UPDATE readings SET entered_at = entered_at - interval '61 minutes' RETURNING id"
        assert await prod.tenant_query(sql, org)
    await prod.app.state.runtime.metrics.refresh_business(force=True)
    assert _figure(prod) == 0
    text = (await prod.client.get("/metrics")).text
    assert "production_readings_recorded_last_hour 0.0" in text
    assert "db_repository_duration_seconds_count{method=" in text
    assert "db_pool_connections_in_use" in text


async def test_a_running_service_exports_what_the_rules_and_dashboards_read(prod):
    """Scraped from the running app: the families the alert rules and dashboards use, with their labels."""
    from prometheus_client.parser import text_string_to_metric_families

    site = await prod.site(wells=1)
    assert (await prod.reading(site.well_ids[0], date(2026, 3, 2))).status_code == 201
    await prod.client.get("/health/ready")
    await prod.app.state.runtime.refresh_gauges()
    families = {
        family.name: family for family in text_string_to_metric_families((await prod.client.get("/metrics")).text)
    }
    for name in (
        "http_request_duration_seconds",
        "health_ready",
        "outbox_backlog",
        "outbox_oldest_age_seconds",
        "dead_letters_pending",
        "consumer_pending_messages",
        "consumer_ack_pending_messages",
        "consumer_last_handled_timestamp_seconds",
        "consumer_event_lag_seconds",
        "consumer_handle_duration_seconds",
        "db_pool_connections_in_use",
        "db_pool_waiting",
        "db_repository_duration_seconds",
    ):
        assert name in families, name
    consumers = {sample.labels["consumer"] for sample in families["consumer_pending_messages"].samples}
    handlers = set(prod.app.state.runtime.consumers.handlers)
    assert handlers and handlers <= consumers and all(name.startswith("production-") for name in consumers)
    routes = {sample.labels["route"] for sample in families["http_request_duration_seconds"].samples}
    assert "/api/v1/readings" in routes and not any(str(site.well_ids[0]) in route for route in routes)
    methods = {(s.labels["repository"], s.labels["method"]) for s in families["db_repository_duration_seconds"].samples}
    assert any(repository == "SqlRecording" for repository, _ in methods)
