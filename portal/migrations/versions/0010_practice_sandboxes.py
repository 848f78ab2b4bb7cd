"""Practice sandboxes: one world per learner

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 22:00:00

Issue 10, item 2: ``practice_sandbox`` holds one learner's practice world (the browser keeps a
token whose hash is stored). Practice persons and their practice DigiD logins point at their
sandbox; NULL is the register and the shared demo world, so existing rows keep their meaning.
A practice username is unique per sandbox instead of everywhere.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'practice_sandbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('slot', sa.Integer(), nullable=False),
        sa.Column('scenario', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_sandbox')),
        sa.UniqueConstraint('slot', name=op.f('uq_practice_sandbox_slot')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_practice_sandbox_token_hash')),
    )
    op.create_index(op.f('ix_practice_sandbox_last_seen_at'), 'practice_sandbox', ['last_seen_at'])
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('sandbox_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_person_sandbox_id'), ['sandbox_id'])
        batch.create_foreign_key(batch.f('fk_person_sandbox_id_practice_sandbox'), 'practice_sandbox',
                                 ['sandbox_id'], ['id'])
    with op.batch_alter_table('practice_login') as batch:
        batch.add_column(sa.Column('sandbox_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_practice_login_sandbox_id'), ['sandbox_id'])
        batch.create_foreign_key(batch.f('fk_practice_login_sandbox_id_practice_sandbox'), 'practice_sandbox',
                                 ['sandbox_id'], ['id'])
        batch.drop_constraint('uq_practice_login_username', type_='unique')
        batch.create_unique_constraint(batch.f('uq_practice_login_sandbox_id'), ['sandbox_id', 'username'])


def downgrade() -> None:
    connection = op.get_bind()
    # Sandbox worlds cannot live without their sandboxes: a downgrade keeps the shared world only.
    if connection.execute(sa.text("SELECT count(*) FROM practice_sandbox")).scalar():
        raise RuntimeError("Practice sandboxes exist: purge them before downgrading past 0010.")
    with op.batch_alter_table('practice_login') as batch:
        batch.drop_constraint('uq_practice_login_sandbox_id', type_='unique')
        batch.create_unique_constraint(batch.f('uq_practice_login_username'), ['username'])
        batch.drop_constraint('fk_practice_login_sandbox_id_practice_sandbox', type_='foreignkey')
        batch.drop_index(batch.f('ix_practice_login_sandbox_id'))
        batch.drop_column('sandbox_id')
    with op.batch_alter_table('person') as batch:
        batch.drop_constraint('fk_person_sandbox_id_practice_sandbox', type_='foreignkey')
        batch.drop_index(batch.f('ix_person_sandbox_id'))
        batch.drop_column('sandbox_id')
    op.drop_index(op.f('ix_practice_sandbox_last_seen_at'), table_name='practice_sandbox')
    op.drop_table('practice_sandbox')
