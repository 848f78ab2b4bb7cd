"""What happens if the citizen does not act in time: an optional line from the sender

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 19:00:00

Letters and case status changes may say, in the sender's words, what happens when the action
is not done by its date (issue 5, "Wat moet ik doen?"). A case repeats its newest change's.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ("letter", "cases", "case_status_change")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('if_not_done', sa.String(length=200), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('if_not_done')
