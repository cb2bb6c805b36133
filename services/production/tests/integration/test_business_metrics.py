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
