"""Accepted filings, kept in memory and, when a data folder is configured, in an append-only JSON-lines file
so that a restarted portal still answers a repeated submission key with the same confirmation number.

A line is written and fsynced before the confirmation is answered: a filing the portal confirmed survives
its crash. A torn last line (a crash mid-write) is ignored when the file is read back.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FILE_NAME = "filings.jsonl"
CONFIRMATION_PREFIX = "STANDIN-"
"""Every confirmation number the stand-in answers starts with this, so nobody can take it for the RRC's."""
NOTICE = "RRC stand-in: nothing was sent to the RRC"


def body_digest(report: Any) -> str:
    """SHA-256 of the report's canonical JSON: the same filing sent twice has the same digest."""
    canonical = json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Filing:
    confirmation_number: str
    submission_key: str
    operator_number: str
    period: str
    body_sha256: str
    accepted_at: str
    lines: int


class FilingStore:
    """Filings by submission key; one asyncio lock serialises acceptance so a key is filed once."""

    def __init__(self, data_dir: Path | None) -> None:
        self.path = data_dir / FILE_NAME if data_dir is not None else None
        self.by_key: dict[str, Filing] = {}
        self.lock = asyncio.Lock()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for raw in handle:
                try:
                    filing = Filing(**json.loads(raw))
                except (ValueError, TypeError):
                    continue  # a line torn by a crash while writing: that filing was never confirmed
                self.by_key[filing.submission_key] = filing

    def get(self, submission_key: str) -> Filing | None:
        return self.by_key.get(submission_key)

    def by_confirmation(self, confirmation_number: str) -> Filing | None:
        return next((f for f in self.by_key.values() if f.confirmation_number == confirmation_number), None)

    def accept(self, submission_key: str, report: dict[str, Any], digest: str) -> Filing:
        """Record a new filing (the caller holds `lock` and checked the key is new)."""
        period = str(report["period"])[:7]
        sequence = len(self.by_key) + 1
        number = f"PR{period.replace('-', '')}-{report['operator_number']}-{sequence:06d}"
        filing = Filing(
            confirmation_number=CONFIRMATION_PREFIX + number,
            submission_key=submission_key,
            operator_number=str(report["operator_number"]),
            period=period,
            body_sha256=digest,
            accepted_at=datetime.now(UTC).isoformat(),
            lines=len(report["lines"]),
        )
        if self.path is not None:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(filing)) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        self.by_key[submission_key] = filing
        return filing

    def clear(self) -> None:
        self.by_key.clear()
        if self.path is not None and self.path.exists():
            self.path.unlink()
