"""Well tests, equipment and permits."""
