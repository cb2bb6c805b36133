"""Writes the JSON Schema of every integration event to a folder, for systems outside WellFlow.

    wellflow-event-schemas OUTPUT_DIR

One file per event type (``wells.well_registered.v1.json``) and an ``index.json`` listing them with
their subjects. Event modules are found by importing every ``wellflow_contracts.events.*`` module.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

from . import events as events_package
from .registry import EventRegistry, registry


def load_all_events() -> EventRegistry:
    for module in pkgutil.iter_modules(events_package.__path__):
        importlib.import_module(f"{events_package.__name__}.{module.name}")
    return registry


def write_schemas(output: Path, events: EventRegistry | None = None) -> list[Path]:
    events = events or load_all_events()
    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    index = []
    for model in events:
        event_type = model.event_type()
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://wellflow.dev/events/{event_type}.json"
        path = output / f"{event_type}.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(path)
        service, name, version = event_type.split(".")
        index.append(
            {
                "type": event_type,
                "schema": path.name,
                "subject": f"wellflow.evt.<tenant_id>.{service}.{name}.{version}",
                "description": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
            }
        )
    (output / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wellflow-event-schemas", description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="folder to write the schemas into")
    args = parser.parse_args(argv)
    written = write_schemas(args.output)
    print(f"wrote {len(written)} event schemas to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
