"""Practice classes and the steps learners did

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 22:30:00

Issue 10, item 4: a trainer's class (a short code for learners, a trainer code whose hash is
kept, a lesson, an end); a sandbox may belong to a class and has the learner's nickname; the
steps of the lesson a sandbox's learner did, for the trainer's console; a timeout drill the
trainer asked for.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'practice_class',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=8), nullable=False),
        sa.Column('trainer_code_hash', sa.String(length=64), nullable=False),
        sa.Column('scenario', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_class')),
        sa.UniqueConstraint('code', name=op.f('uq_practice_class_code')),
        sa.UniqueConstraint('trainer_code_hash', name=op.f('uq_practice_class_trainer_code_hash')),
    )
    op.create_index(op.f('ix_practice_class_ends_at'), 'practice_class', ['ends_at'])
    with op.batch_alter_table('practice_sandbox') as batch:
        batch.add_column(sa.Column('class_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('nickname', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('timeout_drill', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index(batch.f('ix_practice_sandbox_class_id'), ['class_id'])
        batch.create_foreign_key(batch.f('fk_practice_sandbox_class_id_practice_class'), 'practice_class',
                                 ['class_id'], ['id'], ondelete='SET NULL')
    op.create_table(
        'practice_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sandbox_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=80), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['sandbox_id'], ['practice_sandbox.id'],
                                name=op.f('fk_practice_step_sandbox_id_practice_sandbox'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_step')),
        sa.UniqueConstraint('sandbox_id', 'step', name=op.f('uq_practice_step_sandbox_id')),
    )
    op.create_index(op.f('ix_practice_step_sandbox_id'), 'practice_step', ['sandbox_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_practice_step_sandbox_id'), table_name='practice_step')
    op.drop_table('practice_step')
    with op.batch_alter_table('practice_sandbox') as batch:
        batch.drop_constraint('fk_practice_sandbox_class_id_practice_class', type_='foreignkey')
        batch.drop_index(batch.f('ix_practice_sandbox_class_id'))
        batch.drop_column('timeout_drill')
        batch.drop_column('nickname')
        batch.drop_column('class_id')
    op.drop_index(op.f('ix_practice_class_ends_at'), table_name='practice_class')
    op.drop_table('practice_class')
