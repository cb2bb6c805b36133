"""Write deploy/observability/kubernetes/prometheusrule.yaml, the Prometheus Operator's PrometheusRule, from the
rule files compose's Prometheus loads (deploy/observability/prometheus/rules/*.yml, in name order): one source
for both. Run it after changing a rule file; tests/deploy/test_observability_kubernetes.py fails until then.

    python deploy/observability/prometheus_rule.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
RULES = HERE / "prometheus" / "rules"
TARGET = HERE / "kubernetes" / "prometheusrule.yaml"
HEADER = "# Written by deploy/observability/prometheus_rule.py from prometheus/rules/*.yml: edit those, then run it.\n"


def rule_groups(rules: Path = RULES) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for path in sorted(rules.glob("*.yml")) if rules.is_dir() else []:
        groups += (yaml.safe_load(path.read_text()) or {}).get("groups") or []
    return groups


def prometheus_rule(rules: Path = RULES) -> dict[str, Any]:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "wellflow", "labels": {"app.kubernetes.io/name": "wellflow-rules"}},
        "spec": {"groups": rule_groups(rules)},
    }


def render(rules: Path = RULES) -> str:
    return HEADER + yaml.safe_dump(prometheus_rule(rules), sort_keys=False, width=120, allow_unicode=True)


def main() -> int:
    TARGET.write_text(render())
    sys.stdout.write(f"wrote {TARGET} ({len(rule_groups())} groups)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
