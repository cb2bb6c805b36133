"""The shared instruments: business gauges, repository timing, readiness and pool gauges, request latency."""

from __future__ import annotations

import asyncio
import math
from types import SimpleNamespace

import pytest
from fastapi import FastAPI

from wellflow_servicekit.http import create_app
from wellflow_servicekit.metrics import HTTP_LATENCY_BUCKETS, Metrics
from wellflow_servicekit.repository import Repository
from wellflow_servicekit.settings import ServiceSettings

from .conftest import running


class SqlNotes(Repository):
    async def add(self, text: str) -> str:
        await asyncio.sleep(0.002)
        return text.upper()

    async def broken(self) -> None:
        raise ValueError("statement failed")

    async def _private(self) -> int:
        return 1

    def plain(self) -> int:
        return 2


class SqlNotesWithHistory(SqlNotes):
    async def history(self) -> list[str]:
        return await self.add("a"), await self._private()  # type: ignore[return-value]


def _uow(metrics: Metrics | None) -> SimpleNamespace:
    return SimpleNamespace(database=SimpleNamespace(metrics=metrics))


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


async def test_a_repository_method_is_timed_by_class_and_method_never_by_sql():
    metrics = Metrics()
    notes = SqlNotes(_uow(metrics))
    assert await notes.add("x") == "X"
    with pytest.raises(ValueError):
        await notes.broken()
    labels = {"repository": "SqlNotes", "method": "add"}
    assert sample(metrics, "db_repository_duration_seconds_count", **labels) == 1
    assert sample(metrics, "db_repository_duration_seconds_sum", **labels) >= 0.002
    # a failing call is timed too; private helpers and plain functions are not wrapped
    assert sample(metrics, "db_repository_duration_seconds_count", repository="SqlNotes", method="broken") == 1
    assert sample(metrics, "db_repository_duration_seconds_count", repository="SqlNotes", method="_private") is None
    assert notes.plain() == 2


async def test_a_subclass_names_its_own_methods_and_keeps_the_inherited_ones_labels():
    metrics = Metrics()
    notes = SqlNotesWithHistory(_uow(metrics))
    await notes.history()
    assert sample(metrics, "db_repository_duration_seconds_count", repository="SqlNotesWithHistory", method="history")
    assert sample(metrics, "db_repository_duration_seconds_count", repository="SqlNotes", method="add") == 1


async def test_a_repository_on_a_unit_of_work_without_metrics_still_answers():
    assert await SqlNotes(_uow(None)).add("y") == "Y"
    assert await SqlNotes(SimpleNamespace()).add("z") == "Z"


async def test_business_gauges_are_read_when_due_and_keep_their_last_figure_on_failure():
    metrics = Metrics()
    figures = {"submitted": 3, "accepted": 5}
    reads = []

    async def by_state():
        reads.append(1)
        if figures is None:
            raise ConnectionError("database away")
        return dict(figures)

    async def total():
        return 42

    metrics.business_gauge("submissions", "Submissions by state.", by_state, labels=["state"], interval=60)
    metrics.business_gauge("readings_last_hour", "Readings.", total, interval=300)
    await metrics.refresh_business(now=1000)
    assert sample(metrics, "submissions", state="submitted") == 3
    assert sample(metrics, "readings_last_hour") == 42

    await metrics.refresh_business(now=1030)  # not due yet
    assert len(reads) == 1
    figures.pop("submitted")
    figures["rejected"] = 1
    await metrics.refresh_business(now=1061)
    assert sample(metrics, "submissions", state="submitted") is None  # a state no longer read is dropped
    assert sample(metrics, "submissions", state="rejected") == 1

    figures = None
    await metrics.refresh_business(now=1200)
    assert len(reads) == 3
    assert sample(metrics, "submissions", state="accepted") == 5


async def test_a_business_gauge_with_several_labels_takes_tuples_and_refuses_a_second_registration():
    metrics = Metrics()

    async def read():
        return {("oil", "open"): 2, ("gas", "open"): 1}

    metrics.business_gauge("alerts_open", "Open alerts.", read, labels=("product", "state"))
    await metrics.refresh_business(now=0)
    assert sample(metrics, "alerts_open", product="gas", state="open") == 1
    with pytest.raises(ValueError, match="twice"):
        metrics.business_gauge("alerts_open", "again", read)


def test_the_pool_is_read_at_scrape_time():
    metrics = Metrics()
    pool = SimpleNamespace(pool_in_use=lambda: 3, pool_capacity=lambda: 25, pool_waiting=2)
    metrics.watch_pool(pool)
    assert sample(metrics, "db_pool_connections_in_use") == 3
    assert sample(metrics, "db_pool_connections_max") == 25
    assert sample(metrics, "db_pool_waiting") == 2
    pool.pool_waiting = 0
    assert sample(metrics, "db_pool_waiting") == 0


def test_the_latency_objectives_threshold_is_a_bucket():
    assert 0.2 in HTTP_LATENCY_BUCKETS


async def test_readiness_answers_are_exported_per_check(settings: ServiceSettings) -> None:
    state = {"fail": False}

    async def database() -> None:
        if state["fail"]:
            raise ConnectionError("refused")

    metrics = Metrics()
    app: FastAPI = create_app(
        settings=settings, title="wells", version="1", metrics=metrics, readiness_checks={"database": database}
    )
    assert math.isnan(sample(metrics, "health_ready"))  # never probed: neither ready nor unready
    async with running(app) as client:
        assert (await client.get("/health/ready")).status_code == 200
        assert sample(metrics, "health_ready") == 1
        assert sample(metrics, "health_check_ok", check="database") == 1
        state["fail"] = True
        assert (await client.get("/health/ready")).status_code == 503
        assert sample(metrics, "health_ready") == 0
        assert sample(metrics, "health_check_ok", check="database") == 0
        text = (await client.get("/metrics")).text
    assert 'health_check_ok{check="database"} 0.0' in text


def test_request_observations_reuse_their_label_child():
    metrics = Metrics()
    metrics.observe_request("GET", "/api/v1/wells/{well_id}", 200, 0.01)
    metrics.observe_request("GET", "/api/v1/wells/{well_id}", 200, 0.3)
    labels = {"method": "GET", "route": "/api/v1/wells/{well_id}", "status": "200"}
    assert metrics.registry.get_sample_value("http_request_duration_seconds_count", labels) == 2
    assert metrics.registry.get_sample_value("http_request_duration_seconds_bucket", {**labels, "le": "0.2"}) == 1
    assert len(metrics._http_children) == 1
