"""When a pod's ``wait-migrated`` init container lets it start: at this image's head, or at a revision
newer than the image knows (a rolling update's old pods beside a new schema); never before the head."""

from __future__ import annotations

from pathlib import Path

import pytest

from wellflow_servicekit.deploy_cli import _is_current, migration_heads


@pytest.fixture
def service_dir(tmp_path: Path) -> Path:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/migrations\n")
    for revision, down in (("0001", None), ("0002", "0001")):
        (versions / f"{revision}_step.py").write_text(
            f"revision = {revision!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n"
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
        )
    return tmp_path


@pytest.mark.parametrize(
    ("applied", "starts"),
    [
        (set(), False),  # nothing migrated yet (or the Job has not created the table)
        ({"0001"}, False),  # the previous release's schema: this image must wait for its migration
        ({"0002"}, True),  # this image's head
        ({"0003"}, True),  # written by a newer release: an old pod may still start beside it
    ],
)
def test_a_pod_starts_at_its_head_or_newer(service_dir, applied, starts):
    assert migration_heads(service_dir) == {"0002"}
    assert _is_current(service_dir, applied, {"0002"}) is starts
