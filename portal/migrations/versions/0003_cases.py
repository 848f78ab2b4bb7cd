"""Lopende Zaken: cases, their steps, status changes and linked letters

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-03 10:00:00

A branch from 0001 (other areas add 0002 and 0004 beside it); ``portal.migrate.upgrade``
goes to all heads. Written by hand: only the tables of the cases area.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('reference', sa.String(length=25), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='casestatus', native_enum=False, length=10), nullable=False),
    sa.Column('current_step', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=200), nullable=True),
    sa.Column('act_by', sa.Date(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_cases_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_cases_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('organisation_id', 'reference', name=op.f('uq_cases_organisation_id'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_box', ['account_id', 'status', 'updated_at'], unique=False)

    op.create_table('case_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_step_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_step')),
    sa.UniqueConstraint('case_id', 'position', name=op.f('uq_case_step_case_id'))
    )
    op.create_table('case_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('action', sa.String(length=200), nullable=True),
    sa.Column('act_by', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_status_change_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_status_change'))
    )
    with op.batch_alter_table('case_status_change', schema=None) as batch_op:
        batch_op.create_index('ix_case_status_change_history', ['case_id', 'at'], unique=False)

    op.create_table('case_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('letter_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_letter_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_case_letter_letter_id_letter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_letter')),
    sa.UniqueConstraint('case_id', 'letter_id', name=op.f('uq_case_letter_case_id'))
    )
    with op.batch_alter_table('case_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_letter_letter_id'), ['letter_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_letter_letter_id'))

    op.drop_table('case_letter')
    with op.batch_alter_table('case_status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_case_status_change_history')

    op.drop_table('case_status_change')
    op.drop_table('case_step')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_box')

    op.drop_table('cases')
