"""WellFlow accounting: owners and ownership decks, revenue distribution and owner statements, suspense, joint
interest billing, AFEs and the general-ledger export."""

__version__ = "0.1.0"
