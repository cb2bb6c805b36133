"""Plain rules of the documents service: kinds, content sniffing, ranges, retention, expiry reminders."""
