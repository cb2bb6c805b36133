"""List and replay a service's dead letters, from the service's own environment.

    wellflow-dead-letters list [--consumer wells-lease-volumes] [--all]
    wellflow-dead-letters replay LETTER_ID [LETTER_ID ...]

Reads DATABASE_URL, NATS_URL, SERVICE_NAME, EVENT_SUBJECT_ROOT, NATS_INBOX_PREFIX and NATS_TLS_CA_FILE like the
service does (run it where
the service runs, e.g. ``kubectl exec``). A replay goes only to the consumer that failed the event, and
its inbox keeps it from being applied twice.
"""

from __future__ import annotations

import argparse
import os
import sys
from uuid import UUID

import nats

from wellflow_contracts.subjects import DEFAULT_ROOT

from .broker import DeadLetters, nats_connect_options
from .database import Database
from .settings import default_inbox_prefix


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"wellflow-dead-letters: {name} is not set (run it in the service's environment)")
    return value


async def _main(args: argparse.Namespace) -> int:
    service = _required("SERVICE_NAME")
    root = os.environ.get("EVENT_SUBJECT_ROOT") or DEFAULT_ROOT
    database = Database(_required("DATABASE_URL"), service=service, subject_root=root, pool_size=2)
    options = nats_connect_options(
        _required("NATS_URL"),
        inbox_prefix=os.environ.get("NATS_INBOX_PREFIX") or default_inbox_prefix(service),
        tls_ca_file=os.environ.get("NATS_TLS_CA_FILE") or None,
    )
    connection = await nats.connect(**options, connect_timeout=5, max_reconnect_attempts=2)
    letters = DeadLetters(database, connection.jetstream(), service=service, subject_root=root)
    try:
        if args.command == "list":
            rows = await letters.list(consumer=args.consumer, pending_only=not args.all, limit=args.limit)
            if not rows:
                print("no dead letters")
            for letter in rows:
                state = f"replayed {letter.replay_count}x" if letter.replayed_at else "pending"
                print(
                    f"{letter.id}  {letter.failed_at:%Y-%m-%d %H:%M:%S}  {letter.consumer}  {letter.event_type}  "
                    f"event {letter.event_id}  tenant {letter.tenant_id}  {letter.deliveries} deliveries  {state}\n"
                    f"    {letter.error}"
                )
        else:
            for letter_id in args.ids:
                await letters.replay(letter_id)
                print(f"replayed {letter_id}")
    finally:
        await connection.close()
        await database.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    from .runtime import run

    parser = argparse.ArgumentParser(prog="wellflow-dead-letters", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="show dead letters (pending ones unless --all)")
    listing.add_argument("--consumer", help="only this consumer, e.g. compliance-lease-volumes")
    listing.add_argument("--all", action="store_true", help="include replayed ones")
    listing.add_argument("--limit", type=int, default=100)
    replay = commands.add_parser("replay", help="send dead letters back to the consumer that failed them")
    replay.add_argument("ids", nargs="+", type=UUID)
    try:
        return run(_main(parser.parse_args(argv)))
    except LookupError as exc:
        print(f"wellflow-dead-letters: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
