"""The integrations service's one consumer reads every event of every service: in its own process (as under
`wellflow up`, where nothing else imports the other services' contract modules) every published event type must
decode, or the webhooks consumer dead-letters it as unreadable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

PROBE = """
import json
from wellflow_contracts.registry import registry
from wellflow_integrations.entrypoints.consumers import register_consumers


class Consumers:
    def handler(self, *args, **kwargs):
        return lambda fn: fn


register_consumers(Consumers(), None)
print(json.dumps(registry.types()))
"""


def test_the_webhooks_consumer_knows_every_published_event_type_in_a_process_of_its_own() -> None:
    published = {entry["type"] for entry in json.loads((ROOT / "docs/events/index.json").read_text())}
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True)
    known = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert published - known == set()
