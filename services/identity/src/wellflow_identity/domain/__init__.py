"""Identity's rules in plain Python: lockout back-off, the last-owner rule, secret formats, password policy."""
