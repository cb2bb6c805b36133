"""The events the documents service consumes: none yet (see docs/documents.md, "Filing generated PDFs")."""

from __future__ import annotations

from wellflow_servicekit.consumers import EventConsumers

from ..app.common import Documents


def register_consumers(consumers: EventConsumers, documents: Documents) -> None:
    """No subscriptions: other services' PDFs are filed through the API by whoever generates them."""
    del consumers, documents
