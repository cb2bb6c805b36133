"""Grafana dashboards as code: one overview of every service and one per service, built with grafanalib
from the metrics the services export (docs/observability.md), written as JSON for Grafana's file provisioning.

    python -m wellflow_devstack.dashboards [deploy/observability/grafana/dashboards]

`make schemas` runs it; a test fails when the committed JSON differs from what this writes, or when a query
names a metric no service exports. Every dashboard takes its Prometheus data source from a `datasource`
variable, so it loads whatever the provisioned data source is called.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grafanalib._gen import DashboardEncoder
from grafanalib.core import Dashboard, GridPos, Stat, Target, Templating, TimeSeries
from grafanalib.core import Template as Variable

from .discovery import ServiceSpec, discover_services, find_repo_root

DEFAULT_OUTPUT = Path("deploy/observability/grafana/dashboards")
DATASOURCE = "${datasource}"
API = 'route!~"/health/.*|/metrics"'


def declared_services(root: Path | None = None) -> list[ServiceSpec]:
    """The WellFlow services declared under services/ (not the stand-ins under tools/), identity first."""
    return [spec for spec in discover_services(root or find_repo_root()) if spec.directory.parent.name == "services"]


_DECLARED = declared_services()
SERVICES = tuple(spec.name for spec in _DECLARED)
EVENT_SERVICES = tuple(spec.name for spec in _DECLARED if spec.events)  # consumers, outbox and a database
WIDTH, HEIGHT = 24, 8


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str


@dataclass(frozen=True)
class Chart:
    title: str
    queries: Sequence[Query]
    unit: str = ""
    description: str = ""
    stat: bool = False


@dataclass
class Board:
    uid: str
    title: str
    description: str
    rows: list[list[Chart]] = field(default_factory=list)


def q(expr: str, legend: str) -> Query:
    return Query(expr, legend)


def _panel(chart: Chart, pos: GridPos) -> Any:
    targets = [
        Target(expr=query.expr, legendFormat=query.legend, refId=chr(ord("A") + i), datasource=DATASOURCE)
        for i, query in enumerate(chart.queries)
    ]
    common: dict[str, Any] = {
        "title": chart.title,
        "dataSource": DATASOURCE,
        "targets": targets,
        "gridPos": pos,
        "description": chart.description or None,
    }
    if chart.stat:
        return Stat(format=chart.unit or "none", reduceCalc="lastNotNull", **common)
    return TimeSeries(unit=chart.unit, **common)


def render(board: Board) -> dict[str, Any]:
    panels = []
    y = 0
    for row in board.rows:
        width = WIDTH // len(row)
        for index, chart in enumerate(row):
            panels.append(_panel(chart, GridPos(h=HEIGHT, w=width, x=index * width, y=y)))
        y += HEIGHT
    datasource = Variable(
        name="datasource", label="Prometheus", query="prometheus", type="datasource", default="Prometheus"
    )
    dashboard = Dashboard(
        title=board.title,
        uid=board.uid,
        description=board.description,
        tags=["wellflow"],
        timezone="utc",
        refresh="30s",
        panels=panels,
        templating=Templating(list=[datasource]),
    ).auto_panel_ids()
    data: dict[str, Any] = json.loads(json.dumps(dashboard.to_json_data(), cls=DashboardEncoder))
    return data


def p95(metric: str, by: str, selector: str = "") -> str:
    """The 95th percentile of histogram ``metric`` over 5 minutes, by ``by`` (``le`` is added)."""
    return f"histogram_quantile(0.95, sum by ({by}, le) (rate({metric}_bucket{{{selector}}}[5m])))"


def per_second(metric: str, by: str, selector: str = "") -> str:
    return f"sum by ({by}) (rate({metric}{{{selector}}}[5m]))"


def burn(job: str | None) -> list[Query]:
    match = f'{{job="{job}"}}' if job else ""
    legend = "{{job}} " if job is None else ""
    return [
        q(f"job:slo_api_errors:ratio_rate1h{match} / 0.001", f"{legend}availability"),
        q(f"job:slo_api_slow:ratio_rate1h{match} / 0.01", f"{legend}latency"),
        q(f"job:slo_event_lag:ratio_rate1h{match} / 0.01", f"{legend}event lag"),
    ]


BURN_HELP = "Budget burn over the last hour: 1 spends a 30-day budget in 30 days; the fast alerts page at 14.4 and 6."


def overview() -> Board:
    up = 'sum by (job) (up{job=~"' + "|".join(SERVICES) + '"})'
    return Board(
        "wellflow-overview",
        "WellFlow overview",
        "Every service: rate, errors and latency of its API, event lag, error budget burn, and the causes.",
        [
            [
                Chart("Up", [q(up, "{{job}}")], stat=True),
                Chart("Ready instances", [q("sum by (job) (health_ready)", "{{job}}")], stat=True),
            ],
            [
                Chart(
                    "Requests per second",
                    [q(per_second("http_request_duration_seconds_count", "job", API), "{{job}}")],
                    "reqps",
                ),
                Chart("Errors (5xx share)", [q("job:slo_api_errors:ratio_rate5m", "{{job}}")], "percentunit"),
                Chart("p95 latency", [q(p95("http_request_duration_seconds", "job", API), "{{job}}")], "s"),
            ],
            [
                Chart("Error budget burn (1h, x budget rate)", burn(None), description=BURN_HELP),
                Chart("Event lag p95", [q(p95("consumer_event_lag_seconds", "job"), "{{job}}")], "s"),
            ],
            [
                Chart("Outbox oldest age", [q("max by (job) (outbox_oldest_age_seconds)", "{{job}}")], "s"),
                Chart("Consumer pending", [q("max by (consumer) (consumer_pending_messages)", "{{consumer}}")]),
                Chart("Dead letters pending", [q("max by (job) (dead_letters_pending)", "{{job}}")]),
            ],
        ],
    )


def _http_rows(job: str) -> list[list[Chart]]:
    sel = f'job="{job}", {API}'
    errors = per_second("http_request_duration_seconds_count", "route, status", f'{sel}, status=~"5.."')
    return [
        [
            Chart(
                "Requests per second by route",
                [q(per_second("http_request_duration_seconds_count", "route", sel), "{{route}}")],
                "reqps",
            ),
            Chart("Errors by route and status", [q(errors, "{{route}} {{status}}")], "reqps"),
        ],
        [
            Chart("p95 latency by route", [q(p95("http_request_duration_seconds", "route", sel), "{{route}}")], "s"),
            Chart("Error budget burn (1h, x budget rate)", burn(job), description=BURN_HELP),
        ],
    ]


def _consumer_rows(job: str) -> list[list[Chart]]:
    sel = f'job="{job}"'
    return [
        [
            Chart(
                "Consumer pending / in hand",
                [
                    q(f"max by (consumer) (consumer_pending_messages{{{sel}}})", "{{consumer}} pending"),
                    q(f"max by (consumer) (consumer_ack_pending_messages{{{sel}}})", "{{consumer}} in hand"),
                ],
            ),
            Chart(
                "Events handled by outcome",
                [q(per_second("consumer_handled_total", "consumer, outcome", sel), "{{consumer}} {{outcome}}")],
                "ops",
            ),
            Chart(
                "Since last handled",
                [q(f"time() - max by (consumer) (consumer_last_handled_timestamp_seconds{{{sel}}})", "{{consumer}}")],
                "s",
            ),
        ],
        [
            Chart("Event lag p95", [q(p95("consumer_event_lag_seconds", "consumer", sel), "{{consumer}}")], "s"),
            Chart("Handling p95", [q(p95("consumer_handle_duration_seconds", "consumer", sel), "{{consumer}}")], "s"),
            Chart(
                "Redeliveries and dead letters",
                [
                    q(per_second("consumer_redeliveries_total", "consumer", sel), "{{consumer}} redelivered/s"),
                    q(f"max(dead_letters_pending{{{sel}}})", "dead letters pending"),
                ],
            ),
        ],
    ]


def _storage_rows(job: str) -> list[list[Chart]]:
    sel = f'job="{job}"'
    rounds = f"sum(rate(outbox_publish_batch_size_count{{{sel}}}[5m]))"
    batch = f"sum(rate(outbox_publish_batch_size_sum{{{sel}}}[5m])) / {rounds}"
    slowest = f"topk(10, {p95('db_repository_duration_seconds', 'repository, method', sel)})"
    return [
        [
            Chart(
                "Outbox",
                [
                    q(f"max(outbox_backlog{{{sel}}})", "unpublished"),
                    q(f"sum(rate(outbox_published_total{{{sel}}}[5m]))", "published/s"),
                ],
            ),
            Chart("Outbox oldest age", [q(f"max(outbox_oldest_age_seconds{{{sel}}})", "oldest")], "s"),
            Chart(
                "Relay rounds",
                [q(p95("outbox_publish_duration_seconds", "job", sel), "round p95 (s)"), q(batch, "events per round")],
            ),
        ],
        [
            Chart(
                "Database pool",
                [
                    q(f"sum by (instance) (db_pool_connections_in_use{{{sel}}})", "{{instance}} in use"),
                    q(f"sum by (instance) (db_pool_connections_max{{{sel}}})", "{{instance}} max"),
                    q(f"sum by (instance) (db_pool_waiting{{{sel}}})", "{{instance}} waiting"),
                ],
            ),
            Chart("Slowest repository methods (p95)", [q(slowest, "{{repository}}.{{method}}")], "s"),
        ],
    ]


def _compliance_rows(sel: str) -> list[list[Chart]]:
    return [
        [
            Chart(
                "Portal breaker (0 closed, 1 half-open, 2 open)", [q(f"max(portal_breaker_state{{{sel}}})", "state")]
            ),
            Chart("Submission queue", [q(f"max(submission_queue_depth{{{sel}}})", "queued")]),
            Chart(
                "Submission attempts by outcome",
                [q(per_second("submission_attempts_total", "outcome", sel), "{{outcome}}")],
                "ops",
            ),
        ],
        [
            Chart("Submissions by state", [q(f"max by (state) (compliance_submissions{{{sel}}})", "{{state}}")]),
            Chart("Form PR months with errors", [q(f"max(compliance_form_pr_drafts_with_errors{{{sel}}})", "months")]),
        ],
    ]


def _gateway_rows(sel: str) -> list[list[Chart]]:
    upstream = per_second("gateway_upstream_requests_total", "service, status", sel)
    return [
        [
            Chart("Upstream requests by service and status", [q(upstream, "{{service}} {{status}}")], "reqps"),
            Chart(
                "Upstream p95 by service",
                [q(p95("gateway_upstream_duration_seconds", "service", sel), "{{service}}")],
                "s",
            ),
            Chart(
                "Rejections by reason",
                [q(per_second("gateway_rejections_total", "reason", sel), "{{reason}}")],
                "reqps",
            ),
        ]
    ]


def _own_rows(job: str) -> list[list[Chart]]:
    sel = f'job="{job}"'
    if job == "production":
        readings = q(f"max(production_readings_recorded_last_hour{{{sel}}})", "readings")
        return [[Chart("Readings entered in the last hour", [readings])]]
    if job == "compliance":
        return _compliance_rows(sel)
    if job == "accounting":
        pending = q(f"max(accounting_payment_runs_pending_approval{{{sel}}})", "runs")
        return [[Chart("Payment runs waiting for approval", [pending])]]
    if job == "notifications":
        failed = q(f"max by (channel) (notifications_deliveries_failed{{{sel}}})", "{{channel}}")
        attempts = per_second("notifications_delivery_attempts_total", "channel, outcome", sel)
        return [
            [
                Chart("Deliveries failed, not sent again", [failed]),
                Chart("Delivery attempts by outcome", [q(attempts, "{{channel}} {{outcome}}")], "ops"),
            ]
        ]
    if job == "gateway":
        return _gateway_rows(sel)
    return []


def service_board(job: str) -> Board:
    rows = _http_rows(job)
    if job in EVENT_SERVICES:
        rows += _consumer_rows(job) + _storage_rows(job)
    rows += _own_rows(job)
    return Board(
        f"wellflow-{job}",
        f"WellFlow {job}",
        f"The {job} service: API, events, outbox, database and its own figures.",
        rows,
    )


def boards() -> list[Board]:
    return [overview(), *(service_board(job) for job in SERVICES)]


def as_json(board: Board) -> str:
    return json.dumps(render(board), indent=2, sort_keys=True) + "\n"


def expressions(data: dict[str, Any]) -> Iterable[str]:
    for panel in data.get("panels", []):
        for target in panel.get("targets", []):
            yield target["expr"]


def write(output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for board in boards():
        path = output / f"{board.uid}.json"
        path.write_text(as_json(board))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wellflow_devstack.dashboards", description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    for path in write(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
