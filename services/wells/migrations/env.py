from wellflow_servicekit.migrations import run_alembic
from wellflow_wells.adapters.tables import metadata

run_alembic(metadata)
