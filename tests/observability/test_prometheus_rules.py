"""The Prometheus rules: promtool accepts them and their unit tests pass, every alert has a runbook, and every
metric they read is one the services export (names and labels from the real instruments)."""

from __future__ import annotations

import re

import pytest
import yaml

from .exported import exported_metrics
from .promtool import ROOT, RULE_TESTS, RULES, run


def _rules() -> list[dict]:
    return [rule for path in RULES for group in yaml.safe_load(path.read_text())["groups"] for rule in group["rules"]]


def test_promtool_accepts_the_rules():
    result = run("check", "rules", *RULES)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("test_file", RULE_TESTS, ids=[path.name for path in RULE_TESTS])
def test_the_rules_unit_tests_pass(test_file):
    result = run("test", "rules", test_file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_fails_a_rule_test_whose_alert_does_not_fire(tmp_path):
    """The unit tests can fail: the same series with the alert expected an hour too early."""
    source = (ROOT / "deploy/observability/prometheus/tests/causes_test.yml").read_text()
    broken = source.replace("../rules/", f"{RULES[0].parent}/").replace("eval_time: 9m", "eval_time: 2m")
    (tmp_path / "broken.yml").write_text(broken)
    assert run("test", "rules", tmp_path / "broken.yml").returncode != 0


def test_every_alert_has_a_severity_and_a_runbook_that_exists():
    alerts = [rule for rule in _rules() if "alert" in rule]
    assert len(alerts) >= 16
    for rule in alerts:
        assert rule["labels"]["severity"] in {"page", "ticket"}, rule["alert"]
        url = rule["annotations"]["runbook_url"]
        assert url == f"docs/runbooks/{rule['alert']}.md"
        text = (ROOT / url).read_text()
        for heading in ("## What it means", "## How to look", "## How to fix"):
            assert heading in text, (url, heading)


def test_the_dead_letter_runbooks_cite_the_real_commands():
    from wellflow_servicekit import dead_letters_cli

    text = (ROOT / "docs/runbooks/DeadLettersPending.md").read_text()
    assert "wellflow-dead-letters list" in text and "wellflow-dead-letters replay <LETTER_ID>" in text
    with pytest.raises(SystemExit) as exit_:
        dead_letters_cli.main(["list", "--help"])
    assert exit_.value.code == 0
    pyproject = (ROOT / "libs/servicekit/pyproject.toml").read_text()
    assert 'wellflow-dead-letters = "wellflow_servicekit.dead_letters_cli:main"' in pyproject


SELECTOR = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{|\[)")
FUNCTIONS = {"rate", "increase", "delta", "deriv", "min_over_time", "max_over_time", "sum", "max", "min", "by"}


def metric_names(expr: str) -> set[str]:
    return {name for name in SELECTOR.findall(expr) if name not in FUNCTIONS and ":" not in name}


def test_every_metric_and_label_the_rules_read_is_exported():
    exported = exported_metrics()
    recorded = {rule["record"] for rule in _rules() if "record" in rule}
    test_series = "\n".join(path.read_text() for path in RULE_TESTS)
    for rule in _rules():
        for name in metric_names(rule["expr"]):
            assert name in exported or name in recorded, f"{rule.get('alert') or rule.get('record')}: {name}"
    # the promtool tests' input series are shaped like the real ones: name and labels (job and instance aside)
    for series in re.findall(r"series: '([^']+)'", test_series):
        name, _, labels = series.partition("{")
        keys = {pair.split("=")[0] for pair in re.findall(r'(\w+)="', labels)} - {"job", "instance"}
        assert name in exported, series
        assert keys == exported[name], (series, exported[name])
