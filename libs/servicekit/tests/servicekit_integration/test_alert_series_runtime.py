"""Cause alerts on series recorded from a real service runtime (real PostgreSQL and NATS): the gauges its
background watch refreshes (``ServiceRuntime.refresh_gauges``) are sampled once per simulated minute into a
promtool test of the real rules. Dead letters left behind fire DeadLettersPending; an outbox nobody publishes
fires OutboxStalled."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import httpx
import yaml
from sqlalchemy import text

from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings
from wellflow_servicekit.testing import until

from .sample_events import NoteAdded
from .test_alert_series import RULES, _promtool


def _runtime(sample_db, infra, root, *, run_relay: bool) -> ServiceRuntime:
    settings = load_settings(
        service_name="kit",
        database_url=sample_db.runtime_url,
        nats_url=infra.nats_url,
        event_subject_root=root,
        jwks_url="http://127.0.0.1:9/.well-known/jwks.json",
        jwt_issuer="wellflow-identity",
        jwt_audience="wellflow",
        consumer_backoff=[0.1],
        consumer_max_deliver=2,
    )
    return ServiceRuntime(settings, run_relay=run_relay, configure_process=False)


def expected_alert(labels: dict[str, str], **annotations: str) -> str:
    """One expected alert of a promtool ``exp_alerts`` list, indented for the test file below."""
    entry = yaml.safe_dump([{"exp_labels": labels, "exp_annotations": annotations}], width=1000)
    return "\n".join(" " * 10 + line for line in entry.splitlines())


def promtool_test(tmp_path: Path, name: str, samples: list[float], alert: str, minute: int, expected: str) -> str:
    import subprocess

    text_ = f"""rule_files:
  - {RULES / "wellflow-causes.yml"}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: '{name}{{job="kit",instance="kit:8100"}}'
        values: '{" ".join(str(round(v)) for v in samples)}'
    alert_rule_test:
      - eval_time: {minute}m
        alertname: {alert}
        exp_alerts:
{expected}
"""
    path = tmp_path / f"{alert}_test.yml"
    path.write_text(text_)
    result = subprocess.run(
        [_promtool(), "test", "rules", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


async def test_dead_letters_left_behind_fire_the_alert(sample_db, infra, root, tmp_path):
    _promtool()
    runtime = _runtime(sample_db, infra, root, run_relay=True)

    @runtime.consumers.handler("notes", NoteAdded)
    async def always_fails(uow, event) -> None:
        raise RuntimeError("the well this note names is unknown")

    app = runtime.create_app(title="kit", version="0")
    samples = []
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://k") as client:
        for minute in range(14):
            if minute in (1, 2):
                async with runtime.database.unit_of_work(uuid4()) as uow:
                    uow.record(NoteAdded(tenant_id=uow.tenant_id, well="W-1", seq=minute))
                await until(lambda minute=minute: _dead_lettered(runtime, minute), timeout=20)
            await runtime.refresh_gauges()
            samples.append(runtime.metrics.registry.get_sample_value("dead_letters_pending"))
        scraped = (await client.get("/metrics")).text
    assert samples[:2] == [0, 1] and samples[-1] == 2
    assert "dead_letters_pending 2.0" in scraped
    firing = expected_alert(
        {"job": "kit", "severity": "ticket"},
        summary="kit has 2 dead letters waiting",
        description="Events kit gave up on after its last delivery attempt; their effects are missing until they "
        "are replayed.",
        runbook_url="docs/runbooks/DeadLettersPending.md",
    )
    assert promtool_test(tmp_path, "dead_letters_pending", samples, "DeadLettersPending", 13, firing) == ""
    assert promtool_test(tmp_path, "dead_letters_pending", samples, "DeadLettersPending", 13, "          []") != ""


async def _dead_lettered(runtime: ServiceRuntime, count: int) -> bool:
    labels = {"consumer": "kit-notes", "outcome": "dead_lettered"}
    return (runtime.metrics.registry.get_sample_value("consumer_handled_total", labels) or 0) >= count


async def test_an_outbox_nobody_publishes_fires_the_alert(sample_db, infra, root, tmp_path):
    """No relay runs (say its task died): events wait. Each simulated minute their rows are made a minute older,
    and the runtime's watch reads the real backlog query."""
    _promtool()
    runtime = _runtime(sample_db, infra, root, run_relay=False)
    app = runtime.create_app(title="kit", version="0")
    samples = []
    async with app.router.lifespan_context(app):
        async with runtime.database.unit_of_work(uuid4()) as uow:
            uow.record(NoteAdded(tenant_id=uow.tenant_id, well="W-1", seq=1))
        for _ in range(10):
            await runtime.refresh_gauges()
            samples.append(runtime.metrics.registry.get_sample_value("outbox_oldest_age_seconds"))
            async with runtime.database.engine.begin() as conn:
                await conn.execute(text("UPDATE outbox SET created_at = created_at - interval '60 seconds'"))
        assert runtime.metrics.registry.get_sample_value("outbox_backlog") == 1
    assert samples[0] < 5 and 535 < samples[-1] < 545
    age = samples[9]
    minutes, seconds = divmod(round(age), 60)
    shown = f"{minutes}m {seconds}s"  # Prometheus' humanizeDuration
    firing = expected_alert(
        {"job": "kit", "severity": "page"},
        summary="kit's outbox is not being published",
        description=f"The oldest unpublished event of kit is {shown} old: other services do not learn of its changes.",
        runbook_url="docs/runbooks/OutboxStalled.md",
    )
    assert promtool_test(tmp_path, "outbox_oldest_age_seconds", samples, "OutboxStalled", 9, firing) == ""
