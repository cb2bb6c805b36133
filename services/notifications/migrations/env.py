from wellflow_notifications.adapters.tables import metadata
from wellflow_servicekit.migrations import run_alembic

run_alembic(metadata)
