"""PortalBreakerOpen on a series recorded from the real breaker and its gauge: the breaker trips after failing
portal calls and stays open (a long reset timeout), `portal_breaker_state` is sampled once per simulated
minute into a promtool test of the real rules."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry

from wellflow_compliance.adapters.breaker import PortalBreaker
from wellflow_compliance.adapters.metrics import SubmissionMetrics
from wellflow_compliance.adapters.portal import PortalUnavailable

RULES = Path(__file__).resolve().parents[4] / "deploy" / "observability" / "prometheus" / "rules"


def _promtool() -> str:
    found = os.environ.get("WELLFLOW_PROMTOOL") or shutil.which("promtool")
    if not found:
        message = "promtool is not installed (tools/install-promtool installs Debian's prometheus package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


async def _failing_portal() -> str:
    raise PortalUnavailable("portal answered 503")


def _run(tmp_path: Path, samples: list[float], expected: str) -> int:
    test = f"""rule_files:
  - {RULES / "wellflow-causes.yml"}
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'portal_breaker_state{{job="compliance",instance="compliance:8104"}}'
        values: '{" ".join(str(int(v)) for v in samples)}'
    alert_rule_test:
      - eval_time: 8m
        alertname: PortalBreakerOpen
        exp_alerts:
{expected}
"""
    path = tmp_path / "breaker_test.yml"
    path.write_text(test)
    return subprocess.run([_promtool(), "test", "rules", str(path)], capture_output=True, timeout=120).returncode


async def test_a_tripped_breakers_recorded_state_fires_the_alert(tmp_path):
    _promtool()
    registry = CollectorRegistry()
    breaker = PortalBreaker(fail_max=3, reset_timeout=3600)
    SubmissionMetrics(registry, breaker)
    samples = []
    for minute in range(9):
        if minute == 1:
            for _ in range(3):
                with pytest.raises(PortalUnavailable):
                    await breaker.call(_failing_portal)
        samples.append(registry.get_sample_value("portal_breaker_state"))
    assert samples[0] == 0 and set(samples[1:]) == {2}
    alert = {
        "exp_labels": {"job": "compliance", "severity": "ticket"},
        "exp_annotations": {
            "summary": "The RRC portal circuit breaker is open",
            "description": "Compliance stopped calling the RRC portal after repeated failures; "
            "filings wait in the queue.",
            "runbook_url": "docs/runbooks/PortalBreakerOpen.md",
        },
    }
    firing = "\n".join(" " * 10 + line for line in yaml.safe_dump([alert], width=1000).splitlines())
    assert _run(tmp_path, samples, firing) == 0
    assert _run(tmp_path, samples, "          []") != 0
