"""The documents service's use cases."""
