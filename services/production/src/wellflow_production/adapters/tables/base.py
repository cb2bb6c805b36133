"""The metadata every production table belongs to, and the column types of volumes and pressures."""

from __future__ import annotations

from sqlalchemy import MetaData, Numeric

metadata = MetaData()

VOLUME = Numeric(15, 3)  # barrels or MCF: 12 digits and 3 decimals, as domain.readings.parse_decimal admits
PRESSURE = Numeric(15, 3)
