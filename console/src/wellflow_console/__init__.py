"""WellFlow's web console as a package: the static files (``static/``, served as they are written) and the
modules rendered from Python when the gateway loads them (``generated()``). The gateway serves both at ``/``
(``wellflow_gateway.webconsole``); see docs/console.md."""

from __future__ import annotations

from pathlib import Path

from wellflow_console.codes import codes_module

__all__ = ["GENERATED", "generated", "static_dir"]

# URL paths (relative to the console's root) of the modules rendered from Python: no file of that name exists.
GENERATED = ("assets/lib/codes.js",)


def static_dir() -> Path:
    """The folder of the console's files as written: index.html, sw.js (a template), manifest, assets/."""
    return Path(__file__).with_name("static")


def generated() -> dict[str, bytes]:
    """The modules rendered from Python, by path relative to the console's root."""
    return {"assets/lib/codes.js": codes_module().encode()}
