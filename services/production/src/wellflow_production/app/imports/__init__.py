"""Bulk import of daily readings from CSV: COPY into a staging table, validate, merge; one transaction.

Why this shape: a million lines must go through in seconds, and no Python object may exist per line at
once. The request body streams straight into ``COPY ... FROM STDIN`` (a temporary table of text columns),
so the file is never held in memory. The checks run set-wise in SQL with the rules of
``domain.csv_rows`` / ``domain.readings`` (numbers, at most 3 decimals, no negatives, hours 0 to 24, no
volume on a day with 0 hours, ``YYYY-MM-DD`` or ``MM/DD/YYYY`` calendar days not in the future, 10/12/14
digit API numbers) plus what only the database knows (the well exists here, the reason code is known,
the well has no reading that day, the file gives that well-day once). Every rejected line is then parsed
again by ``domain.csv_rows.parse_row``, whose message is the one reported when it finds the fault, so the
wording of a line's error is the domain's. The merge is one ``INSERT ... SELECT``; the lease-months the file
touched are refreshed by one recomputation, and one ``ReadingsImported`` summary plus the changed
lease-months go to the outbox.

Modes: ``good_lines`` imports the valid lines and reports the others; ``all_or_nothing`` imports nothing
when any line is bad (the report still lists every bad line). A line is never imported in part.
"""
