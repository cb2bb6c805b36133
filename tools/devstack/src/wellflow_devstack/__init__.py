"""The wellflow command."""
