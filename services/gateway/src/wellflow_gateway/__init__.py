"""WellFlow gateway: the one public door in front of every service."""

__version__ = "0.1.0"
