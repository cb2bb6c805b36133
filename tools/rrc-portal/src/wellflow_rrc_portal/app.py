"""The stand-in for the Texas RRC filing portal: a small HTTP service that files Form PR reports.

The RRC has no public API for Form PR (operators file on RRC Online or by EDI upload), so WellFlow talks to
this stand-in in development, tests and demos. It behaves like a careful portal: it validates the report
(`validation.py`), answers a confirmation number, files each submission key at most once, and fails on
command (`faults.py`).

Endpoints:

- `POST /filings` with header `Submission-Key` and a Form PR as JSON: 201 with the confirmation on the first
  filing of a key, 200 with the same confirmation for the same key and the same report, 409 for the same
  key with a different report, 422 with `reasons` when the report is rejected, 400 without a key or JSON;
  503/500/429/504 or no answer as the fault switches say.
- `GET /filings/{confirmation_number}`: a filing the portal accepted.
- `GET|POST /admin/faults`, `POST /admin/reset`, `GET /admin/calls`, `GET /admin/filings`: for tests and demos.
- `GET /health/live`, `GET /health/ready`: always 200 (fault switches never affect them).

Settings (environment): `RRC_PORTAL_DATA_DIR` (folder for the filings file; default `$WELLFLOW_HOME/rrc-portal`
when WELLFLOW_HOME is set, else memory only), `RRC_PORTAL_SEED` (random seed of the fault rates) and every
fault switch as `RRC_PORTAL_<SWITCH>` (e.g. `RRC_PORTAL_LATENCY_SECONDS=0.5`).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from .faults import Faults, FaultState
from .routes import KEY_HEADER, admin_routes, filing_routes, health_routes
from .store import FilingStore

__all__ = ["KEY_HEADER", "create_app"]


def _data_dir(explicit: Path | str | None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    if os.environ.get("RRC_PORTAL_DATA_DIR"):
        return Path(os.environ["RRC_PORTAL_DATA_DIR"])
    if os.environ.get("WELLFLOW_HOME"):
        return Path(os.environ["WELLFLOW_HOME"]) / "rrc-portal"
    return None


def create_app(*, data_dir: Path | str | None = None, faults: Faults | None = None, seed: int | None = None) -> FastAPI:
    """Build the stand-in; arguments override the environment (tests pass them)."""
    if seed is None and os.environ.get("RRC_PORTAL_SEED"):
        seed = int(os.environ["RRC_PORTAL_SEED"])
    state = FaultState(faults if faults is not None else Faults.from_environment(), seed=seed)
    store = FilingStore(_data_dir(data_dir))
    app = FastAPI(title="RRC portal stand-in", version="0.1.0", description=__doc__)
    app.state.faults = state
    app.state.store = store
    for router in (filing_routes(state, store), admin_routes(state, store), health_routes(store)):
        app.include_router(router)
    return app
