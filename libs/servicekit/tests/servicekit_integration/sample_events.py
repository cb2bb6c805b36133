"""Events of the sample service used by servicekit's integration tests."""

from typing import Literal

from wellflow_contracts import IntegrationEvent


class NoteAdded(IntegrationEvent):
    """A note was added to a well (test event)."""

    type: Literal["kit.note_added.v1"] = "kit.note_added.v1"
    well: str
    seq: int

    aggregate_field = "well"
