"""Year-end 1099s: each owner's year from the payments paid in it, the recipients' copies, the Pub 1220 files
(originals and corrections) and the backup withholding a payment run applies (docs/1099.md)."""
