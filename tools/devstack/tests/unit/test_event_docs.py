"""docs/events (JSON Schemas and per-service AsyncAPI documents) is generated from code: regenerating it must
give exactly the committed files, so other systems never read a stale contract. `make schemas` fixes a drift."""

import subprocess
import sys
from pathlib import Path

from wellflow_devstack.discovery import discover_services

ROOT = Path(__file__).resolve().parents[4]
COMMITTED = ROOT / "docs" / "events"


def _files(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text() for path in sorted(folder.rglob("*.json"))}


def test_committed_event_docs_match_the_code(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "wellflow_devstack.event_docs", str(tmp_path)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    generated, committed = _files(tmp_path), _files(COMMITTED)
    assert sorted(generated) == sorted(committed), "run `make schemas` and commit docs/events"
    stale = [name for name in generated if generated[name] != committed[name]]
    assert not stale, f"run `make schemas` and commit docs/events; stale: {stale}"
    services = {name.split("/")[1] for name in generated if name.startswith("asyncapi/")}
    declared = {f"{spec.name}.json" for spec in discover_services(ROOT) if spec.events}  # those with a database
    assert {"identity.json", "wells.json", "production.json", "compliance.json", "accounting.json"} <= declared
    assert declared <= services, "every service that publishes or consumes events has its AsyncAPI document"
