"""WellFlow integrations: an organization's outside systems, fed durably over NATS or by signed webhooks."""

__version__ = "0.1.0"
