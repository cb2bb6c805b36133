"""A Grafana dashboard's panels as text: each panel's PromQL evaluated through Prometheus's HTTP API
(``/api/v1/query``), one table per panel (series -> latest value, in the panel's unit), then the alerts.

Read by ``wellflow dashboard`` (dashboard_cli.py), which finds or starts the Prometheus it asks. The panels come
from the committed JSON (deploy/observability/grafana/dashboards, written by dashboards.py), so the text shows
what Grafana would.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

DASHBOARDS = Path("deploy/observability/grafana/dashboards")

Fetch = Callable[[str, Mapping[str, str]], Any]
"""GET ``path`` with ``params`` from a Prometheus server; the decoded JSON answer."""


class PrometheusError(RuntimeError):
    """Prometheus did not answer, or answered an error (the message says which)."""


@dataclass(frozen=True)
class PanelQuery:
    expr: str
    legend: str


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    queries: tuple[PanelQuery, ...]


@dataclass(frozen=True)
class Row:
    label: str
    value: float | None
    error: str = ""


# --------------------------------------------------------------------------------- reading dashboards


def dashboard_file(root: Path, name: str) -> Path:
    """The JSON of dashboard ``name`` (``overview`` or a service's name) under ``root``."""
    return root / DASHBOARDS / f"wellflow-{name}.json"


def available(root: Path) -> list[str]:
    return sorted(p.stem.removeprefix("wellflow-") for p in (root / DASHBOARDS).glob("wellflow-*.json"))


def panels(data: Mapping[str, Any]) -> list[Panel]:
    """The panels of a dashboard's JSON, top to bottom, left to right, with their unit."""
    found = []
    ordered = sorted(data.get("panels", []), key=lambda p: (p.get("gridPos", {}).get("y", 0), p["gridPos"]["x"]))
    for panel in ordered:
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit") or ""
        queries = tuple(PanelQuery(t["expr"], t.get("legendFormat", "")) for t in panel.get("targets", []))
        found.append(Panel(panel.get("title", ""), "" if unit == "none" else unit, queries))
    return found


def load(path: Path) -> list[Panel]:
    return panels(json.loads(path.read_text()))


# ------------------------------------------------------------------------------------ Grafana -> PromQL

_EQUALS_VARIABLE = re.compile(r'(\w+)\s*=\s*"(?:\$\{(\w+)(?::\w+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+))"')
"""``label="$var"``: a dashboard variable in an equality matcher, which becomes ``label=~".+"``."""
_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)")


_RANGE = re.compile(r"\[(\d+)([smhdw])\]")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def shorten_ranges(expr: str, max_range_s: float) -> str:
    """Range selectors (``[5m]``) longer than ``max_range_s`` cut to it: a Prometheus that has scraped for
    only 30 s would otherwise spread 30 s of requests over 5 minutes in ``rate()``."""
    limit = max(1, math.floor(max_range_s))

    def replace(match: re.Match[str]) -> str:
        seconds = int(match.group(1)) * _UNIT_S[match.group(2)]
        return f"[{limit}s]" if seconds > limit else match.group(0)

    return _RANGE.sub(replace, expr)


def rewrite(expr: str, scrape_interval_s: float, range_s: float = 300) -> str:
    """``expr`` with Grafana's variables replaced by what Grafana would send for a panel of the last
    ``range_s`` seconds: ``$__rate_interval`` = four scrape intervals (Grafana's floor for it), ``$__interval``
    = one scrape interval, ``$__range`` = the range; ``${datasource}`` (which only picks the server) and any
    other dashboard variable match everything: ``label="$var"`` becomes ``label=~".+"``, elsewhere ``.+``."""

    def duration(seconds: float) -> str:
        return f"{max(1, math.ceil(seconds))}s"

    values = {
        "__rate_interval": duration(4 * scrape_interval_s),
        "__interval": duration(scrape_interval_s),
        "__interval_ms": str(max(1, math.ceil(scrape_interval_s * 1000))),
        "__range": duration(range_s),
        "__range_s": str(math.ceil(range_s)),
    }

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        return values.get(name, ".+")

    def any_value(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(3) or match.group(4)
        return match.group(0) if name in values else f'{match.group(1)}=~".+"'

    return _VARIABLE.sub(replace, _EQUALS_VARIABLE.sub(any_value, expr))


def legend(template: str, labels: Mapping[str, str]) -> str:
    """Grafana's legend: ``{{job}} pending`` with the series' labels; without a template, the labels."""
    if template:
        text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template).strip()
        if text:
            return text
    inner = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")
    return labels.get("__name__", "") + "{" + inner + "}" if inner or "__name__" in labels else "(value)"


# ---------------------------------------------------------------------------------------------- units


