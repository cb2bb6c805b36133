"""Form PR reports: the draft of a month as a clerk sees it (``queries``), rebuilding it (``regenerate``),
submitting a version for filing (``submit``) and the RRC's answer (``outcome``).

A submitted version is frozen (its payload is kept as it was sent) and never edited. When the draft later
differs from the last accepted version, the report shows ``amendment_needed`` and the next submission is
version n+1 of kind ``amended``.
"""
