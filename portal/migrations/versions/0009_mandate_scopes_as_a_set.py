"""A mandate's scopes as a set, not a comma string

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:30:00

Issue 15, item 3: ``mandate.scopes`` was a comma-separated string that templates tested by
substring. It is now a JSON array of scope values in the fixed order (``portal.models.ScopeSet``
reads it as a frozenset). Existing strings are split into arrays; values are kept as they
are, in the order of ``Scope``. The downgrade joins them with commas again.
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# The order of ``portal.models.Scope`` when this revision was written (not imported: a
# migration must not change when the code does).
SCOPE_ORDER = ("read_letters", "manage_letters", "view_cases", "view_personal_data", "change_settings",
               "manage_mandates")
SCOPES_LENGTH = 200

mandate = sa.table(
    "mandate",
    sa.column("id", sa.Uuid()),
    sa.column("scopes", sa.String()),
    sa.column("scope_set", sa.JSON()),
)


def _in_order(values: set[str]) -> list[str]:
    known = [value for value in SCOPE_ORDER if value in values]
    return known + sorted(values - set(SCOPE_ORDER))


def upgrade() -> None:
    with op.batch_alter_table('mandate') as batch:
        batch.add_column(sa.Column('scope_set', sa.JSON(), nullable=True))
    connection = op.get_bind()
    for mandate_id, text in connection.execute(sa.select(mandate.c.id, mandate.c.scopes)).all():
        values = {value.strip() for value in (text or "").split(",") if value.strip()}
        connection.execute(
            sa.update(mandate).where(mandate.c.id == mandate_id).values(scope_set=_in_order(values))
        )
    with op.batch_alter_table('mandate') as batch:
        batch.drop_column('scopes')
        batch.alter_column('scope_set', new_column_name='scopes', existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('mandate') as batch:
        batch.add_column(sa.Column('scope_text', sa.String(length=SCOPES_LENGTH), nullable=True))
    table = sa.table("mandate", sa.column("id", sa.Uuid()), sa.column("scopes", sa.JSON()),
                     sa.column("scope_text", sa.String()))
    connection = op.get_bind()
    for mandate_id, values in connection.execute(sa.select(table.c.id, table.c.scopes)).all():
        if isinstance(values, str):  # a driver that hands JSON back as text
            values = json.loads(values)
        connection.execute(
            sa.update(table).where(table.c.id == mandate_id).values(scope_text=",".join(_in_order(set(values or []))))
        )
    with op.batch_alter_table('mandate') as batch:
        batch.drop_column('scopes')
        batch.alter_column('scope_text', new_column_name='scopes', existing_type=sa.String(length=SCOPES_LENGTH),
                           nullable=False)
