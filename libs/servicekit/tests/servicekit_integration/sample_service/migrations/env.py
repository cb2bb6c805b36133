from wellflow_servicekit.migrations import run_alembic

run_alembic(None)
