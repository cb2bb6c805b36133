"""One module per producing service (``wells.py``, ``production.py``, ...), each defining that service's
integration events. Only backward-compatible additions within a version; a breaking change is a new class
with the next ``.vN`` published beside the old one."""
