"""Filing that never pretends: a submission records how it is filed (``filed_via``: manual, stand-in or rrc)
and the RRC's confirmation as a person recorded it (who, when, the RRC's date, a note); submissions and
report versions gain the state ``awaiting_confirmation`` (prepared for filing by hand, until the RRC's
confirmation number is recorded). See docs/compliance-submission.md.

Every submission before this revision was answered by the RRC portal stand-in (the only adapter that
answered anything), so existing rows are marked ``stand-in``; a version's link to its submission without
``filed_via`` is read as ``stand-in`` too (``app/reports/common.py``).

Written as explicit operations, so later changes to the table definitions do not change this revision.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

OLD_STATES = "'queued', 'in_flight', 'accepted', 'rejected', 'failed'"
NEW_STATES = "'queued', 'in_flight', 'awaiting_confirmation', 'accepted', 'rejected', 'failed'"
OLD_VERSION_STATES = "'submitted', 'accepted', 'rejected'"
NEW_VERSION_STATES = "'submitted', 'awaiting_confirmation', 'accepted', 'rejected'"


def upgrade() -> None:
    op.add_column("submissions", sa.Column("filed_via", sa.Text, nullable=False, server_default="stand-in"))
    op.alter_column("submissions", "filed_via", server_default=None)  # the application always says which
    op.add_column("submissions", sa.Column("confirmed_by", sa.Text, nullable=True))
    op.add_column("submissions", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("submissions", sa.Column("confirmation_date", sa.Date, nullable=True))
    op.add_column("submissions", sa.Column("confirmation_note", sa.Text, nullable=True))
    op.create_check_constraint("submissions_filed_via", "submissions", "filed_via IN ('manual', 'stand-in', 'rrc')")
    op.drop_constraint("submissions_state", "submissions", type_="check")
    op.create_check_constraint("submissions_state", "submissions", f"state IN ({NEW_STATES})")
    op.drop_constraint("version_state", "form_pr_versions", type_="check")
    op.create_check_constraint("version_state", "form_pr_versions", f"state IN ({NEW_VERSION_STATES})")


def _every_tenant(statement: str) -> None:
    """Run ``statement`` over every tenant's rows: the owner is under FORCE ROW LEVEL SECURITY too, so it is
    lifted for the statement and put back in the same transaction."""
    table = statement.split()[1]
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(statement)
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    # Prepared versions and submissions cannot be expressed before this revision: they go back to the states
    # they come closest to (a submitted version, a failed submission), and nothing recorded is kept.
    _every_tenant("UPDATE form_pr_versions SET state = 'submitted' WHERE state = 'awaiting_confirmation'")
    op.drop_constraint("version_state", "form_pr_versions", type_="check")
    op.create_check_constraint("version_state", "form_pr_versions", f"state IN ({OLD_VERSION_STATES})")
    _every_tenant(
        "UPDATE submissions SET state = 'failed', last_error = 'prepared for filing by hand' "
        "WHERE state = 'awaiting_confirmation'"
    )
    op.drop_constraint("submissions_state", "submissions", type_="check")
    op.create_check_constraint("submissions_state", "submissions", f"state IN ({OLD_STATES})")
    op.drop_constraint("submissions_filed_via", "submissions", type_="check")
    for column in ("confirmation_note", "confirmation_date", "confirmed_at", "confirmed_by", "filed_via"):
        op.drop_column("submissions", column)
