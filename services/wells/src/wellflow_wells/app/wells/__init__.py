"""Wells: register, update, change status, read."""
