"""Write deploy/nats/accounts.conf from the code: which NATS user may do what, each service's rights derived
from the durable consumers it declares.

    python -m wellflow_devstack.nats_accounts deploy/nats/accounts.conf    # what `make schemas` runs
    python -m wellflow_devstack.nats_accounts -                            # print it
    python -m wellflow_devstack.nats_accounts - --durables                 # each service's consumers, JSON

NATS permissions match subjects token by token, and a consumer's name is one token (``production-lease-
registered``): "production's consumers" cannot be written as a wildcard, so every service's user lists its
consumers by name, each with the one filter subject it was declared with. A test regenerates the file and
compares it with the committed one, so a new consumer cannot ship without the right to create it (and a
consumer that would not be allowed fails that test, not a production start-up).

Each service's user may:

- publish its own events (``<root>.evt.*.<service>.>``), dead-letter announcements and replays;
- create each of its durable consumers through ``$JS.API.CONSUMER.CREATE.<stream>.<durable>.<filter>``, the
  form that carries the filter subject, so the server refuses a create whose configuration filters anything
  else (nats-py uses it for a consumer with one filter subject); read its info, fetch from it and ack its
  messages (``$JS.ACK.<stream>.<durable>.>``), and nothing of any other consumer: no create under another
  name or filter, no delete, no change of the stream;
- receive only on its own reply inboxes, ``_INBOX_<service>.>`` (servicekit's NATS_INBOX_PREFIX default):
  the shared ``_INBOX.>`` would let it read every other client's replies, JetStream deliveries included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from wellflow_contracts.events.identity import AccessRevoked

from .discovery import discover_services, find_repo_root
from .event_docs import PLACEHOLDER_ENV

ROOT = "wellflow"
"""The subject root of a deployment (EVENT_SUBJECT_ROOT in docker-compose.yml and deploy/base/config.yaml)."""

FEEDS = "WELLFLOW_FEEDS"
EXTRA_RIGHTS: dict[str, tuple[str, list[str]]] = {
    "integrations": (
        "the durable feeds of outside systems (docs/integrations.md): it makes and removes their consumers on the "
        f"{FEEDS} mirror, which only it manages",
        [
            f"$JS.API.STREAM.INFO.{FEEDS}",
            f"$JS.API.CONSUMER.CREATE.{FEEDS}.>",
            f"$JS.API.CONSUMER.DURABLE.CREATE.{FEEDS}.>",
            f"$JS.API.CONSUMER.INFO.{FEEDS}.>",
            f"$JS.API.CONSUMER.DELETE.{FEEDS}.>",
        ],
    ),
}
"""Rights a service needs beyond its declared consumers, each with the reason."""

EXPORTS = f"""\
    # outside organizations import their own slice of this (tenants.conf); nothing else is exported.
    # Durable feeds: a tenant account imports the fetch and ack subjects of exactly its own feed consumers
    # on the {FEEDS} mirror (made by the integrations service; docs/integrations.md).
    exports: [ {{ stream: "{ROOT}.evt.>" }}
               {{ service: "$JS.API.CONSUMER.MSG.NEXT.{FEEDS}.*", response_type: stream }}
               {{ service: "$JS.ACK.{FEEDS}.>" }} ]
