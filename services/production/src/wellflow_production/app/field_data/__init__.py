"""Tank gauges, run tickets and gas dispositions: the battery- and lease-level measurements beside the daily
well readings (``gauges``, ``run_tickets``, ``gas``).

Barrels come from the tank's strapping table (``domain.gauging``); a run ticket's net barrels are corrected
to 60 F with BS&W removed from the hauler's observed gravity, temperature and BS&W. A run ticket also
stores its opening and closing gauges as tank observations (the closing one sorts just after the opening
one), so month-end stock and daily allocation see the oil leave the tank. Every write refreshes the
lease-months it moves in the same transaction: the gauge's or ticket's month, and the later months whose
beginning stock may rest on it.
"""
