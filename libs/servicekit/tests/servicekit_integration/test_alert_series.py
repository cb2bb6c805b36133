"""The consumer alert on series recorded from real code: a stuck consumer on real NATS while events flow, its
``consumer_pending_messages`` sampled once per (simulated) minute into a promtool test of the real rules,
which must fire ConsumerPendingGrowing; the same samples after the consumer moves again must not."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path
from uuid import uuid4

import pytest

from wellflow_servicekit.testing import until

from .harness import MiniService, apply_note, record_notes
from .sample_events import NoteAdded

RULES = Path(__file__).resolve().parents[4] / "deploy" / "observability" / "prometheus" / "rules"


def _promtool() -> str:
    found = os.environ.get("WELLFLOW_PROMTOOL") or shutil.which("promtool")
    if not found:
        message = "promtool is not installed (tools/install-promtool installs Debian's prometheus package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _promtool_test(tmp_path: Path, samples: list[float], eval_minute: int, expected: list[str]) -> str:
    series = 'consumer_pending_messages{job="kit",instance="kit:8100",consumer="kit-notes"}'
    alerts = "\n".join(expected) if expected else "          []"
    text = f"""rule_files:
  - {RULES / "wellflow-causes.yml"}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: '{series}'
        values: '{" ".join(str(int(v)) for v in samples)}'
    alert_rule_test:
      - eval_time: {eval_minute}m
        alertname: ConsumerPendingGrowing
        exp_alerts:
{alerts}
"""
    path = tmp_path / "recorded_test.yml"
    path.write_text(text)
    result = subprocess.run(
        [_promtool(), "test", "rules", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


async def test_a_stuck_consumers_recorded_pending_series_fires_the_alert(database, infra, root, tmp_path):
    _promtool()
    gate = asyncio.Event()

    async def stuck(uow, event: NoteAdded) -> None:
        await gate.wait()
        await apply_note(uow, event)

    service = MiniService(database, infra.nats_url, root, handler=stuck)
    await service.start()
    tenant = uuid4()
    samples: list[float] = []
    registry = service.metrics.registry
    try:
        for minute in range(25):  # one scrape a minute; 12 events committed between scrapes
            await record_notes(database, tenant, 12, wells=500, start=minute * 12)
            total = (minute + 1) * 12
            await until(lambda total=total: _published(registry, total))
            await service.consumers.refresh_pending()
            samples.append(registry.get_sample_value("consumer_pending_messages", {"consumer": "kit-notes"}))
        gate.set()
        await until(lambda: _handled(registry, 300), timeout=30)
        await service.consumers.refresh_pending()
        drained = registry.get_sample_value("consumer_pending_messages", {"consumer": "kit-notes"})
    finally:
        gate.set()
        await service.stop()

    assert samples == sorted(samples) and samples[-1] > 100
    last = int(samples[-1])
    firing = [
        "          - exp_labels: {job: kit, consumer: kit-notes, severity: page}",
        "            exp_annotations:",
        '              summary: "kit-notes is falling behind"',
        f'              description: "{last} messages wait for kit-notes in JetStream and the number has grown'
        ' for 10 minutes."',
        "              runbook_url: docs/runbooks/ConsumerPendingGrowing.md",
    ]
    assert _promtool_test(tmp_path, samples, 24, firing) == ""
    # the same series, then the consumer drains: the alert resolves
    assert drained == 0
    assert _promtool_test(tmp_path, [*samples, *[drained] * 5], 29, []) == ""
    # and a wrong expectation fails: the test can tell
    assert _promtool_test(tmp_path, samples, 24, []) != ""


async def _published(registry, count: int) -> bool:
    return (registry.get_sample_value("outbox_published_total") or 0) >= count


async def _handled(registry, count: int) -> bool:
    labels = {"consumer": "kit-notes", "outcome": "applied"}
    return (registry.get_sample_value("consumer_handled_total", labels) or 0) >= count