"""

HEADER = """\
# GENERATED from the services' code by `make schemas` (python -m wellflow_devstack.nats_accounts
# deploy/nats/accounts.conf): do not edit by hand; change tools/devstack/src/wellflow_devstack/nats_accounts.py
# or the services' consumers and regenerate. A test fails while this file and the code disagree.
#
# Who may connect to WellFlow's NATS, and what each may publish and subscribe to. Included by nats.conf
# (compose) and nats-cluster.conf (Kubernetes); the dev stack (`wellflow up`) runs it too. Passwords come from
# the server's environment (the $NATS_*_PASSWORD variables), which compose and Kubernetes fill from secrets;
# nothing secret is here.
#
# Account WELLFLOW holds the events stream ({stream}) and the services. Each service's user may
#   - publish only its own events, {root}.evt.<any tenant>.<service>.>, its dead-letter announcements and replays;
#   - create only its own durable consumers, each by name AND filter subject ($JS.API.CONSUMER.CREATE.<stream>.
#     <durable>.<filter>: the server refuses a create whose filter differs from the one in the subject), read their
#     info, fetch from them and ack their messages ($JS.ACK.<stream>.<durable>.>); it can delete no consumer and
#     create, change, purge or delete no stream;
#   - receive only on its own reply inboxes, _INBOX_<service>.> (servicekit's NATS_INBOX_PREFIX default; a service
#     run with another prefix needs its line changed here), never the shared _INBOX.>.
# "admin" has every right: the stream job (wellflow-ensure-stream) and operators use it.
# Each outside organization gets an account of its own in tenants.conf that imports exactly
# {root}.evt.<its organization id>.> from WELLFLOW's export below, with connection and subscription limits.
"""


def service_durables(repo: Path | None = None) -> dict[str, dict[str, str]]:
    """``{service: {durable consumer: filter subject}}`` for every service that publishes or consumes events, read
    from its app as built (not started: nothing connects) with placeholder settings, in discovery order."""
    result: dict[str, dict[str, str]] = {}
    for spec in discover_services(repo or find_repo_root()):
        if not spec.events:
            continue
        os.environ.update(PLACEHOLDER_ENV, SERVICE_NAME=spec.name, EVENT_SUBJECT_ROOT=ROOT)
        for variable in spec.secrets:
            os.environ.setdefault(variable, "placeholder-" + "0" * 48)
        result[spec.name] = asyncio.run(_durables(spec.app))
    return result


async def _durables(app_path: str) -> dict[str, str]:
    import importlib

    module, _, attribute = app_path.partition(":")
    app = getattr(importlib.import_module(module), attribute)()
    # every durable consumer the service runs (a replay consumer per handler included) with its filter subject,
    # as EventConsumers.start creates them (consumers.py is at its size limit: read here, not exposed there)
    subscriptions = app.state.runtime.consumers._subscriptions
    return dict(sorted((sub.durable, sub.subject) for sub in subscriptions))


def _quoted(subjects: list[str], indent: str) -> str:
    return "\n".join(f'{indent}"{subject}"' for subject in subjects)


def service_user(service: str, durables: dict[str, str], root: str = ROOT) -> str:
    """One service's entry of the WELLFLOW account's users."""
    from wellflow_contracts.subjects import stream_name
    from wellflow_servicekit.settings import default_inbox_prefix

    stream = stream_name(root)
    own = [f"{root}.evt.*.{service}.>", f"{root}.dlq.{service}.>", f"{root}.replay.{service}.>"]
    reads = ["$JS.API.INFO", f"$JS.API.STREAM.INFO.{stream}"]
    lines = [
        f"      {{ user: {service}, password: $NATS_{service.upper()}_PASSWORD, permissions: {{",
        "          publish: { allow: [",
        _quoted(own + reads, "            "),
    ]
    for durable, subject in durables.items():
        lines.append(f"            # consumer {durable}: {subject}")
        lines.append(
            _quoted(
                [
                    f"$JS.API.CONSUMER.CREATE.{stream}.{durable}.{subject}",
                    f"$JS.API.CONSUMER.INFO.{stream}.{durable}",
                    f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{durable}",
                    f"$JS.ACK.{stream}.{durable}.>",
                ],
                "            ",
            )
        )
    if service in EXTRA_RIGHTS:
        reason, subjects = EXTRA_RIGHTS[service]
        lines.append(f"            # {reason}")
        lines.append(_quoted(subjects, "            "))
    revoked = f"{root}.evt.*.{AccessRevoked.event_type()}"
    lines.append(
        "            # token revocations (servicekit revocation.py): an ordered consumer per process, of any name,"
        " on exactly identity's access_revoked events"
    )
    lines.append(_quoted([f"$JS.API.CONSUMER.CREATE.{stream}.*.{revoked}", f"$JS.FC.{stream}.>"], "            "))
    lines += [
        "          ] }",
        f'          subscribe: {{ allow: ["{default_inbox_prefix(service)}.>"] }}',
        "      } }",
    ]
    return "\n".join(lines)


def render(durables: dict[str, dict[str, str]], root: str = ROOT) -> str:
    from wellflow_contracts.subjects import stream_name

    consumed = {
        service: sorted(
            {
                subject.split(".")[3] if subject.count(".") > 3 else "every service"
                for subject in subjects.values()
                if ".evt." in subject
            }
        )
        for service, subjects in durables.items()
    }
    users = ["      { user: admin, password: $NATS_ADMIN_PASSWORD }"]
    for service, subjects in durables.items():
        what = ", ".join(consumed[service]) if consumed[service] else "no other service's events"
        users.append(f"      # {service}: consumes {what}")
        users.append(service_user(service, subjects, root))
    return (
        HEADER.format(stream=stream_name(root), root=root)
        + "\naccounts {\n  WELLFLOW {\n    jetstream: enabled\n    users: [\n"
        + "\n".join(users)
        + "\n    ]\n"
        + EXPORTS
        + "  }\n\n"
        + '  include "tenants.conf"\n'
        + "}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wellflow_devstack.nats_accounts", description=__doc__.splitlines()[0]
    )
    parser.add_argument("output", help="the file to write (deploy/nats/accounts.conf), or - for standard output")
    parser.add_argument("--durables", action="store_true", help="print each service's consumers as JSON instead")
    args = parser.parse_args(argv)
    if args.durables:
        import json

        sys.stdout.write(json.dumps(service_durables(), indent=2) + "\n")
        return 0
    text = render(service_durables())
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
