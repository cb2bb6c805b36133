"""The wells service's HTTP API, one module per area: parse, call one use case, shape the answer."""

from .batteries import batteries_router
from .fields import fields_router
from .leases import leases_router
from .operations import equipment_router, permits_router
from .wells import wells_router

routers = [fields_router, leases_router, wells_router, batteries_router, equipment_router, permits_router]

__all__ = ["routers"]
