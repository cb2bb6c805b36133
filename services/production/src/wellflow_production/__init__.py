"""WellFlow production: daily field data, tank gauges and run tickets, allocation, lease-month rollups,
decline forecasts and production alerts."""

__version__ = "0.1.0"
