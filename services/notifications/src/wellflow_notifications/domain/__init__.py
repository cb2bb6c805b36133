"""Plain rules of notifications: kinds, recipients, preferences, quiet hours, digests, retries, messages."""
