"""``wellflow up | down | status | nats-tenant | trace | dashboard``: the whole system on one machine, on
embedded PostgreSQL and NATS.

The commands live in their own modules: ``up`` (start and supervise), ``control`` (status, down,
nats-tenant), ``trace_cli`` (the spans the stack received), ``infra`` (the two servers), ``stack``
(configuration, state, service processes).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from uuid import UUID

from . import dashboard_cli, trace_cli
from .control import down, nats_tenant, status
from .discovery import DiscoveryError
from .stack import StackConfig, StackError
from .up import Up

__all__ = ["Up", "down", "main", "nats_tenant", "status"]


# -------------------------------------------------------------------------------------------- main


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wellflow",
        description="Run WellFlow on this machine: embedded PostgreSQL and NATS, every service, the gateway.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start everything and wait; Ctrl-C stops it, data is kept")
    up_parser.add_argument(
        "--gateway-port",
        type=int,
        default=None,
        help="port of the gateway (default: the one in services/gateway/pyproject.toml, 8000)",
    )
    up_parser.add_argument("--demo", action="store_true", help="load a demo tenant once the stack runs")
    tenant_parser = commands.add_parser(
        "nats-tenant", help="let an outside system subscribe to one organization's events (prints its credential)"
    )
    tenant_parser.add_argument("organization_id", type=UUID, help="the organization (tenant) id")
    tenant_parser.add_argument("--label", default="events", help="names the subscriber, e.g. erp (default events)")
    commands.add_parser("down", help="stop a stack started in another terminal")
    commands.add_parser("status", help="show what runs and where")
    trace_cli.add_parser(commands)
    dashboard_cli.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = StackConfig.from_env()
    except (StackError, DiscoveryError) as exc:
        sys.stderr.write(f"wellflow: {exc}\n")
        return 2
    commands: dict[str, Callable[[], int]] = {
        "up": lambda: Up(config, gateway_port=args.gateway_port, demo=args.demo).run(),
        "down": lambda: down(config),
        "status": lambda: status(config),
        "nats-tenant": lambda: nats_tenant(config, args.organization_id, args.label),
        "trace": lambda: trace_cli.run(config, args),
        "dashboard": lambda: dashboard_cli.run(config, args),
    }
    return commands[args.command]()


if __name__ == "__main__":
    sys.exit(main())
