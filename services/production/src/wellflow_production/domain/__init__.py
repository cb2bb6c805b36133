"""Production domain: pure computations (allocation, decline, gauging, reading checks, CSV rows, alerts)."""
