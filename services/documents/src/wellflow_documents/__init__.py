"""WellFlow documents: the operator's papers and photos (leases, permits, division orders, invoices, field
photos), versioned, linked to the things in other services they are about, and kept as long as they must be."""

__version__ = "0.1.0"
