"""The durable submission queue: a Form PR version is recorded before it is sent, and sent until the portal
gives a final answer, however often compliance restarts or the portal fails.

Life of a submission (docs/compliance-submission.md has the picture):

1. ``queue.enqueue_submission`` writes the ``submissions`` row (state queued), its ``submission_schedule``
   row and a ``compliance.report_submitted.v1`` event in the caller's unit of work: all or nothing.
2. A ``worker.SubmissionWorker`` claims due schedule rows with ``FOR UPDATE SKIP LOCKED`` and pushes their
   time forward by a lease, so no other worker (or replica) takes them while this one works; it marks the
   submission in_flight and counts the attempt, and commits before calling the portal (no transaction stays
   open across the network).
3. The attempt (``attempts``) goes through the circuit breaker and tenacity (a few quick retries for
   transient failures, honouring Retry-After). The submission key goes with every call: the portal files a
   key once and answers a repeat with the same confirmation, so a retry after a lost answer never files twice.
4. The outcome (``outcomes``) is written in one unit of work of the submission's tenant: accepted
   (confirmation number, ``report_accepted``) or rejected (reasons, ``report_rejected``), both final; or a
   transient failure, which schedules the next attempt with exponential backoff and jitter or the portal's
   Retry-After (``submission_retry_scheduled``), until ``SUBMISSION_MAX_ATTEMPTS``, when the submission is
   failed and the same event carries ``gave_up=true`` (the alert). A person may then retry it by hand
   (``queue.retry_submission``). A call the breaker refused never reached the portal: it does not count as
   an attempt and is rescheduled for when the breaker lets a trial through.

A worker that dies mid-attempt leaves its rows in_flight with a lease that runs out; another worker (or the
restarted one) then takes them again, with the same key, so nothing is lost and nothing is filed twice.

The queue knows nothing of reports: ``app/reports`` queues versions here, and the worker tells the report
use cases a final answer through the ``on_outcome`` hook that bootstrap.py passes it (one-way imports).
The portal client and the breaker are adapters (``adapters/portal.py``, ``adapters/breaker.py``), reached
through ``portal.py`` (the port).
"""
