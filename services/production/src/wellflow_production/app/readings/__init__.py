"""Daily well readings: one module per command (``record``, ``correct``, ``delete``) and the ``queries``.

A reading is one well's day. Recording it, correcting it or deleting it refreshes that lease-month's rollup
in the same transaction (``rollups.refresh``) and records the reading's own event, so the outbox holds both
or neither.
"""
