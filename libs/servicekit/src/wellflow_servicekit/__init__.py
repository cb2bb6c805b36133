"""WellFlow servicekit."""
