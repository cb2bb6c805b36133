"""docs/events (JSON Schemas and per-service AsyncAPI documents) is generated from code: regenerating it must
give exactly the committed files, so other systems never read a stale contract. `make schemas` fixes a drift."""

import subprocess
import sys
from pathlib import Path

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
    assert {"identity.json", "wells.json", "production.json", "compliance.json", "accounting.json"} <= services
