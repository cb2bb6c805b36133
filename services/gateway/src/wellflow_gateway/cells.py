"""Tenant routing: each organization's requests go to its cell, a set of upstream base URLs.

The default cell comes from WELLFLOW_SERVICE_URLS; GATEWAY_CELLS adds cells and GATEWAY_TENANT_CELLS
assigns organizations to them. An organization not in the table lives in the default cell. The
organization is the verified token's `org` claim, never anything the client chose; requests without a
verified token (sign-in, sign-up, refresh, ...) go to the default cell.

A service a cell does not name is answered by the default cell only when it is listed in
GATEWAY_GLOBAL_SERVICES (identity by default: one tenant directory and one key set for all cells);
otherwise the request is a 503, never silently served by another cell's data service.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from wellflow_gateway.settings import DEFAULT_CELL


class CellRouter:
    def __init__(
        self,
        default: Mapping[str, str],
        cells: Mapping[str, Mapping[str, str]] | None = None,
        tenants: Mapping[UUID, str] | None = None,
        global_services: tuple[str, ...] | list[str] = ("identity",),
    ) -> None:
        self.cells: dict[str, dict[str, str]] = {DEFAULT_CELL: dict(default)}
        for name, services in (cells or {}).items():
            if name == DEFAULT_CELL:
                raise ValueError(f"cell name {DEFAULT_CELL!r} is reserved for the default cell")
            self.cells[name] = dict(services)
        self.tenants: dict[UUID, str] = dict(tenants or {})
        for organization, cell in self.tenants.items():
            if cell not in self.cells:
                raise ValueError(f"organization {organization} is assigned to unknown cell {cell!r}")
        self.global_services = frozenset(global_services)

    def cell_of(self, organization_id: UUID | None) -> str:
        if organization_id is None:
            return DEFAULT_CELL
        return self.tenants.get(organization_id, DEFAULT_CELL)

    def upstream(self, cell: str, service: str) -> str | None:
        """Base URL of `service` in `cell`, or None when the cell has no such service."""
        url = self.cells[cell].get(service)
        if url is None and cell != DEFAULT_CELL and service in self.global_services:
            url = self.cells[DEFAULT_CELL].get(service)
        return url

    def resolve(self, organization_id: UUID | None, service: str) -> tuple[str, str | None]:
        """(cell name, base URL or None) for a request of `organization_id` to `service`."""
        cell = self.cell_of(organization_id)
        return cell, self.upstream(cell, service)
