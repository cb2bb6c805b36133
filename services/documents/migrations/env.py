from wellflow_documents.adapters.tables import metadata
from wellflow_servicekit.migrations import run_alembic

run_alembic(metadata)