def _number(value: float) -> str:
    """Three significant digits, thousands grouped: what a glance at a panel needs."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def with_unit(value: float | None, unit: str) -> str:
    """A value as Grafana's unit shows it: seconds as ms/s/min, a ratio as a percentage, rates per second."""
    if value is None:
        return "-"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if unit == "s":
        if abs(value) < 1:
            return f"{_number(value * 1000)} ms"
        if abs(value) < 120:
            return f"{_number(value)} s"
        return f"{_number(value / 60)} min"
    if unit == "percentunit":
        return f"{_number(value * 100)} %"
    suffix = {"reqps": " req/s", "ops": " ops/s", "percent": " %", "bytes": " B"}.get(unit, f" {unit}" if unit else "")
    return _number(value) + suffix


# ----------------------------------------------------------------------------------- Prometheus client


def http_fetch(base_url: str, timeout: float = 10) -> Fetch:
    client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)

    def fetch(path: str, params: Mapping[str, str]) -> Any:
        try:
            response = client.get(path, params=dict(params))
        except httpx.HTTPError as exc:
            raise PrometheusError(f"{base_url}: {exc}") from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise PrometheusError(f"{base_url}{path}: HTTP {response.status_code}, not JSON") from exc
        return body

    return fetch


def query(fetch: Fetch, expr: str) -> list[tuple[dict[str, str], float]]:
    """An instant query's series and values (a scalar counts as one unlabelled series)."""
    answer = fetch("/api/v1/query", {"query": expr})
    if answer.get("status") != "success":
        raise PrometheusError(f"{answer.get('errorType', 'error')}: {answer.get('error', answer)}")
    data = answer["data"]
    if data["resultType"] in ("scalar", "string"):
        return [({}, float(data["result"][1]))]
    if data["resultType"] != "vector":
        raise PrometheusError(f"an instant query answered a {data['resultType']}")
    return [(dict(item["metric"]), float(item["value"][1])) for item in data["result"]]


def evaluate(fetch: Fetch, panel: Panel, scrape_interval_s: float, max_range_s: float | None = None) -> list[Row]:
    rows: list[Row] = []
    for panel_query in panel.queries:
        expr = rewrite(panel_query.expr, scrape_interval_s)
        if max_range_s is not None:
            expr = shorten_ranges(expr, max_range_s)
        try:
            series = query(fetch, expr)
        except PrometheusError as exc:
            named = panel_query.legend if panel_query.legend and "{{" not in panel_query.legend else expr
            rows.append(Row(named, None, str(exc)))
            continue
        rows.extend(Row(legend(panel_query.legend, labels), value) for labels, value in series)
    return rows


def alerts(fetch: Fetch) -> list[dict[str, Any]]:
    answer = fetch("/api/v1/alerts", {})
    if answer.get("status") != "success":
        raise PrometheusError(f"alerts: {answer.get('error', answer)}")
    found: list[dict[str, Any]] = answer["data"]["alerts"]
    return found


# ------------------------------------------------------------------------------------------ rendering


def render_panel(panel: Panel, rows: Iterable[Row]) -> str:
    rows = sorted(rows, key=lambda r: r.label)
    unit = f" [{panel.unit}]" if panel.unit else ""
    lines = [f"{panel.title}{unit}"]
    if not rows:
        lines.append("  (no data)")
    width = max((len(r.label) for r in rows), default=0)
    for row in rows:
        shown = f"error: {row.error}" if row.error else with_unit(row.value, panel.unit)
        lines.append(f"  {row.label.ljust(width)}  {shown}")
    return "\n".join(lines) + "\n"


def render_alerts(found: list[dict[str, Any]]) -> str:
    firing = [a for a in found if a.get("state") == "firing"]
    pending = [a for a in found if a.get("state") == "pending"]
    lines = [f"Alerts: {len(firing)} firing, {len(pending)} pending"]
    for alert in sorted(firing + pending, key=lambda a: (a.get("state") != "firing", a["labels"].get("alertname"))):
        labels = alert.get("labels", {})
        where = ", ".join(f"{k}={v}" for k, v in sorted(labels.items()) if k not in ("alertname", "severity"))
        summary = alert.get("annotations", {}).get("summary", "")
        severity = labels.get("severity", "")
        lines.append(f"  {alert.get('state', ''):7}  {labels.get('alertname', '')} [{severity}] {where}")
        if summary:
            lines.append(f"           {summary}")
    return "\n".join(lines) + "\n"


def render(
    title: str, fetch: Fetch, board: list[Panel], scrape_interval_s: float, max_range_s: float | None = None
) -> str:
    """Every panel's table, then the alerts; ``max_range_s`` shortens longer range selectors (see
    ``shorten_ranges``) and says so under the title. Recording rules keep their own ranges."""
    parts = [f"{title}\n"]
    if max_range_s is not None:
        seconds = math.floor(max_range_s)
        parts[0] += f"(panels' ranges over {seconds} s cut to the {seconds} s scraped)\n"
    for panel in board:
        parts.append(render_panel(panel, evaluate(fetch, panel, scrape_interval_s, max_range_s)))
    try:
        parts.append(render_alerts(alerts(fetch)))
    except PrometheusError as exc:
        parts.append(f"Alerts: not available ({exc})\n")
    return "\n".join(parts)
