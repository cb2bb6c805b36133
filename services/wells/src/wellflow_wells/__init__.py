"""WellFlow wells: the asset registry (fields, leases, wells) other services learn from through events."""

__version__ = "0.1.0"
