"""Write the event documentation other systems read, generated from code: one JSON Schema per integration
event (``<type>.json`` and ``index.json``) and one AsyncAPI 3.0 document per service
(``asyncapi/<service>.json``: what it publishes and which durable consumers it runs).

    python -m wellflow_devstack.event_docs docs/events      # what `make schemas` runs

The AsyncAPI documents are what each running service serves at ``GET /asyncapi.json``: each app is built
(not started: nothing connects) with placeholder settings, and its document is read through the ASGI app.
A test regenerates everything and compares it with the committed files, so they cannot drift from the code.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
from pathlib import Path

from .discovery import discover_services, find_repo_root

# Settings every service requires; nothing connects while the document is read, so they only need to parse.
PLACEHOLDER_ENV = {
    "DATABASE_URL": "postgresql+asyncpg://docs:docs@127.0.0.1:1/docs",
    "NATS_URL": "nats://127.0.0.1:1",
    "JWKS_URL": "http://127.0.0.1:1/.well-known/jwks.json",
    "JWT_ISSUER": "wellflow-identity",
    "JWT_AUDIENCE": "wellflow",
    "LOG_LEVEL": "WARNING",
}


async def _asyncapi(app_path: str) -> dict:
    import httpx

    module, _, attribute = app_path.partition(":")
    app = getattr(importlib.import_module(module), attribute)()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docs") as client:
        response = await client.get("/asyncapi.json")
        response.raise_for_status()
        return response.json()


def write_event_docs(output: Path, root: Path | None = None) -> list[Path]:
    from wellflow_contracts.schemas import write_schemas

    written = write_schemas(output)
    folder = output / "asyncapi"
    folder.mkdir(parents=True, exist_ok=True)
    for spec in discover_services(root or find_repo_root()):
        if not spec.database:  # the gateway and the portal stand-in neither publish nor consume events
            continue
        os.environ.update(PLACEHOLDER_ENV, SERVICE_NAME=spec.name)
        for variable in spec.secrets:
            os.environ.setdefault(variable, "placeholder-" + "0" * 48)
        document = asyncio.run(_asyncapi(spec.app))
        path = folder / f"{spec.name}.json"
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wellflow_devstack.event_docs", description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="folder to write into (docs/events)")
    args = parser.parse_args(argv)
    written = write_event_docs(args.output)
    print(f"wrote {len(written)} files to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
