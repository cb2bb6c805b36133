"""Tank batteries: their tanks (capacity, strapping table) and the wells flowing into them, effective-dated.

Every change records ``wells.battery_configured.v1`` with the battery's whole configuration, in the same
transaction. A well flows into at most one battery on any day: connection periods of one well may not overlap.
"""
