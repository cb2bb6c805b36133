"""Create the integration-event stream, or bring its configuration up to date (idempotent).

    wellflow-ensure-stream [--replicas 3]

Reads NATS_URL, EVENT_SUBJECT_ROOT and NATS_TLS_CA_FILE (tls:// URLs). ``wellflow up`` does this itself; a
deployment runs it once per release (a Kubernetes Job, say) before the services start, since services never
change the stream.
"""

from __future__ import annotations

import argparse
import os

from wellflow_contracts.subjects import DEFAULT_ROOT

from .broker import ensure_stream
from .runtime import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wellflow-ensure-stream", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=1, help="stream replicas (3 in a production cluster)")
    args = parser.parse_args(argv)
    nats_url = os.environ.get("NATS_URL")
    if not nats_url:
        raise SystemExit("wellflow-ensure-stream: NATS_URL is not set")
    root = os.environ.get("EVENT_SUBJECT_ROOT") or DEFAULT_ROOT
    ca_file = os.environ.get("NATS_TLS_CA_FILE") or None
    config = run(ensure_stream(nats_url, root, replicas=args.replicas, tls_ca_file=ca_file))
    print(f"stream {config.name}: subjects {', '.join(config.subjects or [])}, {config.num_replicas} replica(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
