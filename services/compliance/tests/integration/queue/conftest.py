"""The ``env`` fixture of the submission queue's tests, and ``support.py`` made importable as
``wellflow_compliance_queue_support``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from wellflow_compliance.adapters.unit_of_work import SqlComplianceWork
from wellflow_rrc_portal.app import create_app as create_portal
from wellflow_rrc_portal.faults import Faults
from wellflow_rrc_portal.server import PortalServer
from wellflow_servicekit.database import Database
from wellflow_servicekit.testing import load_test_module

support = load_test_module(Path(__file__).with_name("support.py"), "wellflow_compliance_queue_support")


@pytest.fixture
async def env(service_database: Any) -> AsyncIterator[Any]:
    provisioned = await service_database("compliance", migrations=support.SERVICE_DIR)
    database = Database(provisioned.runtime_url, service="compliance", pool_size=4, work_type=SqlComplianceWork)
    portal = PortalServer(create_portal(data_dir=None, faults=Faults(), seed=7))
    await portal.start()
    environment = support.Env(database, provisioned.owner_url, portal)
    try:
        yield environment
    finally:
        await environment.close()
        await portal.stop()
        await database.dispose()
