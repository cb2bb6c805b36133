"""Plain Python: the arithmetic of ownership, distribution, billing and AFEs. Imports no framework."""
