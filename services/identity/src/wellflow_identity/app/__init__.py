"""Identity's use cases: one function per command or query, each owning its unit of work."""
