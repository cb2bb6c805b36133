from wellflow_compliance.adapters import tables_office  # noqa: F401  (its tables join the metadata)
from wellflow_compliance.adapters.tables import metadata
from wellflow_servicekit.migrations import run_alembic

run_alembic(metadata)
