"""Mandates remember the legal representation they were arranged under

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00

Issue 16, item 1: a representative could approve his own request while acting for his
client, and keep that mandate after the court ended his representation. A mandate now
records the representation under which it was given, approved or changed
(``arranged_under_id``); it holds only while that representation holds.

What was arranged before this revision is found in the audit log (every action a helper took
while acting, with the mandate he acted under): approvals and changes by the object they were
about, and offers by who made them for whom.
"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

mandate = sa.table(
    "mandate",
    sa.column("id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("giver_id", sa.Integer()),
    sa.column("helper_id", sa.Integer()),
    sa.column("created_by_id", sa.Integer()),
    sa.column("arranged_under_id", sa.Uuid()),
)
audit_entry = sa.table(
    "audit_entry",
    sa.column("mandate_id", sa.Uuid()),
    sa.column("what", sa.String()),
    sa.column("object_id", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table('mandate') as batch:
        batch.add_column(sa.Column('arranged_under_id', sa.Uuid(), nullable=True))
        batch.create_index('ix_mandate_arranged_under_id', ['arranged_under_id'], unique=False)
    _backfill(op.get_bind())


def _backfill(connection: sa.engine.Connection) -> None:
    legal = {
        row.id: row
        for row in connection.execute(sa.select(mandate).where(mandate.c.kind == "legal"))
    }
    if not legal:
        return
    acts = connection.execute(
        sa.select(audit_entry.c.mandate_id, audit_entry.c.object_id).where(
            audit_entry.c.what.in_(("mandates.approve", "mandates.change")),
            audit_entry.c.mandate_id.in_(list(legal)),
            audit_entry.c.object_id.is_not(None),
        )
    ).all()
    for under_id, object_id in acts:
        try:
            target = uuid.UUID(object_id)
        except ValueError:
            continue
        _set(connection, target, under_id)
    # Offers a representative made for his client: created by him, given by the client.
    for representation in legal.values():
        offered = connection.execute(
            sa.select(mandate.c.id).where(
                mandate.c.kind == "granted",
                mandate.c.giver_id == representation.giver_id,
                mandate.c.created_by_id == representation.helper_id,
            )
        ).scalars().all()
        for target in offered:
            _set(connection, target, representation.id)


def _set(connection: sa.engine.Connection, target: uuid.UUID, under_id: uuid.UUID) -> None:
    connection.execute(
        sa.update(mandate)
        .where(mandate.c.id == target, mandate.c.kind != "legal", mandate.c.arranged_under_id.is_(None))
        .values(arranged_under_id=under_id)
    )


def downgrade() -> None:
    with op.batch_alter_table('mandate') as batch:
        batch.drop_index('ix_mandate_arranged_under_id')
        batch.drop_column('arranged_under_id')
