"""Every ask for a mandate, as the helper typed it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 12:00:00

Issue 16, item 5: asking for a mandate told whether a BSN and surname have an account, and
had no limit. Each ask is now kept as the helper typed it (the BSN masked to its last three
digits), also when nobody was found: it counts towards the helper's limit per day, and it is
what the helper's own list shows. Nothing to backfill: asks made before this revision were
requests, and those stay where they are.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mandate_ask',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lapses_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('bsn_masked', sa.String(length=9), nullable=False),
    sa.Column('surname', sa.String(length=200), nullable=False),
    sa.Column('mandate_id', sa.Uuid(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['helper_id'], ['account.id'], name=op.f('fk_mandate_ask_helper_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandate.id'], name=op.f('fk_mandate_ask_mandate_id_mandate'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandate_ask'))
    )
    with op.batch_alter_table('mandate_ask', schema=None) as batch_op:
        batch_op.create_index('ix_mandate_ask_helper', ['helper_id', 'asked_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mandate_ask', schema=None) as batch_op:
        batch_op.drop_index('ix_mandate_ask_helper')
    op.drop_table('mandate_ask')
