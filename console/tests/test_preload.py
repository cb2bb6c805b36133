"""index.html preloads every module the app and the pumper's route import, statically and at any depth: on a field
connection a module found only when its importer has arrived costs one more round trip (2 s on Slow 3G), so a
new import that is not preloaded shows here, not as a slower sign-in on a phone."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import wellflow_console

STATIC = Path(wellflow_console.static_dir())
IMPORT = re.compile(r"^\s*(?:import|export)\s+(?:[^\"';]*?\s+from\s+)?[\"']([^\"']+)[\"']", re.MULTILINE)
ENTRIES = ("/assets/app.js", "/assets/pages/production/route.js")


def _closure(entry: str) -> set[str]:
    seen: set[str] = set()
    pending = [entry]
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        source = (STATIC / url.lstrip("/")).read_text(encoding="utf-8")
        pending.extend(
            posixpath.normpath(posixpath.join(posixpath.dirname(url), spec)) for spec in IMPORT.findall(source)
        )
    return seen


def test_the_app_and_the_route_are_preloaded_with_everything_they_import():
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', page))
    loaded = set(re.findall(r'<script type="module" src="([^"]+)">', page))
    needed = set().union(*(_closure(entry) for entry in ENTRIES))
    assert "/assets/lib/outbox.js" in needed  # the closure follows imports at depth
    assert needed - preloaded - loaded == set()
    assert preloaded - needed == set(), "a preload nothing on the first visit imports"
