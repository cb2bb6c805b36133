"""What every compliance use case shares: the service handle, the acting user and the problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from wellflow_contracts.events.compliance import FiledVia
from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, Clock, invalid, utcnow

from ..domain.calendar import CalendarRules
from .ports import ComplianceDatabase, ComplianceWork

MAX_PAGE = 200

__all__ = ["MAX_PAGE", "Actor", "Compliance", "invalid", "not_found", "utcnow"]


@dataclass
class Compliance:
    """The service's use cases need the database, a clock and the calendar rules; nothing else.

    ``database`` is anything with ``unit_of_work(tenant_id)``: a ``Database(work_type=SqlComplianceWork)``
    or, in unit tests, a ``FakeDatabase(FakeComplianceWork)``.
    """

    database: ComplianceDatabase
    clock: Clock = utcnow
    rules: CalendarRules = field(default_factory=CalendarRules)
    filed_via: FiledVia = "manual"
    """How a submitted Form PR is filed (``RRC_PORTAL_ADAPTER``): manual prepares it for filing by hand."""

    def uow(self, actor: Actor) -> ComplianceWork:
        return self.database.unit_of_work(actor.organization_id)

    def today(self) -> date:
        return self.clock().date()


def not_found(what: str) -> NotFound:
    return NotFound(f"{what} was not found in your organization.")
