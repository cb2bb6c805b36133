"""Revenue distribution runs, one module per command: ``run`` (compute the draft), ``finalize`` (lock the
month, move suspense, announce it) and ``queries``; ``valuation`` and ``corrections`` value the sales.

A run is a draft until finalized and has no effect on anything before that: re-running a draft replaces it.
Suspense balances only move when a run is finalized, so a draft always computes from finalized history."""

from .finalize import finalize_run
from .queries import get_run, list_runs, run_key, run_row, run_summary
from .run import run_distribution

__all__ = ["finalize_run", "get_run", "list_runs", "run_distribution", "run_key", "run_row", "run_summary"]
