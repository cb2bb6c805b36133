"""WellFlow compliance: Form PR, severance tax, the filing calendar and submission to the RRC portal."""

__version__ = "0.1.0"
