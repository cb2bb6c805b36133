"""Leases: register, update, read."""
