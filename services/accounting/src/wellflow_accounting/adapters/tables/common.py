"""What every accounting table shares: the metadata, money to the cent, volumes."""

from __future__ import annotations

from sqlalchemy import MetaData, Numeric

metadata = MetaData()

MONEY = Numeric(16, 2)  # dollars to the cent
VOLUME = Numeric(16, 4)  # barrels or MCF
